"""HTTP caching: public, revalidated anonymous pages; private personal ones; no cookies."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Auth, htmx

STORY = "/news/general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"
READER_PAGES = [
    "/",
    "/?category=funding",
    STORY,
    "/tools",
    "/tools/mistral-ai",
    "/panel",
    "/panel/the-skeptic",
]


@pytest.mark.parametrize("path", READER_PAGES)
def test_anonymous_pages_are_public_and_revalidate(demo_client: FlaskClient, path: str) -> None:
    """An anonymous page has an ETag, answers If-None-Match with 304, and may be shared briefly."""
    response = demo_client.get(path)
    assert response.status_code == 200
    assert response.cache_control.public
    assert response.cache_control.max_age == 60
    etag = response.headers["ETag"]
    again = demo_client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


@pytest.mark.parametrize("path", [*READER_PAGES, f"{STORY}/takes/the-skeptic?expanded=1"])
def test_reading_sets_no_cookie(demo_client: FlaskClient, path: str) -> None:
    """An anonymous reader gets no Set-Cookie from pages or their fragments."""
    for headers in ({}, htmx()):
        response = demo_client.get(path, headers=headers)
        assert "Set-Cookie" not in response.headers, path


def test_fragments_and_pages_are_kept_apart(demo_client: FlaskClient) -> None:
    """A page and its fragment share a URL, so caches must key on HX-Request."""
    page = demo_client.get("/?category=model")
    fragment = demo_client.get("/?category=model", headers=htmx())
    assert "HX-Request" in page.headers["Vary"]
    assert page.headers["ETag"] != fragment.headers["ETag"]


@pytest.mark.parametrize("path", ["/bookmarks", "/bookmarks/sidebar", "/login", "/register"])
def test_personal_pages_are_never_shared(demo_client: FlaskClient, path: str) -> None:
    """Pages that depend on who asks are private even for anonymous visitors."""
    response = demo_client.get(path, headers=htmx() if "sidebar" in path else {})
    assert response.cache_control.private
    assert not response.cache_control.public


def test_signed_in_pages_are_private(auth: Auth, member: str) -> None:
    """Once signed in, every page is private and varies on the cookie."""
    auth.sign_in(member)
    for path in READER_PAGES:
        response = auth.client.get(path)
        assert response.cache_control.private, path
        assert response.cache_control.no_cache, path
        assert "Cookie" in response.headers["Vary"], path


def test_writes_and_errors_are_not_stored(
    auth: Auth, member: str, demo_client: FlaskClient
) -> None:
    """POST responses, redirects and error pages carry no-store."""
    response = auth.sign_in(member)
    assert response.cache_control.no_store
    assert demo_client.get("/news/nope").cache_control.no_store
