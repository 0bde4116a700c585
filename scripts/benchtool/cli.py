"""The benchmark's command line, and the run from start to end: prepare, serve, capture, measure."""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from benchtool import REPO, wrk
from benchtool.floor import RESPONSES_VARIABLE, save
from benchtool.pages import Page, capture
from benchtool.report import DEFAULTS, REDIS, Row, profile_report
from benchtool.servers import FLOOR_APP, SITE_APP, Gunicorn, prepare_database

MEMBER_EMAIL = "bench-member@example.com"
# Settings of the shell that would change what `make run` serves are set by each profile.
PROFILE_SETTINGS = ("DATABASE_URL", "REDIS_URL", "PORT", "BIND")
SETTLE_TRIES = 10


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    seconds: float
    warmup: float
    profiles: list[str]
    redis_url: str


def parse_options(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="newsweb against a bare Flask floor, with wrk.")
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk duration per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="wrk warm-up per page")
    parser.add_argument(
        "--profiles",
        default=f"{DEFAULTS},{REDIS}",
        help=f"comma-separated, of {DEFAULTS} (make run as is) and {REDIS} (with REDIS_URL)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="the Redis database of the redis profile: FLUSHED before and after it",
    )
    arguments = parser.parse_args(argv)
    profiles = [name.strip() for name in arguments.profiles.split(",") if name.strip()]
    if not profiles or set(profiles) - {DEFAULTS, REDIS}:
        parser.error(f"--profiles takes {DEFAULTS} and/or {REDIS}")
    if arguments.seconds < 1 or arguments.warmup < 1:
        parser.error("--seconds and --warmup are whole seconds, at least 1")
    return Options(arguments.seconds, arguments.warmup, profiles, arguments.redis_url)


def flush(redis_url: str) -> None:
    """Empty the Redis database of the redis profile; SystemExit if Redis cannot be reached."""
    try:
        client = redis.Redis.from_url(redis_url)
        client.flushdb()
        client.close()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {redis_url} cannot be reached: {error}") from None


@contextmanager
def serving(name: str, app: str, env: dict[str, str], log: Path, probe: str) -> Iterator[Gunicorn]:
    """A gunicorn serving `app`, ready; stopped (with all its workers) however the block ends."""
    server = Gunicorn(name, app, env, log)
    try:
        server.wait_until_ready(probe)
        settle(server, probe)
        yield server
    finally:
        server.stop()
        if problems := server.problems():
            print(f"  ! {name}'s log shows problems (last of {len(problems)}): {problems[-1]}")


def settle(server: Gunicorn, probe: str) -> None:
    """Load `probe` until no request times out: every worker has imported its app by then."""
    for _ in range(SETTLE_TRIES):
        if wrk.run(f"{server.base_url}{probe}", 2, {}).socket_errors["timeout"] == 0:
            return
    raise SystemExit(f"{server.name}: requests still time out after {SETTLE_TRIES} warm-ups")


def measure(server: Gunicorn, page: Page, options: Options) -> wrk.WrkResult:
    """Warm `page` up on `server`, then measure it with wrk."""
    url = f"{server.base_url}{page.target}"
    wrk.run(url, options.warmup, page.headers)
    return wrk.run(url, options.seconds, page.headers)


def run_profile(
    profile: str, env: dict[str, str], password: str, workdir: Path, options: Options
) -> str:
    """Serve newsweb and its floor in one profile, measure every page on both, report."""
    site_env = dict(env)
    if profile == REDIS:
        flush(options.redis_url)
        site_env["REDIS_URL"] = options.redis_url
    responses = workdir / f"{profile}-responses.json"
    scripts = str(REPO / "scripts")
    floor_env = site_env | {
        RESPONSES_VARIABLE: str(responses),
        "PYTHONPATH": os.pathsep.join(filter(None, [scripts, site_env.get("PYTHONPATH")])),
    }
    site_log, floor_log = workdir / f"{profile}-site.log", workdir / f"{profile}-floor.log"
    try:
        with serving("newsweb", SITE_APP, site_env, site_log, "/") as site:
            captured = capture(site.port, MEMBER_EMAIL, password)
            save(captured.responses, responses)
            with serving("floor", FLOOR_APP, floor_env, floor_log, "/") as floor:
                print(f"Measuring {profile}: {len(captured.pages)} pages, each on both servers")
                rows = [
                    Row(page, measure(site, page, options), measure(floor, page, options))
                    for page in captured.pages
                ]
            heading = title(profile, site.workers, options)
    finally:
        if profile == REDIS:
            flush(options.redis_url)
    return profile_report(profile, heading, rows, captured.problems)


def title(profile: str, workers: int, options: Options) -> str:
    """The heading of one profile's report."""
    served = "`make run` defaults (SQLite, no REDIS_URL)"
    if profile == REDIS:
        served = f"with REDIS_URL={options.redis_url} (page cache)"
    return (
        f"== newsweb, {served}: gunicorn, {workers} workers each; "
        f"wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} -d{options.seconds:.0f}s "
        f"after {options.warmup:.0f} s of warm-up"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 whatever it measured, 1 when the run itself failed."""
    options = parse_options(argv)
    try:
        wrk.wrk_path()
    except wrk.WrkMissing as missing:
        print(missing)
        return 2
    started = time.monotonic()
    print(f"Load before: {' '.join(f'{load:.2f}' for load in os.getloadavg())} (1, 5, 15 min)")
    try:
        with tempfile.TemporaryDirectory(prefix="newsweb-bench-") as directory:
            workdir = Path(directory)
            env = {key: value for key, value in os.environ.items() if key not in PROFILE_SETTINGS}
            env["DATABASE_URL"] = f"sqlite:///{workdir / 'newsweb.sqlite3'}"
            password = secrets.token_urlsafe(18)
            print("Preparing the database as `make run` does, and one member account")
            prepare_database(env, MEMBER_EMAIL, password)
            for profile in options.profiles:
                print(f"\n{run_profile(profile, env, password, workdir, options)}\n", flush=True)
    except (SystemExit, wrk.WrkFailed) as failure:
        print(f"The benchmark could not run: {failure}")
        return 1
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nLoad after: {load} (1, 5, 15 min); took {time.monotonic() - started:.0f} s")
    return 0
