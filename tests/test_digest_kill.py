"""`flask digest send` killed part way through (SIGKILL, no chance to clean up), then run
again: every subscriber gets the digest, none twice but at most the one in flight."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from flask import Flask

from tests.mailsink import SinkServer
from tests.test_digest_mail import member, newest_week, sends_recorded

SUBSCRIBERS = 30


def digest_send(env: dict[str, str], week: str) -> subprocess.Popen[bytes]:
    """Start `flask --app newsweb digest send` as its own process."""
    command = [sys.executable, "-m", "flask", "--app", "newsweb", "digest", "send"]
    return subprocess.Popen(
        [*command, "--week", week, "--batch-size", "5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_send_killed_halfway_is_finished_by_a_rerun(
    mail_app: Flask, smtp_server: SinkServer, database_url: str, tmp_path: Path
) -> None:
    """Kill the sender after about a third of the messages; the rerun sends exactly the rest."""
    week = str(newest_week(mail_app))
    emails = [f"reader{n:02d}@example.com" for n in range(SUBSCRIBERS)]
    for email in emails:
        member(mail_app, email)
    sink = smtp_server.sink
    sink.delay = 0.05  # slow enough to catch the sender in the middle
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_URL": smtp_server.url,
        "MAIL_FROM": "newsweb <news@newsweb.test>",
        "SITE_URL": "http://news.example",
        "SECRET_KEY": "test-secret-key",
    }
    sender = digest_send(env, week)
    deadline = time.monotonic() + 60
    while len(sink.messages) < SUBSCRIBERS // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    sender.send_signal(signal.SIGKILL)
    sender.communicate(timeout=30)
    delivered_before = len(sink.messages)
    assert 0 < delivered_before < SUBSCRIBERS, "the sender was not caught part way through"

    sink.delay = 0.0
    rerun = digest_send(env, week)
    output, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, output.decode()

    received = Counter(r.recipients[0] for r in sink.messages)
    assert set(received) == set(emails), "someone never got the digest"
    repeated = {address: n for address, n in received.items() if n > 1}
    assert sum(n - 1 for n in repeated.values()) <= 1, repeated  # only the one in flight
    assert sends_recorded(mail_app, newest_week(mail_app)) == SUBSCRIBERS
