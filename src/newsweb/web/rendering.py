"""One decision for every view: the whole page, or one block of it for htmx."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from jinja2_fragments.flask import render_block

# The request headers that choose between a page and one of its fragments: every cache
# must key on all of them (`Vary`, and the page cache's keys).
CHOOSING_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")


def wants_fragment() -> bool:
    """Whether this request is an htmx swap that expects a fragment, not a page.

    Boosted links and history restores (htmx's cache missed) need the whole page.
    """
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, **context: Any) -> str:
    """Render `template`, or only its `block` when htmx asked for a fragment.

    The fragment is the same block the full page renders, so the two cannot drift.
    Every response varies on CHOOSING_HEADERS (web/headers.py).
    """
    if block is not None and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)
