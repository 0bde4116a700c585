"""axe-core on every page and key state, light and dark, phone and desktop: zero violations.

axe runs with its default rule set, which holds the WCAG A/AA rules and the best-practice
ones (heading order, landmarks, ...), and every violation fails whatever its impact. The
pinned build lives in vendor/ (see vendor/README.md). Each state is loaded once and
audited in all four looks by changing the viewport and colour scheme in place.
Accessibility does not depend on the database, so this runs on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.audited_pages import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    READER_FORMS,
    READER_STATES,
    SIGNED_IN_FORMS,
    STORY_PATH,
    html_pages,
)
from tests.conftest import PASSWORD, create_user

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
LOOKS: list[tuple[str, ViewportSize, str]] = [
    ("phone light", {"width": 390, "height": 844}, "light"),
    ("phone dark", {"width": 390, "height": 844}, "dark"),
    ("desktop light", {"width": 1280, "height": 900}, "light"),
    ("desktop dark", {"width": 1280, "height": 900}, "dark"),
]
# Wait for htmx to finish what it loads by itself (the story page's bookmarks box).
HTMX_IDLE = "() => !document.querySelector('.htmx-request')"
# Empties a form's text fields and submits it as its own button would (htmx included).
SUBMIT_EMPTY = """selector => {
  const form = document.querySelector(selector);
  form.noValidate = true;
  const typed = 'input:not([type=hidden], [type=checkbox], [type=radio]), textarea';
  for (const input of form.querySelectorAll(typed)) {
    input.value = '';
  }
  const main = form.querySelector('[type=submit].button--primary');
  form.requestSubmit(main || form.querySelector('[type=submit]'));
}"""


@dataclass
class Audit:
    """Runs axe on the page as it is now, in each look, and keeps what it finds."""

    page: Page
    found: list[str] = field(default_factory=list)
    audited: int = 0
    seen: set[str] = field(default_factory=set)

    def __call__(self, state: str) -> None:
        self.page.wait_for_function(HTMX_IDLE)
        for look, viewport, scheme in LOOKS:
            self.page.set_viewport_size(viewport)
            self.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            result: dict[str, Any] = self.page.evaluate(
                "() => axe.run(document, {resultTypes: ['violations']})"
            )
            self.audited += 1
            for violation in result["violations"]:
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                self.found.append(
                    f"{state} [{look}] {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} at {targets}"
                )

    def visit(self, base_url: str, path: str) -> None:
        """Load `path` and audit it, unless it led to a page already audited."""
        self.page.goto(base_url + path)
        if self.page.url not in self.seen:
            self.seen.add(self.page.url)
            self(path)

    def assert_clean(self) -> None:
        assert self.audited > 0
        if self.found:
            report = "\n".join(self.found)
            pytest.fail(f"{len(self.found)} axe violations:\n{report}", pytrace=False)


@pytest.fixture
def audit(browser: Browser) -> Iterator[Audit]:
    """A tab with axe injected into every document it loads."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: the vendored axe-core build is part of the tests")
    context = browser.new_context()
    context.add_init_script(path=AXE)
    yield Audit(context.new_page())
    context.close()


def submit_with_errors(audit: Audit, base_url: str, path: str, form: str = "main form") -> None:
    """Open the form at `path`, send it empty and audit the page with its errors."""
    audit.page.goto(base_url + path)
    audit.page.evaluate(SUBMIT_EMPTY, form)
    expect(audit.page.locator("[aria-invalid=true]").first).to_be_attached()
    audit(f"{path} with errors")


def open_menu(audit: Audit) -> None:
    """Open the masthead's menu (phones show the sections this way) and audit."""
    audit.page.locator(".site-menu > summary").click()
    audit("menu open on " + audit.page.url)


def test_reader_pages_have_no_axe_violations(live_server: str, audit: Audit) -> None:
    """What an anonymous reader sees, the sign-in forms with their errors and the open menu."""
    for path in READER_STATES:
        audit.visit(live_server, path)
    audit.page.set_viewport_size(LOOKS[0][1])
    audit.page.goto(live_server + STORY_PATH)
    open_menu(audit)
    for path, form in READER_FORMS:
        submit_with_errors(audit, live_server, path, form)
    audit.assert_clean()


def sign_in(audit: Audit, base_url: str) -> None:
    """Sign the audit's tab in as the admin through /login."""
    page = audit.page
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name=ADMIN_NAME, exact=True).first).to_be_attached()


def test_every_page_signed_in_has_no_axe_violations(
    live_server: str, demo_app: Flask, audit: Audit
) -> None:
    """Every HTML route as an admin sees it (newsroom included), and forms with errors."""
    create_user(demo_app, ADMIN_EMAIL, role="admin", name=ADMIN_NAME)
    pages = html_pages(demo_app)
    sign_in(audit, live_server)
    audit.page.goto(live_server + "/tools/mistral-ai")
    audit.page.get_by_role("button", name="Bookmark Mistral AI", exact=True).first.click()
    saved = audit.page.get_by_role("button", name="Bookmarked: Mistral AI")
    expect(saved.first).to_be_visible()
    for path in pages:
        audit.visit(live_server, path)
    # A story card saved from the front page, then /bookmarks with a row just removed.
    audit.page.goto(live_server + "/")
    audit.page.locator(".story-card .bookmark-button").first.click()
    expect(audit.page.locator('.story-card [aria-pressed="true"]').first).to_be_visible()
    audit("/ with a story card saved")
    audit.page.goto(live_server + "/bookmarks")
    audit.page.get_by_role("button", name="Remove Mistral AI from your bookmarks").click()
    expect(audit.page.locator(".saved-item--removed")).to_contain_text("Removed Mistral AI.")
    audit("/bookmarks with a row removed")
    for path, form in SIGNED_IN_FORMS:
        submit_with_errors(audit, live_server, path, form)
    audit.assert_clean()
