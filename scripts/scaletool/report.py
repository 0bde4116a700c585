"""The comparison of the two newsrooms: per request, the ratio, the flags, the table, a verdict."""

from __future__ import annotations

from dataclasses import dataclass

from scaletool.timing import Measurement

# Issue 10: every page at most this many times its demo p50, with the same statement count.
RATIO_LIMIT = 1.3


@dataclass(frozen=True)
class Row:
    """One request measured in the demo (`small`), the generated newsroom (`large`) and, when
    timed, the full one (`full`: as full a page as `large`, on a small archive)."""

    name: str
    small: Measurement
    large: Measurement
    full: Measurement | None = None

    @property
    def ratio(self) -> float:
        """The large newsroom's p50 over the demo's: the issue's measure."""
        return _ratio(self.large, self.small)

    @property
    def full_ratio(self) -> float | None:
        """The large newsroom's p50 over the full one's: what the archive's size alone costs,
        the page being as full in both."""
        return _ratio(self.large, self.full) if self.full is not None else None

    def problems(self) -> list[str]:
        """What is wrong with this row: too slow against the demo or the full newsroom, more
        (or fewer) statements, a failed answer."""
        found = []
        if self.ratio > RATIO_LIMIT:
            found.append(f"{self.ratio:.2f}x")
        if self.full_ratio is not None and self.full_ratio > RATIO_LIMIT:
            found.append(f"{self.full_ratio:.2f}x the full page")
        if self.small.statements != self.large.statements:
            found.append(f"statements {self.small.statements}->{self.large.statements}")
        for label, figures in (("demo", self.small), ("full", self.full), ("large", self.large)):
            if figures is not None and not 200 <= figures.status < 400:
                found.append(f"{label} answered {figures.status}")
        return found


def _ratio(large: Measurement, small: Measurement) -> float:
    return large.p50_ms / small.p50_ms if small.p50_ms > 0 else float("inf")


def rows_of(
    small: dict[str, Measurement],
    large: dict[str, Measurement],
    full: dict[str, Measurement] | None = None,
) -> list[Row]:
    """Pair the newsrooms' measurements by request, in the order they were taken."""
    return [
        Row(name, small[name], large[name], full.get(name) if full is not None else None)
        for name in small
        if name in large
    ]


def _size(count: int) -> str:
    return f"{count / 1024:,.1f} KB" if count >= 1024 else f"{count} B"


def table(title: str, rows: list[Row], large_label: str, full_label: str = "full") -> str:
    """An aligned table: per request p50/p95 in the demo, p50 in the full newsroom, p50/p95
    in the large one, the ratios, statements, bytes, and its problems (flagged with `!`)."""
    header = [
        "page",
        "demo p50",
        "p95",
        f"{full_label} p50",
        f"{large_label} p50",
        "p95",
        "ratio",
        f"vs {full_label}",
        "SQL",
        "bytes demo",
        f"bytes {full_label}",
        f"bytes {large_label}",
        "",
    ]
    lines = [header]
    for row in rows:
        problems = row.problems()
        lines.append(
            [
                row.name,
                f"{row.small.p50_ms:.1f} ms",
                f"{row.small.p95_ms:.1f} ms",
                f"{row.full.p50_ms:.1f} ms" if row.full else "-",
                f"{row.large.p50_ms:.1f} ms",
                f"{row.large.p95_ms:.1f} ms",
                f"{row.ratio:.2f}x",
                f"{row.full_ratio:.2f}x" if row.full_ratio is not None else "-",
                f"{row.small.statements}/{row.large.statements}",
                _size(row.small.size),
                _size(row.full.size) if row.full else "-",
                _size(row.large.size),
                ("! " + ", ".join(problems)) if problems else "",
            ]
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    out = [title]
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells[:-1]) + ("  " + line[-1] if line[-1] else ""))
        if number == 0:
            out.append("  ".join("-" * width for width in widths[:-1]))
    return "\n".join(out)


def verdict(rows: list[Row], large_label: str, full_label: str = "full") -> str:
    """Whether every page held its demo speed and statement count (the issue's test), then,
    when the full newsroom was timed, whether every page held the speed of as full a page
    on a small archive (what the archive's size alone costs)."""
    slow = [row.name for row in rows if row.ratio > RATIO_LIMIT]
    counts = [row.name for row in rows if row.small.statements != row.large.statements]
    failed = [row.name for row in rows if any("answered" in p for p in row.problems())]
    if not (slow or counts or failed):
        lines = [
            f"PASS: all {len(rows)} pages within {RATIO_LIMIT}x of their demo p50 at "
            f"{large_label}, with the same statement count."
        ]
    else:
        parts = [f"{len(slow)} over {RATIO_LIMIT}x"]
        parts.append(f"{len(counts)} with a changed statement count")
        if failed:
            parts.append(f"{len(failed)} with a failed answer")
        lines = [f"FAIL: of {len(rows)} pages at {large_label}, " + ", ".join(parts) + "."]
    timed = [row for row in rows if row.full_ratio is not None]
    if timed:
        grew = [row.name for row in timed if (row.full_ratio or 0) > RATIO_LIMIT]
        lines.append(
            f"Against the {full_label} newsroom (pages as full, a small archive): "
            f"{len(grew)} of {len(timed)} pages over {RATIO_LIMIT}x"
            + (": " + ", ".join(grew) if grew else ".")
        )
    return "\n".join(lines)
