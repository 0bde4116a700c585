"""HTTP caching: public, revalidated anonymous pages; private personal ones; no cookies.

The routes come from `app.url_map` (tests/routes.py): whatever an anonymous visitor can
read is public unless it is listed below as personal, so a new page is checked too.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Auth, htmx
from tests.routes import STORY, sample_pages

# Answers that depend on who asks, even for a visitor who has not signed in.
# The forms a visitor fills in before signing in carry a CSRF token, which lives in a
# session cookie.
SIGN_IN_FORMS = {
    "accounts.login",
    "accounts.register",
    "accounts.forgot_password",
    "accounts.reset_password",
}
PERSONAL = {"bookmarks.index", "bookmarks.sidebar", *SIGN_IN_FORMS}
# Health checks are answered afresh every time, and so are preview links (revocable).
NEVER_STORED = {
    "health.healthz",
    "accounts.verify_email",
    "digest.unsubscribe",
    "news.shared_story",
}
# Query strings the URL map cannot know about.
FILTERED_INDEX = ("news.index", "/?category=funding")
EXPANDED_TAKE = ("news.take", f"/news/{STORY}/takes/the-skeptic?expanded=1")
# The reader pages this file once listed by hand: the walks must still reach each of them.
READER_PAGES = {
    *("news.index", "news.show", "tools.index", "tools.show", "panel.index", "panel.show"),
}


def test_anonymous_pages_are_public_and_revalidate(demo_app: Flask) -> None:
    """Every page a visitor reads, but the personal ones, has an ETag, answers If-None-Match
    with 304, and may be shared for a minute."""
    checked: set[str] = set()
    problems: list[str] = []
    for endpoint, path in [*sample_pages(demo_app), FILTERED_INDEX]:
        client = demo_app.test_client()
        response = client.get(path)
        if response.status_code != 200 or endpoint in PERSONAL:
            continue  # members or htmx only: a redirect
        cache = response.cache_control
        if endpoint in NEVER_STORED:
            if not cache.no_store:
                problems.append(f"{path}: stored ({response.headers.get('Cache-Control')})")
            continue
        checked.add(endpoint)
        if not (cache.public and cache.max_age == 60):
            problems.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')}")
        etag = response.headers.get("ETag")
        again = client.get(path, headers={"If-None-Match": etag or ""})
        if etag is None or again.status_code != 304 or again.get_data() != b"":
            problems.append(f"{path}: ETag {etag}, {again.status_code} to If-None-Match")
    assert problems == []
    assert checked >= READER_PAGES, f"the walk missed {READER_PAGES - checked}"


def test_reading_sets_no_cookie(demo_app: Flask) -> None:
    """A visitor gets no Set-Cookie from any page or fragment but the sign-in forms."""
    problems = [
        f"{path} {'(htmx)' if headers else ''}"
        for endpoint, path in [*sample_pages(demo_app), EXPANDED_TAKE]
        if endpoint not in SIGN_IN_FORMS
        for headers in ({}, htmx())
        if "Set-Cookie" in demo_app.test_client().get(path, headers=headers).headers
    ]
    assert problems == []


def test_fragments_and_pages_are_kept_apart(demo_client: FlaskClient) -> None:
    """A page and its fragment share a URL, so caches must key on HX-Request."""
    page = demo_client.get("/?category=model")
    fragment = demo_client.get("/?category=model", headers=htmx())
    assert "HX-Request" in page.headers["Vary"]
    assert page.headers["ETag"] != fragment.headers["ETag"]


@pytest.mark.parametrize("endpoint", sorted(PERSONAL))
def test_personal_pages_are_never_shared(
    demo_client: FlaskClient, member: str, endpoint: str
) -> None:
    """Pages that depend on who asks are private even for anonymous visitors (`member` is
    there so that a password-reset link has an account to be for)."""
    path = dict(sample_pages(demo_client.application))[endpoint]
    response = demo_client.get(path, headers=htmx() if "sidebar" in path else {})
    assert response.cache_control.private
    assert not response.cache_control.public


def test_signed_in_pages_are_private(auth: Auth, member: str) -> None:
    """Once signed in, every page is private and varies on the cookie."""
    auth.sign_in(member)
    checked: set[str] = set()
    problems: list[str] = []
    for endpoint, path in [*sample_pages(auth.client.application), FILTERED_INDEX]:
        response = auth.client.get(path)
        if response.status_code != 200 or endpoint in NEVER_STORED:
            continue  # for editors only, htmx only, or for visitors (sign-in): not a page
        checked.add(endpoint)
        cache = response.cache_control
        if not (cache.private and cache.no_cache and "Cookie" in response.headers["Vary"]):
            problems.append(f"{path}: {response.headers.get('Cache-Control')}")
    assert problems == []
    assert checked >= READER_PAGES, f"the walk missed {READER_PAGES - checked}"


def test_writes_and_errors_are_not_stored(
    auth: Auth, member: str, demo_client: FlaskClient
) -> None:
    """POST responses, redirects and error pages carry no-store."""
    response = auth.sign_in(member)
    assert response.cache_control.no_store
    assert demo_client.get("/news/nope").cache_control.no_store
