"""What a member sees in a real browser: accounts, and bookmarks saved without reloads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import forgive_failed_load
from tests.conftest import PASSWORD, create_user

MARKER = 7
EMAIL = "reader@example.com"
NAME = "Rita Reader"
SIGN_IN_FAILED = "That email and password do not match an account."
STORY_URL = re.compile(r"/news/[^/?#]+")
# The "About <Tool>" box links to the tool's page: "The panel's verdicts on <Tool>" (curly quote).
VERDICTS_LINK = "The panel\u2019s verdicts on "


@dataclass(frozen=True)
class Tool:
    """A tool as a page shows it: its name and the path of its page."""

    name: str
    path: str


def set_marker(page: Page) -> None:
    """Leave a value on `window` that only survives while no full page load happens."""
    page.evaluate(f"window.__marker = {MARKER}")


def marker(page: Page) -> object:
    """The value `set_marker` left, or None after a full page load."""
    return page.evaluate("window.__marker")


def path_of(url: str) -> str:
    """The path and query of `url`."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def masthead(page: Page) -> Locator:
    """The site's masthead (the page's banner)."""
    return page.get_by_role("banner")


def sign_in_link(page: Page) -> Locator:
    """The masthead's "Sign in" link, shown to readers who are signed out."""
    return masthead(page).get_by_role("link", name="Sign in", exact=True)


def sign_out_button(page: Page) -> Locator:
    """The masthead's "Sign out" button, shown to members."""
    return masthead(page).get_by_role("button", name="Sign out", exact=True)


def expect_signed_in_as(page: Page, name: str) -> None:
    """The masthead names the member and offers "Sign out", not "Sign in"."""
    expect(masthead(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(sign_out_button(page)).to_be_visible()
    expect(sign_in_link(page)).to_have_count(0)


def fill_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Type into the sign-in form on the current page and submit it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_in(page: Page, base_url: str, email: str = EMAIL, name: str = NAME) -> None:
    """Sign in through the sign-in form and wait until the masthead shows the member."""
    page.goto(base_url + "/login")
    fill_sign_in(page, email)
    expect_signed_in_as(page, name)


def open_first_story(page: Page, base_url: str) -> str:
    """Click the first story's title on `/`; return the story page's URL."""
    page.goto(base_url + "/")
    page.get_by_role("list", name="Stories").get_by_role("heading", level=3).get_by_role(
        "link"
    ).first.click()
    expect(page).to_have_url(STORY_URL)
    return page.url


def story_tool(page: Page) -> Tool:
    """The tool a story page is about, read from its "About <Tool>" sidebar box."""
    box = page.get_by_role("region", name=re.compile(r"^About "))
    name = (box.get_by_role("heading", level=2).text_content() or "").strip()
    name = name.removeprefix("About ")
    link = box.get_by_role("link", name=re.compile("^" + VERDICTS_LINK))
    path = link.get_attribute("href") or ""
    assert name
    assert path.startswith("/tools/")
    return Tool(name, path)


def bookmark_button(page: Page, name: str) -> Locator:
    """The button that saves `name` (not yet saved)."""
    return page.get_by_role("button", name=f"Bookmark {name}", exact=True)


def remove_button(page: Page, name: str) -> Locator:
    """The button that removes the saved `name`."""
    return page.get_by_role("button", name=f"Bookmarked: {name}", exact=True)


def bookmarks_sidebar(page: Page) -> Locator:
    """The story page's Bookmarks box."""
    return page.get_by_role("region", name="Bookmarks", exact=True)


def expect_sidebar_loaded(page: Page) -> None:
    """htmx has filled the Bookmarks sidebar in (so htmx is running on the page)."""
    expect(bookmarks_sidebar(page)).not_to_contain_text("Loading bookmarks...")


def expect_listed(area: Locator, tool: Tool) -> None:
    """`area` links to the tool's page by its name."""
    expect(area.get_by_role("link", name=tool.name, exact=True)).to_have_attribute(
        "href", tool.path
    )


@pytest.fixture
def reader(demo_app: Flask) -> str:
    """The email of a reader account in the demo newsroom (password `PASSWORD`)."""
    create_user(demo_app, EMAIL, name=NAME)
    return EMAIL


def test_register_signs_the_new_member_in(live_server: str, page: Page) -> None:
    """Filling in /register creates the account and lands signed in, named in the masthead."""
    page.goto(live_server + "/")
    page.get_by_role("link", name="Join", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")

    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Display name").fill("Nora Newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect_signed_in_as(page, "Nora Newcomer")
    expect(page.get_by_role("status")).to_contain_text("Your account is ready.")
    assert path_of(page.url) == "/"


def test_bookmark_tool_from_story_page_without_reload(
    live_server: str, reader: str, page: Page
) -> None:
    """On a story, "Bookmark <Tool>" saves it in place: pressed, focused, listed in the sidebar."""
    sign_in(page, live_server)
    story_url = open_first_story(page, live_server)
    tool = story_tool(page)
    sidebar = bookmarks_sidebar(page)
    expect(sidebar).to_contain_text("No bookmarks yet")
    button = bookmark_button(page, tool.name)
    expect(button).to_have_attribute("aria-pressed", "false")
    set_marker(page)

    button.click()

    saved = remove_button(page, tool.name)
    expect(saved).to_have_attribute("aria-pressed", "true")
    expect(saved).to_have_text("Bookmarked")
    expect(bookmark_button(page, tool.name)).to_have_count(0)
    expect(saved).to_be_focused()
    expect_listed(sidebar, tool)
    expect(sidebar).not_to_contain_text("No bookmarks yet")
    assert marker(page) == MARKER
    assert page.url == story_url

    page.reload()

    assert marker(page) is None
    expect(remove_button(page, tool.name)).to_have_attribute("aria-pressed", "true")
    expect_listed(bookmarks_sidebar(page), tool)


def test_remove_bookmark_in_place_on_bookmarks_page(
    live_server: str, reader: str, page: Page
) -> None:
    """On /bookmarks, "Remove" takes the tool off the list without a reload, leaving Undo."""
    sign_in(page, live_server)
    open_first_story(page, live_server)
    tool = story_tool(page)
    expect_sidebar_loaded(page)
    bookmark_button(page, tool.name).click()
    expect(remove_button(page, tool.name)).to_have_attribute("aria-pressed", "true")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Bookmarks").click()

    expect(page).to_have_url(live_server + "/bookmarks")
    page.wait_for_load_state()  # htmx starts on DOMContentLoaded: click only once it runs
    listing = page.get_by_role("region", name="Bookmarks", exact=True)
    expect_listed(listing, tool)
    expect(listing).to_contain_text("1 tool · 0 stories")
    remove = page.get_by_role("button", name=f"Remove {tool.name} from your bookmarks")
    expect(remove).to_have_text("Remove")
    set_marker(page)

    remove.click()

    expect(listing).to_contain_text(f"Removed {tool.name}. Undo")
    expect(listing).to_contain_text("0 tools · 0 stories")
    expect(listing.get_by_role("link", name=tool.name, exact=True)).to_have_count(0)
    expect(remove).to_have_count(0)
    assert marker(page) == MARKER
    assert page.url == live_server + "/bookmarks"

    page.reload()

    expect(page.get_by_role("region", name="Bookmarks", exact=True)).to_contain_text(
        "No bookmarks yet"
    )


def test_anonymous_bookmark_signs_in_and_comes_back(
    live_server: str, reader: str, page: Page
) -> None:
    """A signed-out click on "Bookmark <Tool>" leads to sign-in, then back with it saved."""
    open_first_story(page, live_server)
    tool = story_tool(page)
    page.get_by_role("link", name=VERDICTS_LINK + tool.name).click()
    tool_url = urljoin(live_server, tool.path)
    expect(page).to_have_url(tool_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(tool.name)

    bookmark_button(page, tool.name).click()

    expect(page).to_have_url(re.compile(r"/login\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Sign in and we will save your bookmark.")).to_be_visible()

    fill_sign_in(page, reader)

    expect(page).to_have_url(tool_url)
    expect_signed_in_as(page, NAME)
    saved = remove_button(page, tool.name)
    expect(saved).to_have_attribute("aria-pressed", "true")
    expect(saved).to_have_text("Bookmarked")


def test_bookmarks_work_without_javascript(
    live_server: str, reader: str, page_without_js: Page
) -> None:
    """Without JavaScript the button reloads the page pressed; /bookmarks lists it and
    removes it, offering Undo."""
    page = page_without_js
    sign_in(page, live_server)
    story_url = open_first_story(page, live_server)
    tool = story_tool(page)

    bookmark_button(page, tool.name).click()

    expect(page).to_have_url(story_url)
    expect(remove_button(page, tool.name)).to_have_attribute("aria-pressed", "true")
    expect(bookmark_button(page, tool.name)).to_have_count(0)

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Bookmarks").click()

    expect(page).to_have_url(live_server + "/bookmarks")
    listing = page.get_by_role("region", name="Bookmarks", exact=True)
    expect_listed(listing, tool)

    page.get_by_role("button", name=f"Remove {tool.name} from your bookmarks").click()

    expect(page).to_have_url(live_server + "/bookmarks")
    expect(page.get_by_role("status")).to_contain_text(f"Removed {tool.name}. Undo")
    expect(listing).to_contain_text("No bookmarks yet")
    expect(listing.get_by_role("link", name=tool.name, exact=True)).to_have_count(0)

    page.goto(story_url)

    expect(bookmark_button(page, tool.name)).to_have_attribute("aria-pressed", "false")


def test_sign_out_returns_to_front_page_signed_out(
    live_server: str, reader: str, page: Page
) -> None:
    """The masthead's "Sign out" goes to the front page, signed out, with "Sign in" back."""
    sign_in(page, live_server)
    open_first_story(page, live_server)

    sign_out_button(page).click()

    expect(page).to_have_url(live_server + "/")
    expect(sign_in_link(page)).to_be_visible()
    expect(sign_out_button(page)).to_have_count(0)
    expect(masthead(page).get_by_role("link", name=NAME, exact=True)).to_have_count(0)

    page.goto(live_server + "/bookmarks")

    expect(page.get_by_text("Sign in to see your bookmarks")).to_be_visible()


@pytest.mark.parametrize(
    ("email", "password"),
    [(EMAIL, "not the right password"), ("stranger@example.com", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_failed_sign_in_says_so_and_keeps_the_email(
    live_server: str,
    reader: str,
    page: Page,
    console_errors: list[str],
    email: str,
    password: str,
) -> None:
    """A wrong password (or unknown email) gets one message; the typed email stays.

    The form answers 422 by design (README, "Forms, errors and htmx"), which Chromium
    logs as a failed resource; that one entry is expected, any other still fails.
    """
    page.goto(live_server + "/login")

    fill_sign_in(page, email, password)

    expect(page.get_by_role("alert")).to_have_text(SIGN_IN_FAILED)
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(sign_in_link(page)).to_be_visible()
    expect(sign_out_button(page)).to_have_count(0)
    forgive_failed_load(console_errors, live_server + "/login", status=422)
