"""No request can poison the shared caches or flush them: hosts, Vary, and who invalidates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from newsweb.models.clock import utcnow
from newsweb.web.version import GENERATION_KEY
from tests import factories
from tests.conftest import Auth, create_user, csrf_token_in, htmx
from tests.statements import counted_get
from tests.test_page_cache import REDIS_URL, redis_reachable, version_reads

redis_only = pytest.mark.skipif(
    not redis_reachable(), reason=f"Redis at {REDIS_URL} is not reachable"
)
# Each Redis test empties the one test database: under pytest-xdist they share a worker.
same_worker = pytest.mark.xdist_group("redis")
TOOL_PAGE = "/tools/mistral-ai"


def canonical(html: str) -> str:
    """The page's canonical URL."""
    match = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    assert match, "no canonical link on the page"
    return match.group(1)


@pytest.fixture
def cached_app(make_app: Callable[..., Flask], demo_newsroom: None) -> Iterator[Flask]:
    """The demo newsroom with the page cache on, over an empty test Redis database."""
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    yield make_app(PAGE_CACHE_URL=REDIS_URL)
    store.flushdb()


def generation() -> int:
    """The page cache's current generation."""
    return int(redis.Redis.from_url(REDIS_URL).get(GENERATION_KEY) or 0)


@redis_only
@same_worker
def test_a_request_naming_another_host_cannot_poison_the_cache(cached_app: Flask) -> None:
    """A page rendered for `Host: evil.example` is never served to readers of the real host."""
    client = cached_app.test_client()
    poisoned = client.get(TOOL_PAGE, headers={"Host": "evil.example"})
    assert canonical(poisoned.text).startswith("http://evil.example/")
    count, page = counted_get(cached_app, TOOL_PAGE)
    assert count > 0, "the real host's page was served from the attacker's entry"
    assert canonical(page.text) == "http://localhost/tools/mistral-ai"
    assert "evil.example" not in page.text


def test_site_url_pins_every_absolute_url(
    make_app: Callable[..., Flask], demo_newsroom: None
) -> None:
    """With SITE_URL set, pages and feeds link to it whatever Host the request names."""
    client = make_app(SITE_URL="https://news.example").test_client()
    page = client.get(TOOL_PAGE, headers={"Host": "evil.example"})
    assert canonical(page.text) == "https://news.example/tools/mistral-ai"
    assert 'content="https://news.example/tools/mistral-ai"' in page.text  # og:url
    feed = client.get("/feeds/stories.atom", headers={"Host": "evil.example"})
    assert "https://news.example/news/" in feed.text
    assert "evil.example" not in page.text + feed.text


def test_hosts_outside_trusted_hosts_are_refused(
    make_app: Callable[..., Flask], demo_newsroom: None
) -> None:
    """With TRUSTED_HOSTS set, another host gets a plain 400 and no page; listed hosts work."""
    client = make_app(TRUSTED_HOSTS=["news.example"]).test_client()
    refused = client.get(TOOL_PAGE, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" not in refused.text
    assert client.get(TOOL_PAGE, headers={"Host": "news.example"}).status_code == 200


@redis_only
@same_worker
def test_an_anonymous_post_never_flushes_the_cache(cached_app: Flask) -> None:
    """A preview POST with a token from /login goes to sign-in and leaves the cache as it was."""
    counted_get(cached_app, "/")
    before = generation()
    client = cached_app.test_client()
    token = csrf_token_in(client.get("/login").text)
    response = client.post("/editor/preview", data={"csrf_token": token, "body": "x"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert generation() == before
    count, _ = counted_get(cached_app, "/")
    assert count == version_reads(cached_app), "the cached front page was thrown away"


@redis_only
@same_worker
def test_refused_editor_forms_and_member_writes_never_flush(cached_app: Flask) -> None:
    """Only committed content changes invalidate: not a 422 form, a preview, or a bookmark."""
    counted_get(cached_app, "/")
    before = generation()
    create_user(cached_app, "ed@example.com", role="editor")
    editor = Auth(cached_app.test_client())
    editor.sign_in("ed@example.com")
    token = editor.token("/editor")
    refused = editor.client.post("/editor/categories/new", data={"csrf_token": token, "name": ""})
    assert refused.status_code == 422
    editor.client.post("/editor/preview", data={"csrf_token": token, "body": "*draft*"})
    create_user(cached_app, "m@example.com")
    member = Auth(cached_app.test_client())
    member.sign_in("m@example.com")
    saved = member.client.post(
        "/bookmarks/tools/mistral-ai", data={"csrf_token": member.token("/account")}
    )
    assert saved.status_code in (200, 303)
    assert generation() == before
    assert counted_get(cached_app, "/")[0] == version_reads(cached_app)


@redis_only
@same_worker
def test_a_committed_category_starts_a_new_generation(cached_app: Flask) -> None:
    """A saved category is known to the cached front page on the very next request: the
    page is rendered again, and its address answers (an empty category is not offered in
    the menu, so its name shows on its own page)."""
    counted_get(cached_app, "/")
    create_user(cached_app, "ed@example.com", role="editor")
    editor = Auth(cached_app.test_client())
    editor.sign_in("ed@example.com")
    data = {"csrf_token": editor.token("/editor"), "name": "Robotics"}
    assert editor.client.post("/editor/categories/new", data=data).status_code == 303
    count, page = counted_get(cached_app, "/")
    assert count > 0
    assert "Robotics" not in page.text
    _, page = counted_get(cached_app, "/?category=robotics")
    assert "Robotics" in page.text


def test_vary_names_every_header_that_chooses_page_or_fragment(demo_client: FlaskClient) -> None:
    """Browsers and proxies must keep boosted pages and history restores apart from fragments."""
    for headers in ({}, htmx(), htmx(**{"HX-History-Restore-Request": "true"})):
        vary = demo_client.get("/?category=model", headers=headers).headers["Vary"]
        for name in ("HX-Request", "HX-Boosted", "HX-History-Restore-Request"):
            assert name in vary, (headers, vary)


@redis_only
@same_worker
def test_a_history_restore_gets_the_whole_page_after_a_cached_fragment(cached_app: Flask) -> None:
    """After a filter click cached the fragment, Back (a history restore) gets the masthead."""
    counted_get(cached_app, "/?category=model", headers=htmx())
    restore = htmx(**{"HX-History-Restore-Request": "true"})
    _, page = counted_get(cached_app, "/?category=model", headers=restore)
    assert "<html" in page.text
    assert 'class="site-header' in page.text or "<header" in page.text


@redis_only
@same_worker
def test_a_scheduled_story_shows_the_moment_its_time_comes(cached_app: Flask) -> None:
    """No write happens when a scheduled story goes out: the cache must notice all the same."""
    with cached_app.app_context():
        goes_out = factories.schedule_first_story(
            "Embargoed until a second from now", in_seconds=1.5
        )
    _, before = counted_get(cached_app, "/")
    assert "Embargoed until" not in before.text
    assert counted_get(cached_app, "/")[0] == version_reads(cached_app), "not cached"
    time.sleep(max(0.0, (goes_out - utcnow()).total_seconds()) + 0.2)
    count, after = counted_get(cached_app, "/")
    assert count > 0
    assert "Embargoed until" in after.text
