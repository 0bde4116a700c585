"""The weekly digest by email: one week's digest to every verified subscriber, once each.

Each member's copy is recorded in `digest_sends` (one row per member and week) the moment
the SMTP server accepts it, in its own commit. A rerun skips everyone recorded, so after a
crash, a refusing server or a lost connection, it sends exactly the rest; at worst a crash
between the server's "250 accepted" and that commit sends the ONE message in flight again.
Runs must not overlap (schedule one at a time): two at once could both send to a member
before either records it.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import NamedTuple

from flask import render_template, url_for
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

from newsweb import mail
from newsweb.digest.queries import DigestPage, digest_page
from newsweb.digest.subscriptions import unsubscribe_token
from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import DigestSend, User
from newsweb.models.clock import utcnow

# Messages sent over one SMTP connection before it is closed and another opened.
BATCH_SIZE = 200


@dataclass
class SendReport:
    """What one run did: messages accepted, members already sent this week, failures."""

    week: IsoWeek
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    empty: bool = False

    def __str__(self) -> str:
        """One line for the command's output."""
        if self.empty:
            return f"{self.week}: nothing was published that week; no digest sent."
        return (
            f"{self.week}: {self.sent} sent, {self.skipped} skipped (already sent), "
            f"{self.failed} failed."
        )


class Recipient(NamedTuple):
    """Who one copy goes to."""

    id: int
    email: str
    name: str


def _subscribed() -> ColumnElement[bool]:
    """Members who want the digest and whose address is verified."""
    return and_(User.digest_subscribed.is_(True), User.email_verified_at.is_not(None))


def _already_sent(week: IsoWeek) -> ColumnElement[bool]:
    return exists().where(DigestSend.user_id == User.id, DigestSend.week == str(week))


def count_already_sent(week: IsoWeek) -> int:
    """How many current subscribers were already sent `week`'s digest."""
    query = select(func.count()).select_from(User).where(_subscribed(), _already_sent(week))
    return int(db.session.scalar(query) or 0)


def pending_recipients(week: IsoWeek) -> list[Recipient]:
    """(id, email, display name) of every subscriber not yet sent `week`'s digest, by id."""
    query = (
        select(User.id, User.email, User.display_name)
        .where(_subscribed(), ~_already_sent(week))
        .order_by(User.id)
    )
    return [Recipient(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class RenderedDigest:
    """A week's digest rendered once; each member's message only adds a greeting and links."""

    page: DigestPage
    html: Markup
    text: str
    week_url: str
    subject: str


def render_digest(week: IsoWeek) -> RenderedDigest:
    """The digest of `week`, rendered for mail (needs a request context for absolute URLs)."""
    page = digest_page(week)
    week_url = url_for("digest.show", week=str(week), _external=True)
    context = {"digest": page.digest, "panelists": page.panelists, "week_url": week_url}
    return RenderedDigest(
        page=page,
        html=Markup(render_template("digest/_mail_body.html", **context)),  # noqa: S704 - autoescaped template
        text=render_template("digest/_mail_body.txt", **context),
        week_url=week_url,
        subject=f"newsweb weekly digest: the week of {week.date_range}",
    )


def digest_message(rendered: RenderedDigest, email: str, name: str, user_id: int) -> EmailMessage:
    """One member's copy, with RFC 8058 one-click unsubscribe headers."""
    unsubscribe_url = url_for(
        "digest.unsubscribe", token=unsubscribe_token(user_id), _external=True
    )
    return mail.compose(
        to=mail.address(email, name),
        subject=rendered.subject,
        template="digest",
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        name=name,
        week=rendered.page.digest.week,
        body_html=rendered.html,
        body_text=rendered.text,
        week_url=rendered.week_url,
        unsubscribe_url=unsubscribe_url,
        account_url=url_for("accounts.account", _external=True),
    )


def _record(user_id: int, week: IsoWeek) -> None:
    """Record one accepted message, committed at once (see the module's docstring)."""
    try:
        db.session.execute(
            insert(DigestSend).values(user_id=user_id, week=str(week), sent_at=utcnow())
        )
        db.session.commit()
    except IntegrityError:
        # Recorded already (an overlapping run): the member has the digest either way.
        db.session.rollback()


def _batches(items: list[Recipient], size: int) -> Iterator[list[Recipient]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def send_digest(week: IsoWeek, *, batch_size: int = BATCH_SIZE) -> SendReport:
    """Email `week`'s digest to every verified subscriber who has not had it; say what happened.

    One SMTP connection per batch of `batch_size`. A message the server refuses counts as
    failed and the batch goes on; a lost connection fails the rest of its batch and the
    next batch connects again. Failed members are not recorded, so a rerun retries them.
    Needs an app and a request context (for the links).
    """
    report = SendReport(week)
    rendered = render_digest(week)
    if rendered.page.digest.is_empty:
        report.empty = True
        return report
    report.skipped = count_already_sent(week)
    recipients = pending_recipients(week)
    db.session.commit()  # end the read: each send below commits on its own
    for batch in _batches(recipients, batch_size):
        done = 0
        try:
            with mail.sending() as send:
                for user_id, email, name in batch:
                    try:
                        send(digest_message(rendered, email, name, user_id))
                    except (
                        smtplib.SMTPRecipientsRefused,
                        smtplib.SMTPDataError,
                        smtplib.SMTPSenderRefused,
                    ):
                        report.failed += 1
                    else:
                        _record(user_id, week)
                        report.sent += 1
                    done += 1
        except (smtplib.SMTPException, OSError):
            report.failed += len(batch) - done
    return report
