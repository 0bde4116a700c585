"""`make bench-scale`: the command line, and the run from building the newsrooms to the table."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from scaletool.databases import Scratch, member_password_hash, prepare_demo
from scaletool.generator import Sizes, generate, settle
from scaletool.report import rows_of, table, verdict
from scaletool.routes import Samples, page_requests
from scaletool.timing import Measurement, TimedApp, build_app, close_app, measure

# The full newsroom: over three years, about 30 stories a week, so a digest week, every
# feed and listing, and search's 30 results are as full as at 100,000 stories.
FULL_STORIES = 5_000


def size_label(stories: int) -> str:
    """How the table names the generated newsroom: `100k`, or the story count."""
    return f"{stories // 1000}k" if stories >= 1000 and stories % 1000 == 0 else str(stories)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see scripts/bench_scale.py)."""
    parser = argparse.ArgumentParser(
        prog="bench_scale.py",
        description="Every reader, member and API page timed on the demo and on a generated "
        "newsroom of --stories stories.",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per page (default 20)")
    parser.add_argument(
        "--stories", type=int, default=100_000, help="stories to generate (default 100000)"
    )
    parser.add_argument(
        "--full-stories",
        type=int,
        default=FULL_STORIES,
        help="stories to generate for the full newsroom, whose listings, feeds and digest "
        f"weeks are as full as at scale (default {FULL_STORIES})",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases and print where they are"
    )
    parser.add_argument("--only", help="time only the pages whose name contains this")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or None,
        help="a PostgreSQL URL: scratch databases are created beside its database "
        "(default: $DATABASE_URL, else SQLite files in a temporary directory)",
    )
    arguments = parser.parse_args(argv)
    if arguments.runs < 1 or arguments.stories < 1 or arguments.full_stories < 1:
        parser.error("--runs, --stories and --full-stories must be at least 1")
    return arguments


def say(line: str) -> None:
    """Print a progress line at once."""
    print(line, flush=True)


def time_newsrooms(
    urls: list[str], arguments: argparse.Namespace, outbox: Path
) -> list[dict[str, Measurement]]:
    """Time every request on a fresh app per newsroom (samples read from the first, the
    demo), the newsrooms taking turns; each newsroom's figures by request, in order."""
    apps = [build_app(url, outbox) for url in urls]
    try:
        samples = Samples.from_demo(apps[0])
        requests = [page_requests(app, samples, arguments.only) for app in apps]
        names = [request.name for request in requests[0]]
        # By name: a token a route needs is signed afresh for each app.
        if any([request.name for request in mine] != names for mine in requests):
            raise SystemExit("the newsrooms would be sent different requests")
        newsrooms = [TimedApp(app, mine) for app, mine in zip(apps, requests, strict=True)]
        labels = " vs ".join(("demo", "full", "large")[: len(apps)])
        say(f"Timing {len(names)} requests, {arguments.runs} runs each ({labels}, p50)")
        return measure(newsrooms, names, arguments.runs, say)
    finally:
        for app in apps:
            close_app(app)


def check_routes(url: str, arguments: argparse.Namespace, outbox: Path) -> None:
    """Stop before the long build if a route has no request (UnknownRoutes names it) or
    --only matches nothing."""
    app = build_app(url, outbox)
    try:
        if not page_requests(app, Samples.from_demo(app), arguments.only):
            raise SystemExit(f"no page's name contains {arguments.only!r}")
    finally:
        close_app(app)


def run(arguments: argparse.Namespace) -> None:
    """Build the three newsrooms, time them, print the table and the verdict."""
    label, full_label = size_label(arguments.stories), size_label(arguments.full_stories)
    sizes = Sizes.scaled(arguments.stories)
    with (
        Scratch(arguments.database_url, full_label, label, keep=arguments.keep) as scratch,
        tempfile.TemporaryDirectory(prefix="newsweb-bench-outbox-") as outbox_name,
    ):
        outbox = Path(outbox_name)
        say(f"Database: {scratch.dialect}")
        started = time.perf_counter()
        password_hash = member_password_hash()
        for newsroom in scratch.newsrooms:
            prepare_demo(newsroom.url, password_hash)
        say(f"Migrated and loaded the demo three times in {time.perf_counter() - started:.1f} s")
        check_routes(scratch.demo.url, arguments, outbox)
        full = generate(scratch.full.url, Sizes.scaled(arguments.full_stories), password_hash)
        say(f"Built the {full_label} newsroom in {full.seconds:.1f} s")
        say(
            f"Generating {sizes.stories:,} stories ({sizes.stories * 4:,} takes), "
            f"{sizes.members:,} members and {sizes.bookmarks:,} bookmarks..."
        )
        made = generate(scratch.large.url, sizes, password_hash)
        for newsroom in scratch.newsrooms:
            settle(newsroom.url)
        say(
            f"Built the {label} newsroom in {made.seconds:.1f} s: {made.stories:,} stories, "
            f"{made.takes:,} takes, {made.members:,} members, {made.bookmarks:,} bookmarks "
            f"(on top of the demo)"
        )
        urls = [newsroom.url for newsroom in scratch.newsrooms]
        small, filled, large = time_newsrooms(urls, arguments, outbox)
        rows = rows_of(small, large, filled)
        title = (
            f"\n{scratch.dialect}: demo, {full_label} and {label} ({made.stories:,} generated "
            f"stories), p50/p95 over {arguments.runs} runs, through the Flask test client"
        )
        say(table(title, rows, label, full_label))
        say(verdict(rows, label, full_label))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark: 0 whatever it measured, 1 when the run itself failed."""
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    try:
        run(arguments)
    except SystemExit as stop:
        if stop.code not in (None, 0):
            print(f"bench-scale failed: {stop.code}", file=sys.stderr)
            return 1
    except Exception:
        traceback.print_exc()
        print("bench-scale failed", file=sys.stderr)
        return 1
    say(f"Whole run: {time.perf_counter() - started:.0f} s")
    return 0
