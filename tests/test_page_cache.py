"""The Redis page cache: anonymous pages rendered once per generation, never personal ones."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
import redis
from flask import Flask

from newsweb.extensions import db
from tests.conftest import Auth, create_user, htmx
from tests.statements import counted_get

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    """Whether the test Redis answers."""
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis at {REDIS_URL} is not reachable"),
    # Every test here empties the one test Redis database: they take turns with the other
    # Redis tests, whichever pytest-xdist worker runs them (see tests/conftest.py).
    pytest.mark.xdist_group("redis"),
]


def version_reads(app: Flask) -> int:
    """Statements a page served from Redis runs: with an embedded SQLite database, the
    version is read from it (a local file beats a round trip); else Redis's copy answers."""
    return 1 if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else 0


@pytest.fixture
def cached_app(make_app: Callable[..., Flask], demo_newsroom: None) -> Iterator[Flask]:
    """The demo newsroom with the page cache on, over an empty test Redis database."""
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    yield make_app(PAGE_CACHE_URL=REDIS_URL)
    store.flushdb()


def test_second_anonymous_request_is_served_from_the_cache(cached_app: Flask) -> None:
    """The first request renders (queries); the same page again runs no SQL but the version."""
    first, page = counted_get(cached_app, "/tools")
    second, again = counted_get(cached_app, "/tools")
    assert first > version_reads(cached_app)
    assert second == version_reads(cached_app)
    assert again.text == page.text


def test_pages_and_fragments_are_cached_apart(cached_app: Flask) -> None:
    """The htmx fragment of a URL is not served for the page, nor the reverse."""
    counted_get(cached_app, "/?category=model")
    _, fragment = counted_get(cached_app, "/?category=model", headers=htmx())
    assert "<html" not in fragment.text
    _, page = counted_get(cached_app, "/?category=model")
    assert "<html" in page.text


def test_an_editor_write_shows_on_the_next_request(cached_app: Flask) -> None:
    """Publishing bumps the generation: the cached front page is not served again."""
    counted_get(cached_app, "/")
    create_user(cached_app, "ed@example.com", role="editor")
    editor = Auth(cached_app.test_client())
    editor.sign_in("ed@example.com")
    html = editor.client.get("/editor/stories/new").get_data(as_text=True)
    takes = {}
    for seat, persona_id in enumerate((1, 2, 3, 4)):
        takes[f"takes-{seat}-persona_id"] = str(persona_id)
        takes[f"takes-{seat}-body"] = "A take."
        takes[f"takes-{seat}-call"] = "ship"
    response = editor.client.post(
        "/editor/stories/new",
        data={
            "csrf_token": editor.token("/editor"),
            "title": "Fresh off the press",
            "tool": "cursor",
            "category": "funding",
            "dek": "New.",
            "action": "publish",
            "confirmed": "publish",  # the question's button (editor/confirm.py)
            **takes,
        },
    )
    assert response.status_code == 303, html
    count, page = counted_get(cached_app, "/")
    assert count > 0
    assert "Fresh off the press" in page.text


def test_signed_in_readers_bypass_the_cache(cached_app: Flask) -> None:
    """A member's page is rendered for them (their name in it), never stored or served."""
    counted_get(cached_app, "/tools")
    create_user(cached_app, "m@example.com", name="Mira Member")
    member = Auth(cached_app.test_client())
    member.sign_in("m@example.com")
    html = member.client.get("/tools").get_data(as_text=True)
    assert "Mira Member" in html
    _, anonymous = counted_get(cached_app, "/tools")
    assert "Mira Member" not in anonymous.text
    with cached_app.app_context():
        db.session.remove()
