"""The benchmark's servers: a database prepared as `make run` does, gunicorn started and stopped."""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from loadtest.database import flask_command

from benchtool import REPO
from benchtool.client import request

SITE_APP = "wsgi:app"
FLOOR_APP = "benchtool.floor:create_app_from_env()"
STARTUP_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0
BOOTED = "Booting worker with pid"


def prepare_database(env: dict[str, str], email: str, password: str) -> None:
    """Migrate and load the demo (as `make run` does), and create one member account."""
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "load", "--if-empty")
    flask_command(env, "users", "create", email, "--password-stdin", stdin=password)


def configured_workers(env: dict[str, str]) -> int:
    """How many workers gunicorn.conf.py gives gunicorn under `env`."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        workers = runpy.run_path(str(REPO / "gunicorn.conf.py"))["workers"]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return int(workers)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Gunicorn:
    """`gunicorn --config gunicorn.conf.py APP`, in its own process group, logging to a file."""

    def __init__(self, name: str, app: str, env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_path
        self.workers = configured_workers(env)
        # PORT is what `make run` users set; BIND is cleared so that PORT decides.
        env = {key: value for key, value in env.items() if key != "BIND"}
        line = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", app]
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
                line,
                cwd=REPO,
                env=env | {"PORT": str(self.port)},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )

    @property
    def base_url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    def wait_until_ready(self, probe: str) -> None:
        """Wait until every worker has booted and `probe` answers; SystemExit if it never does."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name}: gunicorn exited early:\n{self.log_tail()}")
            booted = self.log_path.read_text(errors="replace").count(BOOTED)
            try:
                if booted >= self.workers and request(self.port, probe).status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name}: no answer within {STARTUP_TIMEOUT:.0f} s")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines gunicorn wrote."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def problems(self) -> list[str]:
        """Log lines that show something went wrong in the app or a worker."""
        words = ("Traceback", '"level": "error"', '"level": "critical"', "WORKER TIMEOUT")
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if any(word in line for word in words)]

    def stop(self) -> None:
        """Stop gunicorn and its workers (SIGTERM to the group, SIGKILL if they linger)."""
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        # Workers left behind by a master that died are in the same group.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sent: signal.Signals) -> None:
        """Send `sent` to this gunicorn's process group, if any of it is still there."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sent)
