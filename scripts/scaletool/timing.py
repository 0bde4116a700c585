"""Each request timed through the Flask test client, with the page cache emptied before it.

The app keeps anonymous pages rendered once per newsroom version (web/page_cache.py), and
the front door (web/front_door.py) answers readers from that store before Flask runs; a
member's copy of a shared page is the stored one with its personal parts redone. Left
alone, every run after the first would time a cache hit. A query parameter would defeat
the cache but change the page, so instead the store itself is emptied before every
request: with no REDIS_URL the store is the app's `MemoryPages` in
`app.extensions["newsweb_page_memory"]`, and clearing its dict (under its own lock) is
exactly the state of a worker that has not served the page yet. The version is still read
(one statement), as on any miss.
"""

from __future__ import annotations

import html
import math
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from newsweb import create_app
from newsweb.extensions import db
from newsweb.web.page_cache import MEMORY_EXTENSION, MemoryPages
from scaletool.databases import MEMBER_EMAIL, MEMBER_PASSWORD
from scaletool.routes import PageRequest

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]*)"')
SIGNED_IN = 'action="/logout"'


@dataclass(frozen=True)
class Measurement:
    """One request's figures in one newsroom."""

    p50_ms: float
    p95_ms: float
    statements: int
    size: int
    status: int


def build_app(url: str, outbox: Path) -> Flask:
    """A fresh app on `url` as production runs it (not TESTING: CSRF on, errors handled),
    pages kept in this process's memory, mail written to `outbox`."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": False,
            "SECRET_KEY": "bench-scale-secret-key-for-scratch-databases-only",
            "REDIS_URL": "",
            "PAGE_CACHE_URL": "",
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_URL": "",
            "MAIL_OUTBOX": str(outbox),
        }
    )


def close_app(app: Flask) -> None:
    """Return the app's connections, so its database can be dropped."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_page_cache(app: Flask) -> None:
    """Forget every stored page (see the module's docstring for why this and not a query)."""
    pages: MemoryPages = app.extensions[MEMORY_EXTENSION]
    with pages.lock:
        pages.pages.clear()
        pages.used = 0


def sign_in(app: Flask) -> FlaskClient:
    """A client signed in as the bench member through the real form, CSRF token and all."""
    client = app.test_client()
    form = client.get("/login")
    token = CSRF_INPUT.search(form.get_data(as_text=True))
    if form.status_code != 200 or token is None:
        raise SystemExit(f"/login answered {form.status_code} without a CSRF token")
    fields = {
        "csrf_token": html.unescape(token.group(1)),
        "email": MEMBER_EMAIL,
        "password": MEMBER_PASSWORD,
    }
    answer = client.post("/login", data=fields)
    if answer.status_code not in (302, 303):
        raise SystemExit(f"signing in answered {answer.status_code}, not a redirect")
    landing = client.get("/")
    if SIGNED_IN not in landing.get_data(as_text=True):
        raise SystemExit("signed in, but the front page shows no sign-out form")
    return client


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    """Collect the SQL statements the app runs inside the block, each with its parameters,
    leaving out SQLite's explicit BEGIN (PostgreSQL's driver begins implicitly), as
    tests/statements.py does."""
    statements: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            statements.append((args[2], args[3]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def percentile(timings: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest timing at least `share` of them are under."""
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class TimedApp:
    """One app under test with its two clients: a signed-in member and a cookie-less reader."""

    def __init__(self, app: Flask, requests: list[PageRequest]) -> None:
        self.app = app
        self.requests = {request.name: request for request in requests}
        self.member = sign_in(app) if any(r.member for r in requests) else None
        # Anonymous readers hold no cookie (the front door answers them); /login would set one.
        self.anonymous = app.test_client(use_cookies=False)

    def get(self, name: str) -> tuple[float, int, int, int]:
        """GET the request `name` with an empty page cache: milliseconds, SQL statements,
        response bytes, status."""
        request = self.requests[name]
        client = self.member if request.member else self.anonymous
        assert client is not None
        empty_page_cache(self.app)
        with counting_statements(self.app) as statements:
            started = time.perf_counter()
            response = client.get(request.path, headers=request.headers)
            body = response.get_data()
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, len(statements), len(body), response.status_code


def measure(
    newsrooms: list[TimedApp],
    names: list[str],
    runs: int,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[dict[str, Measurement]]:
    """Time each request `runs` times in every newsroom (after one untimed warm-up that
    compiles templates and fills connection pools), each with an empty page cache.

    The newsrooms take turns run by run, so a busy moment on the machine lands on both
    rather than on whichever was being timed then. Statements, bytes and status are the
    last run's."""
    results: list[dict[str, Measurement]] = [{} for _ in newsrooms]
    for name in names:
        for newsroom in newsrooms:
            newsroom.get(name)
        timings: list[list[float]] = [[] for _ in newsrooms]
        last: list[tuple[float, int, int, int]] = []
        for _ in range(runs):
            last = [newsroom.get(name) for newsroom in newsrooms]
            for mine, (elapsed, *_rest) in zip(timings, last, strict=True):
                mine.append(elapsed)
        for result, mine, (_, statements, size, status) in zip(results, timings, last, strict=True):
            result[name] = Measurement(
                p50_ms=statistics.median(mine),
                p95_ms=percentile(mine, 0.95),
                statements=statements,
                size=size,
                status=status,
            )
        medians = " vs ".join(f"{result[name].p50_ms:.1f}" for result in results)
        progress(f"  {name}: {medians} ms")
    return results
