"""Several gunicorn workers writing at once, through a graceful reload: no errors, no losses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from newsweb.extensions import db
from newsweb.models import Bookmark, Tool
from tests.conftest import PASSWORD, create_user, csrf_token_in

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 3
THREADS = 24


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(demo_app: Flask, database_url: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn with several workers on this test's database; yields its URL and process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "gunicorn-test-secret-key-0123456789",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                break
        except OSError:  # refused, reset, or (on a busy machine) a read timeout
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start: " + process.communicate()[1].decode()[-2000:])
            time.sleep(0.2)
    yield url, process
    process.terminate()
    _, errors = process.communicate(timeout=30)
    assert b"database is locked" not in errors
    assert b"Traceback" not in errors


def signed_in_opener(url: str, email: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A cookie-keeping client signed in as `email`, and its CSRF token."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{url}/login").read().decode()
    token = csrf_token_in(page)
    form = f"csrf_token={token}&email={email}&password={PASSWORD.replace(' ', '+')}".encode()
    opener.open(urllib.request.Request(f"{url}/login", data=form))
    account = opener.open(f"{url}/account").read().decode()
    return opener, csrf_token_in(account)


def test_workers_write_concurrently_through_a_reload(
    demo_app: Flask, server: tuple[str, subprocess.Popen[bytes]]
) -> None:
    """24 threads save and remove bookmarks across 3 workers while gunicorn reloads.

    Every request succeeds, and the database ends in exactly the state the last
    acknowledged request of each thread asked for.
    """
    url, process = server
    create_user(demo_app, "load@example.com")
    with demo_app.app_context():
        slugs = list(db.session.scalars(select(Tool.slug).order_by(Tool.slug)))
    opener, token = signed_in_opener(url, "load@example.com")
    statuses: list[int] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        slug = slugs[number % len(slugs)]
        # Threads sharing a tool end on the same final state: saved.
        for action in ("", "/delete", "", "/delete", ""):
            request = urllib.request.Request(
                f"{url}/bookmarks/tools/{slug}{action}",
                data=b"next=/",
                headers={"X-CSRFToken": token, "HX-Request": "true"},
            )
            try:
                with opener.open(request, timeout=30) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            with lock:
                statuses.append(status)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(work, n) for n in range(THREADS)]
        time.sleep(0.3)
        process.send_signal(signal.SIGHUP)
        for future in futures:
            future.result()
    assert statuses == [200] * (THREADS * 5)
    with demo_app.app_context():
        saved = db.session.scalar(select(func.count(Bookmark.id)))
    assert saved == len(slugs)
