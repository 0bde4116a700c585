"""How long a fresh process takes to import the app and build it, as a gunicorn worker would.

Usage (from the repository root, with the project's virtual environment)::

    .venv/bin/python scripts/startup.py            # 9 runs
    .venv/bin/python scripts/startup.py --runs 21

Each run is a new interpreter doing ``from wsgi import app`` (import plus ``create_app()``);
the script prints the median wall-clock and CPU time of the runs, and the same for importing
Flask and Flask-SQLAlchemy alone: the floor of any worker of a Flask + SQLAlchemy app. With
gunicorn's ``preload_app`` (gunicorn.conf.py) only the master pays this, once; workers are
forked from it. The CPU time matters on a busy machine, where wall-clock time also counts
the time other processes held the cores; the load average is printed beside the figures.

Bytecode is cached as in production (one uncounted run first writes it), in a temporary
folder so that the working tree gets no ``__pycache__`` folders.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Prints "<wall seconds> <CPU seconds>" for importing the given statement's modules.
TIMED = (
    "import time\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "{statement}\n"
    "print(time.perf_counter() - wall, time.process_time() - cpu)\n"
)
APP = "from wsgi import app"
FLOOR = "import flask, flask_sqlalchemy"


def timed_runs(statement: str, runs: int, env: dict[str, str]) -> list[tuple[float, float]]:
    """Wall-clock and CPU seconds of `statement` in `runs` fresh interpreters (after a warm-up)."""
    results = []
    for number in range(runs + 1):
        output = subprocess.run(  # noqa: S603 (our own interpreter and fixed code)
            [sys.executable, "-c", TIMED.format(statement=statement)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if number:  # the first run writes the bytecode cache
            results.append((float(output[0]), float(output[1])))
    return results


def describe(label: str, results: list[tuple[float, float]]) -> str:
    """One line: the median wall-clock and CPU time of the runs, and their range."""
    walls = [wall for wall, _ in results]
    cpus = [cpu for _, cpu in results]
    return (
        f"{label:34} median {statistics.median(walls):.3f} s wall"
        f" ({min(walls):.3f}-{max(walls):.3f}), {statistics.median(cpus):.3f} s CPU"
    )


def main() -> int:
    """Time the runs and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsweb-startup-") as cache:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) before")
        print(describe("worker start-up (import + app)", timed_runs(APP, options.runs, env)))
        print(describe("floor (import flask, SQLAlchemy)", timed_runs(FLOOR, options.runs, env)))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average {load} after; {options.runs} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
