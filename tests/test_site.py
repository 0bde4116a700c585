"""What every page shares: full page vs fragment, headers, and friendly errors."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Auth, create_user, htmx
from tests.routes import sample_pages

# The front page filtered: a query string the URL map cannot know about.
FILTERED_INDEX = ("news.index", "/?category=funding")
# The pages this file once listed by hand: the walk must still reach each of them.
KNOWN_PAGES = {
    *("news.index", "news.show", "tools.index", "tools.show"),
    *("panel.index", "panel.show", "bookmarks.index"),
}
FRAGMENTS = [
    "/?category=model",
    "/tools?category=model",
    "/panel/the-skeptic?category=model",
    "/bookmarks",
    "/bookmarks/sidebar",
]


def test_every_route_has_a_sample_url_that_exists(demo_app: Flask) -> None:
    """Each GET route's sample URL (tests/routes.py) names something in the demo: an admin
    gets a 200 over htmx, a visitor no 4xx. So the walks over every route reach its page."""
    create_user(demo_app, "admin@example.com", role="admin")
    admin = Auth(demo_app.test_client())
    admin.sign_in("admin@example.com")
    anonymous = demo_app.test_client()
    for endpoint, path in sample_pages(demo_app):
        assert admin.client.get(path, headers=htmx()).status_code == 200, (endpoint, path)
        assert anonymous.get(path).status_code < 400, (endpoint, path)


def test_every_page_is_a_whole_document(demo_client: FlaskClient) -> None:
    """Every route that answers a visitor with an HTML page gives a full document with the
    site's chrome, varying on HX-Request."""
    checked: set[str] = set()
    problems: list[str] = []
    for endpoint, path in [*sample_pages(demo_client.application), FILTERED_INDEX]:
        response = demo_client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue  # members or htmx only (a redirect), JSON, feeds, text
        checked.add(endpoint)
        html = response.get_data(as_text=True)
        if "<html" not in html or 'class="masthead"' not in html:
            problems.append(f"{path}: not a whole page with the masthead")
        if "HX-Request" not in response.headers["Vary"]:
            problems.append(f"{path}: does not vary on HX-Request")
    assert problems == []
    assert checked >= KNOWN_PAGES, f"the walk missed {KNOWN_PAGES - checked}"


@pytest.mark.parametrize("path", FRAGMENTS)
def test_htmx_requests_get_fragments(demo_client: FlaskClient, path: str) -> None:
    """htmx requests get a block of the page, never a whole document."""
    response = demo_client.get(path, headers=htmx())
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    "headers",
    [htmx(**{"HX-Boosted": "true"}), htmx(**{"HX-History-Restore-Request": "true"})],
)
def test_boosted_and_history_restore_get_the_whole_page(
    demo_client: FlaskClient, headers: dict[str, str]
) -> None:
    """A boosted link or a history restore needs the full page, even from htmx."""
    html = demo_client.get("/?category=model", headers=headers).get_data(as_text=True)
    assert "<html" in html


def test_security_headers_on_pages(demo_client: FlaskClient) -> None:
    """Pages carry a strict CSP (no unsafe-inline) and the baseline security headers."""
    headers = demo_client.get("/").headers
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_htmx_is_vendored_with_its_license(demo_client: FlaskClient) -> None:
    """htmx 2.0.x comes from our own static files, with its license beside it."""
    html = demo_client.get("/").get_data(as_text=True)
    # Linked under its content hash (web/static_files.py), from our own origin.
    assert re.search(r'src="/static/vendor/htmx-2\.0\.11\.min\.[0-9a-f]{8}\.js"', html)
    for asset in ("htmx-2.0.11.min.js", "htmx-2.0.11.LICENSE.txt"):
        with demo_client.get(f"/static/vendor/{asset}") as response:
            assert response.status_code == 200
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    """An unknown URL gets the site's 404 page."""
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "We could not find that page" in html
    assert 'class="masthead"' in html


def test_wrong_method_is_a_friendly_405(client: FlaskClient) -> None:
    """POST to a read-only page gets the site's 405 page."""
    response = client.post("/")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "That is not something this page does" in response.get_data(as_text=True)


def test_crash_is_a_friendly_500_without_traceback(make_app: Callable[..., Flask]) -> None:
    """An unexpected error shows the site's 500 page and no traceback."""
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom() -> str:
        """A route that fails, to see the 500 page."""
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something broke on our side" in html
    assert "secret internals" not in html
    assert "Traceback" not in html
