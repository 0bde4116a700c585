"""wrk, the load generator: its command line, and what its `--latency` output says."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 16

# wrk prints times with the unit it chose per value; everything here is in milliseconds.
TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
PERCENTILE = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),", re.MULTILINE)
SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.MULTILINE
)
NOT_2XX_3XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


class WrkMissing(Exception):
    """wrk is not installed."""


class WrkFailed(Exception):
    """wrk exited with an error, or printed something that is not a result."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles (ms), and whatever went wrong."""

    requests: int
    seconds: float
    requests_per_second: float
    percentiles: dict[int, float]
    socket_errors: dict[str, int]
    not_2xx_3xx: int

    @property
    def p50(self) -> float:
        """The median latency in milliseconds."""
        return self.percentiles[50]

    @property
    def p99(self) -> float:
        """The 99th-percentile latency in milliseconds."""
        return self.percentiles[99]

    @property
    def errors(self) -> int:
        """Socket errors of every kind plus responses that were neither 2xx nor 3xx."""
        return sum(self.socket_errors.values()) + self.not_2xx_3xx


def milliseconds(value: str, unit: str) -> float:
    """A wrk time (`"5.23"`, `"ms"`) in milliseconds."""
    return float(value) * TIME_UNITS[unit]


def parse(output: str) -> WrkResult:
    """Read the result of `wrk --latency` from what it printed; WrkFailed if it is not there."""
    rate = REQUESTS_PER_SECOND.search(output)
    total = TOTAL.search(output)
    found = PERCENTILE.findall(output)
    percentiles = {int(percent): milliseconds(value, unit) for percent, value, unit in found}
    if rate is None or total is None or not {50, 99} <= percentiles.keys():
        raise WrkFailed(f"unexpected wrk output:\n{output}")
    socket_errors = dict.fromkeys(("connect", "read", "write", "timeout"), 0)
    if counts := SOCKET_ERRORS.search(output):
        socket_errors = dict(zip(socket_errors, map(int, counts.groups()), strict=True))
    not_ok = NOT_2XX_3XX.search(output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=milliseconds(total.group(2), total.group(3)) / 1000,
        requests_per_second=float(rate.group(1)),
        percentiles=percentiles,
        socket_errors=socket_errors,
        not_2xx_3xx=int(not_ok.group(1)) if not_ok else 0,
    )


def wrk_path() -> str:
    """Where wrk is installed; WrkMissing, with how to install it, if it is not."""
    if found := shutil.which("wrk"):
        return found
    raise WrkMissing("wrk is not installed: on Debian or Ubuntu, `sudo apt-get install -y wrk`")


def command(wrk: str, url: str, seconds: float, headers: dict[str, str]) -> list[str]:
    """The command line running `wrk` on `url` for `seconds` with these request headers."""
    line = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{round(seconds)}s", "--latency"]
    for name, value in headers.items():
        line += ["-H", f"{name}: {value}"]
    return [*line, url]


def run(url: str, seconds: float, headers: dict[str, str]) -> WrkResult:
    """Drive `url` with wrk for `seconds` and return what it measured."""
    line = command(wrk_path(), url, seconds, headers)
    finished = subprocess.run(  # noqa: S603 (wrk, found on PATH, with our own arguments)
        line, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if finished.returncode != 0:
        raise WrkFailed(f"wrk exited with {finished.returncode}:\n{finished.stderr}")
    return parse(finished.stdout)
