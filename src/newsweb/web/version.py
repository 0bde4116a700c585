"""The newsroom's version: what every anonymous page, its cache entry and its ETag depend on.

A version is a generation, which every committed change to content moves (in the same
transaction, so every worker and machine sees it on its next request), and the number of
scheduled stories that have gone out since, which changes with no write at all. The
database's `newsroom_state` row is the source of truth; with Redis configured, Redis keeps
a copy so that a cached page is answered without touching the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from typing import Any

import redis
from flask import Flask, current_app, has_app_context
from redis.client import Pipeline
from sqlalchemy import Connection, Dialect, Engine, event, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from newsweb.config import PACKAGE_DIR, STATIC_DIR, TEMPLATE_DIR
from newsweb.database import SINGLE_READ
from newsweb.models import (
    Category,
    NewsroomState,
    Persona,
    Prediction,
    Story,
    StoryStatus,
    Take,
    Tool,
    Verdict,
)
from newsweb.models.clock import utcnow

# What readers see: a committed change to any of these makes every cached page stale.
CONTENT_MODELS = (Category, Persona, Prediction, Story, Take, Tool, Verdict)
GENERATION_KEY = "newsweb:pages:generation"
# Upcoming publication times, a sorted set of UNIX times (Redis's copy of the schedule).
SCHEDULE_KEY = "newsweb:pages:scheduled"
REDIS_EXTENSION = "newsweb_page_cache"


@cache
def release() -> str:
    """A fingerprint of the code, templates and static files this process serves.

    Stored pages and ETags name it, so a deploy never serves a page rendered by the code
    before it (with its old links to static files). Every worker of a release computes
    the same value, once, from the files themselves.
    """
    digest = hashlib.sha256()
    trees = ((PACKAGE_DIR, "*.py"), (TEMPLATE_DIR, "*"), (STATIC_DIR, "*"))
    for root, pattern in trees:
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Version:
    """A generation and how many scheduled stories have gone out since it began, as seen by
    this release of the code."""

    generation: int
    published: int

    def __str__(self) -> str:
        return f"{release()}.{self.generation}.{self.published}"


def redis_client(app: Flask | None = None) -> redis.Redis | None:
    """The Redis connection for pages and versions, when REDIS_URL is configured."""
    client: redis.Redis | None = (app or current_app).extensions.get(REDIS_EXTENSION)
    return client


def _timestamp(at: datetime) -> float:
    return at.replace(tzinfo=UTC).timestamp()


@cache
def _state_query(dialect: Dialect) -> str:
    # Compiled once per dialect and run as it is: the version is read on every shared
    # request, before Flask has done anything, and this is its cheapest honest form.
    query = select(NewsroomState.generation, NewsroomState.schedule).where(
        NewsroomState.id == NewsroomState.ONLY_ROW
    )
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


class StateReader:
    """Reads the newsroom's state row, over one connection per worker thread kept open.

    Every shared request reads it, and checking a connection out of the pool, beginning
    and ending a transaction cost more than the read (on SQLite, 53 µs against 20). The
    connection runs nothing but this one-statement read, without a transaction (no
    BEGIN on SQLite, autocommit elsewhere), so it holds no lock and no snapshot between
    requests. A connection that fails is dropped and the read tried once more on a new
    one; connections are closed with the engine (`dispose`) or die with their process,
    and a thread that ends hands its connection back to the pool (a server that starts a
    thread per request, as `flask run` does, would otherwise run the pool dry).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[tuple[int, Connection]] = []
        event.listen(engine, "engine_disposed", self.close_all)

    @property
    def is_local(self) -> bool:
        """Whether the database is a file on this machine (SQLite): reading it needs no network."""
        return self.engine.dialect.name == "sqlite"

    def read(self) -> tuple[int, Any] | None:
        """The state's generation and schedule, or None before any content was written."""
        query = _state_query(self.engine.dialect)
        try:
            row = self._connection().exec_driver_sql(query).first()
        except DBAPIError:
            self._drop()
            row = self._connection().exec_driver_sql(query).first()
        return None if row is None else (int(row.generation), row.schedule)

    def _connection(self) -> Connection:
        held: Connection | None = getattr(self.local, "connection", None)
        if held is not None and not held.closed and self.local.pid == os.getpid():
            return held
        connection = self.engine.connect()
        options: dict[str, Any] = {SINGLE_READ: True}
        if self.engine.dialect.name != "sqlite":
            options["isolation_level"] = "AUTOCOMMIT"
        connection.execution_options(**options)
        self.local.connection, self.local.pid = connection, os.getpid()
        with self.lock:
            self.opened.append((os.getpid(), connection))
        weakref.finalize(threading.current_thread(), self._release, connection, os.getpid())
        return connection

    def _release(self, connection: Connection, pid: int) -> None:
        """Return the connection of a thread that has ended to the pool. A forked worker
        inherits its parent's threads' finalizers: it leaves the parent's connections be."""
        if pid != os.getpid():
            return
        with self.lock:
            self.opened = [(pid, c) for pid, c in self.opened if c is not connection]
        with contextlib.suppress(SQLAlchemyError, sqlite3.ProgrammingError):
            connection.close()

    def _drop(self) -> None:
        held: Connection | None = getattr(self.local, "connection", None)
        self.local.connection = None
        if held is not None:
            with contextlib.suppress(SQLAlchemyError):
                held.invalidate()

    def close_all(self, _engine: Engine) -> None:
        """Close this process's connections (a fork's parent keeps its own)."""
        with self.lock:
            mine = [connection for pid, connection in self.opened if pid == os.getpid()]
            self.opened = [(pid, c) for pid, c in self.opened if pid != os.getpid()]
        for connection in mine:
            # The engine's pool is gone by now: close the database connection itself
            # rather than hand it back to that pool.
            with contextlib.suppress(SQLAlchemyError, sqlite3.ProgrammingError):
                connection.invalidate()
                connection.close()


def from_database(reader: StateReader) -> Version:
    """The version now, by one read of the database."""
    row = reader.read()
    if row is None:
        return Version(0, 0)
    generation, schedule = row
    # A JSON column: PostgreSQL's driver decodes it, SQLite's hands over the text.
    times = json.loads(schedule) if isinstance(schedule, str) else schedule
    now = utcnow()
    return Version(generation, sum(1 for at in times if datetime.fromisoformat(at) <= now))


def ask_redis(pipeline: Pipeline) -> None:
    """Queue the reads of the version on `pipeline`; `from_redis` makes it of their replies.

    Redis's copy answers without SQL, and in the same round trip as the page itself.
    """
    pipeline.get(GENERATION_KEY)
    pipeline.zcount(SCHEDULE_KEY, "-inf", _timestamp(utcnow()))


def from_redis(generation: bytes | None, published: int) -> Version:
    """The version, from the replies to what `ask_redis` queued."""
    return Version(int(generation or 0), int(published))


def note_content_changes(unit: Session, _context: object) -> None:
    """After a flush: remember whether it wrote anything readers see (not accounts, bookmarks)."""
    dirty = (item for item in unit.dirty if unit.is_modified(item))
    if any(isinstance(item, CONTENT_MODELS) for item in (*unit.new, *unit.deleted, *dirty)):
        unit.info["content_changed"] = True


def advance(unit: Session) -> None:
    """Before a commit that changed content: move the generation, in the same transaction.

    Only a committed write moves it: a refused form, a preview, a rollback, a bookmark or
    a sign-in never does, whoever sends it.
    """
    if not has_app_context():
        return
    unit.flush()
    if not unit.info.get("content_changed"):
        return
    now = utcnow()
    upcoming = Story.status == StoryStatus.PUBLISHED, Story.published_at > now
    schedule = [at for at in unit.scalars(select(Story.published_at).where(*upcoming)) if at]
    # A prediction coming due moves it from open to awaiting a ruling, also with no write.
    coming_due = Prediction.outcome.is_(None), Prediction.due_on > now.date()
    days = unit.scalars(select(Prediction.due_on).where(*coming_due).distinct())
    schedule += [datetime.combine(day, time()) for day in days]
    changes = {"schedule": [at.isoformat() for at in schedule], "changed_at": now}
    moved = unit.execute(
        update(NewsroomState)
        .where(NewsroomState.id == NewsroomState.ONLY_ROW)
        .values(generation=NewsroomState.generation + 1, **changes)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        unit.execute(
            insert(NewsroomState).values(id=NewsroomState.ONLY_ROW, generation=1, **changes)
        )
    unit.info["schedule"] = [_timestamp(at) for at in schedule]


def copy_to_redis(unit: Session) -> None:
    """After that commit: move Redis's copy too, so cached pages go stale at once."""
    schedule = unit.info.pop("schedule", None)
    unit.info.pop("content_changed", None)
    if schedule is None or not has_app_context() or (client := redis_client()) is None:
        return
    try:
        pipeline = client.pipeline()
        pipeline.incr(GENERATION_KEY)
        pipeline.delete(SCHEDULE_KEY)
        if schedule:
            pipeline.zadd(SCHEDULE_KEY, {str(n): at for n, at in enumerate(schedule)})
        pipeline.execute()
    except redis.RedisError:
        current_app.logger.warning("page cache unavailable; its pages may be stale")


def forget_content_changes(unit: Session) -> None:
    """After a rollback nothing was written: nothing to invalidate."""
    unit.info.pop("content_changed", None)
    unit.info.pop("schedule", None)


def track_changes() -> None:
    """Listen to every session's flushes and commits (once per process)."""
    for name, listener in (
        ("after_flush", note_content_changes),
        ("before_commit", advance),
        ("after_commit", copy_to_redis),
        ("after_rollback", forget_content_changes),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
