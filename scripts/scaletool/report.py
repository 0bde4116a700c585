"""The comparison of the two newsrooms: per request, the ratio, the flags, the table, a verdict."""

from __future__ import annotations

from dataclasses import dataclass

from scaletool.timing import Measurement

# Issue 10: every page at most this many times its demo p50, with the same statement count.
RATIO_LIMIT = 1.3


@dataclass(frozen=True)
class Row:
    """One request measured in the demo (`small`) and in the generated newsroom (`large`)."""

    name: str
    small: Measurement
    large: Measurement

    @property
    def ratio(self) -> float:
        """The large newsroom's p50 over the demo's."""
        return self.large.p50_ms / self.small.p50_ms if self.small.p50_ms > 0 else float("inf")

    def problems(self) -> list[str]:
        """What is wrong with this row: too slow, more (or fewer) statements, a failed answer."""
        found = []
        if self.ratio > RATIO_LIMIT:
            found.append(f"{self.ratio:.2f}x")
        if self.small.statements != self.large.statements:
            found.append(f"statements {self.small.statements}->{self.large.statements}")
        for label, figures in (("demo", self.small), ("large", self.large)):
            if not 200 <= figures.status < 400:
                found.append(f"{label} answered {figures.status}")
        return found


def rows_of(small: dict[str, Measurement], large: dict[str, Measurement]) -> list[Row]:
    """Pair the two newsrooms' measurements by request, in the order they were taken."""
    return [Row(name, small[name], large[name]) for name in small if name in large]


def _size(count: int) -> str:
    return f"{count / 1024:,.1f} KB" if count >= 1024 else f"{count} B"


def table(title: str, rows: list[Row], large_label: str) -> str:
    """An aligned table: per request p50/p95 at both sizes, the ratio, statements, bytes,
    and its problems (flagged with `!`)."""
    header = [
        "page",
        "demo p50",
        "p95",
        f"{large_label} p50",
        "p95",
        "ratio",
        "SQL",
        "bytes demo",
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
                f"{row.large.p50_ms:.1f} ms",
                f"{row.large.p95_ms:.1f} ms",
                f"{row.ratio:.2f}x",
                f"{row.small.statements}/{row.large.statements}",
                _size(row.small.size),
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


def verdict(rows: list[Row], large_label: str) -> str:
    """One line: whether every page held its demo speed and statement count."""
    slow = [row.name for row in rows if row.ratio > RATIO_LIMIT]
    counts = [row.name for row in rows if row.small.statements != row.large.statements]
    failed = [row.name for row in rows if any("answered" in p for p in row.problems())]
    if not (slow or counts or failed):
        return (
            f"PASS: all {len(rows)} pages within {RATIO_LIMIT}x of their demo p50 at "
            f"{large_label}, with the same statement count."
        )
    parts = [f"{len(slow)} over {RATIO_LIMIT}x"]
    parts.append(f"{len(counts)} with a changed statement count")
    if failed:
        parts.append(f"{len(failed)} with a failed answer")
    return f"FAIL: of {len(rows)} pages at {large_label}, " + ", ".join(parts) + "."
