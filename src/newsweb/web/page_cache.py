"""Anonymous reader pages rendered once per newsroom version, and revalidated without rendering.

A view opts in with `@shared_cache`. For an anonymous GET of such a view, before the view
runs, the page's ETag is derived from what the page depends on: the newsroom's version
(web/version.py), the host, the path and query, and the headers that choose page or
fragment. A matching `If-None-Match` is answered 304 at once; otherwise the page is
looked up under that ETag: in Redis when `REDIS_URL` is set (shared by every worker and
machine), else in a small per-worker memory. Only on a miss does the view run. Anything
personal is never stored or served from here: signed-in readers, pending flash messages,
and every view that did not opt in bypass it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar

import redis
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from newsweb.web import version
from newsweb.web.compression import negotiated_encoding
from newsweb.web.rendering import CHOOSING_HEADERS

P = ParamSpec("P")
R = TypeVar("R")

MEMORY_EXTENSION = "newsweb_page_memory"
# A worker keeps at most this many bytes of pages in memory (least recently used go first).
MEMORY_BUDGET = 32 * 1024 * 1024
# Redis keeps a page this long: entries are versioned, so this only bounds memory.
REDIS_SECONDS = 3600


class PageStore(Protocol):
    """Where rendered pages wait for the next reader, under their ETags."""

    def get(self, etag: str) -> bytes | None:
        """The page stored under `etag`, if any."""

    def put(self, etag: str, body: bytes) -> None:
        """Keep `body` under `etag`."""


class MemoryPages:
    """A worker's own pages, least recently used dropped past a byte budget."""

    def __init__(self, budget: int = MEMORY_BUDGET) -> None:
        self.budget = budget
        self.used = 0
        self.pages: OrderedDict[str, bytes] = OrderedDict()
        # gunicorn's threaded workers may serve several requests of one worker at once.
        self.lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        """The page stored under `etag`, if any (and mark it recently used)."""
        with self.lock:
            body = self.pages.get(etag)
            if body is not None:
                self.pages.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        """Keep `body`, dropping the least recently used pages to stay in budget."""
        if len(body) > self.budget:
            return
        with self.lock:
            if etag in self.pages:
                return
            self.pages[etag] = body
            self.used += len(body)
            while self.used > self.budget:
                _, dropped = self.pages.popitem(last=False)
                self.used -= len(dropped)


class RedisPages:
    """Pages shared by every worker and machine."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def get(self, etag: str) -> bytes | None:
        """The page stored under `etag`, if any."""
        body = self.client.get(_redis_key(etag))
        return body if isinstance(body, bytes) else None

    def put(self, etag: str, body: bytes) -> None:
        """Keep `body` for REDIS_SECONDS."""
        self.client.set(_redis_key(etag), body, ex=REDIS_SECONDS)


def _redis_key(etag: str) -> str:
    return f"newsweb:pages:{etag.strip(chr(34))}"


def shared_cache(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose anonymous GET answers every reader may share.

    Only for pages that depend on nothing but the URL and the newsroom's content.
    """
    view.shared_cache = True  # type: ignore[attr-defined]
    return view


def _view_is_shared() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "shared_cache", False))


def _store() -> PageStore:
    if (client := version.redis_client()) is not None:
        return RedisPages(client)
    pages: MemoryPages = current_app.extensions[MEMORY_EXTENSION]
    return pages


def _eligible() -> bool:
    return (
        request.method == "GET"
        and _view_is_shared()
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def page_etag(current: version.Version) -> str:
    """The ETag of the page this request asks for, as of the newsroom version `current`.

    The host is part of the page (canonical and feed URLs): a request naming another host
    gets, and can only fill, an entry of its own. So is the content coding the client
    accepts: each coding has its own ETag and its own stored copy, compressed once.
    """
    choosing = "|".join(request.headers.get(name, "") for name in CHOOSING_HEADERS)
    coding = negotiated_encoding() or "identity"
    page = f"{request.host_url}|{request.full_path}|{choosing}|{coding}"
    return f'"{current}-{hashlib.sha256(page.encode()).hexdigest()[:24]}"'


def answer_early() -> Response | None:
    """Before the view: 304 when the reader's copy is current, the stored page when there is one."""
    if not _eligible():
        return None
    try:
        etag = page_etag(version.current())
        g.page_etag = etag
        if request.if_none_match.contains_raw(etag):
            return Response(status=304)
        body = _store().get(etag)
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; rendering instead")
        return None
    if body is None:
        return None
    g.page_cache_hit = True
    coding, _, page = body.partition(b"\n")
    response = Response(page, mimetype="text/html")
    if coding:
        response.content_encoding = coding.decode()
    return response


def store(response: Response) -> Response:
    """Keep a freshly rendered anonymous page under its ETag."""
    etag = g.get("page_etag")
    if not etag or g.get("page_cache_hit") or not _storable(response):
        return response
    # The page is kept as sent (compressed or not), its content coding on a first line.
    coding = (response.content_encoding or "").encode()
    try:
        _store().put(etag, coding + b"\n" + response.get_data())
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; not storing")
    return response


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not g.get("personal")
        and not session.modified
    )


def connect(app: Flask) -> None:
    """Set up the page store: Redis when REDIS_URL is set, else each worker's memory."""
    version.track_changes()
    app.extensions[MEMORY_EXTENSION] = MemoryPages()
    url = app.config.get("PAGE_CACHE_URL") or app.config.get("REDIS_URL")
    if not url:
        return
    # A slow cache must not slow the site: past a second, pages are simply rendered.
    options: dict[str, Any] = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    app.extensions[version.REDIS_EXTENSION] = redis.Redis.from_url(url, **options)
