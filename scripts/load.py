"""A bounded load test for newsweb: mixed traffic against gunicorn, a reload midway, no lost writes.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/load.py                       # SQLite in a temporary directory
    .venv/bin/python scripts/load.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/newsweb_load
    .venv/bin/python scripts/load.py --workers 4 --threads 16 --seconds 60

What it does, in order:

1. Prepares a fresh database: a new SQLite file in a temporary directory, or the
   PostgreSQL database named by ``--database-url``, whose ``public`` schema is DROPPED
   and recreated (so point it at a database made for this, e.g. ``newsweb_load``; only
   databases on this machine are accepted). Then ``flask db upgrade``, ``flask demo
   load`` and ``--members`` accounts made with ``flask users create --password-stdin``.
2. Starts ``gunicorn -c gunicorn.conf.py wsgi:app`` with ``--workers`` workers on a free
   127.0.0.1 port (its control socket turned off) and waits until ``/`` answers.
3. Runs ``--threads`` client threads for ``--seconds`` seconds, over loopback only and
   never more than ``--max-requests`` requests (plus the few a loop turn has in flight):

   * readers browse anonymously: the front page and its htmx "Load more", story pages
     found there and their htmx take toggles, "Expand all" and bookmark sidebar, the
     tool directory and tool pages, the panel and persona pages with "More takes";
   * members (half the threads) sign in first, each to accounts no other thread uses,
     with a cookie jar per account, then save and remove tool bookmarks the way htmx
     does (``HX-Request: true``, the CSRF token taken from the page), check every tool
     page shows what they last saved, read their bookmarks, and now and then sign in
     again from a "new device" (a fresh cookie jar);
   * two threads (fewer when there are few threads) also browse, and try a wrong
     password every two seconds or so once members are in. Failed sign-ins are throttled
     per client address (5 a minute) and every thread shares 127.0.0.1, so 429s are
     expected, for members' sign-ins too; they are counted apart and are not errors.
4. Halfway through, sends SIGHUP to the gunicorn master (a graceful reload) and times
   it from gunicorn's log: new workers booted, old workers gone.
5. Stops gunicorn, then checks "zero lost writes": the final state of every bookmark a
   member changed (saved or not, as its last acknowledged request left it) must be
   what the database holds, read with newsweb's own models.
6. Prints a report: requests, status codes and latency (p50/p95/p99) per kind, 429s,
   throughput, the reload, what gunicorn logged, and the lost-write check.

It exits 1 when anything went wrong: a 5xx, a connection error, a lost write, a
response that was not what the request should get (a 4xx other than the expected 422s
and 429s, or a bookmark button in the wrong state), a page showing a member something
other than what they last saved, or a traceback in gunicorn's log. The temporary
directory (database, gunicorn's log) is then kept and its path printed; ``--keep``
keeps it in any case. A PostgreSQL database is left as the run leaves it.
"""

from __future__ import annotations

import argparse
import html
import http.client
import http.cookiejar
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from itertools import pairwise
from pathlib import Path
from typing import IO

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from newsweb import create_app
from newsweb.config import database_url_from
from newsweb.extensions import db
from newsweb.models import Bookmark, Tool, User

REPO = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT = 30.0
STARTUP_TIMEOUT = 60.0
RELOAD_TIMEOUT = 60.0
STOP_TIMEOUT = 40.0
LOCAL_HOSTS = {None, "", "127.0.0.1", "localhost", "::1"}
WRONG_PASSWORD = "not-the-right-password"  # noqa: S105 (deliberately wrong, by design)
WRONG_SIGN_IN_EVERY = 2.0  # seconds between one thread's wrong passwords, on average

# What each kind of request should get; anything else is an unexpected response.
OK = frozenset({200})
EXPECTED: dict[str, frozenset[int]] = {
    "sign-in": frozenset({303, 429}),
    "sign-in, wrong password": frozenset({422, 429}),
}


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class Options:
    """The command line."""

    database_url: str | None
    workers: int
    threads: int
    seconds: float
    members: int
    max_requests: int
    seed: int
    keep: bool


def parse_options(argv: list[str] | None) -> Options:
    """Read the command line into `Options`."""
    parser = argparse.ArgumentParser(
        description="Bounded mixed load against newsweb under gunicorn, with a reload midway.",
    )
    parser.add_argument(
        "--database-url",
        help="a local PostgreSQL database to wipe and use (default: a temporary SQLite file)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--threads", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--seconds", type=float, default=60, help="load duration (default 60)")
    parser.add_argument("--members", type=int, default=20, help="member accounts (default 20)")
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="request budget (default 200000)"
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.threads < 1 or args.members < 1 or args.seconds <= 0:
        parser.error("--workers, --threads, --members and --seconds must be positive")
    return Options(
        database_url=args.database_url,
        workers=args.workers,
        threads=args.threads,
        seconds=args.seconds,
        members=args.members,
        max_requests=args.max_requests,
        seed=args.seed if args.seed is not None else secrets.randbelow(1_000_000),
        keep=args.keep,
    )


# -------------------------------------------------------------------------- database


def prepare_database(options: Options, workdir: Path) -> str:
    """Return the URL of an empty database: a new SQLite file, or the PostgreSQL one wiped."""
    if options.database_url is None:
        return f"sqlite:///{workdir / 'newsweb.sqlite3'}"
    url = make_url(database_url_from(options.database_url, workdir))
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a postgresql:// URL (SQLite is the default)")
    if url.host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to wipe a database on another machine ({url.host})")
    print(f"Dropping and recreating schema public of {url.database} on {url.host or 'socket'}")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except OperationalError as error:
        raise SystemExit(
            f"cannot reach {url.database}: {error.orig}\n"
            f"create it with: psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE {url.database}'"
        ) from None
    finally:
        engine.dispose()
    return options.database_url


def flask_command(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run `flask --app newsweb ARGS` and return its output; stop the run if it fails."""
    command = [sys.executable, "-m", "flask", "--app", "newsweb", *args]
    result = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        command, cwd=REPO, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def populate(env: dict[str, str], emails: list[str], password: str) -> None:
    """Migrate, load the demo newsroom and create the member accounts (four at a time)."""
    flask_command(env, "db", "upgrade")
    print(flask_command(env, "demo", "load").strip())

    def create(email: str) -> str:
        return flask_command(env, "users", "create", email, "--password-stdin", stdin=password)

    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(create, emails))
    print(f"Created {len(created)} member accounts")


# ---------------------------------------------------------------------------- server


@dataclass
class ServerLog:
    """What gunicorn's output (access and error log, one stream) tells about the run."""

    booted: dict[int, float] = field(default_factory=dict)
    exited: dict[int, float] = field(default_factory=dict)
    access_statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    tracebacks: int = 0
    locked: int = 0
    timeouts: int = 0


BOOTED = re.compile(r"Booting worker with pid: (\d+)")
EXITED = re.compile(r"Worker exiting \(pid: (\d+)\)")
PLAIN_ACCESS = re.compile(r'"[A-Z]+ [^"]*" (\d{3}) ')
PROBLEM_LEVELS = ("error", "critical")


class Server:
    """gunicorn running the app, with its output read line by line into a `ServerLog`."""

    def __init__(self, env: dict[str, str], workers: int, workdir: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = workdir / "gunicorn.log"
        self.log = ServerLog()
        self._lock = threading.Lock()
        bind = f"127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
        command += ["--workers", str(workers), "--bind", bind, "--no-control-socket"]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            command,
            cwd=REPO,
            env=env | {"BIND": bind, "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        """Copy gunicorn's output to the log file, noting workers, statuses and problems."""
        with self.log_path.open("w", encoding="utf-8") as copy:
            for line in stream:
                copy.write(line)
                self._note(line.rstrip("\n"), time.monotonic())

    def _note(self, line: str, now: float) -> None:
        """Update the `ServerLog` from one line (JSON lines or gunicorn's plain format)."""
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            entry = {}
        with self._lock:
            log = self.log
            if match := BOOTED.search(line):
                log.booted[int(match.group(1))] = now
            if match := EXITED.search(line):
                log.exited[int(match.group(1))] = now
            if isinstance(entry.get("status"), int) and entry.get("logger") == "gunicorn.access":
                log.access_statuses[entry["status"]] += 1
            elif not entry and (match := PLAIN_ACCESS.search(line)):
                log.access_statuses[int(match.group(1))] += 1
            log.tracebacks += line.count("Traceback (most recent call last)")
            log.locked += line.count("database is locked")
            log.timeouts += line.count("WORKER TIMEOUT")
            level = str(entry.get("level", "")).lower()
            plain_problem = any(f"[{name.upper()}]" in line for name in PROBLEM_LEVELS)
            if level in PROBLEM_LEVELS or plain_problem or "Traceback" in line:
                log.problems.append(line)

    def live_workers(self) -> set[int]:
        """Workers that booted and have not exited (as far as the log says)."""
        with self._lock:
            return set(self.log.booted) - set(self.log.exited)

    def wait_until_ready(self) -> None:
        """Wait until all workers booted and `/` answers 200; stop the run if it never does."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited early; see {self.log_path}")
            try:
                if len(self.live_workers()) >= self.workers and fetch(self.base_url, "/"):
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {STARTUP_TIMEOUT:.0f} s")

    def reload(self) -> Reload:
        """Send SIGHUP and wait until new workers booted and the old ones exited."""
        old = self.live_workers()
        started = time.monotonic()
        os.kill(self.process.pid, signal.SIGHUP)
        deadline = started + RELOAD_TIMEOUT
        while time.monotonic() < deadline:
            with self._lock:
                new = {pid: t for pid, t in self.log.booted.items() if t >= started}
                gone = {pid: t for pid, t in self.log.exited.items() if pid in old}
            if len(new) >= self.workers and len(gone) == len(old):
                return Reload(
                    started=started,
                    booted=max(new.values()) - started,
                    drained=max(gone.values(), default=started) - started,
                    old=len(old),
                    new=len(new),
                )
            time.sleep(0.02)
        return Reload(started=started, booted=math.nan, drained=math.nan, old=len(old), new=0)

    def stop(self) -> int | None:
        """Stop gunicorn gracefully (SIGTERM), killing it if it hangs; return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=10)
        return self.process.returncode


@dataclass(frozen=True)
class Reload:
    """How a SIGHUP went: seconds until the new workers booted and the old ones were gone."""

    started: float
    booted: float
    drained: float
    old: int
    new: int


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(base_url: str, path: str, *, htmx: bool = False) -> str:
    """GET `path` without cookies or statistics; the body if 200, else an empty string."""
    reply = Client(base_url, None).send("setup", path, htmx=htmx)
    return reply.body if reply is not None and reply.status == 200 else ""


# ---------------------------------------------------------------------------- client


@dataclass(frozen=True)
class Reply:
    """One HTTP response, read whole."""

    status: int
    headers: Message
    body: str


@dataclass
class KindStats:
    """Latencies and status codes of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0


class Stats:
    """Everything the client threads measured, shared and locked."""

    def __init__(self, max_requests: int) -> None:
        self._lock = threading.Lock()
        self.max_requests = max_requests
        self.kinds: dict[str, KindStats] = defaultdict(KindStats)
        self.spans: list[tuple[float, float, int]] = []  # start, end, status (0: no answer)
        self.errors: list[str] = []
        self.unexpected: list[str] = []
        self.stale_reads: list[str] = []
        self.count = 0

    def record(self, kind: str, started: float, reply: Reply | None, detail: str) -> None:
        """Note one request: its latency and status, or the connection error in `detail`."""
        ended = time.monotonic()
        with self._lock:
            self.count += 1
            stats = self.kinds[kind]
            self.spans.append((started, ended, reply.status if reply else 0))
            if reply is None:
                stats.errors += 1
                self.errors.append(f"{kind}: {detail}")
                return
            stats.latencies.append(ended - started)
            stats.statuses[reply.status] += 1
            if reply.status not in EXPECTED.get(kind, OK):
                snippet = " ".join(reply.body.split())[:160]
                self.unexpected.append(f"{kind} -> {reply.status}: {detail} {snippet}")

    def problem(self, bucket: list[str], message: str) -> None:
        """Add `message` to one of the problem lists (unexpected, stale_reads) under the lock."""
        with self._lock:
            bucket.append(message)

    def budget_left(self) -> bool:
        """Whether the request budget is not spent yet."""
        with self._lock:
            return self.count < self.max_requests


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back as responses, so the client sees each 3xx itself."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        """Follow nothing."""
        return None


class Client:
    """One browser: a cookie jar, no proxies, no redirects followed, every request measured."""

    _ids = iter(range(1, 1 << 62))
    _ids_lock = threading.Lock()

    def __init__(self, base_url: str, stats: Stats | None) -> None:
        self.base_url = base_url
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirects(),
        )

    def send(
        self,
        kind: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        htmx: bool = False,
        token: str | None = None,
    ) -> Reply | None:
        """GET `path` (or POST `form` to it); None when no HTTP answer came back."""
        headers = {"X-Request-ID": self._request_id(), "User-Agent": "newsweb-load"}
        if htmx:
            headers["HX-Request"] = "true"
        if token:
            headers["X-CSRFToken"] = token
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1:<port>)
            self.base_url + path, data=data, headers=headers
        )
        started = time.monotonic()
        reply: Reply | None = None
        detail = f"{request.get_method()} {path} [{headers['X-Request-ID']}]"
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                reply = Reply(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                reply = Reply(error.code, error.headers, error.read().decode())
        except (OSError, http.client.HTTPException) as error:
            detail += f" {type(error).__name__}: {error}"
        if self.stats is not None:
            self.stats.record(kind, started, reply, detail)
        return reply

    @classmethod
    def _request_id(cls) -> str:
        """A request id the server logs, to find a failed request in gunicorn's output."""
        with cls._ids_lock:
            return f"load-{next(cls._ids):08d}"


# --------------------------------------------------------------------------- parsing

STORY_LINK = re.compile(r'href="/news/([a-z0-9-]+)"')
TOOL_LINK = re.compile(r'href="/tools/([a-z0-9-]+)"')
PERSONA_LINK = re.compile(r'href="/panel/([a-z0-9-]+)"')
TAKE_ANCHOR = re.compile(r'href="#take-([a-z0-9-]+)"')
LOAD_MORE = re.compile(r'hx-get="(/\?after=[^"]+)"')
MORE_TAKES = re.compile(r'hx-get="(/panel/[a-z0-9-]+\?after=[^"]+)"')
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def links(pattern: re.Pattern[str], body: str) -> list[str]:
    """Every distinct match of `pattern` in `body`, unescaped, in page order."""
    return list(dict.fromkeys(html.unescape(found) for found in pattern.findall(body)))


def csrf_token(body: str) -> str | None:
    """The CSRF token a page carries, in a form's hidden field or in `hx-headers`."""
    if (tag := CSRF_INPUT.search(body)) and (value := VALUE.search(tag.group(0))):
        return html.unescape(value.group(1))
    if header := CSRF_HEADER.search(body):
        return html.unescape(header.group(1))
    return None


def button_state(body: str, slug: str) -> bool | None:
    """Whether the bookmark button for tool `slug` is pressed (saved), if the body has one."""
    button = re.search(
        rf'id="bookmark-tools-{re.escape(slug)}"[^>]*aria-pressed="(true|false)"', body
    )
    return None if button is None else button.group(1) == "true"


@dataclass(frozen=True)
class Catalog:
    """Stories, tools and personas found by following the site's own links."""

    stories: list[str]
    tools: list[str]
    personas: list[str]


def discover(base_url: str) -> Catalog:
    """Crawl the front page (through every "Load more"), the tool directory and the panel."""
    front = fetch(base_url, "/")
    stories = links(STORY_LINK, front)
    more = links(LOAD_MORE, front)
    for _ in range(50):
        if not more:
            break
        page = fetch(base_url, more[0], htmx=True)
        stories += links(STORY_LINK, page)
        more = links(LOAD_MORE, page)
    catalog = Catalog(
        stories=list(dict.fromkeys(stories)),
        tools=links(TOOL_LINK, fetch(base_url, "/tools")),
        personas=links(PERSONA_LINK, fetch(base_url, "/panel")),
    )
    if not (catalog.stories and catalog.tools and catalog.personas):
        raise SystemExit(f"found nothing to load: {catalog}")
    return catalog


# ------------------------------------------------------------------------- behaviour


@dataclass
class Run:
    """What every client thread shares: where to go, until when, and what was measured."""

    base_url: str
    stats: Stats
    catalog: Catalog
    deadline: float
    password: str
    members_ready: threading.Event = field(default_factory=threading.Event)

    def active(self) -> bool:
        """Whether there is time and request budget left."""
        return time.monotonic() < self.deadline and self.stats.budget_left()

    def pause(self, seconds: float) -> None:
        """Sleep, but never past the deadline."""
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))


@dataclass
class Browsing:
    """What one reader saw last: stories and "Load more" on the front page."""

    stories: list[str] = field(default_factory=list)
    more: str | None = None


def browse(run: Run, client: Client, rng: random.Random, seen: Browsing) -> None:
    """One step of anonymous reading, chosen at random, following the pages' own links."""
    catalog = run.catalog
    step = rng.choices(
        ["front", "more", "story", "tools", "tool", "panel", "persona"],
        weights=[20, 10, 25, 8, 17, 5, 15],
    )[0]
    if step == "more" and seen.more:
        page = client.send("GET /?after= (htmx)", seen.more, htmx=True)
        if page is not None:
            seen.stories += links(STORY_LINK, page.body)
            seen.more = next(iter(links(LOAD_MORE, page.body)), None)
    elif step in ("front", "more"):
        page = client.send("GET /", "/")
        if page is not None:
            seen.stories = links(STORY_LINK, page.body)
            seen.more = next(iter(links(LOAD_MORE, page.body)), None)
    elif step == "story":
        read_story(client, rng, rng.choice(seen.stories or catalog.stories))
    elif step == "tools":
        client.send("GET /tools", rng.choice(["/tools", "/tools?sort=ship"]))
    elif step == "tool":
        client.send("GET /tools/<slug>", f"/tools/{rng.choice(catalog.tools)}")
    elif step == "panel":
        client.send("GET /panel", "/panel")
    else:
        page = client.send("GET /panel/<slug>", f"/panel/{rng.choice(catalog.personas)}")
        more = links(MORE_TAKES, page.body) if page is not None else []
        if more and rng.random() < 0.5:
            client.send("GET /panel/<slug>?after= (htmx)", more[0], htmx=True)


def read_story(client: Client, rng: random.Random, slug: str) -> None:
    """Open a story, then maybe toggle a take, expand the panel or load the sidebar (htmx)."""
    page = client.send("GET /news/<slug>", f"/news/{slug}")
    if page is None or page.status != 200:
        return
    personas = links(TAKE_ANCHOR, page.body)
    if personas and rng.random() < 0.6:
        expanded = rng.choice(["1", "0"])
        path = f"/news/{slug}/takes/{rng.choice(personas)}?expanded={expanded}"
        client.send("GET take toggle (htmx)", path, htmx=True)
    if rng.random() < 0.2:
        client.send("GET /news/<slug>/takes (htmx)", f"/news/{slug}/takes?expanded=1", htmx=True)
    if rng.random() < 0.4:
        client.send("GET /bookmarks/sidebar (htmx)", "/bookmarks/sidebar", htmx=True)


def sign_in(client: Client, email: str, password: str, kind: str) -> Reply | None:
    """GET /login for the session cookie and CSRF token, then POST the credentials."""
    form_page = client.send("GET /login", "/login")
    if form_page is None or form_page.status != 200:
        return None
    form = {
        "csrf_token": csrf_token(form_page.body) or "",
        "email": email,
        "password": password,
        "next": "",
        "bookmark": "",
    }
    return client.send(kind, "/login", form=form)


def retry_after(reply: Reply) -> float:
    """The seconds a 429 asks to wait (at least one)."""
    try:
        return max(1.0, float(reply.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


@dataclass
class Account:
    """A member account driven by one thread: its browser, and what it meant to save."""

    email: str
    client: Client
    token: str | None = None
    intended: dict[str, bool] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)

    def note(self, slug: str, saved: bool | None) -> None:
        """Record the acknowledged state of a bookmark, or None when it is unknown."""
        if saved is None:
            self.uncertain.add(slug)
        else:
            self.intended[slug] = saved
            self.uncertain.discard(slug)


def first_sign_in(run: Run, account: Account) -> bool:
    """Sign `account` in, waiting out 429s until the deadline; whether it worked."""
    while run.active():
        reply = sign_in(account.client, account.email, run.password, "sign-in")
        if reply is not None and reply.status == 303:
            return True
        run.pause(retry_after(reply) if reply is not None and reply.status == 429 else 1.0)
    return False


def toggle_bookmark(run: Run, account: Account, slug: str, save: bool) -> None:
    """POST a save or remove the way htmx does, and note the state it acknowledged."""
    path = f"/bookmarks/tools/{slug}" if save else f"/bookmarks/tools/{slug}/delete"
    kind = "POST bookmark save (htmx)" if save else "POST bookmark remove (htmx)"
    form = {"csrf_token": account.token or "", "next": f"/tools/{slug}"}
    reply = account.client.send(kind, path, form=form, htmx=True, token=account.token)
    if reply is None or reply.status >= 500:
        account.note(slug, None)  # it may or may not have been written
    elif reply.status == 200 and "HX-Redirect" in reply.headers:
        message = f"{account.email} {path}: sent to {reply.headers['HX-Redirect']} (signed out?)"
        run.stats.problem(run.stats.unexpected, message)
    elif reply.status == 200:
        shown = button_state(reply.body, slug)
        if shown is save:
            account.note(slug, save)
            account.token = csrf_token(reply.body) or account.token
        else:
            account.note(slug, None)
            message = f"{account.email} {path}: button shows saved={shown}"
            run.stats.problem(run.stats.unexpected, message)
    # Any other 4xx was refused before writing: the last acknowledged state stands.


def bookmark_from_page(run: Run, account: Account, rng: random.Random) -> None:
    """Open a tool page, check it shows the last saved state, then flip (or repeat) it."""
    slug = rng.choice(run.catalog.tools)
    page = account.client.send("GET /tools/<slug> (member)", f"/tools/{slug}")
    if page is None or page.status != 200:
        return
    account.token = csrf_token(page.body) or account.token
    shown = button_state(page.body, slug)
    expected = account.intended.get(slug, False)
    if shown is None:
        run.stats.problem(run.stats.unexpected, f"{account.email} /tools/{slug}: no button")
        return
    if slug not in account.uncertain and shown != expected:
        message = f"{account.email} /tools/{slug}: page shows saved={shown}, last saved {expected}"
        run.stats.problem(run.stats.stale_reads, message)
    # Mostly flip it, sometimes send the same again: both must be idempotent and fine.
    toggle_bookmark(run, account, slug, (not shown) if rng.random() < 0.8 else shown)


def quick_toggle(run: Run, account: Account, rng: random.Random) -> None:
    """Click a bookmark button again without reloading (the token from the last swap)."""
    if account.token is None:
        bookmark_from_page(run, account, rng)
        return
    slug = rng.choice(run.catalog.tools)
    toggle_bookmark(run, account, slug, not account.intended.get(slug, False))


def member_reads(run: Run, account: Account, rng: random.Random) -> None:
    """Read as a member: the bookmarks page, its htmx refresh, a story with the sidebar."""
    client = account.client
    step = rng.choice(["bookmarks", "saved", "story"])
    if step == "bookmarks":
        client.send("GET /bookmarks (member)", "/bookmarks")
    elif step == "saved":
        client.send("GET /bookmarks (member, htmx)", "/bookmarks", htmx=True)
    else:
        read_story(client, rng, rng.choice(run.catalog.stories))


def sign_in_again(run: Run, account: Account) -> None:
    """Sign in from a "new device" (a fresh jar); on 429 keep using the old session."""
    fresh = Client(run.base_url, run.stats)
    reply = sign_in(fresh, account.email, run.password, "sign-in")
    if reply is not None and reply.status == 303:
        account.client, account.token = fresh, None


def member_thread(run: Run, accounts: list[Account], seed: int, ready: Callable[[], None]) -> None:
    """Sign in every account this thread owns, then bookmark, read and sign in again."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    signed_in = [account for account in accounts if first_sign_in(run, account)]
    ready()
    while signed_in and run.active():
        account = rng.choice(signed_in)
        step = rng.choices(["page", "quick", "read", "sign-in"], weights=[45, 30, 20, 5])[0]
        if step == "page":
            bookmark_from_page(run, account, rng)
        elif step == "quick":
            quick_toggle(run, account, rng)
        elif step == "read":
            member_reads(run, account, rng)
        else:
            sign_in_again(run, account)


def reader_thread(run: Run, seed: int) -> None:
    """Browse anonymously until the end."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    client, seen = Client(run.base_url, run.stats), Browsing()
    while run.active():
        browse(run, client, rng, seen)


def wrong_password_thread(run: Run, seed: int, emails: list[str]) -> None:
    """Browse, and every few seconds (once members are in) try a wrong password."""
    rng = random.Random(seed)  # noqa: S311 (traffic mix, not security)
    client, seen = Client(run.base_url, run.stats), Browsing()
    run.members_ready.wait(timeout=max(0.0, run.deadline - time.monotonic()))
    next_try = time.monotonic() + rng.uniform(0, WRONG_SIGN_IN_EVERY)
    while run.active():
        if time.monotonic() >= next_try:
            stranger = Client(run.base_url, run.stats)
            sign_in(stranger, rng.choice(emails), WRONG_PASSWORD, "sign-in, wrong password")
            next_try = time.monotonic() + rng.uniform(0.5, 1.5) * WRONG_SIGN_IN_EVERY
        else:
            browse(run, client, rng, seen)


# ------------------------------------------------------------------------ orchestration


@dataclass(frozen=True)
class Roles:
    """How many threads play each part."""

    members: int
    wrong_passwords: int
    readers: int


def split_threads(threads: int) -> Roles:
    """Half the threads are members, two (at most) try wrong passwords, the rest read."""
    members = max(1, threads // 2)
    wrong = max(0, min(2, threads - members - 1))
    return Roles(members=members, wrong_passwords=wrong, readers=threads - members - wrong)


def start_threads(
    run: Run, roles: Roles, accounts: list[Account], seed: int
) -> list[threading.Thread]:
    """Start every client thread; members own disjoint accounts (round-robin)."""
    owned: list[list[Account]] = [accounts[i :: roles.members] for i in range(roles.members)]
    waiting = [roles.members]
    lock = threading.Lock()

    def ready() -> None:
        with lock:
            waiting[0] -= 1
            if waiting[0] == 0:
                run.members_ready.set()

    emails = [account.email for account in accounts]
    threads = [
        threading.Thread(
            target=member_thread, args=(run, mine, seed + i, ready), name=f"member-{i}"
        )
        for i, mine in enumerate(owned)
    ]
    threads += [
        threading.Thread(
            target=wrong_password_thread, args=(run, seed + 100 + i, emails), name=f"wrong-{i}"
        )
        for i in range(roles.wrong_passwords)
    ]
    threads += [
        threading.Thread(target=reader_thread, args=(run, seed + 200 + i), name=f"reader-{i}")
        for i in range(roles.readers)
    ]
    for thread in threads:
        thread.start()
    return threads


def drive_load(
    run: Run, server: Server, roles: Roles, accounts: list[Account], seed: int, seconds: float
) -> tuple[float, Reload]:
    """Run the client threads, SIGHUP gunicorn halfway; return elapsed seconds and the reload."""
    started = time.monotonic()
    threads = start_threads(run, roles, accounts, seed)
    time.sleep(seconds / 2)
    print(f"{seconds / 2:.0f} s in: SIGHUP to gunicorn master {server.process.pid}")
    reload = server.reload()
    for thread in threads:
        thread.join(timeout=max(0.0, run.deadline - time.monotonic()) + REQUEST_TIMEOUT * 4)
    if any(thread.is_alive() for thread in threads):
        run.stats.problem(run.stats.errors, "some client threads did not finish in time")
    return time.monotonic() - started, reload


@dataclass(frozen=True)
class Verification:
    """The lost-write check: every acknowledged final bookmark state against the database."""

    checked: int
    saved: int
    mismatches: list[str]
    unverifiable: list[str]
    duplicates: int


def verify_bookmarks(database_url: str, accounts: list[Account]) -> Verification:
    """Compare what each member last saved with the bookmarks table, through newsweb's models."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url_from(database_url, REPO)})
    emails = [account.email for account in accounts]
    with app.app_context():
        rows = db.session.execute(
            select(User.email, Tool.slug)
            .join(Bookmark, Bookmark.user_id == User.id)
            .join(Tool, Tool.id == Bookmark.tool_id)
            .where(User.email.in_(emails))
        ).all()
        duplicates = db.session.execute(
            select(func.count())
            .select_from(Bookmark)
            .group_by(Bookmark.user_id, Bookmark.tool_id, Bookmark.story_id)
            .having(func.count() > 1)
        ).all()
        db.engine.dispose()
    stored = {(email, slug) for email, slug in rows}
    mismatches: list[str] = []
    unverifiable: list[str] = []
    checked = saved = 0
    for account in accounts:
        unverifiable += [f"{account.email} {slug}" for slug in sorted(account.uncertain)]
        for slug, want in sorted(account.intended.items()):
            if slug in account.uncertain:
                continue
            checked += 1
            saved += want
            if ((account.email, slug) in stored) != want:
                mismatches.append(f"{account.email} {slug}: acknowledged saved={want}")
        for email, slug in stored:
            if email == account.email and slug not in account.intended:
                mismatches.append(f"{email} {slug}: stored but never saved")
    return Verification(checked, saved, mismatches, unverifiable, len(duplicates))


# ---------------------------------------------------------------------------- report


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (`share` between 0 and 1), in milliseconds."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


@dataclass(frozen=True)
class Outcome:
    """Everything the report shows."""

    label: str
    roles: Roles
    elapsed: float
    reload: Reload
    stats: Stats
    log: ServerLog
    verification: Verification


def failures(outcome: Outcome) -> list[str]:
    """What makes the run fail, in words (empty when it passed)."""
    stats, log, check = outcome.stats, outcome.log, outcome.verification
    server_errors = sum(
        count
        for kind in stats.kinds.values()
        for code, count in kind.statuses.items()
        if code >= 500
    )
    found = {
        "5xx responses": server_errors,
        "connection errors": len(stats.errors),
        "lost writes": len(check.mismatches),
        "unverifiable bookmark states": len(check.unverifiable),
        "duplicate bookmark rows": check.duplicates,
        "unexpected responses": len(stats.unexpected),
        "stale bookmark pages": len(stats.stale_reads),
        "tracebacks in gunicorn's log": log.tracebacks,
        '"database is locked" in the log': log.locked,
        "worker timeouts": log.timeouts,
        "reload did not finish": 0 if math.isfinite(outcome.reload.booted) else 1,
    }
    return [f"{count} {what}" for what, count in found.items() if count]


def print_report(outcome: Outcome) -> None:
    """Print the figures: per kind, status codes, throughput, 429s, reload, log, lost writes."""
    stats, reload = outcome.stats, outcome.reload
    roles = outcome.roles
    print()
    print(f"== newsweb load test: {outcome.label}")
    print(
        f"threads: {roles.members} members, {roles.wrong_passwords} also trying wrong passwords,"
        f" {roles.readers} readers"
    )
    header = (
        f"{'kind':34} {'count':>6} {'err':>4}  {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  statuses"
    )
    print(header)
    print("-" * len(header))
    total = Counter[int]()
    for kind in sorted(stats.kinds):
        numbers = stats.kinds[kind]
        total.update(numbers.statuses)
        count = sum(numbers.statuses.values()) + numbers.errors
        codes = " ".join(f"{code}:{n}" for code, n in sorted(numbers.statuses.items()))
        print(
            f"{kind:34} {count:6d} {numbers.errors:4d}  {percentile(numbers.latencies, 0.50):7.1f}"
            f" {percentile(numbers.latencies, 0.95):7.1f}"
            f" {percentile(numbers.latencies, 0.99):7.1f}  {codes}"
        )
    every = [latency for numbers in stats.kinds.values() for latency in numbers.latencies]
    print("-" * len(header))
    print(
        f"{'all':34} {stats.count:6d} {len(stats.errors):4d}  {percentile(every, 0.50):7.1f}"
        f" {percentile(every, 0.95):7.1f} {percentile(every, 0.99):7.1f}"
    )
    print()
    print("status codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(total.items())))
    print(f"5xx: {sum(n for code, n in total.items() if code >= 500)}")
    print(f"connection errors: {len(stats.errors)}")
    wrong = stats.kinds["sign-in, wrong password"].statuses
    right = stats.kinds["sign-in"].statuses
    print(
        f"429 (throttled sign-ins, not errors): {total[429]} = {wrong[429]} wrong-password"
        f" + {right[429]} right-password (every thread shares 127.0.0.1);"
        f" wrong passwords answered 422: {wrong[422]}; sign-ins that worked: {right[303]}"
    )
    print(
        f"throughput: {stats.count / outcome.elapsed:.1f} requests/s over {outcome.elapsed:.1f} s"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
    print_reload(stats, reload)
    print_server_log(outcome.log)
    print_verification(outcome.verification)
    for title, lines in (
        ("connection errors", stats.errors),
        ("unexpected responses", stats.unexpected),
        ("stale bookmark pages", stats.stale_reads),
    ):
        if lines:
            print(f"{title} (first 10 of {len(lines)}):")
            for line in lines[:10]:
                print(f"  {line}")


def print_reload(stats: Stats, reload: Reload) -> None:
    """The reload: how long it took, and how requests around it fared.

    gunicorn stops the old workers as soon as it has forked the new ones, which then
    import the app before they accept; the longest stretch without a single response
    after the signal shows that pause as clients feel it.
    """
    end = reload.started + (reload.drained if math.isfinite(reload.drained) else RELOAD_TIMEOUT)
    around = [span for span in stats.spans if span[1] >= reload.started and span[0] <= end + 1]
    worst = max((span[1] - span[0] for span in around), default=math.nan) * 1000
    failed = sum(1 for span in around if span[2] == 0 or span[2] >= 500)
    answered = sorted(span[1] for span in stats.spans if 0 <= span[1] - reload.started <= 30)
    moments = [reload.started, *answered]
    pause = max((later - earlier for earlier, later in pairwise(moments)), default=0.0)
    print(
        f"reload (SIGHUP): {reload.new} new workers booted {reload.booted:.2f} s after the signal,"
        f" {reload.old} old workers gone after {reload.drained:.2f} s;"
        f" longest pause without any response {pause:.2f} s;"
        f" {len(around)} requests in flight around it, slowest {worst:.0f} ms, failed {failed}"
    )


def print_server_log(log: ServerLog) -> None:
    """What gunicorn logged: the access log's statuses and any problem lines."""
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(log.access_statuses.items()))
    print(
        f"gunicorn log: access statuses {codes or 'none'}; {log.tracebacks} tracebacks,"
        f' {log.locked} "database is locked", {log.timeouts} worker timeouts,'
        f" {len(log.problems)} error lines"
    )
    for line in log.problems[:10]:
        print(f"  {line[:600]}")


def print_verification(check: Verification) -> None:
    """The lost-write check."""
    print(
        f"lost writes: {len(check.mismatches)} of {check.checked} acknowledged final bookmark"
        f" states differ from the database ({check.saved} saved, {check.checked - check.saved}"
        f" removed); {len(check.unverifiable)} unverifiable; {check.duplicates} duplicate rows"
    )
    for line in (check.mismatches + check.unverifiable)[:10]:
        print(f"  {line}")


# ------------------------------------------------------------------------------ main


@contextmanager
def workspace(keep: bool) -> Iterator[tuple[Path, list[bool]]]:
    """A temporary directory, removed at the end unless `keep` or the run failed."""
    path = Path(tempfile.mkdtemp(prefix="newsweb-load-"))
    failed = [False]
    try:
        yield path, failed
    except BaseException:
        failed[0] = True
        raise
    finally:
        if keep or (failed[0] and any(path.iterdir())):
            print(f"Kept {path} (database, gunicorn.log)")
        else:
            shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Prepare, serve, load, reload, verify, report; 0 when nothing went wrong."""
    options = parse_options(argv)
    roles = split_threads(options.threads)
    with workspace(options.keep) as (workdir, failed):
        database_url = prepare_database(options, workdir)
        env = dict(os.environ) | {"DATABASE_URL": database_url}
        password = "load-" + secrets.token_urlsafe(12)
        emails = [f"load-member-{i:03d}@example.com" for i in range(1, options.members + 1)]
        populate(env, emails, password)
        server = Server(env, options.workers, workdir)
        try:
            server.wait_until_ready()
            catalog = discover(server.base_url)
            print(
                f"gunicorn on {server.base_url} with {options.workers} workers; "
                f"{len(catalog.stories)} stories, {len(catalog.tools)} tools, "
                f"{len(catalog.personas)} personas; {options.threads} threads for "
                f"{options.seconds:.0f} s (seed {options.seed})"
            )
            stats = Stats(options.max_requests)
            run = Run(server.base_url, stats, catalog, time.monotonic() + options.seconds, password)
            accounts = [Account(email, Client(server.base_url, stats)) for email in emails]
            elapsed, reload = drive_load(
                run, server, roles, accounts, options.seed, options.seconds
            )
        finally:
            code = server.stop()
        print(f"gunicorn stopped (exit code {code})")
        label = f"{make_url(database_url_from(database_url, workdir)).get_backend_name()}, " + (
            f"{options.workers} workers, {options.threads} threads, {options.seconds:.0f} s"
        )
        verification = verify_bookmarks(database_url, accounts)
        outcome = Outcome(label, roles, elapsed, reload, stats, server.log, verification)
        print_report(outcome)
        problems = failures(outcome)
        print("RESULT: " + ("FAIL: " + "; ".join(problems) if problems else "PASS"))
        failed[0] = bool(problems)
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
