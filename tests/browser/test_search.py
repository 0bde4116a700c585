"""Search in a real browser: results as you type, and the plain form without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

# A matching take's link under its story ("The Skeptic", a curly apostrophe, "s take").
TAKE_LINK = re.compile("\N{RIGHT SINGLE QUOTATION MARK}s take$")


def test_results_appear_as_you_type_without_a_page_load(page: Page, live_server: str) -> None:
    """Typing fills the results in place, pushes the query into the URL, keeps the page."""
    page.goto(live_server + "/search")
    page.evaluate("window.__marker = 7")
    page.get_by_label("Search for").press_sequentially("funding", delay=40)
    results = page.locator("#results")
    expect(results.get_by_text(re.compile(r"\d+ results? for “funding”"))).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search\?q=funding"))
    assert page.evaluate("window.__marker") == 7
    page.get_by_label("Show").select_option("take")
    expect(results.get_by_role("list", name="Matching takes").first).to_be_visible()
    expect(results.get_by_role("link", name=TAKE_LINK)).not_to_have_count(0)
    expect(page).to_have_url(re.compile(r"kind=take"))
    assert page.evaluate("window.__marker") == 7


def test_a_result_leads_to_the_story_with_the_take_open(page: Page, live_server: str) -> None:
    """A matching take, listed under its story, opens the story with that take expanded."""
    page.goto(live_server + "/search?q=funding&kind=take")
    first = page.get_by_role("link", name=TAKE_LINK).first
    first.click()
    expect(page).to_have_url(re.compile(r"/news/.+#take-"))
    card = page.locator("#" + page.url.split("#", 1)[1])
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="Read more")).to_have_count(0)


def test_plain_form_without_javascript(page_without_js: Page, live_server: str) -> None:
    """With JavaScript off the form submits and the results page lists matches."""
    page = page_without_js
    page.goto(live_server + "/search")
    page.get_by_label("Search for").fill("open weights")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=open\+weights"))
    expect(page.get_by_text(re.compile(r"\d+ results? for “open weights”"))).to_be_visible()
