"""The panel's calls in a real browser: "Most divided" on the front page with JavaScript on
and off, and a panelist's call on a card that leads to their take."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Story
from tests.browser.test_reading import (
    DEMO_STORIES,
    MARKER,
    marker,
    set_marker,
    story_links,
    text_of,
)


def divided_titles(app: Flask) -> list[str]:
    """The demo's story titles in the "Most divided" order, read from the database."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(Story.title).order_by(
                    Story.dissent.desc(), Story.published_at.desc(), Story.id.desc()
                )
            )
        )


def listed_titles(page: Page) -> list[str]:
    """The titles of the stories listed now."""
    return [text_of(link) for link in story_links(page).all()]


def most_divided(page: Page) -> Locator:
    """The "Most divided" link of the front page's sort control."""
    return page.get_by_role("navigation", name="Sort stories").get_by_role(
        "link", name="Most divided"
    )


def test_most_divided_with_javascript_swaps_the_list_and_pushes_the_url(
    page: Page, live_server: str, demo_app: Flask
) -> None:
    """The sort control swaps the listing in place, the address says ?sort=divided, and
    "Load more" goes on in the same order to the last story."""
    expected = divided_titles(demo_app)
    assert len(expected) == DEMO_STORIES
    page.goto(live_server + "/")
    set_marker(page)
    most_divided(page).click()
    expect(page).to_have_url(re.compile(r"/\?sort=divided$"))
    expect(story_links(page).first).to_have_text(expected[0])
    expect(page.get_by_text("Most divided first:")).to_be_visible()
    assert marker(page) == MARKER, "the sort reloaded the whole page"
    load_more = page.get_by_role("link", name="Load more stories")
    while load_more.count():
        shown = story_links(page).count()
        load_more.click()
        expect(story_links(page)).not_to_have_count(shown)
    assert listed_titles(page) == expected
    assert marker(page) == MARKER
    expect(most_divided(page)).to_have_attribute("aria-current", "true")


def test_most_divided_without_javascript_is_a_plain_link(
    page_without_js: Page, live_server: str, demo_app: Flask
) -> None:
    """With JavaScript off the control is a link to the sorted page, and paging works:
    each "Load more" leads to the page of every story so far, in the same order."""
    expected = divided_titles(demo_app)
    page = page_without_js
    page.goto(live_server + "/")
    most_divided(page).click()
    expect(page).to_have_url(re.compile(r"/\?sort=divided$"))
    seen = listed_titles(page)
    while (load_more := page.get_by_role("link", name="Load more stories")).count():
        load_more.click()
        expect(page).to_have_url(re.compile(r"sort=divided.*through=.*#story-\d+$"))
        seen = listed_titles(page)
    assert seen == expected


def test_a_panelist_on_a_card_leads_to_their_take(page: Page, live_server: str) -> None:
    """Clicking a panelist's call on a front-page card opens the story at that take."""
    page.goto(live_server + "/")
    card = page.get_by_role("list", name="Stories").get_by_role("article").first
    calls = card.get_by_role("list", name="Each panelist\u2019s call")
    skeptic = calls.get_by_role("link", name=re.compile(r"^The Skeptic ?: (ship|wait|skip)$", re.I))
    call = text_of(skeptic).rsplit(" ", 1)[-1]
    expect(card.locator(".panel-split__tally")).to_have_text(
        re.compile("^The panel\u2019s calls: \\d (ship|wait|skip)( · \\d (wait|skip))*$")
    )
    skeptic.click()
    expect(page).to_have_url(re.compile(r"/news/[a-z0-9-]+#take-the-skeptic$"))
    take = page.locator("#take-the-skeptic")
    expect(take).to_be_in_viewport()
    expect(take.locator(".take__call")).to_have_text(f"The Skeptic\u2019s call: {call}")


def test_a_panelist_on_a_card_leads_to_their_take_without_javascript(
    page_without_js: Page, live_server: str
) -> None:
    """The same link with JavaScript off."""
    page = page_without_js
    page.goto(live_server + "/")
    card = page.get_by_role("list", name="Stories").get_by_role("article").first
    card.get_by_role("link", name=re.compile(r"^The Builder ?: ")).click()
    expect(page).to_have_url(re.compile(r"/news/[a-z0-9-]+#take-the-builder$"))
    expect(page.locator("#take-the-builder")).to_be_in_viewport()


def test_the_story_pages_split_links_each_take(page: Page, live_server: str) -> None:
    """Above the takes, the split's links jump to each take on the same page, no reload."""
    page.goto(live_server + "/")
    story_links(page).first.click()
    set_marker(page)
    panel = page.get_by_role("region", name="Panel Takes")
    split = panel.get_by_role("list", name="Each panelist\u2019s call")
    expect(split.get_by_role("link")).to_have_count(4)
    split.get_by_role("link", name=re.compile(r"^The Futurist ?: ")).click()
    expect(page).to_have_url(re.compile(r"#take-the-futurist$"))
    expect(page.locator("#take-the-futurist")).to_be_in_viewport()
    assert marker(page) == MARKER
