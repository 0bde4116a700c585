"""A shared cache of anonymous reader pages in Redis, so workers render each page once.

Only when `REDIS_URL` is set. A page is cached for PUBLIC_MAX_AGE seconds under a key
that includes the newsroom's "generation", a counter every editor write bumps: a
publish shows up on the next request, not a minute later. Anything personal is never
stored or served from here: signed-in readers, pending flash messages, and every
endpoint outside the reader pages bypass it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import redis
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

CACHEABLE_ENDPOINTS = {
    "news.index",
    "news.show",
    "news.take",
    "news.takes",
    "tools.index",
    "tools.show",
    "panel.index",
    "panel.show",
    "compare.show",
    "search.index",
}
GENERATION_KEY = "newsweb:pages:generation"
# Headers that choose between a page and its fragments (see rendering.wants_fragment).
_VARIES_ON = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def _client() -> redis.Redis | None:
    client: redis.Redis | None = current_app.extensions.get("newsweb_page_cache")
    return client


def _eligible() -> bool:
    return (
        request.method == "GET"
        and request.endpoint in CACHEABLE_ENDPOINTS
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _key(client: redis.Redis) -> str:
    generation = int(client.get(GENERATION_KEY) or 0)
    varies = "|".join(request.headers.get(name, "") for name in _VARIES_ON)
    digest = hashlib.sha256(f"{request.full_path}|{varies}".encode()).hexdigest()
    return f"newsweb:pages:{generation}:{digest}"


def serve_cached() -> Response | None:
    """Answer from the cache when this anonymous page is there."""
    client = _client()
    if client is None or not _eligible():
        return None
    try:
        key = _key(client)
        body = client.get(key)
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; rendering instead")
        return None
    g.page_cache_key = key
    if body is None:
        return None
    g.page_cache_hit = True
    return Response(body, mimetype="text/html")


def store(response: Response) -> Response:
    """Keep a freshly rendered anonymous page; bump the generation after editor writes."""
    client = _client()
    if client is None:
        return response
    try:
        if _is_editor_write(response):
            client.incr(GENERATION_KEY)
        key = g.get("page_cache_key")
        if key and not g.get("page_cache_hit") and _storable(response):
            client.set(key, response.get_data(), ex=current_app.config["PUBLIC_MAX_AGE"])
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; not storing")
    return response


def _is_editor_write(response: Response) -> bool:
    endpoint = request.endpoint or ""
    return (
        request.method == "POST" and endpoint.startswith("editor.") and response.status_code < 400
    )


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not g.get("personal")
        and not session.modified
    )


def init_app(app: Flask) -> None:
    """Connect to Redis when REDIS_URL is set, and hook the cache into requests."""
    url = app.config.get("PAGE_CACHE_URL") or app.config.get("REDIS_URL")
    if not url:
        return
    # A slow cache must not slow the site: past a second, pages are simply rendered.
    options: dict[str, Any] = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    app.extensions["newsweb_page_cache"] = redis.Redis.from_url(url, **options)
    app.before_request(serve_cached)
    app.after_request(store)
