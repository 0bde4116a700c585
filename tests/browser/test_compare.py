"""Comparing two tools in a real browser: the "Compare with..." picker, with and without JS."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, ViewportSize, expect

MARKER = 42
PHONE: ViewportSize = {"width": 390, "height": 844}
COMPARE_URL = re.compile(r"/compare/mistral-ai-vs-anthropic$")


def set_marker(page: Page) -> None:
    """Leave a value on `window` that only survives while no full page load happens."""
    page.evaluate(f"window.__marker = {MARKER}")


def marker(page: Page) -> object:
    """The value `set_marker` left, or None after a full page load."""
    return page.evaluate("window.__marker")


def compare_box(page: Page) -> Locator:
    """The "Compare with..." text box on a tool page."""
    return page.get_by_role("searchbox", name="Compare Mistral AI with")


def choices(page: Page) -> Locator:
    """The list of tools the picker offers."""
    return page.get_by_role("list", name="Tools to compare with Mistral AI")


def expect_comparison(page: Page) -> None:
    """The page is the comparison of Mistral AI with Anthropic, persona by persona."""
    expect(page).to_have_url(COMPARE_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mistral AI vs Anthropic")
    panel = page.get_by_role("region", name="Persona by persona")
    expect(panel.get_by_role("heading", level=3).first).to_have_text("The Founder")
    expect(panel.locator('[data-tool="mistral-ai"]')).to_have_count(4)
    expect(panel.locator('[data-tool="anthropic"]')).to_have_count(4)


def test_picker_suggests_tools_as_you_type(live_server: str, page: Page) -> None:
    """Typing part of a name lists matching tools in place; choosing one opens the comparison."""
    page.goto(live_server + "/tools/mistral-ai")
    tool_url = page.url
    set_marker(page)

    compare_box(page).press_sequentially("anthr", delay=30)

    suggestion = choices(page).get_by_role("link", name="Anthropic", exact=True)
    expect(suggestion).to_be_visible()
    expect(page.locator("#compare-results")).to_have_attribute("aria-live", "polite")
    assert marker(page) == MARKER
    assert page.url == tool_url

    compare_box(page).press("Tab")
    page.keyboard.press("Tab")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")

    expect_comparison(page)


def test_picker_without_javascript_lists_then_compares(
    live_server: str, page_without_js: Page
) -> None:
    """Without JavaScript the form lists the matching tools on a page of its own."""
    page = page_without_js
    page.goto(live_server + "/tools/mistral-ai")

    compare_box(page).fill("anthr")
    page.get_by_role("button", name="Compare", exact=True).click()

    expect(page).to_have_url(re.compile(r"/compare\?a=mistral-ai&with=anthr$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare Mistral AI with…")
    choices(page).get_by_role("link", name="Anthropic", exact=True).click()

    expect_comparison(page)


def test_picker_without_javascript_goes_straight_to_a_named_tool(
    live_server: str, page_without_js: Page
) -> None:
    """Without JavaScript, a tool's full name takes the reader straight to the comparison."""
    page = page_without_js
    page.goto(live_server + "/tools/mistral-ai")

    compare_box(page).fill("anthropic")
    compare_box(page).press("Enter")

    expect_comparison(page)


def test_compare_page_fits_a_phone_screen(live_server: str, page: Page) -> None:
    """At a 390x844 phone viewport the comparison stacks with no horizontal scroll."""
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/compare/mistral-ai-vs-anthropic")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    first, second = (
        page.locator(f'#seat-the-founder [data-tool="{slug}"]').bounding_box()
        for slug in ("mistral-ai", "anthropic")
    )
    assert first is not None
    assert second is not None
    assert second["y"] >= first["y"] + first["height"], "the two verdicts should stack"
