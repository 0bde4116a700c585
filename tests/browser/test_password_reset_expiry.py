"""An emailed password link opened too late, in a real browser: the page says so and offers
a new link, which works."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import forgive_failed_load
from tests.browser.test_password_reset import EMAIL, NAME, emailed_link
from tests.conftest import create_user
from tests.mailsink import SinkServer


@pytest.fixture
def demo_app(make_app: Callable[..., Flask], smtp_server: SinkServer, demo_newsroom: None) -> Flask:
    """The demo newsroom, mailing to the test SMTP server, with links that last one second."""
    app = make_app(MAIL_URL=smtp_server.url, PASSWORD_RESET_SECONDS=1)
    create_user(app, EMAIL, name=NAME)
    return app


def test_an_expired_link_offers_a_new_one(
    live_server: str, page: Page, smtp_server: SinkServer, console_errors: list[str]
) -> None:
    """Ask, wait past the link's life, open it: "no longer works", and a new link on offer."""
    page.goto(live_server + "/password/forgot")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status")).to_contain_text("on its way")
    link = emailed_link(smtp_server)
    time.sleep(2.1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    forgive_failed_load(console_errors, link, status=400)
    page.get_by_role("link", name="Send me a new link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgot your password?")
