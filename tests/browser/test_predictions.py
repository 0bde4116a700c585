"""The prediction ledger in a real browser: an editor's prediction form, and the ledger's
filters with JavaScript on (swapped in place) and off (plain links)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Story
from tests.browser.conftest import forgive_failed_load
from tests.browser.test_editor import (
    EDITOR_EMAIL,
    EDITOR_NAME,
    flash,
    marker,
    set_marker,
    sign_in,
)
from tests.conftest import create_user

STORY = "mistral-40b-open-weight-reasoning-model-single-gpu"
CLAIM = "A European bank names the 40B model as its in-house assistant by spring."


@pytest.fixture
def story_edit_path(demo_app: Flask) -> str:
    """The newsroom's edit page of the story whose takes get predictions, with an editor."""
    create_user(demo_app, EDITOR_EMAIL, role="editor", name=EDITOR_NAME)
    with demo_app.app_context():
        story_id = db.session.scalars(select(Story.id).where(Story.slug == STORY)).one()
    return f"/editor/stories/{story_id}/edit"


def add_prediction(page: Page, base_url: str, edit_path: str, console: list[str] | None) -> None:
    """From the story form, attach a prediction to the Founder's take: first without a due
    date (refused, the claim kept), then complete."""
    sign_in(page, base_url, EDITOR_EMAIL, EDITOR_NAME)
    page.goto(base_url + edit_path)
    page.get_by_role(
        "link", name="Add a prediction in The Founder\N{RIGHT SINGLE QUOTATION MARK}s take"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A prediction in The Founder\N{RIGHT SINGLE QUOTATION MARK}s take"
    )
    page.get_by_label("Claim").fill(CLAIM)
    page.get_by_label("How to check it (optional)").fill("A bank's own announcement.")
    form_url = page.url
    page.get_by_role("button", name="Save prediction").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(page.get_by_text("Give the day the claim can be checked.")).to_be_visible()
    expect(page.get_by_label("Claim")).to_have_value(CLAIM)
    if console is not None:
        forgive_failed_load(console, form_url, status=422)

    page.get_by_label("Due").fill("2027-04-30")
    page.get_by_role("button", name="Save prediction").click()
    expect(flash(page)).to_have_text("The prediction is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the prediction")
    expect(page.get_by_label("Due")).to_have_value("2027-04-30")


def test_editor_adds_a_prediction(
    live_server: str, story_edit_path: str, page: Page, console_errors: list[str]
) -> None:
    """With JavaScript, the form's errors come back in place and the save lands on the ledger."""
    add_prediction(page, live_server, story_edit_path, console_errors)
    page.goto(live_server + "/predictions?status=open")
    expect(page.get_by_role("heading", name=CLAIM)).to_be_visible()


def test_editor_adds_a_prediction_without_javascript(
    live_server: str, story_edit_path: str, page_without_js: Page
) -> None:
    """Without JavaScript the same form works as a plain form."""
    add_prediction(page_without_js, live_server, story_edit_path, None)
    page_without_js.goto(live_server + "/predictions?status=open")
    expect(page_without_js.get_by_role("heading", name=CLAIM)).to_be_visible()


def claims(page: Page) -> list[str]:
    """The claims the ledger shows, in order."""
    return page.locator(".prediction__claim").all_inner_texts()


def test_ledger_filters_swap_in_place(live_server: str, page: Page) -> None:
    """With JavaScript, a filter swaps the ledger without a page load and pushes its URL."""
    page.goto(live_server + "/predictions")
    everyone = len(claims(page))
    set_marker(page)
    status = page.get_by_role("navigation", name="Filter by status")
    panelist = page.get_by_role("navigation", name="Filter by panelist")

    panelist.get_by_role("link", name="The Skeptic").click()
    expect(page).to_have_url(re.compile(r"/predictions\?panelist=the-skeptic$"))
    expect(panelist.get_by_role("link", name="The Skeptic")).to_have_attribute(
        "aria-current", "page"
    )
    skeptic = claims(page)
    assert 0 < len(skeptic) < everyone

    status.get_by_role("link", name="Awaiting a ruling").click()
    expect(page).to_have_url(re.compile(r"status=due&panelist=the-skeptic$"))
    expect(page.get_by_role("heading", level=2)).to_have_text(["Awaiting a ruling"])
    assert marker(page) == 11
    page.go_back()
    expect(page).to_have_url(re.compile(r"/predictions\?panelist=the-skeptic$"))


def test_ledger_filters_without_javascript(live_server: str, page_without_js: Page) -> None:
    """Without JavaScript each filter is a plain link to the filtered ledger."""
    page = page_without_js
    page.goto(live_server + "/predictions")
    page.get_by_role("navigation", name="Filter by status").get_by_role(
        "link", name="Resolved"
    ).click()
    expect(page).to_have_url(re.compile(r"/predictions\?status=resolved$"))
    page.get_by_role("navigation", name="Filter by ruling").get_by_role(
        "link", name="Came true"
    ).click()
    expect(page).to_have_url(re.compile(r"status=resolved&ruling=came_true$"))
    expect(page.locator(".prediction .badge")).to_have_text(["Came true"])
