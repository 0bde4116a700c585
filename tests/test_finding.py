"""Finding things: the header's search box, one result per story, category menus with
content only, the compare index, reading time and the story's permalink."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from newsweb import lookups
from newsweb.extensions import db
from newsweb.models import Bookmark, Category, Story, StoryStatus, User
from newsweb.models.clock import utcnow
from newsweb.text import count_words, reading_minutes
from tests import factories
from tests.conftest import create_user, htmx
from tests.html import elements
from tests.statements import statements_for


def page(client: FlaskClient, path: str, **headers: str) -> str:
    """The body of a 200 answer to `path`."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def filter_names(html: str) -> list[str]:
    """The names in a page's "Filter by category" menu, "All" first."""
    menu = re.search(r'aria-label="Filter by category">(.*?)</nav>', html, re.S)
    assert menu is not None
    return re.findall(r">([^<>]+)</a>", menu.group(1))


# ---------- The header's search box ----------


@pytest.mark.parametrize("path", ["/", "/tools", "/panel", "/digest", "/compare", "/login"])
def test_every_page_has_the_header_search_box(demo_app: Flask, path: str) -> None:
    """A plain GET form to /search, labelled, announcing its `/` shortcut."""
    html = page(demo_app.test_client(), path)
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    attributes = dict(elements(form.group(0))[0][1])
    assert (attributes["method"], attributes["action"], attributes["role"]) == (
        "get",
        "/search",
        "search",
    )
    field = dict(next(a for tag, a in elements(form.group(1)) if tag == "input"))
    assert (field["name"], field["type"], field["aria-keyshortcuts"]) == ("q", "search", "/")
    assert '<label class="visually-hidden" for="site-search-q">' in form.group(1)
    hint = re.search(r'id="site-search-key"[^>]*>(.*?)</span>\s*</span>', form.group(1), re.S)
    assert hint is not None
    assert "to search from anywhere" in hint.group(1)
    assert "js/search-key." in html


def test_the_search_page_keeps_one_box(demo_app: Flask) -> None:
    """The search page has no header box: `/` focuses its own."""
    html = page(demo_app.test_client(), "/search?q=mistral")
    assert 'class="site-search"' not in html
    assert html.count("data-search-key") == 1
    assert re.search(r'<input id="search-q"[^>]*aria-keyshortcuts="/"', html)


def test_searching_from_the_header_lands_on_the_results(demo_app: Flask) -> None:
    """What the header's form sends is a search the results page answers."""
    html = page(demo_app.test_client(), "/search?q=mistral")
    assert "result" in html
    assert "Mistral Releases 40B" in html


# ---------- One result per story ----------


def story_links(html: str) -> list[str]:
    """The story each result's heading links to, in order (predictions included)."""
    return re.findall(r'<h2><a href="/news/([^"?#]+)[^"]*">', html)


@pytest.mark.parametrize("word", ["mistral", "open", "agents", "model", "funding"])
def test_a_story_is_one_result_with_its_matching_takes_beneath(demo_app: Flask, word: str) -> None:
    """However many of its takes and predictions match, each story is listed once."""
    html = page(demo_app.test_client(), f"/search?q={word}")
    stories = story_links(html)
    assert stories, word
    assert len(stories) == len(set(stories)), word


def test_mistral_lists_the_funding_story_once_with_four_takes(demo_app: Flask) -> None:
    """The report's case: "mistral" found one story once per take; now once, takes beneath."""
    html = page(demo_app.test_client(), "/search?q=mistral&kind=story")
    hits = re.findall(
        r'<li class="search-hit search-hit--\w+">(.*?)</li>\s*(?=<li class="search-hit|</ol>)',
        html,
        re.S,
    )
    funding = [hit for hit in hits if "general-atlantic-leads" in hit]
    assert len(funding) == 1
    takes = re.findall(r'class="search-hit__take"', funding[0])
    assert len(takes) == 4


def test_a_prediction_of_a_listed_story_sits_beneath_it(demo_app: Flask) -> None:
    """Searching everything, the funding story's matching prediction is listed under the
    story rather than as a second result leading to the same story."""
    html = page(demo_app.test_client(), "/search?q=mistral")
    assert (
        story_links(html).count(
            "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"
        )
        == 1
    )
    predictions = re.search(r'aria-label="Matching predictions">(.*?)</ul>', html, re.S)
    assert predictions is not None
    assert "\N{RIGHT SINGLE QUOTATION MARK}s prediction</a>" in predictions.group(1)
    assert "Mistral does not publish" in predictions.group(1)


# ---------- Category menus offer only categories with content ----------


@pytest.fixture
def patchy_app(app: Flask) -> Flask:
    """Funding: a published story and tool. Policy: only a scheduled story, about a tool
    nobody published. Research: a tool, no stories. Hardware: nothing at all."""
    with app.app_context():
        personas = factories.panel()
        funding, policy = factories.category("Funding"), factories.category("Policy")
        research = factories.category("Research")
        factories.category("Hardware")
        lab = factories.tool("Mistral AI", funding, personas)
        hidden = factories.tool("Stealth", policy, personas, published=False)
        factories.tool("Lab Notes", research, personas)
        factories.story("Funded at last", lab, funding, personas, day=1)
        factories.story(
            "Not yet out",
            hidden,
            policy,
            personas,
            published_at=utcnow() + timedelta(days=3),
        )
        factories.story("A draft", lab, research, personas, status=StoryStatus.DRAFT)
        db.session.commit()
    return app


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ("/", ["All", "Funding"]),
        ("/search?q=funded", ["Funding"]),
        ("/panel/the-skeptic", ["All", "Funding"]),
        ("/tools", ["All", "Funding", "Research"]),
    ],
)
def test_category_menus_offer_only_categories_with_content(
    patchy_app: Flask, path: str, offered: list[str]
) -> None:
    """Scheduled stories, drafts and unpublished tools do not count as content."""
    html = page(patchy_app.test_client(), path)
    if path.startswith("/search"):
        menu = re.search(r'<select id="search-category" name="category">(.*?)</select>', html, re.S)
        assert menu is not None
        assert (
            re.findall(r'<option value="[a-z-]+"[^>]*>([^<]+)</option>', menu.group(1)) == offered
        )
    else:
        assert filter_names(html) == offered


def test_an_empty_category_named_in_the_address_still_answers(patchy_app: Flask) -> None:
    """Asked for by address, an empty category shows its empty page, selected in the menu."""
    html = page(patchy_app.test_client(), "/tools?category=hardware")
    assert "No tools in this category yet" in html
    assert filter_names(html) == ["All", "Funding", "Hardware", "Research"]
    assert patchy_app.test_client().get("/?category=nope").status_code == 404


def test_a_category_appears_once_its_story_is_published(patchy_app: Flask) -> None:
    """When the scheduled story comes out, Policy joins the menus (and its tool, the directory)."""
    with patchy_app.app_context():
        story = db.session.scalars(select(Story).where(Story.title == "Not yet out")).one()
        story.published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    client = patchy_app.test_client()
    assert filter_names(page(client, "/")) == ["All", "Funding", "Policy"]
    assert filter_names(page(client, "/tools")) == ["All", "Funding", "Policy", "Research"]


# ---------- Reading time ----------


def test_word_count_and_reading_time() -> None:
    """Words are runs of letters and digits (apostrophes kept inside); 230 a minute, rounded up."""
    assert count_words("It\N{RIGHT SINGLE QUOTATION MARK}s a **bold** claim: don't", "") == 5
    assert [reading_minutes(words) for words in (0, 1, 230, 231, 920)] == [1, 1, 1, 2, 4]


def test_word_count_is_kept_on_save(app: Flask) -> None:
    """Adding a story counts its dek and body; editing the body counts again."""
    with app.app_context():
        personas = factories.panel()
        funding = factories.category("Funding")
        lab = factories.tool("Mistral AI", funding, personas)
        story = factories.story("Long read", lab, funding, personas, body="word " * 700)
        db.session.commit()
        assert story.word_count == count_words(story.dek) + 700
        story.body = "word " * 1000
        db.session.commit()
        assert story.word_count == count_words(story.dek) + 1000
        story.title = "Retitled"
        db.session.commit()
        assert story.word_count == count_words(story.dek) + 1000


def test_reading_time_shows_on_the_story_and_its_card(app: Flask) -> None:
    """ "5 min read" on the story's meta line and on its front-page card."""
    with app.app_context():
        personas = factories.panel()
        funding = factories.category("Funding")
        lab = factories.tool("Mistral AI", funding, personas)
        factories.story("Long read", lab, funding, personas, body="word " * 1100)
        db.session.commit()
    client = app.test_client()
    story = page(client, "/news/long-read")
    assert re.search(r'<span class="meta__reading">5 min read</span>', story)
    assert '<span class="meta__reading">5 min read</span>' in page(client, "/")


# ---------- The compare index ----------


@pytest.fixture
def compare_app(app: Flask) -> Flask:
    """Model: Mistral AI, Anthropic, DeepSeek; Research: Lab Notes; Policy: an unpublished
    tool. Members bookmarked DeepSeek 3 times, Lab Notes twice, Mistral AI once."""
    with app.app_context():
        personas = factories.panel()
        model, research = factories.category("Model"), factories.category("Research")
        tools = {
            name: factories.tool(name, model, personas)
            for name in ("Mistral AI", "Anthropic", "DeepSeek")
        }
        tools["Lab Notes"] = factories.tool("Lab Notes", research, personas)
        factories.tool("Stealth", factories.category("Policy"), personas, published=False)
        db.session.commit()
        counts = {"DeepSeek": 3, "Lab Notes": 2, "Mistral AI": 1}
        tool_ids = {name: tool.id for name, tool in tools.items()}
    for number in range(3):
        create_user(app, f"member{number}@example.com")
    with app.app_context():
        members = list(db.session.scalars(select(User.id).order_by(User.id)))
        for name, count in counts.items():
            for member in members[:count]:
                db.session.add(Bookmark(user_id=member, tool_id=tool_ids[name]))
        db.session.commit()
    return app


def pair_links(html: str, label: str) -> list[str]:
    """The pair pages a suggestion list labelled `label` links to."""
    found = re.search(rf'aria-label="{label}">(.*?)</ul>', html, re.S)
    assert found is not None, label
    return re.findall(r'href="/compare/([^"]+)"', found.group(1))


def test_compare_index_suggests_pairs(compare_app: Flask) -> None:
    """Same-category rivals (the two most bookmarked of each category with two) and the
    most bookmarked tools paired off; hidden tools never appear."""
    html = page(compare_app.test_client(), "/compare")
    assert "<h1" in html
    assert "Compare tools" in html
    assert pair_links(html, "Rivals in the same category") == ["deepseek-vs-mistral-ai"]
    assert pair_links(html, "Most bookmarked tools, paired") == ["deepseek-vs-lab-notes"]
    assert "Stealth" not in html


def test_compare_index_picker_lists_every_visible_tool_by_category(compare_app: Flask) -> None:
    """Two menus, each tool under its category, for a plain GET form."""
    html = page(compare_app.test_client(), "/compare")
    form = re.search(r'<form class="compare-pair-picker" method="get" action="/compare"', html)
    assert form is not None
    first = re.search(r'<select id="compare-first" name="first".*?</select>', html, re.S)
    assert first is not None
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', first.group(0), re.S)
    assert [(label, re.findall(r">([^<]+)</option>", body)) for label, body in groups] == [
        ("Model", ["Anthropic", "DeepSeek", "Mistral AI"]),
        ("Research", ["Lab Notes"]),
    ]


def test_picking_two_tools_opens_their_comparison(compare_app: Flask) -> None:
    """Two different tools redirect to the pair's page, in the order chosen."""
    response = compare_app.test_client().get("/compare?first=lab-notes&second=anthropic")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compare/lab-notes-vs-anthropic"


def test_picking_the_same_tool_twice_is_an_inline_error(compare_app: Flask) -> None:
    """422, the form again with both menus as chosen and the error tied to the second."""
    response = compare_app.test_client().get("/compare?first=anthropic&second=anthropic")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-describedby="compare-pair-error"' in html
    assert "Choose two different tools." in html


@pytest.mark.parametrize(
    "query", ["?first=nope&second=anthropic", "?first=stealth&second=anthropic", "?first=&second="]
)
def test_unknown_or_hidden_tools_show_the_picker(compare_app: Flask, query: str) -> None:
    """A menu value that names no visible tool leaves the picker to choose again."""
    html = page(compare_app.test_client(), "/compare" + query)
    assert 'id="compare-first"' in html


def test_choosing_the_first_tool_puts_its_rivals_first(compare_app: Flask) -> None:
    """htmx gets the second menu alone: the first tool's category rivals on top, never itself."""
    html = page(compare_app.test_client(), "/compare?first=deepseek", **htmx())
    assert "<html" not in html
    assert "compare-first" not in html
    labels = re.findall(r'<optgroup label="([^"]+)">', html)
    assert labels == ["Also in Model", "Research"]
    assert re.findall(r'<option value="([a-z-]+)"', html) == [
        "anthropic",
        "mistral-ai",
        "lab-notes",
    ]
    # Without JavaScript the same request renders the whole page with that menu.
    full = page(compare_app.test_client(), "/compare?first=deepseek")
    assert " ".join(html.split()) in " ".join(full.split())


def test_the_tool_directory_links_to_the_compare_index(compare_app: Flask) -> None:
    """Compare is reachable without first opening a tool."""
    assert 'href="/compare">Compare two tools' in page(compare_app.test_client(), "/tools")


COMPARE_INDEX_COUNTS = {
    "/compare": 2,  # the newsroom's version, the tools with their categories and bookmarks
    "/compare?first=mistral-ai&second=anthropic": 2,  # the same, then a redirect
}


@pytest.mark.parametrize("path", COMPARE_INDEX_COUNTS)
def test_compare_index_statement_count_is_fixed(make_app: Callable[..., Flask], path: str) -> None:
    """The compare index runs the same statements with 2 tools as with 32, bookmarked or not."""
    app = make_app()
    with app.app_context():
        factories.newsroom(4)
    statuses = (200, 302)
    small = statements_for(app, path, statuses=statuses)
    fragment_small = statements_for(app, path, statuses=statuses, headers=htmx())
    create_user(app, "member@example.com")
    with app.app_context():
        personas = factories.panel_from_database()
        policy = factories.category("Policy")
        for number in range(30):
            factories.tool(f"Another {number:02d}", policy, personas)
        db.session.commit()
        factories.bookmark_everything("member@example.com")
    large = statements_for(app, path, statuses=statuses)
    fragment_large = statements_for(app, path, statuses=statuses, headers=htmx())
    assert small == large == fragment_small == fragment_large == COMPARE_INDEX_COUNTS[path]


# ---------- The story's permalink ----------


def test_story_page_has_a_plain_permalink(demo_app: Flask) -> None:
    """Without JavaScript: a link to the story's own address; the script and its button
    (hidden until the script shows it) and a polite status are there for the rest."""
    with demo_app.app_context():
        slug = db.session.scalars(select(Story.slug).order_by(Story.id)).first()
    html = page(demo_app.test_client(), f"/news/{slug}")
    share = re.search(r'<p class="share"[^>]*>(.*?)</p>', html, re.S)
    assert share is not None
    assert f'data-share-url="http://localhost/news/{slug}"' in share.group(0)
    assert (
        f'<a class="share__link" href="http://localhost/news/{slug}" rel="bookmark">Permalink</a>'
        in share.group(1)
    )
    assert '<button type="button" class="share__button" hidden>' in share.group(1)
    assert '<span class="share__status" role="status"></span>' in share.group(1)
    assert "js/share." in html


def test_category_lookup_reads_categories_once(patchy_app: Flask) -> None:
    """Every category comes back, in name order, each marked by whether it has content."""
    with patchy_app.test_request_context():
        menu = lookups.categories_with_stories()
        assert [category.name for category in menu.every] == [
            "Funding",
            "Hardware",
            "Policy",
            "Research",
        ]
        assert [category.name for category in menu.offered()] == ["Funding"]
        hardware = db.session.scalars(select(Category).where(Category.slug == "hardware")).one()
        assert [category.name for category in menu.offered(hardware)] == ["Funding", "Hardware"]
