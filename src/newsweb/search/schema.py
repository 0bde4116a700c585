"""The full-text index, kept in step with stories, takes, tools and predictions by the
database itself.

SQLite: an FTS5 table (Porter stemming) filled by triggers. Each row's rowid encodes the
item: `id * 4 + 1` for a story, `+ 2` for a take, `+ 3` for a tool, `+ 0` for a
prediction, so an edit replaces exactly its own row. PostgreSQL: a generated `tsvector`
column (English stemming) on each table, with a GIN index. Either way no application code
has to remember to reindex.

Used by the migrations that add searched tables and, for databases built with
`create_all()` (the tests), by a metadata hook, so both build the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from newsweb.extensions import Base

PREDICTION, STORY, TAKE, TOOL = 0, 1, 2, 3
# Objects this module owns; Alembic's autogenerate must leave them alone.
SQLITE_TABLE = "search_index"
POSTGRES_COLUMN = "search_vector"

_SQLITE_SOURCES = {
    # table: (kind code, title expression, text expression), over NEW./OLD. rows
    "stories": (STORY, "{row}.title", "{row}.dek || ' ' || {row}.body"),
    "takes": (TAKE, "''", "{row}.body"),
    "tools": (TOOL, "{row}.name", "{row}.tagline || ' ' || {row}.description"),
    "predictions": (PREDICTION, "{row}.claim", "{row}.criterion"),
}
_POSTGRES_SOURCES = {
    "stories": "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', dek), 'B') || to_tsvector('english', body)",
    "takes": "to_tsvector('english', body)",
    "tools": "setweight(to_tsvector('english', name), 'A') || "
    "setweight(to_tsvector('english', tagline), 'B') || to_tsvector('english', description)",
    "predictions": "setweight(to_tsvector('english', claim), 'A') || "
    "to_tsvector('english', criterion)",
}


def _sqlite_statements(tables: Iterable[str]) -> list[str]:
    statements = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
        "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    ]
    for table in tables:
        code, title, body = _SQLITE_SOURCES[table]
        new_title, new_body = title.format(row="NEW"), body.format(row="NEW")
        insert = (
            f"INSERT INTO {SQLITE_TABLE}(rowid, title, body) "
            f"VALUES (NEW.id * 4 + {code}, {new_title}, {new_body});"
        )
        delete = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = OLD.id * 4 + {code};"
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_insert AFTER INSERT ON {table} "
            f"BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_update AFTER UPDATE ON {table} "
            f"BEGIN {delete} {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_search_delete AFTER DELETE ON {table} "
            f"BEGIN {delete} END",
            # Backfill rows that existed before the index.
            f"INSERT INTO {SQLITE_TABLE}(rowid, title, body) "
            f"SELECT id * 4 + {code}, {title.format(row=table)}, {body.format(row=table)} "
            f"FROM {table} WHERE id * 4 + {code} NOT IN (SELECT rowid FROM {SQLITE_TABLE})",
        ]
    return statements


def _postgres_statements(tables: Iterable[str]) -> list[str]:
    statements = []
    for table in tables:
        expression = _POSTGRES_SOURCES[table]
        statements += [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {POSTGRES_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED",
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{POSTGRES_COLUMN} "
            f"ON {table} USING GIN ({POSTGRES_COLUMN})",
        ]
    return statements


def create_search_index(connection: Connection, tables: Iterable[str] | None = None) -> None:
    """Create (and backfill) the full-text index of `tables` (all searched tables by default).

    A migration names the tables that existed when it ran, so later ones add theirs.
    """
    chosen = list(_SQLITE_SOURCES if tables is None else tables)
    dialect = connection.dialect.name
    statements = (
        _postgres_statements(chosen) if dialect == "postgresql" else _sqlite_statements(chosen)
    )
    for statement in statements:
        connection.execute(text(statement))


def drop_search_index(connection: Connection, tables: Iterable[str] | None = None) -> None:
    """Remove `tables` from the full-text index, or the whole index (a migration's downgrade)."""
    chosen = list(_SQLITE_SOURCES if tables is None else tables)
    if connection.dialect.name == "postgresql":
        for table in chosen:
            connection.execute(
                text(f"ALTER TABLE IF EXISTS {table} DROP COLUMN IF EXISTS {POSTGRES_COLUMN}")
            )
        return
    for table in chosen:
        for suffix in ("insert", "update", "delete"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_search_{suffix}"))
    if tables is None:
        connection.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))
        return
    codes = ", ".join(str(_SQLITE_SOURCES[table][0]) for table in chosen)
    connection.execute(text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid % 4 IN ({codes})"))


def is_search_object(name: str | None, kind: str) -> bool:
    """For Alembic's include_name: whether an object belongs to the search index."""
    return bool(name) and (
        (kind == "table" and str(name).startswith(SQLITE_TABLE))
        or (kind in ("column", "index") and POSTGRES_COLUMN in str(name))
    )


@event.listens_for(Base.metadata, "after_create")
def _create_with_tables(_target: Any, connection: Connection, **_kw: Any) -> None:
    create_search_index(connection)


# Leaf pages one merge step writes: a few milliseconds, so editors' saves never wait long.
MERGE_PAGES = 500


def merge_search_index_step(connection: Connection) -> bool:
    """Merge part of SQLite's full-text index; True while there is more to merge.

    FTS5 writes each transaction's entries as a new segment and merges them only a few at a
    time, so an index built up story by story is spread over many segments, and every
    lookup of a word visits each one: snippets for a page of results cost several times
    what they cost on a merged index. `merge` with a negative page count merges segments
    of any level, at most MERGE_PAGES pages at a time; a step that changes fewer than two
    rows found nothing left to do (FTS5's documented test). Run each step in its own short
    transaction. PostgreSQL's GIN indexes are kept by autovacuum: nothing to do there.
    """
    if connection.dialect.name != "sqlite":
        return False
    before = connection.execute(text("SELECT total_changes()")).scalar_one()
    connection.execute(
        text(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rank) VALUES ('merge', :pages)"),
        {"pages": -MERGE_PAGES},
    )
    after = connection.execute(text("SELECT total_changes()")).scalar_one()
    return int(after) - int(before) >= 2
