"""The panel's call on each story: ship, wait or skip on every take, the split on cards and
story pages, the "Most divided" order, the editor's form, the API and the feeds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from newsweb import create_app
from newsweb.extensions import db
from newsweb.models import Call, Revision, Split, Story, Take
from tests import factories
from tests.conftest import Auth, htmx, settings
from tests.test_editor import SKEPTIC, post_story, stored, take_body, take_call
from tests.test_front_page import load_more_href, titles

APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"
# Four stories, oldest first, with the calls of the founder, skeptic, futurist and builder.
SPLITS = {
    "Agreed": ("ship", "ship", "ship", "ship"),  # dissent 0
    "Three ways": ("ship", "wait", "skip", "ship"),  # dissent 2
    "Mostly ship": ("ship", "skip", "ship", "ship"),  # dissent 1
    "Even": ("ship", "skip", "ship", "skip"),  # dissent 2, newest
}


@pytest.fixture
def split_app(app: Flask) -> Flask:
    """The four stories of SPLITS, one a day, the oldest first: the first two about
    Mistral AI (which has verdicts), the others about Cursor (none); Model and Funding
    by turns."""
    with app.app_context():
        personas = factories.panel()
        funding, model = factories.category("Funding"), factories.category("Model")
        tools = [factories.tool("Mistral AI", model, personas), factories.tool("Cursor", model)]
        for day, (title, calls) in enumerate(SPLITS.items()):
            in_category = funding if day % 2 else model
            factories.story(title, tools[day // 2], in_category, personas, day=day, calls=calls)
        db.session.commit()
    return app


def dissent(app: Flask, title: str) -> int | None:
    """The stored dissent of the story with `title`."""
    return stored(app, select(Story.dissent).where(Story.title == title))


# ------------------------------------------------------------------ the model


def test_a_split_counts_calls_and_says_how_divided_it_is() -> None:
    """The tally reads like the cards, leaves out calls nobody made, and dissent counts
    the panelists who differ from the most common call."""
    split = Split.of(["ship", Call.WAIT, "skip", "ship"])
    assert (split.ship, split.wait, split.skip, split.total) == (2, 1, 1, 4)
    assert str(split) == "2 ship · 1 wait · 1 skip"
    assert split.dissent == 2
    assert str(Split.of(["skip", "ship", "ship"])) == "2 ship · 1 skip"
    assert Split.of(["wait"] * 4).dissent == 0
    assert Split.of(["ship", "skip", "ship", "skip"]).dissent == 2
    assert Split.of([]).dissent == 0
    assert str(Split.of([])) == ""


def test_dissent_is_kept_as_takes_are_added_changed_and_removed(split_app: Flask) -> None:
    """Every commit that touches a take recounts its story's dissent, in the same transaction."""
    assert [dissent(split_app, title) for title in SPLITS] == [0, 2, 1, 2]
    with split_app.app_context():
        agreed = db.session.scalars(select(Story.id).where(Story.title == "Agreed")).one()
        take = db.session.scalars(select(Take).where(Take.story_id == agreed)).first()
        assert take is not None
        take.call = Call.SKIP
        db.session.commit()
    assert dissent(split_app, "Agreed") == 1
    with split_app.app_context():
        skipped = db.session.scalars(
            select(Take).where(Take.call == Call.SKIP, Take.story_id == agreed)
        ).one()
        db.session.delete(skipped)
        db.session.commit()
    assert dissent(split_app, "Agreed") == 0


def test_the_database_refuses_an_unknown_call(split_app: Flask) -> None:
    """The CHECK constraint holds even against raw SQL, on both databases."""
    with split_app.app_context():
        for value in ("'nah'", "NULL"):
            with pytest.raises(IntegrityError):
                db.session.execute(text(f"UPDATE takes SET call = {value}"))  # noqa: S608
            db.session.rollback()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migration_fills_calls_from_verdicts_and_counts_dissent(tmp_path: Path) -> None:
    """Takes written before calls existed get their panelist's verdict on the story's tool
    (ship or skip), or wait without one; each story's dissent is counted from them."""
    app = create_app(settings(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    with app.app_context():
        upgrade(revision="c3f9a1d7e5b2")
        for statement in (
            "INSERT INTO categories (id, name, slug) VALUES (1, 'Model', 'model')",
            "INSERT INTO tools (id, slug, name, tagline, description, website, pricing,"
            " category_id, created_at, updated_at) VALUES (1, 'lab', 'Lab', 'A lab.', '',"
            " 'https://lab.example', '', 1, '2026-01-01', '2026-01-01')",
            "INSERT INTO personas (id, slug, name, lens, motto, profile, excited_by, tired_of,"
            " position, created_at) VALUES"
            " (1, 'p1', 'P1', 'L', '', '', '[]', '[]', 1, '2026-01-01'),"
            " (2, 'p2', 'P2', 'L', '', '', '[]', '[]', 2, '2026-01-01'),"
            " (3, 'p3', 'P3', 'L', '', '', '[]', '[]', 3, '2026-01-01')",
            "INSERT INTO verdicts (id, tool_id, persona_id, ship, body, created_at, updated_at)"
            " VALUES (1, 1, 1, 1, 'Yes.', '2026-01-01', '2026-01-01'),"
            " (2, 1, 2, 0, 'No.', '2026-01-01', '2026-01-01')",
            "INSERT INTO stories (id, slug, title, dek, body, source_url, status, published_at,"
            " tool_id, category_id, created_at, updated_at, share_version) VALUES (1, 's', 'S',"
            " 'D', '', '', 'published', '2026-01-02', 1, 1, '2026-01-02', '2026-01-02', 0)",
            "INSERT INTO takes (id, story_id, persona_id, body, created_at) VALUES"
            " (1, 1, 1, 'a', '2026-01-02'), (2, 1, 2, 'b', '2026-01-02'),"
            " (3, 1, 3, 'c', '2026-01-02')",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        calls = db.session.execute(text("SELECT call FROM takes ORDER BY id")).scalars().all()
        assert calls == ["ship", "skip", "wait"]
        assert db.session.execute(text("SELECT dissent FROM stories")).scalar() == 2
        db.session.remove()
        db.engine.dispose()


# ------------------------------------------------------------------ cards and story page


def card_calls(html: str) -> list[tuple[str, str, str]]:
    """Each panelist link on the page's cards: (href, name, call), in order."""
    return re.findall(
        r'<a class="persona-chip persona-chip--call" href="([^"]+)"[^>]*>([^<]+)'
        r'<span class="visually-hidden">:</span> <span class="badge badge--\w+">(\w+)</span>',
        html,
    )


def test_cards_show_the_split_with_each_panelist_linked_to_their_take(split_app: Flask) -> None:
    """A front-page card says "2 ship · 1 wait · 1 skip" and links each name, with its
    call in words, to that take on the story page."""
    html = split_app.test_client().get("/").get_data(as_text=True)
    card = html[html.index(">Three ways</a>") :].split("</article>")[0]
    tally = f'<span class="visually-hidden">The panel{APOSTROPHE}s calls: </span>'
    assert f"{tally}2 ship · 1 wait · 1 skip" in card
    assert card_calls(card) == [
        ("/news/three-ways#take-the-founder", "The Founder", "Ship"),
        ("/news/three-ways#take-the-skeptic", "The Skeptic", "Wait"),
        ("/news/three-ways#take-the-futurist", "The Futurist", "Skip"),
        ("/news/three-ways#take-the-builder", "The Builder", "Ship"),
    ]
    agreed = html[html.index(">Agreed</a>") :].split("</article>")[0]
    assert "4 ship</p>" in agreed


@pytest.mark.parametrize("path", ["/tools/mistral-ai", "/digest/2026-W01"])
def test_other_listings_show_the_split_too(split_app: Flask, path: str) -> None:
    """The tool page's and the digest's cards are the same card, split and links included."""
    html = split_app.test_client().get(path).get_data(as_text=True)
    assert "2 ship · 1 wait · 1 skip" in html
    assert re.search(r'href="/news/three-ways\?back=[^"#]+#take-the-skeptic"', html)
    assert any(name == "The Skeptic" and call == "Wait" for _, name, call in card_calls(html))


def test_the_story_page_shows_the_split_above_the_takes_and_the_tools_ship_share(
    split_app: Flask,
) -> None:
    """The split and its links sit at the top of Panel Takes, each take carries its call,
    and the sidebar shows the tool's panel ship share."""
    html = split_app.test_client().get("/news/three-ways").get_data(as_text=True)
    panel = html[html.index('id="panel"') :]
    assert panel.index("2 ship · 1 wait · 1 skip") < panel.index('id="take-the-founder"')
    assert [href for href, _, _ in card_calls(panel)] == [
        "#take-the-founder",
        "#take-the-skeptic",
        "#take-the-futurist",
        "#take-the-builder",
    ]
    skeptic = panel[panel.index('id="take-the-skeptic"') :].split("</header>")[0]
    assert f'The Skeptic{APOSTROPHE}s call: </span><span class="badge badge--wait">Wait</span>' in (
        skeptic
    )
    sidebar = html[html.index('id="tool-heading"') :]
    # factories.tool: the first panelist says skip, the other three ship.
    assert '<span class="ship-share__figure">75%</span>' in sidebar
    assert "(3 of 4)" in sidebar


def test_a_tool_without_verdicts_says_so_in_the_sidebar(split_app: Flask) -> None:
    """Cursor has no verdicts: the sidebar says so instead of a share."""
    html = split_app.test_client().get("/news/mostly-ship").get_data(as_text=True)
    assert "No verdicts yet" in html[html.index('id="tool-heading"') :]


# ------------------------------------------------------------------ "Most divided"


def test_most_divided_first_then_newest_among_equals(split_app: Flask) -> None:
    """sort=divided orders by dissent, newest first among equals, and says what it means."""
    client = split_app.test_client()
    html = client.get("/?sort=divided").get_data(as_text=True)
    assert titles(html) == ["Even", "Three ways", "Mostly ship", "Agreed"]
    assert f"Most divided first: the stories where the most panelists{APOSTROPHE} calls" in html
    assert '<a href="/?sort=divided" data-hx-get="/?sort=divided"' in html
    assert 'aria-current="true">Most divided</a>' in html
    assert titles(client.get("/").get_data(as_text=True)) == [
        "Even",
        "Mostly ship",
        "Three ways",
        "Agreed",
    ]


def test_most_divided_pages_by_keyset_to_the_end(app: Flask) -> None:
    """With more stories than a page, "Load more" walks the order once, without repeats."""
    calls = [("ship",) * 4, ("ship", "wait", "skip", "ship"), ("ship", "skip", "ship", "ship")]
    with app.app_context():
        personas = factories.panel()
        model = factories.category("Model")
        tool = factories.tool("Mistral AI", model, personas)
        for number in range(13):
            factories.story(
                f"Story {number:02d}", tool, model, personas, day=number, calls=calls[number % 3]
            )
        db.session.commit()
    client = app.test_client()
    html = client.get("/?sort=divided").get_data(as_text=True)
    seen = titles(html)
    href = load_more_href(html)
    while href:  # each step as htmx asks for it: the next stories alone
        assert "sort=divided" in href
        step = client.get(href, headers=htmx())
        assert "sort=divided" in step.headers["HX-Push-Url"]
        html = step.get_data(as_text=True)
        seen += titles(html)
        href = load_more_href(html)
    # The address the last step pushed shows every story so far, in the same order.
    everything = client.get(step.headers["HX-Push-Url"]).get_data(as_text=True)
    assert titles(everything) == seen
    newest_first = [f"Story {n:02d}" for n in range(12, -1, -1)]
    by_dissent = [[title for title in newest_first if int(title[-2:]) % 3 == r] for r in (1, 2, 0)]
    assert seen == [title for group in by_dissent for title in group]


def test_most_divided_combines_with_the_filters(split_app: Flask) -> None:
    """The sort keeps the category and tool filters, and they keep the sort."""
    client = split_app.test_client()
    html = client.get("/?sort=divided&category=model").get_data(as_text=True)
    assert titles(html) == ["Mostly ship", "Agreed"]
    assert 'href="/?category=funding&amp;sort=divided"' in html
    html = client.get("/?sort=divided&tool=cursor").get_data(as_text=True)
    assert titles(html) == ["Even", "Mostly ship"]
    # Removing the tool filter keeps the sort.
    assert 'href="/?sort=divided" data-hx-get="/?sort=divided"' in html


def test_the_sort_control_swaps_the_listing_by_htmx(split_app: Flask) -> None:
    """htmx asks for the listing block alone, the same markup as in the page."""
    response = split_app.test_client().get("/?sort=divided", headers=htmx())
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="listing"')
    assert "<html" not in body
    assert titles(body)[0] == "Even"


@pytest.mark.parametrize(
    "cursor", ["x", "2", "2~", "²~2026-01-01T08:00:00~1", "-1~2026-01-01T08:00:00~1", "1~nope~1"]
)
def test_a_broken_divided_cursor_is_a_friendly_400(split_app: Flask, cursor: str) -> None:
    """Nonsense in `after` is a 400 with a way back, never a 500."""
    response = split_app.test_client().get("/", query_string={"sort": "divided", "after": cursor})
    assert response.status_code == 400
    assert "Start again from the top" in response.get_data(as_text=True)


def test_an_unknown_sort_is_the_newest_first(split_app: Flask) -> None:
    """A sort we do not offer falls back to the default order."""
    html = split_app.test_client().get("/?sort=loudest").get_data(as_text=True)
    assert titles(html)[:2] == ["Even", "Mostly ship"]


# ------------------------------------------------------------------ the editor


def test_an_editor_sets_and_changes_calls(editor: Auth, demo_app: Flask) -> None:
    """Calls posted with the takes are stored; a changed call is recorded in the history
    and shows on the story page at once."""
    response: Any = post_story(editor, **{take_call(SKEPTIC): "skip"})
    assert response.status_code == 303
    edit_url = response.headers["Location"]
    story_id = int(edit_url.split("/")[-2])
    calls = select(Take.call).where(Take.story_id == story_id).order_by(Take.persona_id)
    with demo_app.app_context():
        assert db.session.scalars(calls).all() == [Call.SHIP, Call.SKIP, Call.SKIP, Call.SHIP]
    form = editor.client.get(edit_url).get_data(as_text=True)
    assert re.search(r'<input checked id="takes-1-call-2"[^>]*value="skip"', form)
    post_story(editor, edit_url, action="save", **{take_call(SKEPTIC): "wait"})
    with demo_app.app_context():
        assert db.session.scalars(calls).all()[1] == Call.WAIT
        revision = db.session.scalars(
            select(Revision).where(Revision.item_id == story_id).order_by(Revision.id.desc())
        ).first()
        assert revision is not None
        assert revision.changes == {"Call: The Skeptic": ["Skip", "Wait"]}
    page = editor.client.get("/news/anthropic-opens-a-paris-office").get_data(as_text=True)
    assert "2 ship · 1 wait · 1 skip" in page
    history = editor.client.get(edit_url.removesuffix("/edit") + "/history").get_data(as_text=True)
    assert "Call: The Skeptic" in history


@pytest.mark.parametrize("posted", ["", "maybe"])
def test_a_take_without_a_valid_call_is_refused_and_kept(
    editor: Auth, demo_app: Flask, posted: str
) -> None:
    """A take with no call (or an unknown one) gets a 422 with the error next to the group;
    everything typed is still in the form and nothing is saved."""
    before = stored(demo_app, select(db.func.count(Story.id)))
    response: Any = post_story(
        editor, **{take_call(SKEPTIC): posted, take_body(SKEPTIC): "Prove it first."}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="field-error" id="takes-1-call-error">Pick ship, wait or skip' in html
    assert 'aria-describedby="takes-1-call-hint takes-1-call-error"' in html
    assert "Prove it first.</textarea>" in html
    assert re.search(r'<input checked id="takes-2-call-2"[^>]*value="skip"', html)
    assert stored(demo_app, select(db.func.count(Story.id))) == before


def test_a_blank_take_needs_no_call(editor: Auth, demo_app: Flask) -> None:
    """A call with no take makes no take."""
    response: Any = post_story(editor, **{take_body(SKEPTIC): "", take_call(SKEPTIC): "skip"})
    assert response.status_code == 303
    story_id = int(response.headers["Location"].split("/")[-2])
    with demo_app.app_context():
        made = db.session.scalars(select(Take.call).where(Take.story_id == story_id)).all()
    assert sorted(made) == [Call.SHIP, Call.SHIP, Call.SKIP]


def test_the_preview_shows_the_calls(editor: Auth) -> None:
    """The unsaved form's preview shows the split and each take's call."""
    response: Any = post_story(editor, action="preview", **{take_call(SKEPTIC): "wait"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2 ship · 1 wait · 1 skip" in html
    assert 'badge--wait">Wait</span>' in html


def test_restoring_a_version_brings_its_calls_back(editor: Auth, demo_app: Flask) -> None:
    """A restore puts back each take's call as it stood."""
    edit_url = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    story_id = int(edit_url.split("/")[-2])
    post_story(editor, edit_url, action="save", **{take_call(SKEPTIC): "skip"})
    first = stored(demo_app, select(db.func.min(Revision.id)).where(Revision.item_id == story_id))
    restore_url = f"{edit_url.removesuffix('/edit')}/history/{first}/restore"
    response = editor.client.post(restore_url, data={"csrf_token": editor.token(edit_url)})
    assert response.status_code == 303
    calls = select(Take.call).where(Take.story_id == story_id).order_by(Take.persona_id)
    with demo_app.app_context():
        assert db.session.scalars(calls).all()[SKEPTIC] == Call.WAIT


# ------------------------------------------------------------------ API and feeds


def test_the_api_carries_each_calls_and_the_split(split_app: Flask) -> None:
    """Listings carry the split; a story carries each take's call."""
    client = split_app.test_client()
    listing = client.get("/api/v1/stories").get_json()
    three_ways = next(item for item in listing["items"] if item["slug"] == "three-ways")
    assert three_ways["split"] == {"ship": 2, "wait": 1, "skip": 1}
    story = client.get("/api/v1/stories/three-ways").get_json()
    assert story["split"] == {"ship": 2, "wait": 1, "skip": 1}
    assert [(t["persona"]["slug"], t["call"]) for t in story["takes"]] == [
        ("the-founder", "ship"),
        ("the-skeptic", "wait"),
        ("the-futurist", "skip"),
        ("the-builder", "ship"),
    ]


def test_the_openapi_document_describes_calls(split_app: Flask) -> None:
    """The document names the call's three values and the split's counts."""
    document = split_app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert schemas["Take"]["properties"]["call"]["enum"] == ["ship", "wait", "skip"]
    assert set(schemas["PanelSplit"]["properties"]) == {"ship", "wait", "skip"}
    assert schemas["StorySummary"]["properties"]["split"] == {
        "$ref": "#/components/schemas/PanelSplit",
        "description": "The panel's calls on the story, counted.",
    }


def test_feeds_carry_the_calls(split_app: Flask) -> None:
    """A story entry lists the split and each call, linked to the take; a panelist's feed
    gives each take's call."""
    client = split_app.test_client()
    feed = client.get("/feeds/stories.atom").get_data(as_text=True)
    entry = next(e for e in feed.split("<entry>") if "<title>Three ways</title>" in e)
    assert "calls: 2 ship · 1 wait · 1 skip" in entry
    assert '/news/three-ways#take-the-skeptic"&gt;The Skeptic&lt;/a&gt;: wait' in entry
    persona = client.get("/feeds/panel/the-skeptic.atom").get_data(as_text=True)
    assert "&lt;p&gt;Call: Wait&lt;/p&gt;" in persona
