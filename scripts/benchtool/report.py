"""The benchmark's report: each page against the floor, the issue-11 targets met or not."""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchtool.pages import ANONYMOUS, CONDITIONAL, MEMBER, Page
from benchtool.wrk import WrkResult

DEFAULTS = "defaults"
REDIS = "redis"

# Issue 11's targets: the least ratio of newsweb's req/s to the floor's, per profile and kind.
TARGETS = {
    (DEFAULTS, ANONYMOUS): 0.5,
    (REDIS, ANONYMOUS): 0.6,
    (DEFAULTS, CONDITIONAL): 0.9,
    (REDIS, CONDITIONAL): 0.9,
    (DEFAULTS, MEMBER): 0.3,
    (REDIS, MEMBER): 0.3,
}
TARGET_NAMES = {
    ANONYMOUS: "anonymous pages and fragments",
    CONDITIONAL: "conditional GET (304)",
    MEMBER: "signed-in story page",
}


@dataclass(frozen=True)
class Row:
    """One page measured on newsweb and on the floor, in one profile."""

    page: Page
    ours: WrkResult
    floor: WrkResult

    @property
    def ratio(self) -> float:
        """newsweb's req/s over the floor's (NaN when the floor served nothing)."""
        if self.floor.requests_per_second <= 0:
            return math.nan
        return self.ours.requests_per_second / self.floor.requests_per_second


@dataclass(frozen=True)
class Verdict:
    """One target in one profile: the worst ratio among its pages, and whether it holds."""

    profile: str
    kind: str
    target: float
    worst: Row
    met: bool
    why_not: str


def verdicts(profile: str, rows: list[Row], problems: dict[str, str]) -> list[Verdict]:
    """Each target of `profile` judged on its pages' rows.

    A target is met when every page of its kind reaches the ratio, answered nothing but
    2xx/3xx without socket errors, and (for 304s) really answered 304.
    """
    judged = []
    for kind in (ANONYMOUS, CONDITIONAL, MEMBER):
        target = TARGETS[profile, kind]
        own = [row for row in rows if row.page.kind == kind]
        if not own:
            continue
        worst = min(own, key=lambda row: -1.0 if math.isnan(row.ratio) else row.ratio)
        reasons = [f"{worst.page.name} at {worst.ratio:.2f}x"] if not worst.ratio >= target else []
        failing = [row for row in own if row.ours.errors]
        reasons += [f"{row.page.name}: {describe_errors(row.ours)}" for row in failing]
        reasons += [
            f"{row.page.name} {problems[row.page.name]}" for row in own if row.page.name in problems
        ]
        judged.append(Verdict(profile, kind, target, worst, not reasons, "; ".join(reasons)))
    return judged


def table(rows: list[Row]) -> str:
    """The per-page table: page | req/s | p50 | p99 | floor req/s | ratio (plus errors, if any)."""
    header = ("page", "req/s", "p50", "p99", "floor req/s", "ratio")
    lines = [header]
    for row in rows:
        ours = row.ours
        lines.append(
            (
                row.page.name,
                f"{ours.requests_per_second:,.0f}",
                f"{ours.p50:.1f} ms",
                f"{ours.p99:.1f} ms",
                f"{row.floor.requests_per_second:,.0f}",
                f"{row.ratio:.2f}x",
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    text = [
        " | ".join(
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    text.insert(1, "-+-".join("-" * width for width in widths))
    for row in rows:
        for side, result in (("newsweb", row.ours), ("floor", row.floor)):
            if result.errors:
                text.append(f"  ! {row.page.name}, {side}: {describe_errors(result)}")
    return "\n".join(text)


def describe_errors(result: WrkResult) -> str:
    """What went wrong in one wrk run, in words."""
    parts = [f"{count} {kind}" for kind, count in result.socket_errors.items() if count]
    parts = [f"socket errors ({', '.join(parts)})"] if parts else []
    if result.not_2xx_3xx:
        parts.append(f"{result.not_2xx_3xx} responses neither 2xx nor 3xx")
    return "; ".join(parts)


def verdict_lines(judged: list[Verdict]) -> list[str]:
    """One line per target: met, or NOT met and why."""
    lines = []
    for verdict in judged:
        name = f"{TARGET_NAMES[verdict.kind]} >= {verdict.target:.1f}x"
        if verdict.met:
            lines.append(f"  met      {name} (lowest {verdict.worst.ratio:.2f}x)")
        else:
            lines.append(f"  NOT met  {name}: {verdict.why_not}")
    return lines


def profile_report(profile: str, title: str, rows: list[Row], problems: dict[str, str]) -> str:
    """The whole report of one profile: its table, what was wrong with any page, its targets."""
    urls: dict[str, str] = {}
    for row in rows:
        urls.setdefault(row.page.target, row.page.name)
    pages = "; ".join(f"{name}: {target}" for target, name in urls.items())
    parts = [title, pages, "", table(rows), ""]
    parts += [f"  ! {name} {problem}" for name, problem in problems.items()]
    parts += ["Targets (issue 11):", *verdict_lines(verdicts(profile, rows, problems))]
    return "\n".join(parts)
