"""The load test's report: the figures it prints, and what makes the run fail."""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from loadtest.database import Verification
from loadtest.driver import Roles
from loadtest.server import RELOAD_TIMEOUT, Reload, ServerLog
from loadtest.stats import Stats


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
    print_reload(stats, reload, outcome.log)
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


# The reload window lasts at least this long, so that its p99 rests on a few hundred
# requests rather than being simply the slowest of the few answered in a shorter one.
MIN_RELOAD_WINDOW = 5.0


def reload_window(stats: Stats, reload: Reload) -> tuple[float, float]:
    """When the reload disturbed the service, as (start, end) in `time.monotonic()` seconds.

    From the signal until 1 s after the first response that follows the reload's end (new
    workers booted, old ones gone), since new workers that still import the app answer
    nobody; and at least MIN_RELOAD_WINDOW, in which new workers also warm up.
    """
    finished = max(reload.booted, reload.drained)  # both NaN when the reload never finished
    settled = reload.started + (finished if math.isfinite(finished) else RELOAD_TIMEOUT)
    resumed = min((span[1] for span in stats.spans if span[1] >= settled), default=settled)
    return reload.started, max(resumed + 1, reload.started + MIN_RELOAD_WINDOW)


def split_latencies(
    spans: list[tuple[float, float, int]], start: float, end: float
) -> tuple[list[float], list[float]]:
    """Latencies of answered requests in flight during [start, end], and of all the others."""
    during: list[float] = []
    steady: list[float] = []
    for began, ended, status in spans:
        if status:
            (during if began <= end and ended >= start else steady).append(ended - began)
    return during, steady


def print_reload(stats: Stats, reload: Reload, log: ServerLog) -> None:
    """The reload: how long it took, and how requests around it fared.

    Without `preload_app` gunicorn stops the old workers as soon as it has forked the new
    ones, which then import the app before they accept; the longest stretch without a
    single response after the signal shows that pause as clients feel it, and the p99 of
    the requests in flight during the reload, beside the p99 of all others, what it cost.
    """
    start, end = reload_window(stats, reload)
    around = [span for span in stats.spans if span[1] >= start and span[0] <= end]
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
    ready = [ms for pid, ms in log.ready_ms.items() if log.booted.get(pid, -math.inf) >= start]
    if ready:
        print(f"new workers ready {max(ready):.0f} ms after fork (slowest of {len(ready)})")
    during, steady = split_latencies(stats.spans, start, end)
    during_p99, steady_p99 = percentile(during, 0.99), percentile(steady, 0.99)
    print(
        f"p99 during the reload window ({end - start:.1f} s from the signal, {len(during)}"
        f" requests, p50 {percentile(during, 0.5):.0f} ms): {during_p99:.0f} ms;"
        f" steady p99 (the other {len(steady)}, p50 {percentile(steady, 0.5):.0f} ms):"
        f" {steady_p99:.0f} ms; ratio {during_p99 / steady_p99:.2f} (target: at most 2)"
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
