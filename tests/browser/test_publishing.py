"""Publishing is deliberate, in a real browser: Publish and Delete ask first, in a dialog
with JavaScript and on a page of their own without it, and asking loses nothing typed."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.test_editor import (
    EDIT_URL,
    EDITOR_EMAIL,
    EDITOR_NAME,
    MARKER,
    PUBLISHED,
    Draft,
    confirm_dialog,
    expect_form_holds,
    fill_story_form,
    flash,
    marker,
    open_new_story_form,
    open_newsroom,
    set_marker,
    sign_in,
    submit,
)
from tests.conftest import create_user

DRAFT = Draft(title="Anthropic Opens a Paris Office for Research and Policy")
QUESTION = f"Publish “{DRAFT.title}” now?"


@pytest.fixture
def editor(demo_app: Flask) -> str:
    """The email of an editor of the demo newsroom (this file's pages sign in with it)."""
    create_user(demo_app, EDITOR_EMAIL, role="editor", name=EDITOR_NAME)
    return EDITOR_EMAIL


def test_publish_asks_in_a_dialog_and_keep_editing_loses_nothing(
    live_server: str, editor: str, page: Page
) -> None:
    """Publish opens a modal question over the form; "Keep editing" closes it in place."""
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    page.wait_for_load_state()
    fill_story_form(page, DRAFT)
    set_marker(page)

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
