"""Alembic's entry point: migrate the database of the running Flask app."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from flask import current_app

from newsweb.search.schema import is_search_object

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

db = current_app.extensions["migrate"].db
migrate_settings = {
    **current_app.extensions["migrate"].configure_args,
    # The full-text index is built by raw DDL (newsweb.search.schema): never autogenerate it.
    "include_name": lambda name, kind, _parents: not is_search_object(name, kind),
}


def run_offline() -> None:
    """Write the SQL for a migration without a database connection (`--sql`)."""
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=db.metadata,
        literal_binds=True,
        **migrate_settings,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Apply migrations over the app's own engine."""
    with db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=db.metadata, **migrate_settings)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
