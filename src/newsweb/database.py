"""Connection settings that make embedded SQLite safe for several gunicorn workers, and the
hook by which numbers kept in step with writes listen to every session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_MS = 5000
# An execution option for a connection that runs one read and nothing else: on SQLite it
# needs no transaction (one statement is atomic), so no BEGIN and no lock is taken.
SINGLE_READ = "newsweb_single_read"


def configure_engine(engine: Engine) -> None:
    """Give every SQLite connection WAL, foreign keys and a busy timeout.

    Python's sqlite3 module opens transactions lazily and cannot be told to lock early,
    so it is switched to autocommit and SQLAlchemy issues the BEGIN: `BEGIN IMMEDIATE`
    for anything that may write (so two writers queue on the busy timeout instead of
    failing with "database is locked" when a read lock cannot be upgraded), a plain
    `BEGIN` for safe requests, which WAL lets run beside a writer.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        if connection.get_execution_options().get(SINGLE_READ):
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


def _may_write() -> bool:
    """Whether the current unit of work may write: any request but GET/HEAD/OPTIONS, or a CLI."""
    return not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")


def listen_to_sessions(**listeners: Callable[..., Any]) -> None:
    """Listen to every session's events, by name (`after_flush=...`), once per process.

    Numbers kept in step with writes (panel/counts.py, news/division.py) note what a
    flush touched, recount before the commit and forget after a rollback.
    """
    for name, listener in listeners.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
