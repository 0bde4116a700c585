"""Worker start-up: what serving imports, how migrations still run, and gunicorn's preloading.

Speed itself is measured by scripts/startup.py and scripts/load.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from newsweb.extensions import db

ROOT = Path(__file__).resolve().parents[1]

# Modules a worker never needs to serve a request: migrations (alembic drags in mako and,
# through it, pygments) and the browser-test driver.
NOT_FOR_SERVING = ("alembic", "flask_migrate", "mako", "pygments", "playwright")


def run(tmp_path: Path, *args: str) -> str:
    """Run our interpreter with `args` at the repository root, on a database in `tmp_path`."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_a_worker_imports_nothing_it_does_not_serve_with(tmp_path: Path) -> None:
    """Importing wsgi (as a gunicorn worker or master does) leaves migration tooling unloaded."""
    code = (
        "import json, sys\n"
        "from wsgi import app\n"
        f"print(json.dumps([name for name in {NOT_FOR_SERVING!r} if name in sys.modules]))\n"
        "print(json.dumps(sorted(app.cli.list_commands(None))))\n"
    )
    loaded, commands = run(tmp_path, "-c", code).splitlines()
    assert json.loads(loaded) == []
    assert "db" in json.loads(commands)


def flask(tmp_path: Path, *args: str) -> str:
    """Run `flask --app newsweb ARGS` as `make run` does, on a database in `tmp_path`."""
    return run(tmp_path, "-m", "flask", "--app", "newsweb", *args)


def test_flask_db_upgrade_still_migrates_from_the_command_line(tmp_path: Path) -> None:
    """`flask --app newsweb db upgrade` builds every table and records the head revision."""
    assert "(head)" not in flask(tmp_path, "db", "current")
    flask(tmp_path, "db", "upgrade")
    assert "(head)" in flask(tmp_path, "db", "current")
    with closing(sqlite3.connect(tmp_path / "startup.sqlite3")) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_gunicorn_forks_workers_from_a_preloaded_master(tmp_path: Path) -> None:
    """gunicorn.conf.py preloads the app, so a reload forks ready workers instead of importing."""
    printed = run(
        tmp_path, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config", "wsgi:app"
    )
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }
    assert settings["preload_app"] == "True"
