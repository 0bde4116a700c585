"""The weekly digest: ISO weeks, the week it opens on, the week's stories and verdict changes,
paging by week, its feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from newsweb.digest.queries import DIGEST_LENGTH
from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import Category, Story, StoryStatus, Tool, Verdict, VerdictChange
from newsweb.models.clock import utcnow
from tests import factories
from tests.html import elements
from tests.statements import counted_get

ATOM = "{http://www.w3.org/2005/Atom}"
# 2026-W02 runs from Monday 5 to Sunday 11 January 2026.
WEEK_TWO = datetime(2026, 1, 5)


def story_titles(html: str) -> list[str]:
    """The story titles a page lists, in order."""
    return re.findall(r'class="story-card__title"><a [^>]*>([^<]+)</a>', html)


def nav_links(html: str) -> dict[str, str]:
    """The digest's week links by their rel (prev, next) or text ("Latest digest")."""
    found = {}
    for tag, attrs in elements(html):
        if tag == "a" and attrs.get("rel") in ("prev", "next"):
            found[str(attrs["rel"])] = str(attrs["href"])
    if ">Latest digest</a>" in html:
        found["latest"] = "/digest"
    return found


def changes_listed(html: str) -> list[str]:
    """The verdict changes a digest lists, in order: "Tool · Panelist: calls"."""
    found = re.findall(
        r'class="verdict-change__who"><a [^>]*>([^<]+)</a><span class="verdict-change__by"> · '
        r'<a [^>]*>([^<]+)</a></span></h3>\s*<p class="verdict-change__calls">(.*?)</p>',
        html,
        re.S,
    )
    return [
        f"{tool} · {persona}: {re.sub(r'<[^>]+>', '', calls).strip()}"
        for tool, persona, calls in found
    ]


def _verdict(tool_slug: str, persona_slug: str) -> Verdict:
    return db.session.scalars(
        select(Verdict)
        .join(Verdict.tool)
        .where(Tool.slug == tool_slug, Verdict.persona.has(slug=persona_slug))
    ).one()


def first_call_at(tool_slug: str, persona_slug: str, when: datetime) -> None:
    """Date a factory verdict's first call (recorded in verdict_changes when it was made)."""
    verdict = _verdict(tool_slug, persona_slug)
    db.session.execute(
        update(VerdictChange)
        .where(
            VerdictChange.tool_id == verdict.tool_id,
            VerdictChange.persona_id == verdict.persona_id,
        )
        .values(changed_at=when)
    )


def flip_at(
    tool_slug: str, persona_slug: str, when: datetime, why: str = "Changed my mind."
) -> None:
    """Flip a factory verdict's call at `when`, as an editor saving the tool form would."""
    verdict = _verdict(tool_slug, persona_slug)
    verdict.ship = not verdict.ship
    verdict.change_note, verdict.change_at = why, when
    db.session.flush()


@pytest.fixture
def weeks_app(app: Flask) -> Flask:
    """Stories across 2026-W01 to W03 (a draft in W02), and verdict changes in W02 and W03.

    Every other first call is dated 2025, before the first story.
    """
    with app.app_context():
        factories.newsroom(0)
        personas = factories.panel_from_database()
        tool = db.session.scalars(select(Tool).order_by(Tool.id).limit(1)).one()
        category = db.session.scalars(select(Category).order_by(Category.id).limit(1)).one()
        for name, at in [
            ("New Year", datetime(2026, 1, 1, 9)),
            ("Monday Start", datetime(2026, 1, 5, 0, 0)),
            ("Midweek", datetime(2026, 1, 7, 12)),
            ("Sunday Night", datetime(2026, 1, 11, 23, 59)),
            ("Next Monday", datetime(2026, 1, 12, 0, 0)),
        ]:
            factories.story(name, tool, category, personas, published_at=at)
        factories.story(
            "Draft Midweek",
            tool,
            category,
            personas,
            published_at=datetime(2026, 1, 8),
            status=StoryStatus.DRAFT,
        )
        db.session.execute(update(VerdictChange).values(changed_at=datetime(2025, 6, 1)))
        # Given in W02; given long ago but flipped in W02; given in W03.
        first_call_at("mistral-ai", "the-founder", datetime(2026, 1, 6))
        flip_at("anthropic", "the-skeptic", datetime(2026, 1, 9), "The <b>numbers</b> moved.")
        first_call_at("anthropic", "the-builder", datetime(2026, 1, 13))
        db.session.commit()
    return app


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("2026-W25", IsoWeek(2026, 25)),
        ("2026-W01", IsoWeek(2026, 1)),
        ("2026-W53", IsoWeek(2026, 53)),  # 2026 starts on a Thursday: it has 53 weeks
        ("2020-W53", IsoWeek(2020, 53)),
        ("2027-W53", None),
        ("2026-W54", None),
        ("2026-W00", None),
        ("2026-W99", None),
        ("2026-W5", None),
        ("2026-w05", None),
        ("26-W05", None),
        ("abcd-Wef", None),
        ("1999-W10", None),
        ("2026-W05 ", None),
        ("\uff12\uff10\uff12\uff16-W05", None),  # full-width digits
    ],
)
def test_weeks_are_parsed_strictly(text: str, week: IsoWeek | None) -> None:
    """Only real ISO weeks in the `YYYY-Www` form parse; the rest are None."""
    assert IsoWeek.parse(text) == week


def test_weeks_know_their_days_and_neighbours() -> None:
    """A week runs Monday to Sunday; its neighbours cross year ends correctly."""
    week = IsoWeek(2026, 1)
    assert (week.first_day.isoformat(), week.last_day.isoformat()) == ("2025-12-29", "2026-01-04")
    assert week.previous == IsoWeek(2025, 52)
    assert IsoWeek(2026, 53).following == IsoWeek(2027, 1)
    assert IsoWeek.containing(datetime(2026, 1, 11, 23, 59)) == IsoWeek(2026, 2)
    assert IsoWeek.containing(datetime(2026, 1, 12)) == IsoWeek(2026, 3)
    assert str(IsoWeek(2026, 2)) == "2026-W02"
    assert IsoWeek(2026, 25).date_range == "June 15 \N{EN DASH} 21, 2026"
    assert IsoWeek(2026, 27).date_range == "June 29 \N{EN DASH} July 5, 2026"
    assert week.date_range == "December 29, 2025 \N{EN DASH} January 4, 2026"


def test_a_week_lists_its_stories_newest_first_and_what_changed(weeks_app: Flask) -> None:
    """W02 holds the stories published Monday 00:00 to Sunday 23:59, newest first.

    Its verdicts section lists only what changed that week (calls given or flipped, newest
    first, with the reason), never every standing verdict; drafts never show.
    """
    response = weeks_app.test_client().get("/digest/2026-W02")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert story_titles(html) == ["Sunday Night", "Midweek", "Monday Start"]
    assert "Draft Midweek" not in html
    assert "The week of January 5 \N{EN DASH} 11, 2026" in html
    # Each card has its meta line (tool · category · date) and dek.
    assert '<time datetime="2026-01-07">January 7, 2026</time>' in html
    assert "The dek of Midweek." in html
    assert changes_listed(html) == [
        "Anthropic · The Skeptic: Ship →changed to Skip",
        "Mistral AI · The Founder: First call Skip",
    ]
    assert "The &lt;b&gt;numbers&lt;/b&gt; moved." in html
    assert 'href="/tools/anthropic">Anthropic</a>' in html
    assert 'href="/panel/the-skeptic">The Skeptic</a>' in html
    # The standing verdicts nobody touched that week are not repeated.
    assert html.count('class="verdict-change"') == 2
    assert 'class="verdict"' not in html


def test_weeks_link_to_their_neighbours(weeks_app: Flask) -> None:
    """Previous and next weeks are linked; none before the first week on record."""
    client = weeks_app.test_client()
    middle = nav_links(client.get("/digest/2026-W02").get_data(as_text=True))
    assert middle == {"prev": "/digest/2026-W01", "next": "/digest/2026-W03", "latest": "/digest"}
    # The 2025 verdicts are the oldest record: 2026-W01 still has a previous week.
    first = nav_links(client.get("/digest/2025-W22").get_data(as_text=True))
    assert "prev" not in first
    assert first["next"] == "/digest/2025-W23"


def test_the_digest_opens_on_last_week_while_this_week_has_no_story(weeks_app: Flask) -> None:
    """With nothing published yet this week, /digest is last week's digest and says so: it
    links this week and the week before, and its canonical URL names last week."""
    week = IsoWeek.containing(utcnow())
    last = week.previous
    html = weeks_app.test_client().get("/digest").get_data(as_text=True)
    assert f"week {last.number} of {last.year} · last week" in html
    assert f"The week of {last.date_range}" in html
    assert "Nothing has been published yet this week, so here is last week" in html
    assert f'<a href="/digest/{week}">This week so far</a>' in html
    assert "No stories yet this week." not in html
    links = nav_links(html)
    assert links == {"prev": f"/digest/{last.previous}", "next": f"/digest/{week}"}
    canonical = [attrs["href"] for tag, attrs in elements(html) if attrs.get("rel") == "canonical"]
    assert canonical == [f"http://localhost/digest/{last}"]
    # This week's own page is still there, empty, with no next week.
    this = weeks_app.test_client().get(f"/digest/{week}").get_data(as_text=True)
    assert "No stories yet this week." in this
    assert nav_links(this) == {"prev": f"/digest/{last}"}


def test_the_digest_opens_on_this_week_once_it_has_a_story(recent_app: Flask) -> None:
    """A story published this week makes /digest this week's digest: no next week, no note."""
    week = IsoWeek.containing(utcnow())
    html = recent_app.test_client().get("/digest").get_data(as_text=True)
    assert f"week {week.number} of {week.year} · this week, so far" in html
    assert story_titles(html) == ["This Week"]
    assert "here is last week\N{RIGHT SINGLE QUOTATION MARK}s digest" not in html
    assert nav_links(html) == {"prev": f"/digest/{week.previous}"}


def test_an_empty_newsroom_has_a_digest(client: FlaskClient) -> None:
    """With nothing published, /digest is last week's, says so, and links only this week."""
    html = client.get("/digest").get_data(as_text=True)
    assert "No stories that week." in html
    assert "every call stands as it was" in html
    week = IsoWeek.containing(utcnow())
    assert nav_links(html) == {"next": f"/digest/{week}"}


@pytest.mark.parametrize(
    "path",
    [
        "/digest/2026-W54",
        "/digest/2026-W00",
        "/digest/2026-W99",
        "/digest/2027-W53",
        "/digest/letters",
        "/digest/2026-Wxx",
        "/digest/2026-W5",
        "/digest/9999-W52",
        "/digest/0001-W01",
        "/digest/2026-W02%00",
        "/digest/" + "9" * 400,
    ],
)
def test_impossible_weeks_are_friendly_404s(client: FlaskClient, path: str) -> None:
    """A week that does not exist, or has not happened yet, is a 404 page.

    A NUL byte is refused before routing, as a 400 page, wherever it is sent.
    """
    response = client.get(path)
    assert response.status_code == (400 if "%00" in path else 404)
    assert response.mimetype == "text/html"
    assert '<p class="error-page__code">' in response.get_data(as_text=True)


def test_next_week_is_not_there_yet(client: FlaskClient) -> None:
    """The week after this one is a 404 until it starts."""
    week = IsoWeek.containing(utcnow())
    response = client.get(f"/digest/{week.following}")
    assert response.status_code == 404
    assert "That week has not happened yet." in response.get_data(as_text=True)


def test_the_digest_is_in_the_site_navigation(weeks_app: Flask) -> None:
    """Every page's navigation links the digest; on the digest it is the current section."""
    client = weeks_app.test_client()
    front = client.get("/").get_data(as_text=True)
    assert '<a href="/digest">Digest</a>' in front
    digest = client.get("/digest/2026-W02").get_data(as_text=True)
    assert '<a href="/digest" aria-current="page">Digest</a>' in digest


def test_digest_escapes_what_editors_typed(weeks_app: Flask) -> None:
    """A story title and the reason for a verdict change carrying markup are shown as text."""
    with weeks_app.app_context():
        story = db.session.scalars(select(Story).where(Story.slug == "midweek")).one()
        story.title = "<script>alert(1)</script>"
        db.session.execute(
            update(VerdictChange)
            .where(VerdictChange.changed_at == datetime(2026, 1, 9))
            .values(reason="<img src=x onerror=alert(2)>")
        )
        db.session.commit()
    html = weeks_app.test_client().get("/digest/2026-W02").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html


@pytest.fixture
def recent_app(app: Flask) -> Flask:
    """Stories this week, last week and five weeks ago (and one too old for the feed)."""
    now = utcnow()
    with app.app_context():
        factories.newsroom(0)
        personas = factories.panel_from_database()
        tool = db.session.scalars(select(Tool).order_by(Tool.id).limit(1)).one()
        category = db.session.scalars(select(Category).order_by(Category.id).limit(1)).one()
        this_monday = IsoWeek.containing(now).starts_at
        for name, at in [
            ("This Week", max(this_monday, now - timedelta(minutes=5))),
            ("Last Week", this_monday - timedelta(days=3)),
            ("Five Weeks Ago", this_monday - timedelta(weeks=5)),
            ("Half A Year Ago", this_monday - timedelta(weeks=26)),
        ]:
            factories.story(name, tool, category, personas, published_at=at)
        factories.story(
            "Next Week <b>", tool, category, personas, published_at=now + timedelta(days=7)
        )
        db.session.commit()
    return app


def test_digest_feed_has_one_entry_per_week(recent_app: Flask) -> None:
    """/feeds/digest.atom: one entry per recent week with anything in it, newest first.

    Each entry links its week's page and lists the week's stories as escaped HTML.
    """
    response = recent_app.test_client().get("/feeds/digest.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)  # noqa: S314 - our own output, under test
    this_week = IsoWeek.containing(utcnow())
    expected = [this_week, this_week.previous]
    five_ago = this_week
    for _ in range(5):
        five_ago = five_ago.previous
    expected.append(five_ago)
    found = feed.findall(f"{ATOM}entry")
    ids = [entry.findtext(f"{ATOM}id") for entry in found]
    assert ids == [f"tag:localhost,2026:digest/{week}" for week in expected]
    links = [entry.find(f"{ATOM}link") for entry in found]
    assert [link.get("href") if link is not None else None for link in links] == [
        f"http://localhost/digest/{week}" for week in expected
    ]
    content = found[1].findtext(f"{ATOM}content") or ""
    assert "Last Week</a>" in content
    assert "This Week" not in content
    assert "Half A Year Ago" not in response.get_data(as_text=True)
    assert "Next Week" not in response.get_data(as_text=True)
    for entry in found:
        for name in ("title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name


def test_the_digest_feed_follows_the_page(app: Flask) -> None:
    """The feed's entries carry what changed in the verdicts, and, like /digest, leave this
    week out while it has no story (its verdict changes wait for it, or show once it ends)."""
    now = utcnow()
    this_week = IsoWeek.containing(now)
    with app.app_context():
        factories.newsroom(0)  # every first call made now, this week
        personas = factories.panel_from_database()
        tool = db.session.scalars(select(Tool).order_by(Tool.id).limit(1)).one()
        category = db.session.scalars(select(Category).order_by(Category.id).limit(1)).one()
        factories.story(
            "Last Week",
            tool,
            category,
            personas,
            published_at=this_week.starts_at - timedelta(days=2),
        )
        flip_at("anthropic", "the-skeptic", this_week.starts_at - timedelta(days=1))
        db.session.commit()
    client = app.test_client()
    feed = ET.fromstring(client.get("/feeds/digest.atom").data)  # noqa: S314 - our own output
    found = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in found] == [
        f"tag:localhost,2026:digest/{this_week.previous}"
    ]
    content = found[0].findtext(f"{ATOM}content") or ""
    assert "What changed in the verdicts" in content
    assert "Anthropic</a>,\n    The Skeptic: Ship → Skip" in content
    assert found[0].findtext(f"{ATOM}summary") == (
        f"1 story and 1 verdict change, week {this_week.previous.number} of "
        f"{this_week.previous.year}."
    )
    page = client.get("/digest").get_data(as_text=True)
    assert changes_listed(page) == ["Anthropic · The Skeptic: Ship →changed to Skip"]


# The page: first week on record and whether this week has a story (one statement), the
# most discussed stories, how many there were, the week's verdict changes, panelists,
# predictions that came due. Its feed: each of the last twelve weeks' newest stories, and
# the span's verdict changes.
DIGEST_STATEMENTS = {"/digest/2026-W02": 6, "/digest": 6, "/feeds/digest.atom": 2}
# Stories each of them lists at most (a digest, not the week's archive).
LISTED = {"/digest/2026-W02": 30, "/digest": 30, "/feeds/digest.atom": 10}


@pytest.mark.parametrize("path", DIGEST_STATEMENTS)
def test_digest_statement_count_does_not_grow_with_the_week(
    make_app: Callable[..., Flask], path: str
) -> None:
    """The digest runs the same statements with no stories in the week, 3 and 40, and lists a
    bounded number of them."""
    app = make_app()
    now = utcnow()
    start = WEEK_TWO if path == "/digest/2026-W02" else IsoWeek.containing(now).starts_at
    with app.app_context():
        factories.newsroom(0)
    counts = []
    for first, last in ((0, 0), (0, 3), (3, 40)):
        with app.app_context():
            personas = factories.panel_from_database()
            tools = list(db.session.scalars(select(Tool).order_by(Tool.id)))
            categories = list(db.session.scalars(select(Category).order_by(Category.id)))
            for number in range(first, last):
                at = min(start + timedelta(minutes=number), now - timedelta(seconds=1))
                factories.story(
                    f"Story {number:03d}",
                    tools[number % 2],
                    categories[number % 2],
                    personas,
                    published_at=at,
                )
            db.session.commit()
        count, response = counted_get(app, path)
        assert response.status_code == 200
        # Each card's title, not its panelists' links to their takes on the same story.
        html = response.get_data(as_text=True)
        listed = re.findall(r'/news/story-0\d\d(?![^"<\s]*#take-)', html)
        assert len(listed) == min(last, LISTED[path])
        counts.append(count)
    assert counts == [DIGEST_STATEMENTS[path]] * 3


def test_the_digest_shows_the_most_discussed_first_and_says_how_many_it_leaves_out(
    make_app: Callable[..., Flask],
) -> None:
    """With more stories than the digest lists, the ones with the most takes come first, and
    the page says how many stories the week had."""
    app = make_app()
    with app.app_context():
        factories.newsroom(0)
        personas = factories.panel_from_database()
        tools = list(db.session.scalars(select(Tool).order_by(Tool.id)))
        categories = list(db.session.scalars(select(Category).order_by(Category.id)))
        for number in range(DIGEST_LENGTH + 3):
            made = factories.story(
                f"Story {number:03d}",
                tools[0],
                categories[0],
                personas,
                published_at=WEEK_TWO + timedelta(minutes=number),
            )
            if number != 7:  # the one story every panelist took
                made.takes = made.takes[:1]
        db.session.commit()
    html = app.test_client().get("/digest/2026-W02").get_data(as_text=True)
    listed = re.findall(r'href="(/news/story-\d+)', html)
    assert listed[0] == "/news/story-007"
    assert len(dict.fromkeys(listed)) == DIGEST_LENGTH
    assert f"The {DIGEST_LENGTH} most discussed of {DIGEST_LENGTH + 3}" in html
