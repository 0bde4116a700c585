"""The front page: newest stories first, filters, and keyset paging."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Call, Persona, Story, StoryStatus, Take
from tests import factories
from tests.conftest import htmx


@pytest.fixture
def newsroom_client(app: Flask) -> FlaskClient:
    """Twelve stories, story-000 oldest, story-011 newest; every third one in Model."""
    with app.app_context():
        factories.newsroom(12)
    return app.test_client()


def titles(html: str) -> list[str]:
    """The story titles listed in `html`, in order."""
    return re.findall(r'class="story-card__title"><a [^>]*>([^<]+)</a>', html)


def load_more_href(html: str) -> str | None:
    """The "Load more stories" link in `html`, if any."""
    match = re.search(r'<a class="button" href="([^"]+)"[^>]*>Load more stories', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_newest_stories_first_with_meta_line_and_panel(newsroom_client: FlaskClient) -> None:
    """The front page lists the newest published stories, each with meta line and panel."""
    html = newsroom_client.get("/").get_data(as_text=True)
    assert titles(html) == ["Story 011", "Story 010", "Story 009", "Story 008", "Story 007"]
    assert 'href="/?tool=anthropic">Anthropic</a>' in html
    assert 'href="/?category=funding">Funding</a>' in html
    assert '<time datetime="2026-01-12">January 12, 2026</time>' in html
    assert "The dek of Story 011." in html
    panel = re.search(r'class="panel-split">(.*?)</div>', html, re.S)
    assert panel is not None
    assert "2 ship · 1 wait · 1 skip" in panel.group(1)
    assert re.findall(r'persona-chip--call"[^>]*>([^<]+)<', panel.group(1)) == [
        "The Founder",
        "The Skeptic",
        "The Futurist",
        "The Builder",
    ]


def test_drafts_and_future_stories_stay_off_the_front_page(app: Flask) -> None:
    """A draft, or a story published with a future date, is not listed."""
    with app.app_context():
        personas = factories.panel()
        funding = factories.category()
        tool = factories.tool("Mistral AI", funding)
        factories.story("Visible", tool, funding, personas, day=1)
        factories.story("Draft", tool, funding, personas, day=2, status=StoryStatus.DRAFT)
        factories.story("Tomorrow", tool, funding, personas, day=365 * 20)
        db.session.commit()
    html = app.test_client().get("/").get_data(as_text=True)
    assert titles(html) == ["Visible"]


def test_load_more_walks_every_story_once_then_stops(newsroom_client: FlaskClient) -> None:
    """Following "Load more" without JavaScript reaches every story exactly once: each step
    leads to the page of every story so far, and the last page has no link."""
    html = newsroom_client.get("/").get_data(as_text=True)
    pages = [titles(html)]
    while (href := load_more_href(html)) is not None:
        response = newsroom_client.get(href, follow_redirects=True)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        pages.append(titles(html))
    every = [f"Story {n:03d}" for n in range(11, -1, -1)]
    assert pages == [every[:5], every[:10], every]


def test_load_more_fragment_is_the_next_items_only(newsroom_client: FlaskClient) -> None:
    """htmx "Load more" gets the next list items and the next control, not a page."""
    href = load_more_href(newsroom_client.get("/").get_data(as_text=True))
    assert href is not None
    response = newsroom_client.get(href, headers=htmx())
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<li id="story-')
    assert titles(html) == ["Story 006", "Story 005", "Story 004", "Story 003", "Story 002"]
    assert load_more_href(html) is not None
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Push-Url"].startswith("/?through=")


def test_paging_past_the_last_story_is_empty_not_an_error(newsroom_client: FlaskClient) -> None:
    """A cursor older than every story gives an empty page without a "Load more"."""
    html = newsroom_client.get("/?after=2000-01-01T00:00:00~1").get_data(as_text=True)
    assert titles(html) == []
    assert load_more_href(html) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "2026-13-45T00:00:00~3",
        "2026-01-01T00:00:00~abc",
        "2026-01-01T00:00:00~1000000000000000000000000",
        "2026-01-01T00:00:00+02:00~3",
        "2026-01-01T00:00:00~-5",
        "2026-01-01T00:00:00~2147483648",
    ],
)
def test_broken_cursor_is_a_friendly_400(newsroom_client: FlaskClient, cursor: str) -> None:
    """A malformed "Load more" cursor answers 400 with a page that explains it."""
    response = newsroom_client.get("/", query_string={"after": cursor})
    assert response.status_code == 400
    assert "“Load more” link is broken" in response.get_data(as_text=True)


def test_filter_by_category(newsroom_client: FlaskClient) -> None:
    """`?category=` lists only that category, marks it current, and shows a removable chip."""
    html = newsroom_client.get("/?category=model").get_data(as_text=True)
    assert titles(html) == ["Story 009", "Story 006", "Story 003", "Story 000"]
    assert 'aria-current="page">Model</a>' in html
    assert 'aria-label="Remove filter: category Model"' in html


def test_filters_combine_and_chips_remove_one_at_a_time(newsroom_client: FlaskClient) -> None:
    """`?category=&tool=` narrow together; each chip links to the listing without it."""
    html = newsroom_client.get("/?category=model&tool=mistral-ai").get_data(as_text=True)
    assert titles(html) == ["Story 006", "Story 000"]
    assert '<a class="chip" href="/?category=model"' in html
    assert '<a class="chip" href="/?tool=mistral-ai"' in html


def test_filtered_paging_keeps_the_filter(newsroom_client: FlaskClient) -> None:
    """ "Load more" on a filtered listing stays within the filter."""
    html = newsroom_client.get("/?tool=anthropic").get_data(as_text=True)
    href = load_more_href(html)
    assert href is not None
    assert "tool=anthropic" in href
    step = newsroom_client.get(href, headers=htmx())
    assert titles(step.get_data(as_text=True)) == ["Story 001"]
    assert "tool=anthropic" in step.headers["HX-Push-Url"]


def test_stories_from_a_filtered_listing_link_back_to_it(newsroom_client: FlaskClient) -> None:
    """A story opened from a filtered listing carries that listing as its Back link."""
    html = newsroom_client.get("/?category=model").get_data(as_text=True)
    assert 'href="/news/story-009?back=/?category%3Dmodel"' in html


@pytest.mark.parametrize("query", ["category=nope", "tool=nope", "category=model&tool=nope"])
def test_unknown_filter_is_a_404(newsroom_client: FlaskClient, query: str) -> None:
    """A filter naming no category or tool is a friendly 404 that says which."""
    response = newsroom_client.get(f"/?{query}")
    assert response.status_code == 404
    assert "“nope”" in response.get_data(as_text=True)


def test_blank_filters_mean_no_filter(newsroom_client: FlaskClient) -> None:
    """An empty `?category=` (e.g. from a form) lists everything."""
    html = newsroom_client.get("/?category=&tool=%20").get_data(as_text=True)
    assert len(titles(html)) == 5


def test_filter_change_by_htmx_gets_the_listing_block(newsroom_client: FlaskClient) -> None:
    """htmx filter links get the `listing` block: heading, filters and stories, no page."""
    html = newsroom_client.get("/?category=model", headers=htmx()).get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="listing"')
    assert titles(html) == ["Story 009", "Story 006", "Story 003", "Story 000"]


def test_empty_newsroom_says_so(client: FlaskClient) -> None:
    """With no stories yet the front page says so instead of showing nothing."""
    html = client.get("/").get_data(as_text=True)
    assert "No stories match these filters yet." in html


def lede(html: str) -> str:
    """The text of the page head's lede."""
    match = re.search(r'<p class="page-head__lede">(.*?)</p>', html, re.S)
    assert match is not None
    return match.group(1)


def test_lede_names_the_panel_from_the_database(newsroom_client: FlaskClient) -> None:
    """The front page names the critics read on it, a fifth one too, in panel order."""
    with newsroom_client.application.app_context():
        economist = Persona(slug="the-economist", name="The Economist", lens="Money", position=5)
        newest = db.session.scalars(select(Story).where(Story.slug == "story-011")).one()
        db.session.add(
            Take(story=newest, persona=economist, body="Follow the money.", call=Call.SKIP)
        )
        db.session.commit()
    assert lede(newsroom_client.get("/").get_data(as_text=True)) == (
        "The AI industry's news, each story read by our panel: The Founder, The Skeptic,"
        " The Futurist, The Builder and The Economist."
    )


def test_lede_and_footer_name_no_critic_when_there_are_none(client: FlaskClient) -> None:
    """With no panel yet, the lede and footer still read well and link to the panel."""
    html = client.get("/").get_data(as_text=True)
    assert lede(html) == "The AI industry's news, each story read by our panel of critics."
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert footer is not None
    assert '<a href="/panel">meet the panel</a>' in footer.group(1)
    assert not re.search(r"Founder|Skeptic|Futurist|Builder|four", footer.group(1))
