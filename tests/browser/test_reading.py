"""What a reader sees in a real browser: story pages, takes, paging and filters."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, ViewportSize, expect

MARKER = 42
ELLIPSIS = "…"
ENDS_WITH_ELLIPSIS = re.compile(r"…\s*$")
PHONE: ViewportSize = {"width": 390, "height": 844}
# A take's toggle: its visible words, then whose take it is (visually hidden).
READ_MORE = re.compile("^Read more of .+\u2019s take$")
SHOW_LESS = re.compile("^Show less of .+\u2019s take$")
# The demo newsroom publishes this many stories.
DEMO_STORIES = 18


def set_marker(page: Page) -> None:
    """Leave a value on `window` that only survives while no full page load happens."""
    page.evaluate(f"window.__marker = {MARKER}")


def marker(page: Page) -> object:
    """The value `set_marker` left, or None after a full page load."""
    return page.evaluate("window.__marker")


def text_of(locator: Locator) -> str:
    """The element's text as its DOM holds it, whitespace collapsed to single spaces."""
    return " ".join((locator.text_content() or "").split())


def story_cards(page: Page) -> Locator:
    """The story cards in the front page's list of stories."""
    return page.get_by_role("list", name="Stories").get_by_role("article")


def story_links(page: Page) -> Locator:
    """The title links of the listed stories."""
    return story_cards(page).get_by_role("heading", level=3).get_by_role("link")


def read_more(page: Page) -> Locator:
    """Every "Read more" control on the page (each says whose take, to screen readers)."""
    return page.get_by_role("link", name=READ_MORE)


def show_less(page: Page) -> Locator:
    """Every "Show less" control on the page."""
    return page.get_by_role("link", name=SHOW_LESS)


def open_story_with_long_takes(page: Page, base_url: str, minimum: int = 1) -> str:
    """Visit front-page stories until one has `minimum` long takes; return its URL."""
    page.goto(base_url + "/")
    hrefs = [link.get_attribute("href") or "" for link in story_links(page).all()]
    for href in hrefs:
        page.goto(urljoin(base_url, href))
        if read_more(page).count() >= minimum:
            return page.url
    pytest.fail(f"no story on the front page has {minimum} long takes with Read more")


def first_long_take(page: Page) -> tuple[Locator, Locator, Locator]:
    """The first collapsed take card, its toggle control and the text it controls.

    Located by the persona's name, so the locators still match after htmx swaps the card.
    """
    panel = page.get_by_role("region", name="Panel Takes")
    card = panel.get_by_role("article").filter(has=read_more(page)).first
    persona = text_of(card.get_by_role("heading", level=3))
    take = panel.get_by_role("article", name=persona, exact=True)
    toggle = take.get_by_role("link", name=re.compile(r"^(Read more|Show less) of "))
    text = page.locator("#" + (toggle.get_attribute("aria-controls") or "missing"))
    return take, toggle, text


def test_story_title_opens_story_page(live_server: str, page: Page) -> None:
    """Clicking a story's title on `/` opens its page: title, Panel Takes, Original source."""
    page.goto(live_server + "/")
    link = story_links(page).first
    title = text_of(link)

    link.click()

    expect(page).to_have_url(re.compile(r"/news/[^/?#]+"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="Panel Takes", level=2)).to_be_visible()
    source = page.get_by_role("link", name="Original source")
    expect(source).to_be_visible()
    expect(source).to_have_attribute("rel", "noopener noreferrer")


def test_read_more_and_show_less_swap_in_place(live_server: str, page: Page) -> None:
    """A take's "Read more" expands it and "Show less" collapses it: no page load, focus kept."""
    story_url = open_story_with_long_takes(page, live_server)
    take, toggle, text = first_long_take(page)
    teaser = text_of(text)
    assert teaser.endswith(ELLIPSIS)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    set_marker(page)

    toggle.click()

    expect(toggle).to_have_text(SHOW_LESS)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(text).not_to_have_text(ENDS_WITH_ELLIPSIS)
    full = text_of(text)
    assert len(full) > len(teaser)
    assert full.startswith(teaser.removesuffix(ELLIPSIS))
    expect(take).to_have_class(re.compile(r"\btake--open\b"))
    assert marker(page) == MARKER
    assert page.url == story_url
    expect(toggle).to_be_focused()

    toggle.click()

    expect(toggle).to_have_text(READ_MORE)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(text).to_have_text(teaser)
    assert marker(page) == MARKER
    assert page.url == story_url
    expect(toggle).to_be_focused()


def test_expand_all_opens_every_long_take(live_server: str, page: Page) -> None:
    """The panel's "Expand all" opens every long take in place and becomes "Collapse all"."""
    story_url = open_story_with_long_takes(page, live_server, minimum=2)
    long_takes = read_more(page).count()
    expand_all = page.get_by_role("link", name="Expand all", exact=True)
    expect(expand_all).to_have_attribute("aria-expanded", "false")
    set_marker(page)

    expand_all.click()

    collapse_all = page.get_by_role("link", name="Collapse all", exact=True)
    expect(collapse_all).to_be_visible()
    expect(collapse_all).to_have_attribute("aria-expanded", "true")
    expect(read_more(page)).to_have_count(0)
    expect(show_less(page)).to_have_count(long_takes)
    for toggle in show_less(page).all():
        expect(toggle).to_have_attribute("aria-expanded", "true")
        controlled = page.locator("#" + (toggle.get_attribute("aria-controls") or "missing"))
        expect(controlled).not_to_have_text(ENDS_WITH_ELLIPSIS)
    assert marker(page) == MARKER
    assert page.url == story_url

    collapse_all.click()

    expect(expand_all).to_be_visible()
    expect(read_more(page)).to_have_count(long_takes)
    assert marker(page) == MARKER


def test_deep_link_to_long_take_opens_it(live_server: str, page: Page) -> None:
    """Arriving at `#take-<persona>` shows that persona's long take expanded."""
    story_url = open_story_with_long_takes(page, live_server)
    take, toggle, text = first_long_take(page)
    teaser = text_of(text)
    anchor = take.get_attribute("id")
    assert anchor is not None
    assert anchor.startswith("take-")
    page.goto("about:blank")

    page.goto(f"{story_url}#{anchor}")

    expect(toggle).to_have_text(SHOW_LESS)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(text).not_to_have_text(ENDS_WITH_ELLIPSIS)
    assert len(text_of(text)) > len(teaser)


def test_load_more_appends_stories_until_all_are_listed(
    live_server: str, demo_app: Flask, page: Page
) -> None:
    """On `/`, "Load more stories" appends the next page in place until all stories are
    listed, each time pushing the address of everything loaded so far."""
    page_size = int(demo_app.config["PAGE_SIZE"])
    total = DEMO_STORIES
    page.goto(live_server + "/")
    front_url = page.url
    cards = story_cards(page)
    load_more = page.get_by_role("link", name="Load more stories")
    expect(cards).to_have_count(page_size)
    set_marker(page)

    load_more.click()

    expect(cards).to_have_count(2 * page_size)
    assert marker(page) == MARKER
    expect(page).to_have_url(re.compile(r"/\?through=[0-9T:.-]+~\d+$"))
    while load_more.count():
        shown = cards.count()
        load_more.click()
        expect(cards).to_have_count(min(shown + page_size, total))

    expect(cards).to_have_count(total)
    expect(load_more).to_have_count(0)
    assert marker(page) == MARKER
    assert page.url == front_url + "?through=end"
    titles = [title.strip() for title in story_links(page).all_text_contents()]
    assert len(set(titles)) == total
    dates = cards.locator("time").evaluate_all("times => times.map(t => t.dateTime)")
    assert len(dates) == total
    assert dates == sorted(dates, reverse=True)


def test_category_filter_swaps_listing_and_pushes_url(live_server: str, page: Page) -> None:
    """A category in "Filter by category" lists only its stories; the chip removes it."""
    page.goto(live_server + "/")
    front_url = page.url
    cards = story_cards(page)
    category = text_of(cards.first.locator(".meta__category"))
    shown_before = cards.count()
    set_marker(page)

    filters = page.get_by_role("navigation", name="Filter by category")
    filters.get_by_role("link", name=category, exact=True).click()

    expect(page).to_have_url(re.compile(r"\?category=[^&#]+"))
    expect(filters.get_by_role("link", name=category, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(category)
    assert cards.count() > 0
    for shown in cards.locator(".meta__category").all_text_contents():
        assert shown.strip() == category
    assert marker(page) == MARKER

    page.get_by_role("link", name=re.compile(r"^Remove filter")).click()

    expect(page).to_have_url(front_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest")
    expect(cards).to_have_count(shown_before)
    shown_categories = {
        text.strip() for text in cards.locator(".meta__category").all_text_contents()
    }
    assert len(shown_categories) > 1
    assert marker(page) == MARKER


def test_bookmarks_sidebar_loads_after_the_page(live_server: str, page: Page) -> None:
    """The Bookmarks sidebar arrives as "Loading bookmarks..." and htmx fills it in."""
    page.goto(live_server + "/")
    story_url = urljoin(live_server, story_links(page).first.get_attribute("href") or "")

    response = page.goto(story_url)

    assert response is not None
    assert "Loading bookmarks..." in response.text()
    sidebar = page.get_by_role("region", name="Bookmarks")
    expect(sidebar).to_contain_text("No bookmarks yet")
    expect(sidebar).to_contain_text("Tools and stories you bookmark are listed here")
    expect(sidebar).not_to_contain_text("Loading bookmarks...")


def test_read_more_without_javascript_opens_the_take(
    live_server: str, page_without_js: Page
) -> None:
    """Without JavaScript, "Read more" loads the story page with that take open."""
    page = page_without_js
    open_story_with_long_takes(page, live_server)
    take, toggle, text = first_long_take(page)
    teaser = text_of(text)
    assert teaser.endswith(ELLIPSIS)

    toggle.click()

    expect(page).to_have_url(re.compile(r"[?&]expand="))
    expect(toggle).to_have_text(SHOW_LESS)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(text).not_to_have_text(ENDS_WITH_ELLIPSIS)
    assert len(text_of(text)) > len(teaser)
    expect(take).to_be_visible()


def test_load_more_without_javascript_shows_the_next_page(
    live_server: str, demo_app: Flask, page_without_js: Page
) -> None:
    """Without JavaScript, "Load more stories" goes to the page of every story so far,
    scrolled to the first of the older stories it added."""
    page = page_without_js
    page_size = int(demo_app.config["PAGE_SIZE"])
    page.goto(live_server + "/")
    cards = story_cards(page)
    expect(cards).to_have_count(page_size)
    first_titles = story_links(page).all_text_contents()
    first_dates = cards.locator("time").evaluate_all("times => times.map(t => t.dateTime)")

    page.get_by_role("link", name="Load more stories").click()

    expect(page).to_have_url(re.compile(r"[?&]through=.*#story-\d+$"))
    expect(cards).to_have_count(2 * page_size)
    titles = story_links(page).all_text_contents()
    assert titles[:page_size] == first_titles
    next_titles = titles[page_size:]
    assert not set(next_titles) & set(first_titles)
    expect(cards.nth(page_size)).to_be_in_viewport()
    next_dates = cards.locator("time").evaluate_all("times => times.map(t => t.dateTime)")
    assert next_dates == sorted(next_dates, reverse=True)
    assert next_dates[page_size] <= first_dates[-1]


def test_expand_all_without_javascript_opens_every_take(
    live_server: str, page_without_js: Page
) -> None:
    """Without JavaScript, "Expand all" loads the story page with every long take open."""
    page = page_without_js
    open_story_with_long_takes(page, live_server, minimum=2)
    long_takes = read_more(page).count()

    page.get_by_role("link", name="Expand all", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]expand=all"))
    expect(page.get_by_role("link", name="Collapse all", exact=True)).to_be_visible()
    expect(read_more(page)).to_have_count(0)
    expect(show_less(page)).to_have_count(long_takes)
    for toggle in show_less(page).all():
        controlled = page.locator("#" + (toggle.get_attribute("aria-controls") or "missing"))
        expect(controlled).not_to_have_text(ENDS_WITH_ELLIPSIS)


def test_story_page_fits_a_phone_screen(live_server: str, page: Page) -> None:
    """At a 390x844 phone viewport the story page has no horizontal scroll."""
    page.set_viewport_size(PHONE)
    open_story_with_long_takes(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
