"""The story page: the seed page's layout, the panel's takes, and their swaps."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsweb.extensions import db
from newsweb.models import StoryStatus
from tests import factories
from tests.conftest import htmx
from tests.html import unsafe_markup

FULL_TAKE_END = "a Read more control.</p>"
# How the Skeptic's "Read more" / "Show less" ends: whose take, for screen readers.
SKEPTIC_TOGGLE_END = '<span class="visually-hidden"> of The Skeptic\u2019s take</span></a>'


@pytest.fixture
def story_client(app: Flask) -> FlaskClient:
    """Three stories about Mistral AI; story-002 is the newest."""
    with app.app_context():
        factories.newsroom(0)
        personas = factories.panel_from_database()
        funding = factories.category("Policy")
        tool = factories.tool("Mistral AI 2", funding)
        for day in range(3):
            factories.story(f"Story {day:03d}", tool, funding, personas, day=day)
        db.session.commit()
    return app.test_client()


def take_names(html: str) -> list[str]:
    """The personas whose take cards `html` shows, in order."""
    return re.findall(r'class="take__name" [^>]*><a [^>]*>([^<]+)</a>', html)


def test_story_page_shows_the_story_like_the_seed(story_client: FlaskClient) -> None:
    """Back link, meta line, title as h1, dek, original source, and the rendered body."""
    html = story_client.get("/news/story-002").get_data(as_text=True)
    assert '<a class="back-link" href="/">' in html
    assert re.search(r"<h1[^>]*>Story 002</h1>", html)
    assert "The dek of Story 002." in html
    assert (
        '<a class="story__source" href="https://source.example/news" rel="noopener noreferrer">'
        in html
    )
    assert "<p>The <strong>body</strong> of the story.</p>" in html
    assert '<time datetime="2026-01-03">January 3, 2026</time>' in html


def test_panel_takes_in_panel_order_with_lens(story_client: FlaskClient) -> None:
    """Each persona's take is a card with name and lens label, in panel order."""
    html = story_client.get("/news/story-002").get_data(as_text=True)
    assert '<h2 id="panel-heading">Panel Takes</h2>' in html
    assert take_names(html) == ["The Founder", "The Skeptic", "The Futurist", "The Builder"]
    assert '<p class="take__lens">Reality Check</p>' in html
    assert 'id="take-the-skeptic"' in html


def test_long_take_shows_a_teaser_and_read_more(story_client: FlaskClient) -> None:
    """A long take shows its opening and a collapsed "Read more" that works without JS."""
    html = story_client.get("/news/story-002").get_data(as_text=True)
    card = re.search(r'<article class="take" id="take-the-skeptic".*?</article>', html, re.S)
    assert card is not None
    teaser = re.search(r'id="take-the-skeptic-text">(.*?)</div>', card.group(0), re.S)
    assert teaser is not None
    assert teaser.group(1).endswith("…</p>")
    assert FULL_TAKE_END not in teaser.group(1)
    # The whole take is there for print only (site.css), hidden on screen and from readers.
    printed = re.search(
        r'<div class="take__body take__body--print" hidden>(.*?)</div>', card.group(0), re.S
    )
    assert printed is not None
    assert printed.group(1).endswith(FULL_TAKE_END)
    assert 'href="/news/story-002?expand=the-skeptic#take-the-skeptic"' in card.group(0)
    assert 'aria-expanded="false"' in card.group(0)
    assert f">Read more{SKEPTIC_TOGGLE_END}" in card.group(0)


def test_short_takes_have_no_read_more(story_client: FlaskClient) -> None:
    """Short takes show in full with no toggle."""
    html = story_client.get("/news/story-002").get_data(as_text=True)
    card = re.search(r'id="take-the-founder".*?</article>', html, re.S)
    assert card is not None
    assert "The Founder says a little." in card.group(0)
    assert "Read more" not in card.group(0)


def test_expand_parameter_opens_that_take(story_client: FlaskClient) -> None:
    """`?expand=<persona>` (where "Read more" leads without JS) renders that take open."""
    html = story_client.get("/news/story-002?expand=the-skeptic").get_data(as_text=True)
    card = re.search(r'id="take-the-skeptic".*?</article>', html, re.S)
    assert card is not None
    assert FULL_TAKE_END in card.group(0)
    assert 'aria-expanded="true"' in card.group(0)
    assert f">Show less{SKEPTIC_TOGGLE_END}" in card.group(0)


def test_expand_all_opens_every_take(story_client: FlaskClient) -> None:
    """`?expand=all` opens every long take and offers "Collapse all"."""
    html = story_client.get("/news/story-002?expand=all").get_data(as_text=True)
    assert FULL_TAKE_END in html
    assert ">Collapse all</a>" in html


def test_read_more_fragment_is_the_take_block(story_client: FlaskClient) -> None:
    """htmx "Read more" gets just the take card, open; its toggle keeps its id (and focus)."""
    response = story_client.get("/news/story-002/takes/the-skeptic?expanded=1", headers=htmx())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<article class="take take--open" id="take-the-skeptic"')
    assert FULL_TAKE_END in html
    assert 'aria-expanded="true"' in html
    assert 'id="take-the-skeptic-toggle"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_show_less_fragment_collapses_the_take(story_client: FlaskClient) -> None:
    """htmx "Show less" gets the collapsed card back."""
    html = story_client.get(
        "/news/story-002/takes/the-skeptic?expanded=0", headers=htmx()
    ).get_data(as_text=True)
    assert "…</p>" in html
    assert f">Read more{SKEPTIC_TOGGLE_END}" in html


def test_expand_all_fragment_is_the_panel_block(story_client: FlaskClient) -> None:
    """htmx "Expand all" gets the whole panel section with every take open."""
    html = story_client.get("/news/story-002/takes?expanded=1", headers=htmx()).get_data(
        as_text=True
    )
    assert html.lstrip().startswith('<section id="panel"')
    assert take_names(html) == ["The Founder", "The Skeptic", "The Futurist", "The Builder"]
    assert FULL_TAKE_END in html


@pytest.mark.parametrize(
    ("path", "location"),
    [
        (
            "/news/story-002/takes/the-skeptic?expanded=1",
            "/news/story-002?expand=the-skeptic#take-the-skeptic",
        ),
        ("/news/story-002/takes/the-skeptic?expanded=0", "/news/story-002#take-the-skeptic"),
        ("/news/story-002/takes?expanded=1", "/news/story-002?expand=all#panel"),
    ],
)
def test_take_fragments_without_htmx_lead_to_the_story(
    story_client: FlaskClient, path: str, location: str
) -> None:
    """Opened directly (no htmx), a take URL redirects to the story page in that state."""
    response = story_client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_unknown_persona_take_is_a_404(story_client: FlaskClient) -> None:
    """A take fragment for a persona with no take on the story is a 404."""
    response = story_client.get("/news/story-002/takes/nobody?expanded=1", headers=htmx())
    assert response.status_code == 404


def test_more_stories_about_the_same_tool(story_client: FlaskClient) -> None:
    """The page lists other stories about its tool, newest first, not itself."""
    html = story_client.get("/news/story-001").get_data(as_text=True)
    more = html.split('id="more-heading"', 1)[1]
    assert re.findall(r'story-card__title"><a [^>]*>([^<]+)<', more) == ["Story 002", "Story 000"]


def test_bookmarks_sidebar_loads_after_the_page(story_client: FlaskClient) -> None:
    """The sidebar starts as "Loading bookmarks..." and names where htmx loads it from."""
    html = story_client.get("/news/story-002").get_data(as_text=True)
    trigger = 'data-hx-trigger="load, bookmarks-changed from:body"'
    assert f'data-hx-get="/bookmarks/sidebar" {trigger}' in html
    assert "Loading bookmarks..." in html
    sidebar = story_client.get("/bookmarks/sidebar", headers=htmx()).get_data(as_text=True)
    assert "<html" not in sidebar
    assert "No bookmarks yet" in sidebar
    assert "Tools and stories you bookmark are listed here" in sidebar


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("/?category=policy", 'href="/?category=policy"'),
        ("/tools/mistral-ai-2", 'href="/tools/mistral-ai-2"'),
        ("https://evil.example/", 'href="/"'),
        ("//evil.example/", 'href="/"'),
        ("/\\evil.example/", 'href="/"'),
        ("javascript:alert(1)", 'href="/"'),
    ],
)
def test_back_link_returns_only_to_this_site(
    story_client: FlaskClient, back: str, expected: str
) -> None:
    """The Back link follows `?back=` only when it is a path on this site."""
    html = story_client.get("/news/story-002", query_string={"back": back}).get_data(as_text=True)
    assert f'<a class="back-link" {expected}>' in html


def test_unknown_draft_and_future_stories_are_404(app: Flask) -> None:
    """Readers cannot open a missing, draft or future-dated story."""
    with app.app_context():
        personas = factories.panel()
        funding = factories.category()
        tool = factories.tool("Mistral AI", funding)
        factories.story("Draft", tool, funding, personas, status=StoryStatus.DRAFT)
        factories.story("Later", tool, funding, personas, day=365 * 30)
        db.session.commit()
    client = app.test_client()
    for slug in ("nope", "draft", "later"):
        response = client.get(f"/news/{slug}")
        assert response.status_code == 404
        assert "We could not find that story" in response.get_data(as_text=True)


def test_story_body_is_sanitized(app: Flask) -> None:
    """Markdown bodies lose scripts, handlers, unsafe URLs and hx-* attributes."""
    body = (
        "Hello <script>alert(1)</script> <b onclick='x()'>bold</b>\n\n"
        "[click](javascript:alert(1)) [data](data:text/html,hi) [ok](https://ok.example)\n\n"
        '<div hx-get="/evil" hx-trigger="load">x</div>\n\n![img](https://tracker.example/p.png)'
    )
    with app.app_context():
        personas = factories.panel()
        funding = factories.category()
        factories.story("Evil", factories.tool("Mistral AI", funding), funding, personas, body=body)
        db.session.commit()
    html = app.test_client().get("/news/evil").get_data(as_text=True)
    article = html.split('class="prose story__body" data-hx-disable>', 1)[1].split("</div>", 1)[0]
    assert unsafe_markup(article) == []
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">ok</a>' in article
    assert "&lt;script&gt;" in article
