"""The tool directory, tool pages, the panel and persona pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsweb.extensions import db
from newsweb.models import Persona
from tests import factories
from tests.conftest import htmx
from tests.html import elements
from tests.statements import counted_get


@pytest.fixture
def panel_client(app: Flask) -> FlaskClient:
    """Two tools (Mistral AI 1 skip / 3 ship; Quiet with no verdicts) and six stories."""
    with app.app_context():
        factories.newsroom(6)
        model = factories.category("Hardware")
        factories.tool("Quiet", model)
        db.session.commit()
    return app.test_client()


def tool_names(html: str) -> list[str]:
    """The tool names listed in the directory, in order."""
    return re.findall(r'class="tool-row__name"><a [^>]*>([^<]+)</a>', html)


def test_directory_lists_tools_with_ship_share(panel_client: FlaskClient) -> None:
    """Every tool is listed with its tagline and the share of ship verdicts."""
    html = panel_client.get("/tools").get_data(as_text=True)
    assert sorted(tool_names(html)) == ["Anthropic", "Mistral AI", "Quiet"]
    assert "Mistral AI makes models." in html
    assert '<span class="ship-share__figure">75%</span>' in html
    assert "No verdicts yet" in html


def test_directory_filters_by_category_and_sorts_by_ship(panel_client: FlaskClient) -> None:
    """`?category=` narrows the directory; `?sort=ship` puts the most-shipped first."""
    assert tool_names(panel_client.get("/tools?category=hardware").get_data(as_text=True)) == [
        "Quiet"
    ]
    ranked = tool_names(panel_client.get("/tools?sort=ship").get_data(as_text=True))
    assert ranked[-1] == "Quiet"
    assert panel_client.get("/tools?category=nope").status_code == 404
    assert panel_client.get("/tools?sort=nonsense").status_code == 200


def test_directory_fragment_is_the_directory_block(panel_client: FlaskClient) -> None:
    """htmx filter changes get the `directory` block."""
    html = panel_client.get("/tools?category=model", headers=htmx()).get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="directory"')
    assert sorted(tool_names(html)) == ["Anthropic", "Mistral AI"]


def test_tool_page_shows_scorecard_and_stories(panel_client: FlaskClient) -> None:
    """A tool page: tagline, website, each persona's ship/skip and take, and its stories."""
    html = panel_client.get("/tools/mistral-ai").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Mistral AI</h1>", html)
    assert 'href="https://mistral-ai.example" rel="noopener noreferrer">Website</a>' in html
    verdicts = re.findall(r'<h3><a href="/panel/([a-z-]+)">.*?badge--(ship|skip)', html, re.S)
    assert verdicts == [
        ("the-founder", "skip"),
        ("the-skeptic", "ship"),
        ("the-futurist", "ship"),
        ("the-builder", "ship"),
    ]
    assert "The Skeptic on Mistral AI." in html
    assert "(3 of 4)" in html
    assert re.findall(r'story-card__title"><a [^>]*>([^<]+)<', html) == [
        "Story 004",
        "Story 002",
        "Story 000",
    ]


def test_unknown_tool_is_a_404(panel_client: FlaskClient) -> None:
    """An unknown tool slug is a friendly 404."""
    response = panel_client.get("/tools/nope")
    assert response.status_code == 404
    assert "We do not cover a tool by that name" in response.get_data(as_text=True)


def test_panel_lists_personas_in_order_with_counts(panel_client: FlaskClient) -> None:
    """`/panel` shows every persona in panel order with lens and counts."""
    html = panel_client.get("/panel").get_data(as_text=True)
    names = re.findall(r'<h2><a href="/panel/[a-z-]+">([^<]+)</a></h2>', html)
    assert names == ["The Founder", "The Skeptic", "The Futurist", "The Builder"]
    assert "6 takes · 2 verdicts, 0 shipped" in html
    assert "6 takes · 2 verdicts, 2 shipped" in html


def test_persona_page_profile_verdicts_and_takes(panel_client: FlaskClient) -> None:
    """A persona page shows lens, motto, verdict counts and takes linking to stories."""
    html = panel_client.get("/panel/the-skeptic").get_data(as_text=True)
    assert re.search(r"<h1[^>]*>The Skeptic</h1>", html)
    assert "Reality Check" in html
    assert "The Skeptic motto" in html
    assert "2 verdicts, 2 shipped" in html
    links = re.findall(r'<h3><a href="(/news/[^"]+)">', html)
    assert links[0] == "/news/story-005?back=/panel/the-skeptic#take-the-skeptic"
    assert len(links) == 5
    assert "More takes" in html


def test_persona_page_filters_by_category(panel_client: FlaskClient) -> None:
    """`?category=` narrows both verdicts and takes, and the counts follow."""
    html = panel_client.get("/panel/the-skeptic?category=hardware").get_data(as_text=True)
    assert "0 verdicts, 0 shipped" in html
    assert "No takes on Hardware stories yet." in html
    html = panel_client.get("/panel/the-skeptic?category=model").get_data(as_text=True)
    assert "2 verdicts, 2 shipped" in html
    assert re.findall(r'<h3><a href="/news/(story-\d+)', html) == ["story-003", "story-000"]


def test_persona_takes_page_with_more_takes(panel_client: FlaskClient) -> None:
    """ "More takes" pages through the persona's takes by keyset; htmx gets the items."""
    html = panel_client.get("/panel/the-skeptic").get_data(as_text=True)
    match = re.search(r'<a class="button" href="([^"]+)"[^>]*>More takes', html)
    assert match is not None
    path = match.group(1).replace("&amp;", "&")
    count, fragment = counted_get(panel_client.application, path, panel_client, headers=htmx())
    text = fragment.get_data(as_text=True)
    assert count == 4  # version, persona, categories, takes: no verdicts for this block
    assert "<html" not in text
    assert re.findall(r'<h3><a href="/news/(story-\d+)', text) == ["story-000"]


def test_unknown_persona_is_a_404(panel_client: FlaskClient) -> None:
    """An unknown persona slug is a friendly 404."""
    assert panel_client.get("/panel/nobody").status_code == 404


@pytest.mark.parametrize(
    ("path", "target", "all_href", "second_href"),
    [
        (
            "/?tool=mistral-ai&category=model",
            "#listing",
            "/?tool=mistral-ai",
            "/?category=funding&tool=mistral-ai",
        ),
        (
            "/tools?sort=ship&category=model",
            "#directory",
            "/tools?sort=ship",
            # No tool is filed under Funding here: the directory's menu does not offer it.
            "/tools?category=hardware&sort=ship",
        ),
        (
            "/panel/the-skeptic?category=model",
            "#record",
            "/panel/the-skeptic",
            "/panel/the-skeptic?category=funding",
        ),
    ],
)
def test_category_menu_keeps_each_pages_own_links(
    panel_client: FlaskClient, path: str, target: str, all_href: str, second_href: str
) -> None:
    """Each page's category menu keeps its other filters and swaps its own listing by htmx."""
    html = panel_client.get(path).get_data(as_text=True)
    menu = re.search(
        r'<nav class="filter-nav" aria-label="Filter by category">(.*?)</nav>', html, re.S
    )
    assert menu is not None
    links = [attrs for tag, attrs in elements(menu.group(1)) if tag == "a"]
    assert [link["href"] for link in links[:2]] == [all_href, second_href]
    for link in links:
        assert link["data-hx-get"] == link["href"]
        assert (link["data-hx-target"], link["data-hx-swap"], link["data-hx-push-url"]) == (
            target,
            "outerHTML",
            "true",
        )
    current = path.replace("sort=ship&category=model", "category=model&sort=ship")
    current = current.replace("tool=mistral-ai&category=model", "category=model&tool=mistral-ai")
    assert [link["href"] for link in links if link.get("aria-current") == "page"] == [current]


def test_seat_tints_follow_the_panel_order_whatever_its_size(panel_client: FlaskClient) -> None:
    """Every seat gets a tint from its position, cycling, and the stylesheet has each tint."""
    app = panel_client.application
    with app.app_context():
        for position, name in [(5, "The Economist"), (7, "The Lawyer")]:
            slug = name.lower().replace(" ", "-")
            db.session.add(Persona(slug=slug, name=name, lens="Lens", position=position))
        db.session.commit()
    html = panel_client.get("/panel").get_data(as_text=True)
    tints = re.findall(r'class="persona-card" data-persona="([a-z-]+)" data-tint="(\d)"', html)
    assert tints == [
        ("the-founder", "1"),
        ("the-skeptic", "2"),
        ("the-futurist", "3"),
        ("the-builder", "4"),
        ("the-economist", "5"),
        ("the-lawyer", "1"),
    ]
    with panel_client.get("/static/css/site.css") as response:
        stylesheet = response.get_data(as_text=True)
    for tint in range(1, 7):
        assert f'[data-tint="{tint}"]{{--tint-bg: var(--tint-{tint}-bg);' in stylesheet
    assert '[data-persona="' not in stylesheet
