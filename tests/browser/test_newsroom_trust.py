"""What makes a newsroom trustworthy, in a real browser: Publish and Delete ask first (a
dialog with JavaScript, a page without it); Preview shows the story as readers will see
it without losing a word; a share link works signed out, and stops once revoked or
expired."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from playwright.sync_api import Browser, Dialog, Page, expect
from sqlalchemy import select

from newsweb.editor.sharing import share_token
from newsweb.extensions import db
from newsweb.models import Story
from tests.browser.conftest import forgive_failed_load
from tests.browser.test_editor import (
    EDIT_URL,
    EDITOR_EMAIL,
    EDITOR_NAME,
    MARKER,
    PANEL_NAMES,
    PUBLISHED,
    Draft,
    confirm_dialog,
    expect_form_holds,
    fill_story_form,
    flash,
    marker,
    open_new_story_form,
    open_newsroom,
    publish,
    set_marker,
    sign_in,
    submit,
)
from tests.conftest import create_user

DRAFT = Draft(title="Anthropic Opens a Paris Office for Research and Policy")
QUESTION = f"Publish “{DRAFT.title}” now?"
EIGHT_DAYS = 8 * 24 * 3600
SHARE_LINK = re.compile(r"^http://[^/]+/shared/[\w.-]+$")


def write_draft(page: Page, base_url: str, editor: str) -> None:
    """Sign in, fill the new-story form with DRAFT, and mark the page (see set_marker)."""
    sign_in(page, base_url, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    page.wait_for_load_state()  # htmx starts on DOMContentLoaded
    fill_story_form(page, DRAFT)
    set_marker(page)


@pytest.fixture
def editor(demo_app: Flask) -> str:
    """The email of an editor of the demo newsroom."""
    create_user(demo_app, EDITOR_EMAIL, role="editor", name=EDITOR_NAME)
    return EDITOR_EMAIL


def test_publish_asks_in_a_dialog_and_keep_editing_loses_nothing(
    live_server: str, editor: str, page: Page
) -> None:
    """Publish opens a modal question over the form; "Keep editing" closes it in place."""
    write_draft(page, live_server, editor)

    submit(page, "Publish")
    dialog = confirm_dialog(page)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(dialog.get_by_role("button", name="Keep editing")).to_be_focused()
    dialog.get_by_role("button", name="Keep editing").click()

    expect(dialog).to_be_hidden()
    assert marker(page) == MARKER  # the form never left the page
    expect(page.get_by_role("heading", level=1)).to_have_text("New story")
    expect_form_holds(page, DRAFT)

    submit(page, "Publish")
    confirm_dialog(page).get_by_role("button", name="Publish now").click()
    expect(flash(page)).to_have_text(PUBLISHED)
    expect(page).to_have_url(EDIT_URL)


def test_publish_asks_on_a_page_without_javascript(
    live_server: str, editor: str, page_without_js: Page
) -> None:
    """Without JavaScript the question is a page: Keep editing posts everything back."""
    page = page_without_js
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    fill_story_form(page, DRAFT)

    submit(page, "Publish")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    submit(page, "Keep editing")
    expect(page.get_by_role("heading", level=1)).to_have_text("New story")
    expect_form_holds(page, DRAFT)

    submit(page, "Publish")
    submit(page, "Publish now")
    expect(flash(page)).to_have_text(PUBLISHED)
    expect(page).to_have_url(EDIT_URL)
    expect_form_holds(page, DRAFT)


def test_delete_asks_in_a_dialog(live_server: str, editor: str, page: Page) -> None:
    """Delete opens its question over the form; Cancel keeps the story, Delete deletes it."""
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    page.wait_for_load_state()
    fill_story_form(page, DRAFT)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    page.wait_for_load_state()

    page.get_by_role("link", name="Delete", exact=True).click()
    dialog = confirm_dialog(page)
    expect(dialog.get_by_role("heading", level=1)).to_have_text(
        f"Delete the story “{DRAFT.title}”?"
    )
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(EDIT_URL)

    page.get_by_role("link", name="Delete", exact=True).click()
    confirm_dialog(page).get_by_role("button", name="Delete", exact=True).click()
    expect(flash(page)).to_have_text(f"Deleted “{DRAFT.title}”.")


def test_preview_opens_over_the_form_with_every_take(
    live_server: str, editor: str, page: Page
) -> None:
    """Preview shows the story page (body, four takes, tool box) in a dialog; closing it
    finds the form as it was, with no page load."""
    write_draft(page, live_server, editor)

    submit(page, "Preview")
    dialog = page.get_by_role("dialog")
    story = dialog.get_by_role("article", name=DRAFT.title, exact=True)
    expect(story).to_contain_text(DRAFT.dek)
    expect(story.locator("strong")).to_have_text("office")
    panel = dialog.get_by_role("region", name="Panel Takes")
    expect(panel.get_by_role("heading", level=3)).to_have_text(PANEL_NAMES)
    for name, take in zip(PANEL_NAMES, DRAFT.takes, strict=True):
        expect(panel.get_by_role("article", name=name, exact=True)).to_contain_text(take)
    expect(panel.locator(".panel-split__tally")).to_contain_text("2 ship · 1 wait · 1 skip")
    expect(dialog.get_by_role("heading", name=f"About {DRAFT.tool}")).to_be_visible()

    dialog.get_by_role("button", name="Back to editing").click()
    expect(dialog).to_be_hidden()
    assert marker(page) == MARKER
    expect_form_holds(page, DRAFT)


def open_share_link(page: Page) -> str:
    """From a saved draft's form, open its preview and make a share link; return it."""
    page.get_by_role("link", name="View on the site (preview)").click()
    page.get_by_role("button", name="Make a share link").click()
    link = page.get_by_label("Share link (works for 7 days)")
    expect(link).to_have_value(SHARE_LINK)
    return str(link.input_value())


def test_a_share_link_signed_out_then_revoked(
    live_server: str, editor: str, page: Page, browser: Browser
) -> None:
    """Someone without an account reads the draft under the preview banner; once revoked,
    the same link says it was withdrawn."""
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    fill_story_form(page, DRAFT)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    link = open_share_link(page)

    stranger = browser.new_context()
    outside = stranger.new_page()
    outside.goto(link)
    expect(outside.get_by_role("heading", level=1)).to_have_text(DRAFT.title)
    expect(outside.get_by_role("region", name="Preview")).to_contain_text(
        "Shared by the newsroom before publication."
    )
    expect(outside.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    # Read-only: nothing on the story to press (the masthead's search is every page's).
    expect(outside.get_by_role("main").get_by_role("button")).to_have_count(0)

    page.get_by_role("button", name="Revoke every share link").click()
    outside.goto(link)
    expect(outside.get_by_role("heading", level=1)).to_have_text("That link no longer works")
    expect(outside.get_by_text("The newsroom has withdrawn this preview link.")).to_be_visible()
    stranger.close()


def test_an_expired_share_link(
    live_server: str,
    page: Page,
    demo_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    console_errors: list[str],
) -> None:
    """A link signed eight days ago says it has expired."""
    with demo_app.app_context():
        story = db.session.scalars(select(Story).order_by(Story.id)).first()
        assert story is not None
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() - EIGHT_DAYS)
        token = share_token(story)
        monkeypatch.setattr(time, "time", real_time)
    link = f"{live_server}/shared/{token}"
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("That link no longer works")
    expect(page.get_by_text("This preview link has expired.")).to_be_visible()
    forgive_failed_load(console_errors, link, status=410)


def test_two_editors_saving_the_same_story(
    live_server: str,
    editor: str,
    page: Page,
    browser: Browser,
    demo_app: Flask,
    console_errors: list[str],
) -> None:
    """The later save is refused with both versions shown and nothing typed lost; saving
    again keeps it on purpose."""
    write_draft(page, live_server, editor)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    edit_url = page.url

    create_user(demo_app, "second@example.com", role="editor", name="Sam Second")
    other = browser.new_context().new_page()
    sign_in(other, live_server, "second@example.com", "Sam Second")
    other.goto(edit_url)
    page.reload()

    other.get_by_label("Dek", exact=True).fill("Their dek, saved first.")
    other.get_by_role("button", name="Save draft").click()
    expect(other.get_by_role("status")).to_contain_text("Draft saved.")

    page.get_by_label("Dek", exact=True).fill("My dek, saved second.")
    submit(page, "Save draft")
    conflict = page.get_by_role("alert").filter(has_text="Someone else saved this")
    expect(conflict).to_contain_text("Their dek, saved first.")
    expect(page.get_by_label("Dek", exact=True)).to_have_value("My dek, saved second.")
    forgive_failed_load(console_errors, edit_url, status=409)

    submit(page, "Save draft")
    expect(page.get_by_role("status")).to_contain_text("Draft saved.")
    expect(page.get_by_label("Dek", exact=True)).to_have_value("My dek, saved second.")
    other.context.close()


def test_an_old_story_address_lands_on_the_new_one(
    live_server: str, editor: str, page: Page
) -> None:
    """After the slug changes, the old address still opens the story (301 to the new one)."""
    write_draft(page, live_server, editor)
    publish(page)
    expect(flash(page)).to_have_text(PUBLISHED)
    old_slug = page.get_by_label("Slug", exact=True).input_value()
    page.get_by_label("Slug", exact=True).fill("anthropic-in-paris")
    submit(page, "Save")
    expect(flash(page)).to_have_text(PUBLISHED)

    page.goto(f"{live_server}/news/{old_slug}")
    expect(page).to_have_url(f"{live_server}/news/anthropic-in-paris")
    expect(page.get_by_role("heading", level=1)).to_have_text(DRAFT.title)


def test_restore_an_earlier_version_from_the_history(
    live_server: str, editor: str, page: Page
) -> None:
    """The history marks the changed words; "Restore this version" brings the dek back."""
    write_draft(page, live_server, editor)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    page.get_by_label("Dek", exact=True).fill("A different dek entirely, for now.")
    submit(page, "Save draft")
    expect(flash(page)).to_contain_text("Draft saved.")

    page.get_by_role("link", name="History", exact=True).click()
    history = page.get_by_role("region", name=f"History of {DRAFT.title}", exact=True)
    entries = history.get_by_role("listitem")
    expect(entries).to_have_count(2)
    expect(entries.first.get_by_role("insertion").first).to_be_visible()
    entries.nth(1).get_by_role("button", name="Restore this version").click()

    expect(flash(page)).to_contain_text("Restored the version saved")
    expect(page.get_by_label("Dek", exact=True)).to_have_value(DRAFT.dek)
    page.get_by_role("link", name="History", exact=True).click()
    expect(
        page.get_by_role("region", name=f"History of {DRAFT.title}").get_by_role("listitem")
    ).to_have_count(3)


def test_autosave_and_the_leave_warning(live_server: str, editor: str, page: Page) -> None:
    """Typing is kept a moment after it stops; leaving asks first; coming back finds it."""
    write_draft(page, live_server, editor)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    edit_url = page.url
    page.wait_for_load_state()

    dek = page.get_by_label("Dek", exact=True)
    dek.fill("")
    dek.press_sequentially("Typed, kept, not yet saved.")
    expect(page.locator("#autosave-status")).to_contain_text("Your changes are kept as you type")

    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    newsroom = page.get_by_role("navigation", name="Newsroom")
    newsroom.get_by_role("link", name="Stories", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")
    assert asked == ["beforeunload"]

    page.goto(edit_url)
    expect(dek).to_have_value("Typed, kept, not yet saved.")
    expect(page.get_by_text("and did not save")).to_be_visible()


def test_a_new_story_is_kept_before_its_first_save(
    live_server: str, editor: str, page: Page
) -> None:
    """A story never saved is kept as it is typed: leaving and coming back to "New story"
    finds everything, and Save draft then creates it."""
    write_draft(page, live_server, editor)
    expect(page.locator("#autosave-status")).to_contain_text(
        "Nobody else sees the story until you save it"
    )
    page.on("dialog", lambda dialog: dialog.accept())  # the leave warning
    open_newsroom(page)
    open_new_story_form(page)
    expect(page.get_by_text("The form holds the new story you were writing")).to_be_visible()
    expect_form_holds(page, DRAFT)
    submit(page, "Save draft")
    expect(page).to_have_url(EDIT_URL)
    expect(flash(page)).to_contain_text("Draft saved.")
    open_new_story_form(page)
    expect(page.get_by_label("Title", exact=True)).to_have_value("")
    expect(page.get_by_text("The form holds the new story")).to_have_count(0)
