"""`flask --app newsweb digest send [--week 2026-W48]`: email a week's digest to subscribers."""

from __future__ import annotations

import click
from flask import current_app

from newsweb.digest.mailing import BATCH_SIZE, send_digest
from newsweb.digest.views import blueprint
from newsweb.digest.weeks import IsoWeek, last_complete_week, this_week

DEFAULT_BASE_URL = "http://localhost:8000"


def _week(_context: click.Context, _parameter: click.Parameter, value: str | None) -> IsoWeek:
    """Read `--week`; the last complete week when it is left out."""
    if value is None:
        return last_complete_week()
    week = IsoWeek.parse(value.strip())
    if week is None:
        raise click.BadParameter("weeks look like 2026-W48")
    if week >= this_week():
        raise click.BadParameter(f"{week} has not ended yet")
    return week


@blueprint.cli.command("send")
@click.option(
    "--week",
    callback=_week,
    metavar="YYYY-Www",
    help="The week to send, e.g. 2026-W48 (default: the last complete week).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=BATCH_SIZE,
    show_default=True,
    help="Messages per SMTP connection.",
)
def send_command(week: IsoWeek, batch_size: int) -> None:
    """Email a week's digest to every verified subscriber who has not had it yet.

    Safe to run again: members already sent that week are skipped, so a rerun after a
    failure sends exactly the rest. Exits with status 1 if any message failed.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base_url = app.config["SITE_URL"] or DEFAULT_BASE_URL
    with app.test_request_context(base_url=base_url):
        report = send_digest(week, batch_size=batch_size)
    click.echo(str(report))
    if report.failed:
        raise SystemExit(1)
