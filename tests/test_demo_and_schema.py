"""The demo newsroom loader and the migrations that build the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import Column, Connection, func, select, text
from sqlalchemy.schema import CreateIndex

from newsweb import create_app
from newsweb.demo.cli import read_content
from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Take, Tool, Verdict
from newsweb.search.schema import is_search_object
from tests.conftest import settings


def expression_indexes(connection: Connection) -> dict[str, str]:
    """The SQL that made each index of the database whose columns include an expression."""
    # A plain index's SQL has one parenthesis, around its columns; an expression adds more.
    rows = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%(%(%'")
    )
    return {str(name): str(sql) for name, sql in rows}


def counts() -> dict[str, int]:
    """How many rows each content table holds."""
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Category, Persona, Tool, Verdict, Story, Take)
    }


def test_demo_content_meets_the_brief() -> None:
    """The demo: four founding personas, 16+ stories over 8+ tools and 5+ categories."""
    content = read_content()
    assert [p["name"] for p in content["personas"]] == [
        "The Founder",
        "The Skeptic",
        "The Futurist",
        "The Builder",
    ]
    stories = content["stories"]
    assert len(stories) >= 16
    assert len({s["tool"] for s in stories}) >= 8
    assert len({s["category"] for s in stories}) >= 5
    assert len({s["published"].month for s in stories}) >= 4
    for story in stories:
        assert set(story["takes"]) == {p["slug"] for p in content["personas"]}
        assert set(story["calls"]) == set(story["takes"])
        assert set(story["calls"].values()) <= {"ship", "wait", "skip"}
        assert story["source_url"].startswith("https://")
    assert any(len(take) > 600 for s in stories for take in s["takes"].values())
    for tool in content["tools"]:
        assert len(tool["verdicts"]) == 4
    # The panel does not agree on everything: some stories split three ways.
    calls = [set(story["calls"].values()) for story in stories]
    assert any(len(made) == 3 for made in calls)
    assert all(len(made) >= 2 for made in calls)


def test_demo_load_is_idempotent(runner: FlaskCliRunner, app: Flask) -> None:
    """`demo load` fills the database once; running it again adds nothing."""
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        loaded = counts()
    assert loaded["stories"] >= 16
    assert loaded["takes"] == 4 * loaded["stories"]
    assert loaded["verdicts"] == 4 * loaded["tools"]
    second = runner.invoke(args=["demo", "load"])
    assert "0 new items" in second.output
    with app.app_context():
        assert counts() == loaded


def test_demo_load_if_empty_leaves_content_alone(runner: FlaskCliRunner, app: Flask) -> None:
    """`demo load --if-empty` (what `make run` calls) does nothing once there is content."""
    runner.invoke(args=["demo", "load", "--if-empty"])
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has content" in result.output


# SQLAlchemy cannot reflect an index on an expression; the test reads those from SQLite.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_build_the_schema_the_models_describe(tmp_path: Path) -> None:
    """Upgrading an empty SQLite database to head gives exactly the models' schema.

    (Plus the full-text index, which raw DDL owns: see newsweb.search.schema.) Indexes on
    expressions, which reflection skips, are compared as the SQL that creates them.
    """
    app = create_app(settings(f"sqlite:///{tmp_path / 'migrated.sqlite3'}"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"include_name": lambda name, kind, _: not is_search_object(name, kind)},
            )
            assert compare_metadata(context, db.metadata) == []
            assert expression_indexes(connection) == {
                index.name: str(CreateIndex(index).compile(connection))
                for table in db.metadata.tables.values()
                for index in table.indexes
                if any(not isinstance(part, Column) for part in index.expressions)
            }
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()
