"""`make audit`'s own logic, without Lighthouse or a browser: its report read, the table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

# The audit lives in scripts/, imported as `audittool` (as mypy sees it); the path is set
# here so that tests/conftest.py needs no change for one test module.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from audittool import lighthouse
from audittool.cli import main, parse_options
from audittool.report import all_full_marks, shortfalls, table


def audit(score: float | None, title: str, mode: str = "binary", value: str = "") -> dict[str, Any]:
    """One audit as Lighthouse 12 writes it in its JSON report."""
    return {"score": score, "scoreDisplayMode": mode, "title": title, "displayValue": value}


def category(score: float | None, *refs: tuple[str, float]) -> dict[str, Any]:
    """One category as Lighthouse 12 writes it: its score and weighted audit references."""
    return {"score": score, "auditRefs": [{"id": ref, "weight": weight} for ref, weight in refs]}


# The shape and values of a real report on the front page before it had a meta
# description: performance 98 (Speed Index and FCP short of full marks), SEO 91.
FRONT_PAGE: dict[str, Any] = {
    "lighthouseVersion": "12.2.3",
    "categories": {
        "performance": category(
            0.98,
            ("first-contentful-paint", 10),
            ("speed-index", 10),
            ("interactive", 0),
        ),
        "accessibility": category(1, ("color-contrast", 7), ("image-alt", 10)),
        "best-practices": category(1, ("errors-in-console", 1)),
        "seo": category(0.91, ("document-title", 1), ("meta-description", 1), ("image-alt", 0)),
    },
    "audits": {
        "first-contentful-paint": audit(0.94, "First Contentful Paint", "numeric", "1.6\xa0s"),
        "speed-index": audit(0.84, "Speed Index", "numeric", "3.8\xa0s"),
        # Weight 0: shown by Lighthouse, but it costs no points.
        "interactive": audit(0.5, "Time to Interactive", "numeric", "7.0\xa0s"),
        "color-contrast": audit(1, "Background and foreground colors have enough contrast"),
        # Nothing to check on the page: no score at all.
        "image-alt": audit(None, "Image elements have [alt] attributes", "notApplicable"),
        "errors-in-console": audit(1, "No browser errors logged to the console"),
        "document-title": audit(1, "Document has a `<title>` element"),
        "meta-description": audit(0, "Document does not have a meta description"),
    },
}


def test_report_gives_each_category_out_of_100_and_what_cost_points() -> None:
    result = lighthouse.read_report("front page", FRONT_PAGE)
    assert result.scores == {
        "performance": 98,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 91,
    }
    assert result.shortfalls == [
        "performance: First Contentful Paint (1.6\xa0s) [first-contentful-paint, 94]",
        "performance: Speed Index (3.8\xa0s) [speed-index, 84]",
        "seo: Document does not have a meta description [meta-description, 0]",
    ]


def test_a_category_lighthouse_could_not_score_reads_as_none() -> None:
    report = {**FRONT_PAGE, "categories": {**FRONT_PAGE["categories"]}}
    report["categories"]["performance"] = category(None, ("speed-index", 10))
    assert lighthouse.read_report("story", report).scores["performance"] is None


def test_a_failed_run_is_reported_with_lighthouse_own_words() -> None:
    report = {"runtimeError": {"code": "NO_FCP", "message": "The page did not paint any content."}}
    result = lighthouse.read_report("search", report)
    assert set(result.scores.values()) == {None}
    assert result.shortfalls == ["Lighthouse: The page did not paint any content."]


def test_table_has_a_row_per_page_with_scores_aligned_right() -> None:
    front = lighthouse.read_report("front page", FRONT_PAGE)
    full = lighthouse.Result("tool", dict.fromkeys(lighthouse.CATEGORIES, 100), [])
    unscored = lighthouse.Result("search", dict.fromkeys(lighthouse.CATEGORIES), ["x"])
    assert table([front, full, unscored]).splitlines() == [
        "| page       | performance | accessibility | best practices | SEO |",
        "|------------|------------:|--------------:|---------------:|----:|",
        "| front page |          98 |           100 |            100 |  91 |",
        "| tool       |         100 |           100 |            100 | 100 |",
        "| search     |         n/a |           n/a |            n/a | n/a |",
    ]


def test_shortfalls_name_the_page_and_say_when_there_are_none() -> None:
    front = lighthouse.read_report("front page", FRONT_PAGE)
    full = lighthouse.Result("tool", dict.fromkeys(lighthouse.CATEGORIES, 100), [])
    assert shortfalls([full]) == "Every page scores 100 in all four categories."
    assert all_full_marks([full])
    text = shortfalls([front, full])
    assert text.splitlines()[0] == "Below full marks:"
    assert "- front page: seo: Document does not have a meta description" in text
    assert "tool:" not in text
    assert not all_full_marks([front, full])


def test_lighthouse_is_installed_outside_the_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = lighthouse.cache_folder()
    assert folder == tmp_path / "newsweb-audit" / f"lighthouse-{lighthouse.VERSION}"
    repository = Path(__file__).resolve().parents[1]
    assert repository not in folder.parents


def test_an_installed_lighthouse_is_used_as_it_is(tmp_path: Path) -> None:
    command = tmp_path / "node_modules" / ".bin" / "lighthouse"
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n")
    assert lighthouse.install(tmp_path) == command


def test_without_chromium_the_audit_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-chromium"
    assert parse_options(["--chrome", str(missing)]).chrome == missing
    assert main(["--chrome", str(missing)]) == 2
    assert f"Chromium not found at {missing}" in capsys.readouterr().out
