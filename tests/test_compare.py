"""The compare page (/compare/<tool-a>-vs-<tool-b>) and the "Compare with..." picker."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Category, Tool
from tests import factories
from tests.conftest import htmx
from tests.statements import statements_for

PAIR = "/compare/mistral-ai-vs-anthropic"


def add_tool(name: str, slug: str, category: Category) -> Tool:
    """Add a published tool with an explicit slug (the factory derives slugs from plain names)."""
    tool = Tool(
        published_at=factories.START,
        slug=slug,
        name=name,
        tagline=f"{name} tagline.",
        website=f"https://{slug}.example",
        category=category,
    )
    db.session.add(tool)
    return tool


@pytest.fixture
def compare_app(app: Flask) -> Flask:
    """Mistral AI (a verdict from all four: 3 of 4 ship) and five stories; Anthropic (two
    verdicts: 1 of 2 ship) and one story; Anthology and Under_Score with no verdicts."""
    with app.app_context():
        personas = factories.panel()
        model = factories.category("Model")
        mistral = factories.tool("Mistral AI", model, personas)
        anthropic = factories.tool("Anthropic", model, personas[:2])
        add_tool("Anthology", "anthology", model)
        add_tool("Under_Score", "under-score", factories.category("Research"))
        for number in range(5):
            factories.story(f"Mistral story {number}", mistral, model, personas, day=number)
        factories.story("Anthropic story", anthropic, model, personas[:1], day=9)
        db.session.commit()
    return app


@pytest.fixture
def compare_client(compare_app: Flask) -> FlaskClient:
    """A test client for `compare_app`."""
    return compare_app.test_client()


def page(client: FlaskClient, path: str, **headers: str) -> str:
    """The body of a successful GET of `path`."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def seat_verdicts(html: str) -> list[tuple[str, str, str]]:
    """(persona, tool, Ship/Skip/No verdict) for every cell of the panel, in page order."""
    cells = []
    for seat, body in re.findall(r'id="seat-([a-z-]+)"(.*?)</li>', html, re.S):
        for tool, call in re.findall(
            r'data-tool="([a-z-]+)">.*?class="badge[^"]*">([^<]+)<', body, re.S
        ):
            cells.append((seat, tool, call))
    return cells


def story_titles(html: str) -> list[str]:
    """The titles of the story cards on a page, in order."""
    return re.findall(r'story-card__title"><a [^>]*>([^<]+)<', html)


def choice_links(html: str) -> list[tuple[str, str]]:
    """(href, tool name) for each tool the picker offers."""
    listed = re.search(r'<ul class="compare-choices".*?</ul>', html, re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', listed.group(0)) if listed else []


def test_compare_page_shows_both_tools_persona_by_persona(compare_client: FlaskClient) -> None:
    """Each persona in panel order with its call on each tool, and "No verdict" where missing."""
    html = page(compare_client, PAIR)
    assert re.search(r"<h1[^>]*>Mistral AI <span[^>]*>vs</span> Anthropic</h1>", html)
    assert seat_verdicts(html) == [
        ("the-founder", "mistral-ai", "Skip"),
        ("the-founder", "anthropic", "Skip"),
        ("the-skeptic", "mistral-ai", "Ship"),
        ("the-skeptic", "anthropic", "Ship"),
        ("the-futurist", "mistral-ai", "Ship"),
        ("the-futurist", "anthropic", "No verdict"),
        ("the-builder", "mistral-ai", "Ship"),
        ("the-builder", "anthropic", "No verdict"),
    ]
    assert "The Skeptic on Mistral AI." in html
    assert "The Skeptic on Anthropic." in html
    assert "The Builder on Anthropic." not in html


def test_compare_page_shows_each_ship_share_and_latest_stories(
    compare_client: FlaskClient,
) -> None:
    """Both panel ship shares, each tool's newest stories, and a link to the rest."""
    html = page(compare_client, PAIR)
    shares = re.findall(r'ship-share__figure">(\d+)%.*?\((\d+ of \d+)\)', html, re.S)
    assert shares == [("75", "3 of 4"), ("50", "1 of 2")]
    assert story_titles(html) == [
        "Mistral story 4",
        "Mistral story 3",
        "Mistral story 2",
        "Anthropic story",
    ]
    assert 'href="/?tool=mistral-ai">All stories about Mistral AI' in html
    assert "All stories about Anthropic" not in html


def test_swap_link_puts_the_other_tool_first(compare_client: FlaskClient) -> None:
    """The swap link leads to the same comparison in the other order."""
    html = page(compare_client, PAIR)
    swap = re.search(r'compare-page__swap"><a href="([^"]+)">.*?Swap the order', html)
    assert swap is not None
    assert swap.group(1) == "/compare/anthropic-vs-mistral-ai"

    swapped = page(compare_client, swap.group(1))

    assert re.search(r"<h1[^>]*>Anthropic <span[^>]*>vs</span> Mistral AI</h1>", swapped)
    assert seat_verdicts(swapped)[:2] == [
        ("the-founder", "anthropic", "Skip"),
        ("the-founder", "mistral-ai", "Skip"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/compare/nope-vs-anthropic",
        "/compare/mistral-ai-vs-nope",
        "/compare/mistral-ai",
        "/compare/mistral-ai-vs-",
        "/compare/-vs-anthropic",
        "/compare/-vs-",
        "/compare/Mistral-AI-vs-Anthropic",
    ],
)
def test_unknown_tools_are_not_found(compare_client: FlaskClient, path: str) -> None:
    """An address that does not name two tools we cover is a friendly 404."""
    response = compare_client.get(path)
    assert response.status_code == 404
    assert "We could not find two tools" in response.get_data(as_text=True)


def test_slugs_may_contain_vs(compare_app: Flask) -> None:
    """A slug with `-vs-` in it is read by which tools exist, whichever side it is on."""
    with compare_app.app_context():
        model = db.session.scalars(select(Category)).first()
        assert model is not None
        add_tool("Code vs Cursor", "code-vs-cursor", model)
        db.session.commit()
    client = compare_app.test_client()

    first = page(client, "/compare/code-vs-cursor-vs-mistral-ai")
    second = page(client, "/compare/mistral-ai-vs-code-vs-cursor")

    assert re.search(r"<h1[^>]*>Code vs Cursor <span[^>]*>vs</span> Mistral AI</h1>", first)
    assert re.search(r"<h1[^>]*>Mistral AI <span[^>]*>vs</span> Code vs Cursor</h1>", second)


def test_same_tool_twice_redirects_to_its_page(compare_client: FlaskClient) -> None:
    """Comparing a tool with itself sends the reader to its page's "Compare with..." picker."""
    response = compare_client.get("/compare/mistral-ai-vs-mistral-ai")
    assert response.status_code == 302
    assert response.headers["Location"] == "/tools/mistral-ai#compare"


def test_tool_page_has_a_plain_compare_form(compare_client: FlaskClient) -> None:
    """The tool page's "Compare with..." is a GET form that works without JavaScript."""
    html = page(compare_client, "/tools/mistral-ai")
    form = re.search(r'<section class="compare-with".*?</section>', html, re.S)
    assert form is not None
    section = form.group(0)
    assert "Compare with…" in section
    assert '<form class="search-form compare-picker" method="get" action="/compare">' in section
    assert '<input type="hidden" name="a" value="mistral-ai">' in section
    assert re.search(r'<input id="compare-with" type="search" name="with"', section)
    assert '<label for="compare-with">Compare Mistral AI with</label>' in section
    assert '<button type="submit"' in section
    assert 'data-hx-get="/compare"' in section
    assert re.search(r'id="compare-results"[^>]*aria-live="polite"', section)


@pytest.mark.parametrize("text", ["Anthropic", "anthropic", "ANTHROPIC", "  anthropic  "])
def test_picker_goes_straight_to_the_tool_it_names(compare_client: FlaskClient, text: str) -> None:
    """Text that is one tool's name or slug, in any case, redirects to the compare page."""
    response = compare_client.get("/compare", query_string={"a": "mistral-ai", "with": text})
    assert response.status_code == 302
    assert response.headers["Location"] == PAIR


def test_picker_lists_the_tools_that_match(compare_client: FlaskClient) -> None:
    """Text matching several tools gets a page listing them, each a link to its comparison."""
    html = page(compare_client, "/compare?a=mistral-ai&with=ANTH")
    assert "<html" in html
    assert "2 tools match “ANTH”" in html
    assert choice_links(html) == [
        ("/compare/mistral-ai-vs-anthology", "Anthology"),
        ("/compare/mistral-ai-vs-anthropic", "Anthropic"),
    ]
    assert 'value="ANTH"' in html


def test_picker_lists_a_partial_match_rather_than_guessing(compare_client: FlaskClient) -> None:
    """Part of one tool's name is listed to choose from, not taken as that tool."""
    html = page(compare_client, "/compare?a=anthropic&with=stral")
    assert "1 tool matches “stral”" in html
    assert choice_links(html) == [("/compare/anthropic-vs-mistral-ai", "Mistral AI")]


def test_picker_says_when_nothing_matches(compare_client: FlaskClient) -> None:
    """No matching tool: a helpful message and a way to browse them all."""
    html = page(compare_client, "/compare?a=mistral-ai&with=zzz")
    assert "No tool matches “zzz”" in html
    assert 'href="/tools"' in html
    assert choice_links(html) == []


def test_picker_never_offers_the_tool_itself(compare_client: FlaskClient) -> None:
    """The tool being compared is not among the choices, even by its exact name."""
    response = compare_client.get("/compare?a=mistral-ai&with=Mistral+AI")
    assert response.status_code == 200
    assert "No tool matches “Mistral AI”" in response.get_data(as_text=True)


def test_picker_with_blank_text_asks_for_a_name(compare_client: FlaskClient) -> None:
    """Submitting the form empty shows the form again with a hint."""
    html = page(compare_client, "/compare?a=mistral-ai&with=+++")
    assert "Type part of a tool\N{RIGHT SINGLE QUOTATION MARK}s name" in html
    assert choice_links(html) == []


@pytest.mark.parametrize(
    "query", ["?a=&with=anthropic", "?a=nope&with=anthropic", "?a=a%01b&with=x"]
)
def test_picker_needs_a_known_first_tool(compare_client: FlaskClient, query: str) -> None:
    """Without a known tool to compare, the picker is a friendly 404 (with no `a` at all,
    /compare is the compare index: tests/test_finding.py)."""
    assert compare_client.get("/compare" + query).status_code == 404


def test_picker_fragment_for_htmx(compare_client: FlaskClient) -> None:
    """htmx gets the `choices` block alone, varied on HX-Request, and never a redirect."""
    response = compare_client.get("/compare?a=mistral-ai&with=anthropic", headers=htmx())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    assert "HX-Redirect" not in response.headers
    assert choice_links(html) == [("/compare/mistral-ai-vs-anthropic", "Anthropic")]
    full = page(compare_client, "/compare?a=mistral-ai&with=anth")
    fragment = page(compare_client, "/compare?a=mistral-ai&with=anth", **htmx())
    assert " ".join(fragment.split()) in " ".join(full.split())


def test_compare_page_varies_on_htmx(compare_client: FlaskClient) -> None:
    """The compare page carries `Vary: HX-Request` like every page."""
    assert "HX-Request" in compare_client.get(PAIR).headers["Vary"]


@pytest.mark.parametrize(("text", "expected"), [("%", []), ("_", ["Under_Score"]), ("\\", [])])
def test_picker_takes_like_wildcards_literally(
    compare_client: FlaskClient, text: str, expected: list[str]
) -> None:
    """`%` and `_` match only themselves, never every tool."""
    response = compare_client.get("/compare", query_string={"a": "mistral-ai", "with": text})
    assert response.status_code == 200
    assert [name for _, name in choice_links(response.get_data(as_text=True))] == expected


def test_picker_caps_the_number_of_choices(compare_app: Flask) -> None:
    """A short text matching many tools lists the first few and asks for more letters."""
    with compare_app.app_context():
        research = db.session.scalars(select(Category).where(Category.slug == "research")).one()
        for number in range(20):
            add_tool(f"Lab {number:02d}", f"lab-{number:02d}", research)
        db.session.commit()

    html = page(compare_app.test_client(), "/compare?a=mistral-ai&with=lab")

    assert [name for _, name in choice_links(html)] == [f"Lab {n:02d}" for n in range(8)]
    assert "8+ tools match “lab”" in html
    assert "Only the first 8 are listed" in html


def test_picker_survives_odd_text(compare_client: FlaskClient) -> None:
    """Control characters, very long text and markup never break the picker."""
    for text in ["\x01", "an\x1bth", "x" * 5000, "\u202e", "<i>x</i>"]:
        response = compare_client.get("/compare", query_string={"a": "mistral-ai", "with": text})
        assert response.status_code == 200, repr(text)
        assert "<i>x</i>" not in response.get_data(as_text=True)


def test_nul_bytes_are_refused(compare_client: FlaskClient) -> None:
    """A NUL byte in the address or the picker's text is a 400 (see hygiene.py)."""
    assert compare_client.get("/compare/mistral-ai%00-vs-anthropic").status_code == 400
    assert compare_client.get("/compare?a=mistral-ai&with=an%00th").status_code == 400


def test_tool_names_are_escaped(compare_app: Flask) -> None:
    """A tool name with markup shows as text on the compare page and in the picker."""
    with compare_app.app_context():
        model = db.session.scalars(select(Category)).first()
        assert model is not None
        add_tool('<b class="x">Bold</b> & Co', "bold-co", model)
        db.session.commit()
    client = compare_app.test_client()
    escaped = "&lt;b class=&#34;x&#34;&gt;Bold&lt;/b&gt; &amp; Co"

    compared = page(client, "/compare/bold-co-vs-mistral-ai")
    chosen = page(client, "/compare?a=mistral-ai&with=bold")

    for html in (compared, chosen):
        assert '<b class="x">' not in html
        assert escaped in html


# The picker redirects once two tools are chosen.
REDIRECT_OR_PAGE = (200, 302)
COUNTED = {
    # The newsroom's version first (the page's ETag depends on it), then tools, the panel
    # with verdicts, stories (tool and category joined), panelists.
    PAIR: 5,
    # The picker is a shared page too: the version, the first tool, the matching tools.
    "/compare?a=mistral-ai&with=a": 3,
    "/compare?a=mistral-ai&with=anthropic": 3,  # the same, then a redirect
}


@pytest.mark.parametrize("path", COUNTED)
def test_statement_count_does_not_grow_with_the_tools(
    make_app: Callable[..., Flask], path: str
) -> None:
    """The compare page and the picker run the same statements with 3 tools as with 30."""
    app = make_app()
    with app.app_context():
        factories.newsroom(4)
        factories.tool("Third", factories.category("Policy"), factories.panel_from_database())
        db.session.commit()
    small = statements_for(app, path, statuses=REDIRECT_OR_PAGE)
    fragment_small = statements_for(app, path, statuses=REDIRECT_OR_PAGE, headers=htmx())
    with app.app_context():
        personas = factories.panel_from_database()
        policy = db.session.scalars(select(Category).where(Category.slug == "policy")).one()
        for number in range(27):
            factories.tool(f"Another {number:02d}", policy, personas)
        db.session.commit()
        factories.more_stories(60)
    large = statements_for(app, path, statuses=REDIRECT_OR_PAGE)
    fragment_large = statements_for(app, path, statuses=REDIRECT_OR_PAGE, headers=htmx())
    assert small == large == fragment_small == fragment_large == COUNTED[path]
