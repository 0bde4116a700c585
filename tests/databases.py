"""Test databases built once per run and copied for each test, empty or with the demo newsroom.

Building the schema and loading the demo cost more than most tests themselves, so each
test process does both once. SQLite: two template files (the schema from `create_all()`,
which also creates the full-text index through its metadata hook, and the same with the
demo newsroom), copied into each test's own folder. PostgreSQL: one database per test
process, migrated once; before each test its tables are emptied and, for a demo test,
refilled from a copy of the demo kept in a schema of its own.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, Table, create_engine, text
from sqlalchemy.engine import make_url

from newsweb.demo.cli import load_demo, read_content
from newsweb.extensions import db

# Where the PostgreSQL demo copy lives, beside the app's tables in `public`.
DEMO_SCHEMA = "newsweb_test_demo"


def worker_suffix() -> str:
    """`_gw0`, `_gw1`... under pytest-xdist, so each worker has databases of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"_{worker}" if worker else ""


def _quoted(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return f'"{name}"'


# The SQL below is built from table and column names in the app's own metadata, never
# from input (hence the S608 exemptions).


def _copy_rows(table: Table, source: str, target: str) -> str:
    """SQL copying every row of `source` into `target`, both shaped like `table`.

    Only the metadata's columns: the search index's generated columns fill themselves.
    """
    columns = ", ".join(_quoted(column.name) for column in table.columns)
    return f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {source}"  # noqa: S608


def _restart_ids(table: Table) -> str:
    """SQL making the table's next id one past its largest (1 when it is empty)."""
    name = _quoted(table.name)
    sequence = f"pg_get_serial_sequence('{name}', 'id')"
    return f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {name}"  # noqa: S608


class SqliteTemplates:
    """A SQLite file with the schema and no rows, and one with the demo newsroom too.

    Built on first use, then copied for each test that asks.
    """

    def __init__(self, folder: Path, build_app: Callable[[str], Flask]) -> None:
        self.empty = folder / "empty.sqlite3"
        self.demo = folder / "demo.sqlite3"
        self.build_app = build_app
        self.built = False

    def copy_to(self, target: Path, *, demo: bool) -> str:
        """Copy the (empty or demo) template to `target`; returns its SQLAlchemy URL."""
        if not self.built:
            self._build()
            self.built = True
        shutil.copyfile(self.demo if demo else self.empty, target)
        return f"sqlite:///{target}"

    def _build(self) -> None:
        """Create the schema as every test database had it, copy it, then add the demo."""
        app = self.build_app(f"sqlite:///{self.demo}")
        with app.app_context():
            db.create_all()
            db.engine.dispose()
            self._settle(self.demo)
            shutil.copyfile(self.demo, self.empty)
            load_demo(read_content())
            db.session.remove()
            db.engine.dispose()
        self._settle(self.demo)

    @staticmethod
    def _settle(path: Path) -> None:
        """Fold the write-ahead log (the app runs SQLite in WAL mode) into the main file,
        so that copying that one file copies everything."""
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert not Path(f"{path}-wal").exists(), f"{path} still has a write-ahead log"


class PostgresDatabase:
    """This test process's PostgreSQL database: migrated once, reset before each test."""

    def __init__(self, base_url: str, build_app: Callable[[str], Flask]) -> None:
        url = make_url(base_url)
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+psycopg")
        url = url.set(database=f"{url.database}{worker_suffix()}")
        self.url = url.render_as_string(hide_password=False)
        self.build_app = build_app
        self._ensure_exists()
        self.engine: Engine = create_engine(self.url, pool_size=1)
        self._migrate_and_keep_the_demo()

    def _ensure_exists(self) -> None:
        """Create this process's database on the server if it is not there yet."""
        url = make_url(self.url)
        server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if found is None:
                connection.execute(text(f"CREATE DATABASE {_quoted(str(url.database))}"))
        server.dispose()

    def _migrate_and_keep_the_demo(self) -> None:
        """Migrate a fresh schema to head, load the demo into emptied tables, keep a copy."""
        app = self.build_app(self.url)
        with app.app_context():
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {DEMO_SCHEMA} CASCADE"))
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            upgrade()
            self.tables = list(db.metadata.sorted_tables)
            self.reset(demo=False)
            load_demo(read_content())
            db.session.remove()
            db.engine.dispose()
        with self.engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {DEMO_SCHEMA}"))
            for table in self.tables:
                kept = f"{DEMO_SCHEMA}.{_quoted(table.name)}"
                connection.execute(text(f"CREATE TABLE {kept} (LIKE {_quoted(table.name)})"))
                connection.execute(text(_copy_rows(table, _quoted(table.name), kept)))

    def reset(self, *, demo: bool) -> str:
        """Empty every table (ids restart at 1), then copy the demo in if asked; returns the URL.

        DELETE rather than TRUNCATE: on tables this small it is several times faster.
        """
        with self.engine.begin() as connection:
            for table in reversed(self.tables):
                connection.execute(text(f"DELETE FROM {_quoted(table.name)}"))  # noqa: S608
            for table in self.tables:
                if demo:
                    kept = f"{DEMO_SCHEMA}.{_quoted(table.name)}"
                    connection.execute(text(_copy_rows(table, kept, _quoted(table.name))))
                if "id" in table.columns:
                    connection.execute(text(_restart_ids(table)))
        return self.url

    def close(self) -> None:
        """Close this process's connections."""
        self.engine.dispose()
