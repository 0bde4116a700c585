"""The newsrooms' databases: created, migrated and given the demo as `make run` does, dropped.

Three newsrooms: the demo, a full one (the demo and a few thousand generated stories, so
every listing, feed and digest week is as full as at scale) and the large one. On SQLite
they are files in a temporary directory. Given a PostgreSQL URL, scratch databases are
created on the same server, named after the URL's database (`<name>_bench_demo`,
`<name>_bench_full`, `<name>_bench_100k`); the database the URL names is only connected
to, never changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from werkzeug.security import generate_password_hash

from newsweb.config import database_url_from
from newsweb.models import Bookmark, Role, Story, Tool, User
from newsweb.models.clock import utcnow
from scaletool import REPO

LOCAL_HOSTS = {None, "", "127.0.0.1", "localhost", "::1"}
# The member whose pages are timed, in every newsroom (the first account, so id 1 in each).
MEMBER_EMAIL = "bench-member@bench.example"
MEMBER_PASSWORD = "bench-scale passphrase 7"  # noqa: S105 (a throwaway database's account)
# What the member saved, the same in every newsroom: the newest demo stories and tools.
MEMBER_STORIES = 3
MEMBER_TOOLS = 2


@dataclass(frozen=True)
class Newsroom:
    """One database to time: a name for the table, and its SQLAlchemy URL."""

    label: str
    url: str


def member_password_hash() -> str:
    """One real (scrypt) hash of the member's password: every generated member shares it."""
    return generate_password_hash(MEMBER_PASSWORD)


class Scratch:
    """Where the three newsrooms live for one run, removed afterwards unless kept.

    Use as a context manager: the databases (or the temporary directory) go on exit.
    """

    def __init__(
        self, database_url: str | None, full_label: str, large_label: str, *, keep: bool
    ) -> None:
        self.keep = keep
        self.directory: Path | None = None
        self.server: URL | None = None
        self.names: list[str] = []
        if not database_url or database_url.startswith("sqlite"):
            self.directory = Path(tempfile.mkdtemp(prefix="newsweb-bench-scale-"))
            self.demo = Newsroom("demo", f"sqlite:///{self.directory / 'demo.sqlite3'}")
            self.full = Newsroom(full_label, f"sqlite:///{self.directory / 'full.sqlite3'}")
            self.large = Newsroom(large_label, f"sqlite:///{self.directory / 'large.sqlite3'}")
            return
        server = make_url(database_url_from(database_url, REPO))
        if server.get_backend_name() != "postgresql":
            raise SystemExit("DATABASE_URL must be a postgresql:// URL (SQLite is the default)")
        if server.host not in LOCAL_HOSTS:
            raise SystemExit(
                f"refusing to create scratch databases on another host ({server.host})"
            )
        self.server = server
        base = server.database or "newsweb"
        self.names = [f"{base}_bench_demo", f"{base}_bench_full", f"{base}_bench_100k"]
        self.demo = Newsroom("demo", self._url_of(self.names[0]))
        self.full = Newsroom(full_label, self._url_of(self.names[1]))
        self.large = Newsroom(large_label, self._url_of(self.names[2]))
        self._run_on_server([f'DROP DATABASE IF EXISTS "{name}"' for name in self.names])
        self._run_on_server([f'CREATE DATABASE "{name}"' for name in self.names])

    @property
    def newsrooms(self) -> tuple[Newsroom, Newsroom, Newsroom]:
        """The demo, the full and the large newsroom, in the order the table shows them."""
        return (self.demo, self.full, self.large)

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return "sqlite" if self.server is None else "postgresql"

    def _url_of(self, name: str) -> str:
        assert self.server is not None
        return self.server.set(database=name).render_as_string(hide_password=False)

    def _run_on_server(self, statements: list[str]) -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE) on the URL's database,
        or on the server's `postgres` database when that one does not exist."""
        assert self.server is not None
        for server in (self.server, self.server.set(database="postgres")):
            engine = create_engine(server, isolation_level="AUTOCOMMIT")
            try:
                with engine.connect() as connection:
                    for statement in statements:
                        connection.execute(text(statement))
                return
            except OperationalError as error:
                failure = error
            finally:
                engine.dispose()
        raise SystemExit(f"cannot reach the PostgreSQL server: {failure.orig}")

    def __enter__(self) -> Scratch:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.keep:
            where = self.directory or ", ".join(self.names)
            print(f"Kept the databases: {where}")
            for newsroom in self.newsrooms:
                print(f"  {newsroom.label}: {newsroom.url}")
            return
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
        else:
            # FORCE: a connection an app forgot to close must not keep a scratch database.
            self._run_on_server(
                [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.names]
            )


def flask_command(url: str, *args: str) -> str:
    """Run `flask --app newsweb ARGS` on the database at `url`; SystemExit if it fails."""
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("REDIS_URL", None)  # the benchmark's apps keep pages in memory
    command = [sys.executable, "-m", "flask", "--app", "newsweb", *args]
    result = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_demo(url: str, password_hash: str) -> None:
    """Migrate and load the demo (`flask db upgrade`, `flask demo load`), then add the member
    with a few bookmarks of demo stories and tools."""
    flask_command(url, "db", "upgrade")
    flask_command(url, "demo", "load")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            now = utcnow()
            member = connection.execute(
                insert(User)
                .values(
                    email=MEMBER_EMAIL,
                    display_name="Bench Member",
                    password_hash=password_hash,
                    role=Role.READER,
                    created_at=now,
                )
                .returning(User.id)
            ).scalar_one()
            stories = connection.scalars(
                select(Story.id).order_by(Story.published_at.desc()).limit(MEMBER_STORIES)
            ).all()
            tools = connection.scalars(select(Tool.id).order_by(Tool.slug).limit(MEMBER_TOOLS))
            saved = [{"story_id": story, "tool_id": None} for story in stories]
            saved += [{"story_id": None, "tool_id": tool} for tool in tools]
            connection.execute(
                insert(Bookmark), [{"user_id": member, "created_at": now, **row} for row in saved]
            )
    finally:
        engine.dispose()
