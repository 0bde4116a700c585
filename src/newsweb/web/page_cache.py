"""Anonymous reader pages rendered once per newsroom version, and revalidated without rendering.

A view opts in with `@shared_cache`. For an anonymous GET of such a view, before the view
runs, the page's ETag is derived from what the page depends on: the newsroom's version
(web/version.py) and the page's name, a hash of the host, the path and query, the
headers that choose page or fragment, and the content coding. A matching `If-None-Match`
is answered 304 at once; otherwise the stored copy of the page is served if it was
rendered as of the current version. Each page has one copy, kept with that version: in
Redis when `REDIS_URL` is set (shared by every worker and machine; the version read from
an embedded SQLite database, else from Redis's copy with the page in one round trip),
else in a small per-worker memory (the version read from the database). Only on a miss
does the view run. Anything personal is never stored or served from here: signed-in
readers get the stored copy with their personal parts made theirs (web/personal.py);
pending flash messages and every view that did not opt in bypass it.

Readers without a session cookie are looked up by the front door (web/front_door.py),
before Flask runs; `answer_early` does the same inside Flask for anonymous readers who
hold a session (a CSRF token from a form they opened). A page is stored as it was sent,
with its final headers, so either can answer with it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar

import redis
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user
from werkzeug.wrappers import Request

from newsweb.extensions import db
from newsweb.web import personal, version
from newsweb.web.compression import decode, preferred_encoding
from newsweb.web.rendering import CHOOSING_HEADERS

P = ParamSpec("P")
R = TypeVar("R")

MEMORY_EXTENSION = "newsweb_page_memory"
READER_EXTENSION = "newsweb_state_reader"
# The front door's lookup of a page it could not answer, passed on to Flask in the environ.
LOOKUP_ENVIRON = "newsweb.page_lookup"
# A worker keeps at most this many bytes of pages in memory (least recently used go first).
MEMORY_BUDGET = 32 * 1024 * 1024
# Redis keeps a page this long: entries are versioned, so this only bounds memory.
REDIS_SECONDS = 3600


class PageStore(Protocol):
    """Where rendered pages wait for the next reader: one copy of each, as of one version."""

    def version_now(self) -> version.Version:
        """The newsroom's version now."""

    def page(self, name: str, current: version.Version) -> bytes | None:
        """The page `name`, if it was stored as of the version `current`."""

    def look_up(self, name: str) -> tuple[version.Version, bytes | None]:
        """The version now and the page `name` as of it, as cheaply as the store can."""

    def put(self, name: str, rendered_at: version.Version, data: bytes) -> None:
        """Keep `data` as the page `name`, rendered as of the version `rendered_at`."""


def _as_of(current: version.Version, entry: tuple[str, bytes] | None) -> bytes | None:
    # A copy rendered as of another version is no copy at all.
    return entry[1] if entry is not None and entry[0] == str(current) else None


class MemoryPages:
    """A worker's own pages, least recently used dropped past a byte budget.

    The version is read from the database (one statement) on every look-up.
    """

    def __init__(self, reader: version.StateReader, budget: int = MEMORY_BUDGET) -> None:
        self.reader = reader
        self.budget = budget
        self.used = 0
        self.pages: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        # gunicorn's threaded workers may serve several requests of one worker at once.
        self.lock = threading.Lock()

    def version_now(self) -> version.Version:
        """The version, read from the database."""
        return version.from_database(self.reader)

    def page(self, name: str, current: version.Version) -> bytes | None:
        """The page if stored as of `current` (and mark it recently used)."""
        with self.lock:
            if (data := _as_of(current, self.pages.get(name))) is not None:
                self.pages.move_to_end(name)
            return data

    def look_up(self, name: str) -> tuple[version.Version, bytes | None]:
        """The version now, and the page if stored as of it."""
        current = self.version_now()
        return current, self.page(name, current)

    def put(self, name: str, rendered_at: version.Version, data: bytes) -> None:
        """Keep the page (in place of any older copy), dropping the least recently used pages
        to stay in budget."""
        if len(data) > self.budget:
            return
        with self.lock:
            if (older := self.pages.pop(name, None)) is not None:
                self.used -= len(older[1])
            self.pages[name] = (str(rendered_at), data)
            self.used += len(data)
            while self.used > self.budget:
                _, (_, dropped) = self.pages.popitem(last=False)
                self.used -= len(dropped)


class RedisPages:
    """Pages shared by every worker and machine.

    The version comes from wherever it is cheapest to read exactly: an embedded SQLite
    database is a file on this machine (one read, no network), anything else is a network
    round trip away, and Redis's copy answers instead, in the same round trip as the page.
    """

    def __init__(self, client: redis.Redis, reader: version.StateReader) -> None:
        self.client = client
        self.reader = reader

    def version_now(self) -> version.Version:
        """The version, from the local database or from Redis's copy."""
        if self.reader.is_local:
            return version.from_database(self.reader)
        pipeline = self.client.pipeline(transaction=False)
        version.ask_redis(pipeline)
        return version.from_redis(*pipeline.execute())

    def page(self, name: str, current: version.Version) -> bytes | None:
        """The page if stored as of `current`."""
        return _as_of(current, _entry(self.client.get(_redis_key(name))))

    def look_up(self, name: str) -> tuple[version.Version, bytes | None]:
        """The version now, and the page if stored as of it: one round trip to Redis."""
        if self.reader.is_local:
            current = self.version_now()
            return current, self.page(name, current)
        pipeline = self.client.pipeline(transaction=False)
        version.ask_redis(pipeline)
        pipeline.get(_redis_key(name))
        *replies, data = pipeline.execute()
        current = version.from_redis(*replies)
        return current, _as_of(current, _entry(data))

    def put(self, name: str, rendered_at: version.Version, data: bytes) -> None:
        """Keep the page, in place of any older copy, for REDIS_SECONDS at most."""
        self.client.set(_redis_key(name), f"{rendered_at}\n".encode() + data, ex=REDIS_SECONDS)


def _entry(stored: object) -> tuple[str, bytes] | None:
    # Redis keeps the version a page was rendered at on the line before it.
    if not isinstance(stored, bytes):
        return None
    rendered_at, _, data = stored.partition(b"\n")
    return rendered_at.decode(), data


def _redis_key(name: str) -> str:
    return f"newsweb:pages:{name}"


def shared_cache(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose anonymous GET answers every reader may share.

    Only for pages that depend on nothing but the URL and the newsroom's content.
    """
    view.shared_cache = True  # type: ignore[attr-defined]
    return view


def is_shared(app: Flask, endpoint: str | None) -> bool:
    """Whether the view at `endpoint` opted in with `@shared_cache`."""
    view = app.view_functions.get(endpoint or "")
    return bool(getattr(view, "shared_cache", False))


@dataclass(frozen=True)
class StoredPage:
    """A page as it was sent, every header final but the per-request ones."""

    headers: list[tuple[str, str]]
    body: bytes

    def dump(self) -> bytes:
        """The bytes a store keeps: the headers as one JSON line, then the body."""
        return json.dumps(self.headers).encode() + b"\n" + self.body

    @classmethod
    def load(cls, data: bytes) -> StoredPage:
        """The page `dump` made these bytes of."""
        head, _, body = data.partition(b"\n")
        return cls([(name, value) for name, value in json.loads(head)], body)


@dataclass(frozen=True)
class Lookup:
    """What the page cache knows of one request, before any view runs."""

    version: version.Version
    name: str
    etag: str
    # The reader already holds this version of the page: a 304 answers.
    current: bool
    page: StoredPage | None


def store_for(app: Flask) -> PageStore:
    """Where `app` keeps pages: Redis when configured, else this worker's memory."""
    if (client := version.redis_client(app)) is not None:
        return RedisPages(client, app.extensions[READER_EXTENSION])
    pages: MemoryPages = app.extensions[MEMORY_EXTENSION]
    return pages


def page_name(request: Request, coding: str | None) -> str:
    """What names the page `request` asks for, in `coding`, whatever the version.

    The host is part of the page (canonical and feed URLs): a request naming another host
    gets, and can only fill, an entry of its own. So is the content coding: each coding
    has its own ETag and its own stored copy, compressed once.
    """
    choosing = "|".join(request.headers.get(name, "") for name in CHOOSING_HEADERS)
    page = (
        f"{request.scheme}://{request.host}|{request.full_path}|{choosing}|{coding or 'identity'}"
    )
    return hashlib.sha256(page.encode()).hexdigest()[:24]


def page_etag(current: version.Version, name: str) -> str:
    """The ETag of the page `name` as of the newsroom version `current`."""
    return f'"{current}-{name}"'


def look_up(app: Flask, request: Request, *, plain: bool = False) -> Lookup:
    """Read the version and the stored page, derive the ETag (RedisError if Redis fails).

    `plain` asks for the uncompressed copy, whatever the client accepts.
    """
    coding = None if plain else preferred_encoding(request.headers.get("Accept-Encoding", ""))
    name = page_name(request, coding)
    store = store_for(app)
    if request.if_none_match:
        # A revalidation: the version alone decides; the page only if the copy is old.
        current = store.version_now()
        etag = page_etag(current, name)
        if request.if_none_match.contains_raw(etag):
            return Lookup(current, name, etag, current=True, page=None)
        data = store.page(name, current)
    else:
        current, data = store.look_up(name)
        etag = page_etag(current, name)
    page = StoredPage.load(data) if data else None
    return Lookup(current, name, etag, current=False, page=page)


def revalidation_headers(app: Flask, etag: str) -> list[tuple[str, str]]:
    """The headers of a 304 for a shared page: its validator and how it may be cached.

    What a 200 would carry of these (RFC 9110, 15.4.5), without rendering the page.
    """
    return [
        ("ETag", etag),
        ("Cache-Control", f"public, max-age={app.config['PUBLIC_MAX_AGE']}"),
        ("Vary", ", ".join((*CHOOSING_HEADERS, "Accept-Encoding", "Cookie"))),
    ]


def _shareable() -> bool:
    # A page every reader shares, but for its personal parts, and no message waiting.
    return (
        request.method == "GET"
        and is_shared(current_app, request.endpoint)
        and "_flashes" not in session
    )


def answer_early() -> Response | None:
    """Before the view: 304 when the reader's copy is current, the stored page when there is one,
    and for a member, the stored page with its personal parts made theirs.

    Requests without a session cookie were looked up already, before Flask (web/
    front_door.py): on a miss only the lookup is passed on, for `store` to use.
    """
    if (found := request.environ.get(LOOKUP_ENVIRON)) is not None:
        g.page_lookup, g.page_etag = found, found.etag
        return None
    if not _shareable():
        return None
    try:
        if current_user.is_authenticated:
            return _personalized()
        found = look_up(current_app, request)
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; rendering instead")
        return None
    g.page_lookup, g.page_etag = found, found.etag
    if found.current:
        return Response(status=304, headers=revalidation_headers(current_app, found.etag))
    if found.page is None:
        return None
    g.page_cache_hit = True
    return Response(found.page.body, headers=found.page.headers)


def _personalized() -> Response | None:
    """The stored anonymous page (uncompressed) with its personal parts rendered for the member.

    What rendering the page for them would give, for the price of its personal parts; None
    (render it) when no anonymous copy is stored. The response is personal like any other
    member's page: the pipeline makes it private and never stores it.
    """
    found = look_up(current_app, request, plain=True)
    if found.page is None:
        return None
    html = personal.personalize(found.page.body.decode())
    kind = {name.lower(): value for name, value in found.page.headers}.get("content-type")
    return None if html is None else Response(html, content_type=kind or "text/html")


# Headers that belong to one response, never to a stored copy.
PER_RESPONSE_HEADERS = frozenset({"content-length", "date", "set-cookie", "x-request-id"})


def store(response: Response) -> Response:
    """Keep a freshly rendered anonymous page, with its final headers, under its ETag.

    A compressed page is also kept as it was before compression, under the ETag of the
    identity coding: clients that accept no compression are served from it.
    """
    found: Lookup | None = g.get("page_lookup")
    if found is None or found.current or g.get("page_cache_hit") or not _storable(response):
        return response
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    ]
    copies = {found.name: StoredPage(headers, response.get_data())}
    if coding := response.content_encoding:
        plain_name = page_name(request, None)
        plain = [
            (name, value)
            for name, value in headers
            if name.lower() not in ("content-encoding", "etag")
        ]
        plain.append(("ETag", page_etag(found.version, plain_name)))
        copies[plain_name] = StoredPage(plain, decode(response.get_data(), coding))
    try:
        pages = store_for(current_app)
        for name, page in copies.items():
            pages.put(name, found.version, page.dump())
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; not storing")
    return response


# What a shared view may answer with and be stored: pages, and the XML of sitemaps.
STORABLE_TYPES = frozenset({"text/html", "application/xml"})


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype in STORABLE_TYPES
        and "Set-Cookie" not in response.headers
        and not g.get("personal")
        and not session.modified
    )


def connect(app: Flask) -> None:
    """Set up the page store (Redis when REDIS_URL is set, else each worker's memory), and
    the reader of the version where the front door, outside Flask, finds it."""
    version.track_changes()
    with app.app_context():
        reader = version.StateReader(db.engine)
    app.extensions[READER_EXTENSION] = reader
    app.extensions[MEMORY_EXTENSION] = MemoryPages(reader)
    url = app.config.get("PAGE_CACHE_URL") or app.config.get("REDIS_URL")
    if not url:
        return
    # A slow cache must not slow the site: past a second, pages are simply rendered.
    options: dict[str, Any] = {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    app.extensions[version.REDIS_EXTENSION] = redis.Redis.from_url(url, **options)
