"""Bookmarks in a real browser: the button, the sidebar and /bookmarks agree from the moment
a reader signs up; rows come off /bookmarks with "Remove" and back with "Undo"; story cards
on the front page are bookmarked in place; with JavaScript on and off."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Bookmark, Story, Tool, User
from newsweb.models.clock import utcnow
from tests.browser.test_members import (
    EMAIL,
    MARKER,
    bookmarks_sidebar,
    expect_signed_in_as,
    marker,
    path_of,
    set_marker,
    sign_in,
    story_tool,
)
from tests.conftest import PASSWORD, create_user

NAME = "Rita Reader"


def story_button(page: Page, title: str, *, saved: bool) -> Locator:
    """The bookmark button of the story titled `title`, saved or not."""
    name = f"Bookmarked: {title}" if saved else f"Bookmark {title}"
    return page.get_by_role("button", name=name, exact=True)


def first_card_title(page: Page) -> str:
    """The title of the first story card on the page."""
    title = page.locator(".story-card__title").first.text_content() or ""
    assert title.strip()
    return title.strip()


def saved_list(page: Page) -> Locator:
    """/bookmarks's list of saved tools and stories."""
    return page.get_by_role("region", name="Bookmarks", exact=True)


def saved_order(page: Page) -> list[str]:
    """The ids of /bookmarks's rows, in order (removed rows included)."""
    ids: list[str] = page.locator(".saved-item").evaluate_all("rows => rows.map(row => row.id)")
    return ids


def member_with_bookmarks(app: Flask) -> tuple[str, str]:
    """A member who saved a tool, then a story a day later; returns their names."""
    user_id = create_user(app, EMAIL, name=NAME)
    with app.app_context():
        tool = db.session.scalars(select(Tool).where(Tool.slug == "cursor")).one()
        story = db.session.scalars(select(Story).order_by(Story.published_at.desc())).first()
        assert story is not None
        day_ago = utcnow() - timedelta(days=1)
        db.session.add(Bookmark(user_id=user_id, tool_id=tool.id, created_at=day_ago))
        db.session.add(Bookmark(user_id=user_id, story_id=story.id, created_at=utcnow()))
        db.session.commit()
        return tool.name, story.title


def test_bookmark_then_register_everything_agrees(live_server: str, page: Page) -> None:
    """A reader bookmarks a story, signs up on the way: the story's button, the sidebar and
    /bookmarks all show it, and then the tool saved beside it, with the same counts."""
    page.goto(live_server + "/")
    title = first_card_title(page)
    page.locator(".story-card__title a").first.click()
    story_url = page.url
    story_button(page, title, saved=False).first.click()
    expect(page).to_have_url(re.compile(r"/login\?"))
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Display name").fill("Nora Newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(story_url)
    expect_signed_in_as(page, "Nora Newcomer")
    expect(story_button(page, title, saved=True)).to_have_attribute("aria-pressed", "true")
    sidebar = bookmarks_sidebar(page)
    expect(sidebar.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(sidebar).not_to_contain_text("No bookmarks yet")
    expect(sidebar).to_contain_text("All bookmarks (1)")

    tool = story_tool(page)
    set_marker(page)
    page.get_by_role("button", name=f"Bookmark {tool.name}", exact=True).click()

    expect(page.get_by_role("button", name=f"Bookmarked: {tool.name}", exact=True)).to_be_focused()
    expect(sidebar.get_by_role("link", name=tool.name, exact=True)).to_be_visible()
    expect(sidebar.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(sidebar).to_contain_text("All bookmarks (2)")
    assert marker(page) == MARKER

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Bookmarks").click()
    listing = saved_list(page)
    expect(listing).to_contain_text("1 tool · 1 story")
    expect(listing.locator(f'h3 a[href="{tool.path}"]')).to_have_text(tool.name)
    expect(listing.get_by_role("link", name=title, exact=True)).to_be_visible()


def test_remove_and_undo_in_place(live_server: str, demo_app: Flask, page: Page) -> None:
    """ "Remove" turns the row into "Removed <title>. Undo" without a reload, the counts
    follow, and Undo puts the row back where it was, focus following the reader."""
    tool, story = member_with_bookmarks(demo_app)
    sign_in(page, live_server, name=NAME)
    page.goto(live_server + "/bookmarks")
    page.wait_for_load_state()
    listing = saved_list(page)
    expect(listing).to_contain_text("1 tool · 1 story")
    before = saved_order(page)
    set_marker(page)

    page.get_by_role("button", name=f"Remove {tool} from your bookmarks").click()

    removed = listing.locator(".saved-item--removed")
    expect(removed).to_contain_text(f"Removed {tool}.")
    undo = page.get_by_role("button", name=f"Undo: put {tool} back in your bookmarks")
    expect(undo).to_be_focused()
    expect(listing).to_contain_text("0 tools · 1 story")
    expect(listing.get_by_role("link", name=tool, exact=True)).to_have_count(0)
    assert saved_order(page) == before

    undo.click()

    remove = page.get_by_role("button", name=f"Remove {tool} from your bookmarks")
    expect(remove).to_be_focused()
    expect(listing).to_contain_text("1 tool · 1 story")
    expect(listing.get_by_role("link", name=tool, exact=True)).to_be_visible()
    assert marker(page) == MARKER
    page.reload()
    assert saved_order(page) == before
    expect(saved_list(page).get_by_role("link", name=story, exact=True)).to_be_visible()


def test_remove_and_undo_without_javascript(
    live_server: str, demo_app: Flask, page_without_js: Page
) -> None:
    """The plain form comes back to /bookmarks with a notice holding Undo; Undo restores the
    row to its place."""
    page = page_without_js
    _tool, story = member_with_bookmarks(demo_app)
    sign_in(page, live_server, name=NAME)
    page.goto(live_server + "/bookmarks")
    before = saved_order(page)

    page.get_by_role("button", name=f"Remove {story} from your bookmarks").click()

    expect(page).to_have_url(live_server + "/bookmarks")
    notice = page.locator(".undo-notice")
    expect(notice).to_contain_text(f"Removed {story}.")
    expect(saved_list(page)).to_contain_text("1 tool · 0 stories")
    expect(saved_list(page).get_by_role("link", name=story, exact=True)).to_have_count(0)

    notice.get_by_role("button", name=f"Undo: put {story} back in your bookmarks").click()

    expect(page).to_have_url(live_server + "/bookmarks")
    expect(page.get_by_role("status")).to_contain_text(f"{story} is back in your bookmarks.")
    expect(saved_list(page)).to_contain_text("1 tool · 1 story")
    assert saved_order(page) == before


def test_bookmark_a_front_page_card_in_place(live_server: str, demo_app: Flask, page: Page) -> None:
    """A member saves a story from its card: pressed and focused without a reload; the story
    page and its sidebar agree, and a card there updates the sidebar in place."""
    create_user(demo_app, EMAIL, name=NAME)
    sign_in(page, live_server, name=NAME)
    page.goto(live_server + "/")
    page.wait_for_load_state()
    title = first_card_title(page)
    set_marker(page)

    story_button(page, title, saved=False).click()

    saved = story_button(page, title, saved=True)
    expect(saved).to_have_attribute("aria-pressed", "true")
    expect(saved).to_be_focused()
    assert marker(page) == MARKER
    assert path_of(page.url) == "/"

    page.reload()
    expect(story_button(page, title, saved=True)).to_have_attribute("aria-pressed", "true")
    page.locator(".story-card__title a").first.click()
    expect(story_button(page, title, saved=True)).to_have_attribute("aria-pressed", "true")
    sidebar = bookmarks_sidebar(page)
    expect(sidebar.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(sidebar).to_contain_text("All bookmarks (1)")

    # A card on the story page ("More about ...") updates the sidebar beside it.
    card = page.locator(".more-stories .story-card").first
    other = (card.locator(".story-card__title").text_content() or "").strip()
    card.get_by_role("button", name=f"Bookmark {other}", exact=True).click()

    expect(story_button(page, other, saved=True)).to_be_focused()
    expect(sidebar.get_by_role("link", name=other, exact=True)).to_be_visible()
    expect(sidebar).to_contain_text("All bookmarks (2)")


def test_bookmark_a_front_page_card_without_javascript(
    live_server: str, demo_app: Flask, page_without_js: Page
) -> None:
    """Without JavaScript the card's form saves and returns to the front page, pressed; an
    anonymous reader's card leads to sign-in and back."""
    page = page_without_js
    create_user(demo_app, EMAIL, name=NAME)
    page.goto(live_server + "/")
    title = first_card_title(page)

    story_button(page, title, saved=False).click()

    expect(page).to_have_url(re.compile(r"/login\?"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(live_server + "/")
    expect(story_button(page, title, saved=True)).to_have_attribute("aria-pressed", "true")

    story_button(page, title, saved=True).click()

    expect(page).to_have_url(live_server + "/")
    expect(story_button(page, title, saved=False)).to_have_attribute("aria-pressed", "false")
    with demo_app.app_context():
        user = db.session.scalars(select(User).where(User.email == EMAIL)).one()
        assert db.session.scalars(select(Bookmark).where(Bookmark.user_id == user.id)).all() == []
