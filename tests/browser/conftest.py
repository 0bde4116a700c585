"""Real Chromium (Debian's) driven by Playwright against the app on a live local server."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer

CHROMIUM = Path(os.environ.get("NEWSWEB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("NEWSWEB_REQUIRE_BROWSER") == "1"
# Seconds the live server waits on a connection's socket before giving it up.
REQUEST_TIMEOUT = 10


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium): browser tests"
        if REQUIRE_BROWSER:
            pytest.fail(f"{message} are required (NEWSWEB_REQUIRE_BROWSER=1)")
        pytest.skip(f"{message} skipped")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class PooledServer(BaseWSGIServer):
    """Werkzeug's server answering on a few long-lived threads, as gunicorn's threads do.

    The app keeps one database connection per thread that reads the newsroom's version
    (web/version.py), so a thread per request, as werkzeug's threaded server has, would
    take a new pooled connection for every anonymous page until the pool ran dry. As a
    BaseWSGIServer it speaks HTTP/1.0, so no idle keep-alive connection holds a thread.
    """

    def __init__(self, app: Flask, threads: int = 4) -> None:
        super().__init__("127.0.0.1", 0, app)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="live-server")

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to a pool thread."""
        self.pool.submit(self._answer, request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        # Chromium may open a connection it never sends a request on (a speculative
        # preconnect): without a timeout its thread would wait forever, and so would the
        # server's shutdown at the end of the test.
        request.settimeout(REQUEST_TIMEOUT)
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        """Stop taking connections, then let the threads finish what they hold."""
        super().server_close()
        self.pool.shutdown()


@pytest.fixture
def live_server(demo_app: Flask) -> Iterator[str]:
    """Serve the demo newsroom on a free local port; yields its base URL."""
    server = PooledServer(demo_app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def forgive_failed_load(console_errors: list[str], url: str, *, status: int) -> None:
    """Drop the console entry Chromium logs for a page answered with `status` at `url`.

    Chromium logs every 4xx page load as an error, including the 422 of a form with
    errors and a 403 page, which are intended. Asserts the entry was logged, so the test
    also proves the status the page answered.
    """
    expected = re.compile(
        rf"^Failed to load resource: the server responded with a status of {status}\b.*"
        rf"\({re.escape(url)}\)$"
    )
    matching = [error for error in console_errors if expected.match(error)]
    assert matching, f"no {status} from {url} in {console_errors}"
    for error in matching:
        console_errors.remove(error)


# htmx logs a request it cancelled on purpose as an error: `data-hx-sync="this:replace"` drops
# a search still in flight when the reader types on (which a busy machine makes likely).
# A failed request still shows as htmx:responseError, htmx:sendError or htmx:swapError.
CANCELLED_ON_PURPOSE = ("htmx:sendAbort", "htmx:afterRequest")


def _watch_console(context: BrowserContext, errors: list[str]) -> None:
    def record(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(CANCELLED_ON_PURPOSE):
            errors.append(f"{message.text} ({message.location['url']})")

    context.on("console", record)
    context.on("weberror", lambda error: errors.append(str(error.error)))


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught exceptions seen by `page` (tests assert it stays empty)."""
    return []


@pytest.fixture
def page(browser: Browser, console_errors: list[str]) -> Iterator[Page]:
    """A fresh browser tab with JavaScript on; fails the test on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    _watch_console(context, console_errors)
    yield context.new_page()
    context.close()
    assert console_errors == [], f"console errors: {console_errors}"


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab with JavaScript switched off."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()
