"""What an editor does in the newsroom in a real browser: write, preview, publish, edit.

Every step types and clicks as a person would, finding controls by their labels and
roles; `window.__marker` shows where htmx changed a page without loading a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import forgive_failed_load
from tests.conftest import PASSWORD, create_user

MARKER = 11
EDITOR_EMAIL = "editor@example.com"
EDITOR_NAME = "Eda Editor"
READER_EMAIL = "reader@example.com"
READER_NAME = "Rita Reader"
# The demo panel in panel order, with each persona's lens (its take field reads "Name: lens").
PANEL = (
    ("The Founder", "Business & Market"),
    ("The Skeptic", "Reality Check"),
    ("The Futurist", "Big Picture"),
    ("The Builder", "Developer Perspective"),
)
PANEL_NAMES = [name for name, _lens in PANEL]
DRAFT_SAVED = "Draft saved. Readers cannot see it."
PUBLISHED = "Published. It is on the front page."
FIELDS_NEED_A_LOOK = "Some fields need another look. Nothing was saved"
BAD_SOURCE = "Use a full web address starting with https:// (or http://)."
NOT_FOR_READERS = "The newsroom is for editors"
# A word in the titles of exactly two demo stories (both about Cerebras).
DEMO_SEARCH_WORD = "Cerebras"
DEMO_MATCHES = 2
EDIT_URL = re.compile(r"/editor/stories/\d+/edit$")


@dataclass(frozen=True)
class Draft:
    """What an editor writes into the new-story form."""

    title: str
    dek: str = "The lab will hire researchers and policy staff in France this year."
    tool: str = "Anthropic"
    category: str = "Research"
    source_url: str = "https://example.com/anthropic-paris"
    body: str = "Paris **office** opens"
    takes: tuple[str, ...] = (
        "Europe is a sales market before it is a research hub.",
        "An office is a lease, not a lab. Count the hires in a year.",
        "Labs follow talent, and talent is spreading out of the Bay Area.",
        "More staff in my time zone means faster answers on the API forum.",
    )
    # Each take's call on the news, in panel order.
    calls: tuple[str, ...] = ("Ship", "Wait", "Skip", "Ship")


# --- page helpers ---------------------------------------------------------------------


def set_marker(page: Page) -> None:
    """Leave a value on `window` that only survives while no full page load happens."""
    page.evaluate(f"window.__marker = {MARKER}")


def marker(page: Page) -> object:
    """The value `set_marker` left, or None after a full page load."""
    return page.evaluate("window.__marker")


def path_of(url: str) -> str:
    """The path of `url`, without its query."""
    return urlsplit(url).path


def masthead(page: Page) -> Locator:
    """The site's masthead (the page's banner)."""
    return page.get_by_role("banner")


def flash(page: Page) -> Locator:
    """The flash messages after a redirect (a status region)."""
    return page.get_by_role("status")


def sign_in(page: Page, base_url: str, email: str, name: str) -> None:
    """Sign in through /login and wait until the masthead names the member."""
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(masthead(page).get_by_role("link", name=name, exact=True)).to_be_visible()


def open_newsroom(page: Page) -> None:
    """Follow the masthead's "Newsroom" link to the dashboard."""
    masthead(page).get_by_role("link", name="Newsroom", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")


def open_new_story_form(page: Page) -> None:
    """From any newsroom page, click "New story" in the newsroom's navigation."""
    page.get_by_role("navigation", name="Newsroom").get_by_role(
        "link", name="New story", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New story")


def title_field(page: Page) -> Locator:
    """The story form's Title field."""
    return page.get_by_label("Title", exact=True)


def dek_field(page: Page) -> Locator:
    """The story form's Dek field."""
    return page.get_by_label("Dek", exact=True)


def source_field(page: Page) -> Locator:
    """The story form's "Original source" field."""
    return page.get_by_label("Original source", exact=True)


def body_field(page: Page) -> Locator:
    """The story form's Markdown body."""
    return page.get_by_label("Body (Markdown)", exact=True)


def tool_menu(page: Page) -> Locator:
    """The story form's menu of tools."""
    return page.get_by_role("combobox", name="Tool", exact=True)


def category_menu(page: Page) -> Locator:
    """The story form's menu of categories."""
    return page.get_by_role("combobox", name="Category", exact=True)


def take_fields(page: Page) -> list[Locator]:
    """The take fields, one per persona in panel order, found by "<Name>: <lens>"."""
    return [page.get_by_label(f"{name}: {lens}", exact=True) for name, lens in PANEL]


def call_groups(page: Page) -> list[Locator]:
    """The radio groups of the takes' calls, one per persona in panel order."""
    return [page.get_by_role("group", name=f"{name}'s call on the news") for name in PANEL_NAMES]


def fill_takes(page: Page, draft: Draft) -> None:
    """Write each persona's take and pick its call."""
    for take_field, take in zip(take_fields(page), draft.takes, strict=True):
        take_field.fill(take)
    for group, call in zip(call_groups(page), draft.calls, strict=True):
        group.get_by_role("radio", name=call, exact=True).check()


def preview_panel(page: Page) -> Locator:
    """The story form's Preview region."""
    return page.get_by_role("region", name="Preview", exact=True)


def selected_option(menu: Locator) -> Locator:
    """The option a menu has selected."""
    return menu.locator("option:checked")


def fill_story_form(page: Page, draft: Draft, *, type_body: bool = False) -> None:
    """Fill in every field of the story form; type the body key by key when asked."""
    title_field(page).fill(draft.title)
    tool_menu(page).select_option(label=draft.tool)
    category_menu(page).select_option(label=draft.category)
    dek_field(page).fill(draft.dek)
    source_field(page).fill(draft.source_url)
    if type_body:
        body_field(page).press_sequentially(draft.body)
    else:
        body_field(page).fill(draft.body)
    fill_takes(page, draft)


def expect_form_holds(page: Page, draft: Draft) -> None:
    """Every field of the story form still holds what was typed for `draft`."""
    expect(title_field(page)).to_have_value(draft.title)
    expect(selected_option(tool_menu(page))).to_have_text(draft.tool)
    expect(selected_option(category_menu(page))).to_have_text(draft.category)
    expect(dek_field(page)).to_have_value(draft.dek)
    expect(source_field(page)).to_have_value(draft.source_url)
    expect(body_field(page)).to_have_value(draft.body)
    for take_field, take in zip(take_fields(page), draft.takes, strict=True):
        expect(take_field).to_have_value(take)
    for group, call in zip(call_groups(page), draft.calls, strict=True):
        expect(group.get_by_role("radio", name=call, exact=True)).to_be_checked()


def front_page_story_links(page: Page) -> Locator:
    """The title links of the stories listed on the front page."""
    return (
        page.get_by_role("list", name="Stories").get_by_role("heading", level=3).get_by_role("link")
    )


def expect_not_on_front_page(page: Page, base_url: str, title: str) -> None:
    """`/` lists stories, and none of them is `title`."""
    page.goto(base_url + "/")
    links = front_page_story_links(page)
    expect(links.first).to_be_visible()
    expect(links.filter(has_text=title)).to_have_count(0)


def submit(page: Page, button: str) -> None:
    """Click one of the story form's buttons by its name."""
    page.get_by_role("button", name=button, exact=True).click()


def confirm_dialog(page: Page) -> Locator:
    """The newsroom's question, open as a modal dialog."""
    return page.get_by_role("dialog")


def publish(page: Page) -> None:
    """Press Publish, then "Publish now" in the question it opens."""
    submit(page, "Publish")
    confirm_dialog(page).get_by_role("button", name="Publish now", exact=True).click()


def write_and_publish(page: Page, base_url: str, draft: Draft) -> None:
    """As a signed-in editor, write `draft` in the new-story form and publish it."""
    page.goto(base_url + "/editor")
    open_new_story_form(page)
    fill_story_form(page, draft)
    publish(page)
    expect(flash(page)).to_have_text(PUBLISHED)
    expect(page).to_have_url(EDIT_URL)


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture
def editor(demo_app: Flask) -> str:
    """The email of an editor in the demo newsroom (password `PASSWORD`)."""
    create_user(demo_app, EDITOR_EMAIL, role="editor", name=EDITOR_NAME)
    return EDITOR_EMAIL


@pytest.fixture
def reader(demo_app: Flask) -> str:
    """The email of a reader (no newsroom access) in the demo newsroom."""
    create_user(demo_app, READER_EMAIL, name=READER_NAME)
    return READER_EMAIL


# --- tests ----------------------------------------------------------------------------


def test_write_preview_draft_then_publish(live_server: str, editor: str, page: Page) -> None:
    """An editor writes a story with live preview, saves a draft readers cannot see, publishes.

    The preview follows the typed Markdown without a page load; the draft stays off the
    front page; once published it is there, with the panel's four takes in panel order.
    """
    draft = Draft(title="Anthropic Opens a Paris Office for Research and Policy")
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    preview = preview_panel(page)
    expect(preview).to_contain_text("The body appears here as you type.")
    set_marker(page)

    title_field(page).fill(draft.title)
    tool_menu(page).select_option(label=draft.tool)
    category_menu(page).select_option(label=draft.category)
    dek_field(page).fill(draft.dek)
    source_field(page).fill(draft.source_url)
    body_field(page).press_sequentially(draft.body)

    expect(preview.locator("strong")).to_have_text("office")
    expect(preview).to_contain_text("Paris office opens")
    expect(preview).not_to_contain_text("**")
    assert marker(page) == MARKER

    fill_takes(page, draft)
    submit(page, "Save draft")

    expect(flash(page)).to_have_text(DRAFT_SAVED)
    expect(page).to_have_url(EDIT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit story")
    expect_form_holds(page, draft)

    expect_not_on_front_page(page, live_server, draft.title)

    open_newsroom(page)
    page.get_by_role("table").get_by_role("link", name=draft.title, exact=True).click()
    expect(page).to_have_url(EDIT_URL)
    publish(page)

    expect(flash(page)).to_have_text(PUBLISHED)
    page.goto(live_server + "/")
    story_link = front_page_story_links(page).filter(has_text=draft.title)
    expect(story_link).to_have_count(1)
    story_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    story = page.get_by_role("article", name=draft.title, exact=True)
    expect(story).to_contain_text(draft.dek)
    expect(story.locator("strong")).to_have_text("office")
    panel = page.get_by_role("region", name="Panel Takes")
    expect(panel.get_by_role("heading", level=3)).to_have_text(PANEL_NAMES)
    expect(panel.get_by_role("article")).to_have_count(len(PANEL))
    expect(panel.locator(".panel-split__tally")).to_have_text(
        "The panel\u2019s calls: 2 ship · 1 wait · 1 skip"
    )
    for name, take in zip(PANEL_NAMES, draft.takes, strict=True):
        expect(panel.get_by_role("article", name=name, exact=True)).to_contain_text(take)


def test_edit_dek_is_recorded_in_history(live_server: str, editor: str, page: Page) -> None:
    """Saving a new dek on a published story adds a history entry: who, and old and new dek."""
    draft = Draft(title="Anthropic Opens a Paris Office for Research and Policy")
    new_dek = "The lab's first European research office opens with forty staff."
    sign_in(page, live_server, editor, EDITOR_NAME)
    write_and_publish(page, live_server, draft)

    dek_field(page).fill(new_dek)
    submit(page, "Save")

    expect(flash(page)).to_have_text(PUBLISHED)
    expect(dek_field(page)).to_have_value(new_dek)
    page.get_by_role("link", name="History", exact=True).click()

    history = page.get_by_role("region", name=f"History of {draft.title}", exact=True)
    entries = history.get_by_role("listitem")
    expect(entries).to_have_count(2)
    newest = entries.first
    expect(newest.get_by_role("heading", level=2)).to_contain_text(f"{EDITOR_NAME} edited it")
    expect(newest.get_by_role("term")).to_have_text(["Dek"])
    # One text, the changed words marked: what went struck, what came inserted.
    change = newest.get_by_role("definition")
    expect(change.get_by_role("deletion").filter(has_text="researchers")).to_have_count(1)
    expect(change.get_by_role("insertion").filter(has_text="forty")).to_have_count(1)
    expect(entries.nth(1).get_by_role("heading", level=2)).to_contain_text(
        f"{EDITOR_NAME} created it"
    )


def test_invalid_source_keeps_everything_typed(
    live_server: str, editor: str, page: Page, console_errors: list[str]
) -> None:
    """A `javascript:` source URL is refused next to "Original source"; nothing typed is lost.

    The form answers 422 by design, which Chromium logs as a failed resource; that one
    entry is expected, any other still fails.
    """
    draft = Draft(title="Zanzibar Lab Claims a Faster Tokenizer", source_url="javascript:alert(1)")
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    fill_story_form(page, draft)

    submit(page, "Publish")

    expect(page.get_by_role("alert")).to_contain_text(FIELDS_NEED_A_LOOK)
    expect(page.get_by_role("heading", level=1)).to_have_text("New story")
    source = source_field(page)
    expect(source).to_have_attribute("aria-invalid", "true")
    expect(source).to_have_accessible_description(re.compile(re.escape(BAD_SOURCE)))
    expect(title_field(page)).not_to_have_attribute("aria-invalid", "true")
    expect_form_holds(page, draft)
    expect(preview_panel(page).locator("strong")).to_have_text("office")
    forgive_failed_load(console_errors, live_server + "/editor/stories/new", status=422)

    expect_not_on_front_page(page, live_server, draft.title)
    page.goto(live_server + "/editor?q=Zanzibar")
    expect(page.get_by_role("table")).to_contain_text("No stories with “Zanzibar” in the title.")


def test_dashboard_search_as_you_type(live_server: str, editor: str, page: Page) -> None:
    """Typing into "Search titles" narrows the story table in place and records `q=`."""
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    page.wait_for_load_state()  # htmx starts on DOMContentLoaded: type only once it runs
    titles = page.get_by_role("table").get_by_role("link")
    expect(titles.filter(has_not_text=DEMO_SEARCH_WORD).first).to_be_visible()
    set_marker(page)

    page.get_by_role("searchbox", name="Search titles").press_sequentially(DEMO_SEARCH_WORD)

    expect(page).to_have_url(re.compile(rf"[?&]q={DEMO_SEARCH_WORD}(&|$)"))
    expect(titles).to_have_text([re.compile(DEMO_SEARCH_WORD)] * DEMO_MATCHES)
    assert marker(page) == MARKER
    assert path_of(page.url) == "/editor"


def test_preview_and_save_draft_without_javascript(
    live_server: str, editor: str, page_without_js: Page
) -> None:
    """Without JavaScript, "Preview" shows the story page as readers will see it, "Back to
    editing" brings every field back, and "Save draft" saves."""
    page = page_without_js
    draft = Draft(title="Anthropic Opens a Paris Office for Research and Policy")
    sign_in(page, live_server, editor, EDITOR_NAME)
    open_newsroom(page)
    open_new_story_form(page)
    fill_story_form(page, draft, type_body=True)
    expect(preview_panel(page).locator("strong")).to_have_count(0)

    submit(page, "Preview")

    story = page.get_by_role("article", name=draft.title, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    expect(story.locator("strong")).to_have_text("office")
    expect(page.get_by_role("region", name="Preview")).to_contain_text("A draft")
    submit(page, "Back to editing")

    expect(page.get_by_role("heading", level=1)).to_have_text("New story")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect_form_holds(page, draft)

    submit(page, "Save draft")

    expect(flash(page)).to_have_text(DRAFT_SAVED)
    expect(page).to_have_url(EDIT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit story")
    expect_form_holds(page, draft)
    expect_not_on_front_page(page, live_server, draft.title)


def test_reader_is_refused_the_newsroom(
    live_server: str, reader: str, page: Page, console_errors: list[str]
) -> None:
    """A reader sees no "Newsroom" link, and /editor answers 403 with a page saying why."""
    sign_in(page, live_server, reader, READER_NAME)
    expect(masthead(page).get_by_role("link", name="Newsroom", exact=True)).to_have_count(0)

    response = page.goto(live_server + "/editor")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("That page is not open to you")
    expect(page.get_by_text(NOT_FOR_READERS)).to_be_visible()
    forgive_failed_load(console_errors, live_server + "/editor", status=403)
