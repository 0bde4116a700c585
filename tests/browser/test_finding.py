"""Finding things in a real browser: `/` to search, the header's form without JavaScript,
the compare picker with and without it, and the story's Copy link button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.routes import STORY

# Keys, clipboards and menus do not depend on the database: SQLite only (the data behind
# them is tested on both in tests/test_finding.py).
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

HEADER_BOX = "Search stories, takes and tools"


def test_slash_focuses_the_header_search_box(page: Page, live_server: str) -> None:
    """`/` anywhere on a page puts the caret in the header's box, without typing a slash."""
    page.goto(live_server + "/tools")
    box = page.get_by_role("searchbox", name=HEADER_BOX)
    expect(box).to_have_attribute("aria-keyshortcuts", "/")
    expect(box).not_to_be_focused()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    page.keyboard.type("mistral")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=mistral$"))
    expect(page.get_by_role("heading", name=re.compile("Mistral Releases 40B"))).to_be_visible()


def test_slash_never_steals_keys_from_a_field(page: Page, live_server: str) -> None:
    """Typing `/` in a form field types it; a modifier held with `/` leaves focus alone."""
    page.goto(live_server + "/login")
    email = page.get_by_label("Email")
    email.click()
    page.keyboard.type("a/b")
    expect(email).to_be_focused()
    expect(email).to_have_value("a/b")
    box = page.get_by_role("searchbox", name=HEADER_BOX)
    page.locator("h1").click()
    page.keyboard.press("Control+/")
    expect(box).not_to_be_focused()
    page.keyboard.press("Alt+/")
    expect(box).not_to_be_focused()


def test_slash_on_the_search_page_focuses_its_own_box(page: Page, live_server: str) -> None:
    """The search page has one box, and `/` goes to it."""
    page.goto(live_server + "/search?q=funding")
    expect(page.get_by_role("searchbox", name=HEADER_BOX)).to_have_count(0)
    own = page.get_by_label("Search for")
    page.locator("h1").click()
    expect(own).not_to_be_focused()
    page.keyboard.press("/")
    expect(own).to_be_focused()


def test_header_search_without_javascript(page_without_js: Page, live_server: str) -> None:
    """The header's box is a plain form: Enter sends it to the results page."""
    page = page_without_js
    page.goto(live_server + f"/news/{STORY}")
    page.get_by_role("searchbox", name=HEADER_BOX).fill("open weights")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=open\+weights"))
    expect(page.get_by_text(re.compile(r"\d+ results? for “open weights”"))).to_be_visible()


def test_phone_menu_holds_the_search_box_without_javascript(
    browser: Browser, live_server: str
) -> None:
    """On a phone the box waits in the menu, with its button, and works with JavaScript off."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/tools")
    box = page.get_by_role("searchbox", name=HEADER_BOX)
    expect(box).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(box).to_be_visible()
    box.fill("funding")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?q=funding"))
    context.close()


def test_compare_picker_with_javascript(page: Page, live_server: str) -> None:
    """Choosing the first tool refreshes the second menu in place, its rivals on top; the
    button opens the pair's page."""
    page.goto(live_server + "/compare")
    page.evaluate("window.__marker = 3")
    page.get_by_label("First tool").select_option("mistral-ai")
    second = page.get_by_label("Compare with")
    expect(second.locator("optgroup").first).to_have_attribute("label", "Also in Model")
    expect(second.locator('option[value="mistral-ai"]')).to_have_count(0)
    assert page.evaluate("window.__marker") == 3
    second.select_option("anthropic")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page).to_have_url(live_server + "/compare/mistral-ai-vs-anthropic")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mistral AI")


def test_compare_picker_without_javascript(page_without_js: Page, live_server: str) -> None:
    """Two menus and a button reach the pair's page; a suggested pair is one click."""
    page = page_without_js
    page.goto(live_server + "/tools")
    page.get_by_role("link", name="Compare two tools").click()
    expect(page).to_have_url(live_server + "/compare")
    page.get_by_label("First tool").select_option("openai")
    page.get_by_label("Compare with").select_option("deepseek")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page).to_have_url(live_server + "/compare/openai-vs-deepseek")
    page.go_back()
    rivals = page.get_by_role("list", name="Rivals in the same category")
    first = rivals.get_by_role("link").first
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(live_server + str(href))


# Headless Chromium has no share sheet on every platform: each test below decides whether
# the page sees the Web Share API, so both paths run wherever the suite does.
WITHOUT_SHARE_SHEET = "Object.defineProperty(Navigator.prototype, 'share', {value: undefined});"
# A share sheet that records what it was asked to share (the real one cannot open here).
RECORDING_SHARE_SHEET = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, 'share', {
  value: function (data) { window.__shared.push(data); return Promise.resolve(); },
});
"""


def test_copy_link_copies_the_story_address(page: Page, live_server: str) -> None:
    """Where the browser has no share sheet, "Copy link" copies the permalink and says so."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.add_init_script(WITHOUT_SHARE_SHEET)
    page.goto(live_server + f"/news/{STORY}")
    expect(page.get_by_role("link", name="Permalink")).to_be_hidden()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/news/{STORY}"


def test_share_opens_the_share_sheet_with_the_story(page: Page, live_server: str) -> None:
    """Where the browser has the Web Share API, the button says "Share" and hands it the
    story's title and permalink."""
    page.add_init_script(RECORDING_SHARE_SHEET)
    page.goto(live_server + f"/news/{STORY}")
    expect(page.get_by_role("link", name="Permalink")).to_be_hidden()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Shared")).to_be_visible()
    shared = page.evaluate("window.__shared")
    assert shared == [
        {
            "title": page.get_by_role("heading", level=1).inner_text(),
            "url": f"{live_server}/news/{STORY}",
        }
    ]


def test_permalink_without_javascript(page_without_js: Page, live_server: str) -> None:
    """With JavaScript off the story offers a plain link to its own address."""
    page = page_without_js
    page.goto(live_server + f"/news/{STORY}")
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    link = page.get_by_role("link", name="Permalink")
    expect(link).to_have_attribute("href", f"{live_server}/news/{STORY}")
    link.click()
    expect(page).to_have_url(f"{live_server}/news/{STORY}")
