"""The page as laid out: a phone that starts with the news, a desktop that uses its width, print.

Layout does not depend on the database, so these run on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.test_reading import READ_MORE
from tests.routes import STORY

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MASTHEAD_MAX = 100
STORY_PATH = f"/news/{STORY}"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A phone-sized tab with JavaScript on."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser: Browser) -> Iterator[Page]:
    """A phone-sized tab with JavaScript off."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def box(page: Page, selector: str) -> dict[str, float]:
    """The element's border box in CSS pixels, relative to the top of the page."""
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return {**found, "y": found["y"] + page.evaluate("window.scrollY")}


@pytest.mark.parametrize("path", ["/", STORY_PATH, "/tools", "/panel/the-skeptic"])
def test_phone_masthead_is_one_short_row(live_server: str, phone: Page, path: str) -> None:
    """At 390 px the masthead is the brand and a menu button, no more than 100 px tall."""
    phone.goto(live_server + path)
    assert box(phone, ".masthead")["height"] <= MASTHEAD_MAX
    expect(phone.get_by_role("link", name="newsweb")).to_be_visible()
    expect(phone.get_by_text("Menu", exact=True)).to_be_visible()
    expect(phone.get_by_role("navigation", name="Sections")).to_be_hidden()


def test_phone_story_title_is_on_the_first_screen(live_server: str, phone: Page) -> None:
    """The story's headline ends within the first 844 px, under the meta line."""
    phone.goto(live_server + STORY_PATH)
    title = box(phone, "h1")
    assert title["y"] + title["height"] <= PHONE["height"]
    assert box(phone, ".story .meta")["y"] < title["y"]


def test_phone_menu_opens_without_javascript(live_server: str, phone_without_js: Page) -> None:
    """The menu is a disclosure: its summary shows the sections, which then lead on."""
    page = phone_without_js
    page.goto(live_server + STORY_PATH)
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(sections).to_be_visible()
    for name in ("News", "Tools", "Panel", "Digest", "Bookmarks", "Sign in", "Join"):
        expect(sections.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(
        sections.get_by_role("searchbox", name="Search stories, takes and tools")
    ).to_be_visible()
    # Open, the menu lies over the page under the masthead rather than pushing it down.
    assert box(page, ".site-nav")["y"] >= box(page, ".masthead")["height"] - 1
    sections.get_by_role("link", name="Tools", exact=True).click()
    expect(page).to_have_url(live_server + "/tools")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tools")


def test_desktop_shows_the_sections_without_a_menu(live_server: str, page: Page) -> None:
    """On a desktop the sections sit in the masthead; there is no menu button to press."""
    page.goto(live_server + "/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link", name="Bookmarks", exact=True)).to_be_visible()
    # The search box shares the masthead's one row.
    search = sections.get_by_role("searchbox", name="Search stories, takes and tools")
    expect(search).to_be_visible()
    assert box(page, ".site-search")["y"] < box(page, ".brand")["y"] + box(page, ".brand")["height"]
    assert box(page, ".masthead")["height"] <= MASTHEAD_MAX


@pytest.mark.parametrize("path", ["/", STORY_PATH, "/search?q=model"])
def test_meta_lines_wrap_between_items(live_server: str, phone: Page, path: str) -> None:
    """Separators are drawn on the items, so no item of a meta line breaks across lines."""
    phone.set_viewport_size({"width": 320, "height": 844})
    phone.goto(live_server + path)
    lines = phone.locator(".meta--items")
    assert lines.count() > 0
    assert all("·" not in (line.text_content() or "") for line in lines.all())
    split = phone.evaluate(
        """() => [...document.querySelectorAll('.meta--items > :is(a, time)')]
            .filter(item => item.getClientRects().length !== 1)
            .map(item => item.textContent)"""
    )
    assert split == []
    separators = phone.evaluate(
        """() => [...document.querySelectorAll('.meta--items > * + *')]
            .map(item => getComputedStyle(item, '::before').content)"""
    )
    assert separators
    assert set(separators) == {'"·" / ""'}


def test_desktop_sidebar_stays_beside_the_story(live_server: str, page: Page) -> None:
    """Scrolled down the long story, the sidebar is still on screen beside the takes."""
    page.goto(live_server + STORY_PATH)
    page.get_by_role("heading", name="Panel Takes").scroll_into_view_if_needed()
    page.mouse.wheel(0, 600)
    sidebar = page.get_by_role("complementary", name="Your bookmarks and related stories")
    expect(sidebar).to_be_in_viewport()
    bookmark = box(page, ".sidebar .bookmark-form")
    link = box(page, ".sidebar .bookmark-form + p")
    assert link["y"] - (bookmark["y"] + bookmark["height"]) >= 8


def test_desktop_more_stories_use_the_width(live_server: str, page: Page) -> None:
    """A single "More about" story spans the section instead of a third of it."""
    page.goto(live_server + STORY_PATH)
    section = box(page, ".more-stories")
    cards = page.locator(".more-stories .card-grid > li")
    assert cards.count() >= 1
    row = sum(
        card["width"]
        for card in (c.bounding_box() for c in cards.all())
        if card is not None and abs(card["y"] - (cards.first.bounding_box() or {"y": 0})["y"]) < 1
    )
    assert row >= section["width"] * 0.9


def test_story_prints_every_take_in_full(live_server: str, page: Page) -> None:
    """Printed, a story has each take's whole text and no navigation, links to toggle or buttons."""
    page.goto(live_server + STORY_PATH)
    panel = page.get_by_role("region", name="Panel Takes")
    expect(panel.get_by_role("link", name=READ_MORE).first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name=READ_MORE)).to_have_count(0)
    assert [b for b in page.get_by_role("button").all() if b.is_visible()] == []
    takes = panel.get_by_role("article")
    expect(takes).to_have_count(4)
    for take in takes.all():
        shown = [body for body in take.locator(".take__body").all() if body.is_visible()]
        assert len(shown) == 1
        assert not (shown[0].inner_text()).rstrip().endswith("…")
    page.emulate_media(media="screen")
    expect(panel.get_by_role("link", name=READ_MORE).first).to_be_visible()
