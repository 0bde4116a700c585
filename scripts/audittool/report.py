"""The audit's printed report: a table of the four scores per page, then what cost points."""

from __future__ import annotations

from audittool.lighthouse import CATEGORIES, Result

HEADINGS = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}


def score_text(score: int | None) -> str:
    """A score as printed: the number, or "n/a" where Lighthouse gave none."""
    return "n/a" if score is None else str(score)


def table(results: list[Result]) -> str:
    """The scores as a Markdown table, one row per page, in the order audited."""
    head = ["page", *(HEADINGS[name] for name in CATEGORIES)]
    rows = [
        [result.page, *(score_text(result.scores[n]) for n in CATEGORIES)] for result in results
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return "\n".join([line(head), rule, *(line(row) for row in rows)])


def shortfalls(results: list[Result]) -> str:
    """What keeps any score below 100, page by page; says so when nothing does."""
    lines: list[str] = []
    for result in results:
        lines.extend(f"- {result.page}: {shortfall}" for shortfall in result.shortfalls)
    if not lines:
        return "Every page scores 100 in all four categories."
    return "Below full marks:\n" + "\n".join(lines)


def all_full_marks(results: list[Result]) -> bool:
    """Whether every page scored 100 in every category."""
    return all(score == 100 for result in results for score in result.scores.values())
