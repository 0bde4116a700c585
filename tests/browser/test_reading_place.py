"""In a real browser on a phone: after "Load more" twice, opening a story and pressing Back
returns to the same stories with the one opened still in view, with JavaScript and without."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests import factories

PHONE: ViewportSize = {"width": 390, "height": 844}
PAGE_SIZE = 8
# The demo's 18 stories and a dozen more: three pages of eight and some left over.
EXTRA_STORIES = 12
OPENED = 18  # the story the reader opens (counted from 1)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app with eight stories a page, so two "Load more" clicks list twenty-four."""
    return make_app(PAGE_SIZE=PAGE_SIZE)


@pytest.fixture
def longer_newsroom(demo_app: Flask) -> Flask:
    """The demo newsroom with a dozen more stories, so that more remain after 24."""
    with demo_app.app_context():
        factories.more_stories(EXTRA_STORIES)
    return demo_app


def story_cards(page: Page) -> Locator:
    """The story cards in the front page's list of stories."""
    return page.get_by_role("list", name="Stories").get_by_role("article")


def titles(page: Page) -> list[str]:
    """The titles of the listed stories, in order."""
    links = story_cards(page).get_by_role("heading", level=3).get_by_role("link")
    return [" ".join(text.split()) for text in links.all_text_contents()]


def load_twice_open_and_come_back(page: Page, base_url: str) -> tuple[list[str], str]:
    """On a phone: "Load more" twice, open the 18th story, press Back. Returns the titles
    listed before opening it and the address the listing had."""
    page.set_viewport_size(PHONE)
    page.goto(base_url + "/")
    cards = story_cards(page)
    expect(cards).to_have_count(PAGE_SIZE)
    for loads in (2, 3):
        page.get_by_role("link", name="Load more stories").click()
        expect(cards).to_have_count(loads * PAGE_SIZE)
    expect(page).to_have_url(re.compile(r"/\?through=[0-9T:.-]+~\d+(#story-\d+)?$"))
    before, listing_url = titles(page), page.url
    opened = cards.nth(OPENED - 1).get_by_role("heading", level=3).get_by_role("link")
    opened.scroll_into_view_if_needed()
    opened.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(before[OPENED - 1])
    page.go_back()
    return before, listing_url


def test_back_after_load_more_returns_to_the_same_stories_in_view(
    longer_newsroom: Flask, live_server: str, page: Page
) -> None:
    """With JavaScript: each "Load more" appends in place and pushes the address of what is
    loaded; Back from the 18th story lands on the same 24 stories, the 18th on screen, and
    "Load more" carries on from the 24th."""
    before, listing_url = load_twice_open_and_come_back(page, live_server)
    expect(page).to_have_url(listing_url)
    cards = story_cards(page)
    expect(cards).to_have_count(3 * PAGE_SIZE)
    assert titles(page) == before
    expect(cards.nth(OPENED - 1)).to_be_in_viewport()
    # Whether or not the browser kept the page in memory, the address alone renders it.
    page.set_viewport_size(PHONE)
    page.goto(listing_url)
    expect(cards).to_have_count(3 * PAGE_SIZE)
    assert titles(page) == before
    page.get_by_role("link", name="Load more stories").click()
    expect(cards).to_have_count(18 + EXTRA_STORIES)
    assert titles(page)[: 3 * PAGE_SIZE] == before
    expect(page.get_by_role("link", name="Load more stories")).to_have_count(0)
    expect(page).to_have_url(live_server + "/?through=end")


def test_back_after_load_more_without_javascript_keeps_the_place(
    longer_newsroom: Flask, live_server: str, page_without_js: Page
) -> None:
    """Without JavaScript: each "Load more" leads to the page of every story so far,
    scrolled to the first new one; Back from the 18th story returns there with the 18th
    on screen."""
    page = page_without_js
    before, listing_url = load_twice_open_and_come_back(page, live_server)
    assert re.search(r"#story-\d+$", listing_url)
    expect(page).to_have_url(listing_url)
    cards = story_cards(page)
    expect(cards).to_have_count(3 * PAGE_SIZE)
    assert titles(page) == before
    expect(cards.nth(OPENED - 1)).to_be_in_viewport()
