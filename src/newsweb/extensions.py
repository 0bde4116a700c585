"""The extension objects, created unbound here and bound to an app in `create_app`."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import click
from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base every model inherits from."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Migrations:
    """Flask-Migrate, bound to the app without importing it (or alembic) until a migration runs.

    Serving never migrates, yet importing alembic took each gunicorn worker ~0.7 s; only
    `flask db ...` and `flask_migrate.upgrade()` (tests, scripts) need it, and both find it
    through the app exactly as if Flask-Migrate's own `Migrate.init_app` had run.
    """

    def init_app(self, app: Flask, db: SQLAlchemy, *, directory: str, **settings: Any) -> None:
        """Record where the migrations are and add the `db` command group to `app.cli`.

        `settings` go to alembic's `context.configure` in migrations/env.py.
        """
        app.extensions["migrate"] = MigrationSettings(db, directory, settings)
        app.cli.add_command(MigrationCommands("db", help="Perform database migrations."))


class MigrationSettings:
    """What Flask-Migrate and migrations/env.py read from `app.extensions["migrate"]`.

    The attributes of Flask-Migrate's own record (`db`, `directory`, `configure_args`,
    `migrate`); the `Migrate` object, and with it alembic, is made on first use.
    """

    def __init__(self, db: SQLAlchemy, directory: str, settings: dict[str, Any]) -> None:
        """Keep the database, the migrations folder and alembic's settings."""
        self.db = db
        self.directory = directory
        self.configure_args: dict[str, Any] = {"compare_type": True, **settings}

    @cached_property
    def migrate(self) -> Any:
        """Flask-Migrate's `Migrate`, which builds alembic's configuration for each command."""
        # Imported here, not at the top: alembic is only for migrations (see `Migrations`).
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)


class MigrationCommands(click.Command):
    """`flask db`: listed in `flask --help`, but Flask-Migrate's group is imported only to run.

    Click runs whatever command the context it gets from `make_context` names, so handing
    over the real group's context runs Flask-Migrate's options and subcommands unchanged.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """The context of Flask-Migrate's `db` group, parsed from the same arguments."""
        # Imported here, not at the top: alembic is only for migrations (see `Migrations`).
        from flask_migrate.cli import db as commands

        group: click.Group = commands
        return group.make_context(info_name, args, parent=parent, **extra)


db = SQLAlchemy(model_class=Base)
migrate = Migrations()
login_manager = LoginManager()
csrf = CSRFProtect()
# Keyed by the client's address as the WSGI server sees it: X-Forwarded-For is trusted
# only through the ProxyFix that create_app installs when TRUSTED_PROXIES is set.
limiter = Limiter(get_remote_address)


@limiter.request_filter
def _reads_are_never_throttled() -> bool:
    # Every limit here is on a write (sign-in, sign-up, password checks): a read skips the
    # limiter's per-request work altogether.
    return request.method in ("GET", "HEAD", "OPTIONS")
