"""Filters and globals the templates share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from flask import Flask, request

from newsweb import newsroom_time
from newsweb.editor.diffs import word_diff
from newsweb.markup import paragraphs, render_markdown
from newsweb.models import Call, Split
from newsweb.web.navigation import return_path


def long_date(value: date | datetime | None) -> str:
    """Format a date the way the site prints it: `June 20, 2026`."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def short_date(value: date | datetime | None) -> str:
    """Format a date compactly for tables: `29 Nov 2026`."""
    return f"{value.day} {value:%b %Y}" if value else ""


def iso_date(value: date | datetime | None) -> str:
    """Format a date for a `<time datetime>` attribute."""
    return value.strftime("%Y-%m-%d") if value else ""


def current_path() -> str:
    """The path and query of the page being rendered, to come back to after an action."""
    return request.full_path.rstrip("?")


def dict_without(values: dict[str, str], key: str) -> dict[str, str]:
    """A copy of `values` without `key`: links that drop one filter and keep the rest."""
    return {name: value for name, value in values.items() if name != key}


class HasCall(Protocol):
    """A panelist's call on a story: a take, or a listing's PanelCall."""

    @property
    def call(self) -> Call:
        """Ship, wait or skip."""


def split(calls: Iterable[HasCall]) -> Split:
    """The panel's split on a story from its takes' calls: `{{ takes|split }}`."""
    return Split.of(item.call for item in calls)


def init_app(app: Flask) -> None:
    """Register the template filters and globals."""
    app.add_template_global(current_path, "current_path")
    app.add_template_global(return_path, "return_path")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(paragraphs, "paragraphs")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(iso_date, "iso_date")
    app.add_template_filter(short_date, "short_date")
    app.add_template_filter(newsroom_time.label, "newsroom_time")
    app.add_template_global(word_diff, "word_diff")
    app.add_template_filter(dict_without, "dict_without")
    app.add_template_filter(split, "split")
