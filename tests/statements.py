"""Counting the SQL statements a request runs: pages must not query more as data grows."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from newsweb.extensions import db


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement the app runs inside the block.

    Transaction control (SQLite's explicit BEGIN) is left out: PostgreSQL's driver
    begins implicitly, and the counts must mean the same on both.
    """
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def counted_get(
    app: Flask,
    path: str,
    client: FlaskClient | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, TestResponse]:
    """GET `path` (with a fresh client unless one is given); how many SQL statements that
    ran, and the response."""
    client = client or app.test_client()
    with counting_statements(app) as statements:
        response = client.get(path, headers=dict(headers or {}))
    return len(statements), response


def statements_for(
    app: Flask,
    path: str,
    client: FlaskClient | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    statuses: Collection[int] = (200,),
) -> int:
    """How many SQL statements one GET of `path` runs; its status must be one of `statuses`."""
    count, response = counted_get(app, path, client, headers=headers)
    assert response.status_code in statuses, (path, response.status_code)
    return count
