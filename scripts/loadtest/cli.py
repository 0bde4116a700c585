"""The load test's command line, and the run from start to end: prepare, serve, load, report."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from loadtest.client import Client
from loadtest.database import populate, prepare_database, verify_bookmarks
from loadtest.driver import drive_load, split_threads
from loadtest.pages import discover
from loadtest.report import Outcome, failures, print_report
from loadtest.server import Server
from loadtest.stats import Stats
from loadtest.traffic import Account, Run
from newsweb.config import database_url_from


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
        database_url = prepare_database(options.database_url, workdir)
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
