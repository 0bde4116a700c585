"""A member who forgot their password gets back in, in a real browser, through a real
SMTP server: the emailed link works once, and signs out the other browser."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import forgive_failed_load
from tests.browser.test_members import expect_signed_in_as, fill_sign_in, sign_in_link
from tests.conftest import create_user
from tests.mailsink import SinkServer

EMAIL = "forgetful@example.com"
NAME = "Fran Forgetful"
NEW_PASSWORD = "lantern orchard velvet"
LINK = re.compile(r"https?://\S+/password/reset/[A-Za-z0-9_.\-]+")


@pytest.fixture
def demo_app(make_app: Callable[..., Flask], smtp_server: SinkServer, demo_newsroom: None) -> Flask:
    """The demo newsroom, sending its mail to the test SMTP server (live_server serves it)."""
    app = make_app(MAIL_URL=smtp_server.url, MAIL_FROM="newsweb <news@newsweb.test>")
    create_user(app, EMAIL, name=NAME)
    return app


def emailed_link(smtp_server: SinkServer, within: float = 10.0) -> str:
    """The reset link in the message the server received for EMAIL (sent once the page's
    answer is out, so it may arrive a moment after the page)."""
    deadline = time.monotonic() + within
    while not (messages := smtp_server.sink.to(EMAIL)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert messages, "no message arrived"
    body = messages[-1].get_body(preferencelist=("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found
    return found.group(0)


def test_forgot_password_end_to_end(
    live_server: str,
    page: Page,
    browser: Browser,
    smtp_server: SinkServer,
    console_errors: list[str],
) -> None:
    """Sign in elsewhere, forget, reset by the emailed link: signed in here, out there; the
    link then no longer works."""
    elsewhere = browser.new_context().new_page()
    elsewhere.goto(live_server + "/login")
    fill_sign_in(elsewhere, EMAIL)
    expect_signed_in_as(elsewhere, NAME)

    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text("a link to choose a new password")

    link = emailed_link(smtp_server)
    assert link.startswith(live_server)
    page.goto(link)
    page.get_by_role("textbox", name="New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    expect_signed_in_as(page, NAME)

    elsewhere.reload()
    expect(sign_in_link(elsewhere)).to_be_visible()
    elsewhere.context.close()

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    forgive_failed_load(console_errors, link, status=400)
