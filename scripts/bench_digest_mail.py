"""How fast `flask digest send` mails a newsroom's subscribers: messages per second.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/bench_digest_mail.py
    .venv/bin/python scripts/bench_digest_mail.py --subscribers 5000 --batch-size 200

What it does, in order:

1. Builds a SQLite database in a temporary directory as `make run` does (the migrations,
   then the demo newsroom), and inserts the subscribers in one bulk statement: verified
   addresses, digest wanted.
2. Starts an SMTP server on 127.0.0.1 (aiosmtpd) that only counts what it accepts, and
   points MAIL_URL at it: real sockets, real SMTP, nothing kept.
3. Sends the digest of the demo's newest week with `send_digest`, exactly what the command
   runs, and prints messages per second, how many connections carried them, and the
   rows recorded in digest_sends.

The temporary directory and the server go away whatever happens.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from newsweb import create_app
from newsweb.demo.cli import load_demo, read_content
from newsweb.digest.mailing import BATCH_SIZE, send_digest
from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import DigestSend, Story, User
from newsweb.models.clock import utcnow


class CountingSink:
    """An SMTP handler that accepts every message and counts messages and connections."""

    def __init__(self) -> None:
        self.messages = 0
        # smtplib greets once per connection (an id() of the session could be reused).
        self.connections = 0

    async def handle_EHLO(
        self, _server: Any, session: Any, _envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """Count a new connection's greeting and answer it as the server would."""
        self.connections += 1
        session.host_name = hostname  # what aiosmtpd does itself when no hook takes EHLO
        return responses

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        """Count the message and accept it."""
        self.messages += 1
        return "250 Message accepted"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def add_subscribers(count: int) -> None:
    """Insert `count` verified subscribers in one statement (no password: they never sign in)."""
    now = utcnow()
    rows = [
        {
            "email": f"subscriber{n}@example.com",
            "display_name": f"Subscriber {n}",
            "password_hash": "!",
            "session_token": secrets.token_urlsafe(24),
            "created_at": now,
            "email_verified_at": now,
            "digest_subscribed": True,
        }
        for n in range(count)
    ]
    db.session.execute(insert(User), rows)
    db.session.commit()


def newest_week() -> IsoWeek:
    """The week of the demo's newest visible story."""
    newest = db.session.scalar(select(func.max(Story.published_at)).where(Story.visible()))
    if newest is None:
        raise SystemExit("the demo newsroom has no stories")
    return IsoWeek.containing(newest)


def main(argv: list[str] | None = None) -> int:
    """Build the newsroom, send the digest to the sink, print the rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    options = parser.parse_args(argv)

    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory(prefix="newsweb-bench-digest-") as folder:
            app = create_app(
                {
                    "SECRET_KEY": secrets.token_hex(32),
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                    "MAIL_URL": f"smtp://127.0.0.1:{port}",
                    "MAIL_FROM": "newsweb <news@newsweb.test>",
                }
            )
            with app.app_context():
                upgrade()
                load_demo(read_content())
                started = time.perf_counter()
                add_subscribers(options.subscribers)
                inserted = time.perf_counter() - started
                week = newest_week()
                with app.test_request_context(base_url="https://news.example"):
                    started = time.perf_counter()
                    report = send_digest(week, batch_size=options.batch_size)
                    elapsed = time.perf_counter() - started
                recorded = db.session.scalar(
                    select(func.count()).select_from(DigestSend).where(DigestSend.week == str(week))
                )
                db.session.remove()
                db.engine.dispose()
    finally:
        controller.stop()

    print(f"{options.subscribers} subscribers inserted in {inserted:.2f} s")
    print(report)
    print(
        f"{sink.messages} messages accepted by the sink over {sink.connections} connections "
        f"in {elapsed:.2f} s: {sink.messages / elapsed:.0f} messages/s "
        f"({recorded} rows in digest_sends)"
    )
    return 0 if report.failed == 0 and sink.messages == options.subscribers else 1


if __name__ == "__main__":
    sys.exit(main())
