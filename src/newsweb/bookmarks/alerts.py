"""Verdict alerts: a member who opts in is emailed when a panelist's call changes on a tool
they saved (after they saved it).

The opt-in is a checkbox on /bookmarks. `flask --app newsweb bookmarks alerts` sends what
is pending: one message per member listing every change not yet sent to them, each recorded
in `verdict_alert_sends` as soon as the server accepts the message, so a rerun sends only
what is left (schedule it, e.g. hourly; runs must not overlap).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from flask import current_app, flash, redirect, url_for
from sqlalchemy import and_, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from newsweb import mail
from newsweb.access import login_required, signed_in_user
from newsweb.bookmarks.forms import AlertsForm
from newsweb.bookmarks.views import blueprint
from newsweb.extensions import db
from newsweb.models import Bookmark, Tool, User, VerdictAlertSend, VerdictChange
from newsweb.models.clock import utcnow
from newsweb.web.rendering import render, wants_fragment

# How far back a run looks for changes: older ones are news no longer.
DEFAULT_DAYS = 7
DEFAULT_BASE_URL = "http://localhost:8000"


@blueprint.post("/alerts")
@login_required
def update_alerts() -> Response | str:
    """`POST /bookmarks/alerts`: switch verdict alerts on or off; htmx gets the `alerts`
    block of /bookmarks, a plain form goes back there."""
    user = signed_in_user()
    form = AlertsForm()
    if form.validate_on_submit():
        user.verdict_alerts = bool(form.verdict_alerts.data)
        db.session.commit()
    if wants_fragment():
        return render("bookmarks/index.html", block="alerts", alerts_form=AlertsForm(obj=user))
    flash("Verdict alerts are on." if user.verdict_alerts else "Verdict alerts are off.", "success")
    return redirect(url_for("bookmarks.index"), code=303)


@dataclass(frozen=True)
class ChangeNote:
    """A verdict change as an alert tells it: plain values, which outlive the session."""

    id: int
    tool_name: str
    tool_slug: str
    persona_name: str
    summary: str
    reason: str
    changed_at: datetime

    @classmethod
    def of(cls, change: VerdictChange) -> ChangeNote:
        """The note of a change loaded with its tool and panelist."""
        return cls(
            change.id,
            change.tool.name,
            change.tool.slug,
            change.persona.name,
            change.summary,
            change.reason,
            change.changed_at,
        )


@dataclass
class Pending:
    """One member's changes not yet sent."""

    user_id: int
    email: str
    name: str
    changes: list[ChangeNote] = field(default_factory=list)


def pending_alerts(since: datetime) -> list[Pending]:
    """Every opted-in, verified member's unsent changes since `since` on tools they had
    saved before the change, each with its tool and panelist, in one statement."""
    rows = db.session.execute(
        select(User.id, User.email, User.display_name, VerdictChange)
        .join(Bookmark, Bookmark.user_id == User.id)
        .join(
            VerdictChange,
            and_(
                VerdictChange.tool_id == Bookmark.tool_id,
                VerdictChange.changed_at > Bookmark.created_at,
            ),
        )
        .options(joinedload(VerdictChange.tool), joinedload(VerdictChange.persona))
        .where(
            User.verdict_alerts.is_(True),
            User.email_verified_at.is_not(None),
            VerdictChange.changed_at >= since,
            VerdictChange.tool_id.in_(select(Tool.id).where(Tool.visible())),
            ~exists().where(
                VerdictAlertSend.user_id == User.id,
                VerdictAlertSend.verdict_change_id == VerdictChange.id,
            ),
        )
        .order_by(User.id, VerdictChange.changed_at, VerdictChange.id)
    )
    pending: dict[int, Pending] = {}
    for user_id, email, name, change in rows:
        member = pending.setdefault(user_id, Pending(user_id, email, name))
        member.changes.append(ChangeNote.of(change))
    return list(pending.values())


@dataclass
class AlertReport:
    """What one run did."""

    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        """One line for the command's output."""
        return f"Verdict alerts: {self.sent} sent, {self.failed} failed."


def _record(member: Pending) -> None:
    """Record the changes one accepted message told the member about, committed at once."""
    try:
        db.session.execute(
            insert(VerdictAlertSend),
            [
                {"user_id": member.user_id, "verdict_change_id": change.id, "sent_at": utcnow()}
                for change in member.changes
            ],
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # an overlapping run recorded them: the member has the news


def send_verdict_alerts(since: datetime) -> AlertReport:
    """Email every member their pending verdict changes; needs a request context (links)."""
    report = AlertReport()
    members = pending_alerts(since)
    db.session.commit()  # end the read: each send below commits on its own
    if not members:
        return report
    account_url = url_for("accounts.account", _external=True)
    try:
        with mail.sending() as send:
            for member in members:
                tools = sorted({change.tool_name for change in member.changes})
                message = mail.compose(
                    to=mail.address(member.email, member.name),
                    subject=f"newsweb: the panel changed its verdict on {', '.join(tools)}",
                    template="verdict_alert",
                    name=member.name,
                    changes=member.changes,
                    bookmarks_url=url_for("bookmarks.index", _external=True),
                    account_url=account_url,
                )
                try:
                    send(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                    report.failed += 1
                else:
                    _record(member)
                    report.sent += 1
    except (smtplib.SMTPException, OSError):
        report.failed = len(members) - report.sent
    return report


@blueprint.cli.command("alerts")
@click.option(
    "--days",
    type=click.IntRange(min=1, max=365),
    default=DEFAULT_DAYS,
    show_default=True,
    help="How many days back to look for verdict changes.",
)
def alerts_command(days: int) -> None:
    """Email members who asked for it the verdict changes on tools they saved.

    Safe to run again: what was sent is recorded and skipped. Exits 1 if a message failed.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base_url = app.config["SITE_URL"] or DEFAULT_BASE_URL
    with app.test_request_context(base_url=base_url):
        report = send_verdict_alerts(utcnow() - timedelta(days=days))
    click.echo(str(report))
    if report.failed:
        raise SystemExit(1)
