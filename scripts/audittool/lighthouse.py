"""Lighthouse, pinned and installed with npm into a cache folder outside the repository.

Run on Debian's Chromium in mobile mode (Lighthouse's default: a mid-range phone on a
slow 4G link, simulated), its JSON report read into the four category scores and the
audits that cost points.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
RUN_TIMEOUT = 300.0
INSTALL_TIMEOUT = 600.0


def cache_folder() -> Path:
    """Where this version of Lighthouse is installed: the user's cache, never the repository."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newsweb-audit" / f"lighthouse-{VERSION}"


def install(folder: Path) -> Path:
    """Lighthouse's command in `folder`, installed there first if it is not yet."""
    command = folder / "node_modules" / ".bin" / "lighthouse"
    if command.exists():
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm not found: Lighthouse is installed with npm (apt-get install npm)")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Installing lighthouse@{VERSION} into {folder}")
    line = [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund"]
    result = subprocess.run(  # noqa: S603 (npm, fixed arguments)
        [*line, "--loglevel=error", f"lighthouse@{VERSION}"],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if result.returncode != 0 or not command.exists():
        raise SystemExit(
            f"npm install lighthouse@{VERSION} failed:\n{result.stdout}{result.stderr}"
        )
    return command


def run(command: Path, url: str, chrome: Path, output: Path) -> dict[str, Any]:
    """Audit `url` in mobile mode with the Chromium at `chrome`; the JSON report, read."""
    line = [
        str(command),
        url,
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    result = subprocess.run(  # noqa: S603 (the installed Lighthouse, fixed arguments)
        line,
        env=os.environ | {"CHROME_PATH": str(chrome)},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    if result.returncode != 0 or not output.exists():
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return report


@dataclass(frozen=True)
class Result:
    """One page's audit: its name, each category's score out of 100, what cost points."""

    page: str
    scores: dict[str, int | None]
    shortfalls: list[str]


def read_report(page: str, report: dict[str, Any]) -> Result:
    """The scores of `report` (None where Lighthouse could not score a category) and the
    weighted audits that scored below full marks, each with its category and score."""
    if error := report.get("runtimeError"):
        return Result(page, dict.fromkeys(CATEGORIES), [f"Lighthouse: {error.get('message')}"])
    categories = report["categories"]
    audits = report["audits"]
    scores: dict[str, int | None] = {}
    shortfalls = []
    for name in CATEGORIES:
        score = categories[name]["score"]
        scores[name] = None if score is None else round(score * 100)
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                shortfalls.append(
                    f"{name}: {audit['title']}{value} [{ref['id']}, {round(audit['score'] * 100)}]"
                )
    return Result(page, scores, shortfalls)
