"""The plan of every statement a page runs: EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on
PostgreSQL, with the very parameters the page sent (`scripts/explain_page.py`)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from newsweb.extensions import db
from scaletool.timing import counting_statements

# The newsroom's version, read before every anonymous page: one row by primary key.
VERSION_READ = "FROM newsroom_state"


def plans(app: Flask, path: str) -> list[tuple[str, list[str]]]:
    """GET `path` as a cookie-less reader; each statement it ran with its plan's lines."""
    with counting_statements(app) as ran:
        response = app.test_client(use_cookies=False).get(path)
    seen = [(statement, values) for statement, values in ran if VERSION_READ not in statement]
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    found = []
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        with db.engine.connect() as connection:
            for statement, parameters in seen:
                rows = list(connection.exec_driver_sql(prefix + statement, parameters))
                # SQLite: (id, parent, unused, detail), indented by depth; PostgreSQL: text.
                lines = [row[-1] if postgres else _sqlite_line(row, rows) for row in rows]
                found.append((statement, lines))
            connection.rollback()
    return found


def _sqlite_line(row: Any, rows: list[Any]) -> str:
    depth, parent = 0, row[1]
    parents = {each[0]: each[1] for each in rows}
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return "  " * depth + str(row[3])
