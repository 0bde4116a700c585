"""`flask --app newsweb search optimize`: merge SQLite's full-text index (run it nightly)."""

from __future__ import annotations

import time

import click

from newsweb.extensions import db
from newsweb.search.schema import merge_search_index_step
from newsweb.search.views import blueprint


@blueprint.cli.command("optimize")
def optimize() -> None:
    """Merge the full-text index into one segment, in short steps a live site never notices."""
    if db.engine.dialect.name != "sqlite":
        click.echo("Nothing to do: PostgreSQL keeps its search indexes itself.")
        return
    started = time.perf_counter()
    steps = 0
    with db.engine.connect() as connection:
        while True:
            with connection.begin():
                if not merge_search_index_step(connection):
                    break
            steps += 1
    seconds = time.perf_counter() - started
    click.echo(f"Merged the search index in {steps} steps, {seconds:.1f} s.")
