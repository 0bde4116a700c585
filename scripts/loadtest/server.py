"""gunicorn under load: started on a free port, reloaded with SIGHUP, stopped, its log read."""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from loadtest import REPO
from loadtest.client import fetch

STARTUP_TIMEOUT = 60.0
RELOAD_TIMEOUT = 60.0
STOP_TIMEOUT = 40.0


@dataclass
class ServerLog:
    """What gunicorn's output (access and error log, one stream) tells about the run."""

    booted: dict[int, float] = field(default_factory=dict)
    exited: dict[int, float] = field(default_factory=dict)
    ready_ms: dict[int, float] = field(default_factory=dict)  # fork to serving (our config's log)
    access_statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    tracebacks: int = 0
    locked: int = 0
    timeouts: int = 0


BOOTED = re.compile(r"Booting worker with pid: (\d+)")
EXITED = re.compile(r"Worker exiting \(pid: (\d+)\)")
READY = re.compile(r"Worker (\d+) ready (\d+) ms after fork")
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
            if match := READY.search(line):
                log.ready_ms[int(match.group(1))] = float(match.group(2))
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
