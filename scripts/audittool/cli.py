"""The audit's command line, and the run from start to end: prepare, serve, find pages, audit."""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchtool.pages import PERSONA_LINK, STORY_LINK, TOOL_LINK, first_link
from benchtool.servers import SITE_APP, Gunicorn
from loadtest.database import flask_command

from audittool import lighthouse
from audittool.report import shortfalls, table

# Settings of the shell that would change what `make run` serves; the audit sets its own.
SITE_SETTINGS = ("DATABASE_URL", "REDIS_URL", "PORT", "BIND")
SEARCH = "/search?q=model"


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    chrome: Path
    reports: Path | None


def parse_options(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="Lighthouse (mobile) on newsweb's main pages.")
    parser.add_argument(
        "--chrome",
        type=Path,
        default=Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium")),
        help="the Chromium Lighthouse drives (default: $CHROME_PATH or /usr/bin/chromium)",
    )
    parser.add_argument(
        "--reports", type=Path, help="a folder to keep each page's Lighthouse JSON report in"
    )
    arguments = parser.parse_args(argv)
    return Options(arguments.chrome, arguments.reports)


def pages_to_audit(port: int) -> list[tuple[str, str]]:
    """(name, path) of each page audited, slugs read from the running site's own links."""
    return [
        ("front page", "/"),
        ("story", first_link(port, "/", STORY_LINK)),
        ("tool", first_link(port, "/tools", TOOL_LINK)),
        ("persona", first_link(port, "/panel", PERSONA_LINK)),
        ("search", SEARCH),
    ]


def audit(options: Options, folder: Path) -> list[lighthouse.Result]:
    """Serve a scratch demo site from `folder` with gunicorn and audit its pages."""
    command = lighthouse.install(lighthouse.cache_folder())
    env = {key: value for key, value in os.environ.items() if key not in SITE_SETTINGS}
    env["DATABASE_URL"] = f"sqlite:///{folder / 'audit.sqlite3'}"
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load", "--if-empty")
    site = Gunicorn("newsweb", SITE_APP, env, folder / "gunicorn.log")
    try:
        site.wait_until_ready("/")
        reports = options.reports or folder
        reports.mkdir(parents=True, exist_ok=True)
        results = []
        for name, path in pages_to_audit(site.port):
            print(f"Lighthouse: {name} ({path})", flush=True)
            output = reports / f"{name.replace(' ', '-')}.json"
            report = lighthouse.run(command, site.base_url + path, options.chrome, output)
            results.append(lighthouse.read_report(name, report))
        if problems := site.problems():
            raise SystemExit("the site logged errors:\n" + "\n".join(problems))
        return results
    finally:
        site.stop()


def main(argv: list[str] | None = None) -> int:
    """Run the audit and print the table; 1 when the run itself failed, 2 without Chromium."""
    options = parse_options(argv)
    if not options.chrome.exists():
        print(f"Chromium not found at {options.chrome} (apt-get install chromium)")
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="newsweb-audit-") as scratch:
            results = audit(options, Path(scratch))
    except SystemExit as failure:
        print(f"audit failed: {failure}")
        return 1
    print(f"\nLighthouse {lighthouse.VERSION}, mobile\n")
    print(table(results))
    print()
    print(shortfalls(results))
    return 0
