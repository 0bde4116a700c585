"""The load test's database: prepared and filled before the run, checked for lost writes after."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from loadtest import REPO
from loadtest.traffic import Account
from newsweb import create_app
from newsweb.config import database_url_from
from newsweb.extensions import db
from newsweb.models import Bookmark, Tool, User

LOCAL_HOSTS = {None, "", "127.0.0.1", "localhost", "::1"}


def prepare_database(database_url: str | None, workdir: Path) -> str:
    """Return the URL of an empty database: a new SQLite file, or the PostgreSQL one wiped."""
    if database_url is None:
        return f"sqlite:///{workdir / 'newsweb.sqlite3'}"
    url = make_url(database_url_from(database_url, workdir))
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a postgresql:// URL (SQLite is the default)")
    if url.host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to wipe a database on another machine ({url.host})")
    print(f"Dropping and recreating schema public of {url.database} on {url.host or 'socket'}")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError as error:
        raise SystemExit(
            f"cannot reach {url.database}: {error.orig}\n"
            f"create it with: psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE {url.database}'"
        ) from None
    finally:
        engine.dispose()
    return database_url


def flask_command(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run `flask --app newsweb ARGS` and return its output; stop the run if it fails."""
    command = [sys.executable, "-m", "flask", "--app", "newsweb", *args]
    result = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        command, cwd=REPO, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def populate(env: dict[str, str], emails: list[str], password: str) -> None:
    """Migrate, load the demo newsroom and create the member accounts (four at a time)."""
    flask_command(env, "db", "upgrade")
    print(flask_command(env, "demo", "load").strip())

    def create(email: str) -> str:
        return flask_command(env, "users", "create", email, "--password-stdin", stdin=password)

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(create, emails))
    print(f"Created {len(created)} member accounts")


@dataclass(frozen=True)
class Verification:
    """The lost-write check: every acknowledged final bookmark state against the database."""

    checked: int
    saved: int
    mismatches: list[str]
    unverifiable: list[str]
    duplicates: int


def verify_bookmarks(database_url: str, accounts: list[Account]) -> Verification:
    """Compare what each member last saved with the bookmarks table, through newsweb's models."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url_from(database_url, REPO)})
    emails = [account.email for account in accounts]
    with app.app_context():
        rows = db.session.execute(
            select(User.email, Tool.slug)
            .join(Bookmark, Bookmark.user_id == User.id)
            .join(Tool, Tool.id == Bookmark.tool_id)
            .where(User.email.in_(emails))
        ).all()
        duplicates = db.session.execute(
            select(func.count())
            .select_from(Bookmark)
            .group_by(Bookmark.user_id, Bookmark.tool_id, Bookmark.story_id)
            .having(func.count() > 1)
        ).all()
        db.engine.dispose()
    stored = {(email, slug) for email, slug in rows}
    mismatches: list[str] = []
    unverifiable: list[str] = []
    checked = saved = 0
    for account in accounts:
        unverifiable += [f"{account.email} {slug}" for slug in sorted(account.uncertain)]
        for slug, want in sorted(account.intended.items()):
            if slug in account.uncertain:
                continue
            checked += 1
            saved += want
            if ((account.email, slug) in stored) != want:
                mismatches.append(f"{account.email} {slug}: acknowledged saved={want}")
        for email, slug in stored:
            if email == account.email and slug not in account.intended:
                mismatches.append(f"{email} {slug}: stored but never saved")
    return Verification(checked, saved, mismatches, unverifiable, len(duplicates))
