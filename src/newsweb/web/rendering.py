"""One decision for every view: the whole page, or one block of it for htmx."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from jinja2_fragments.flask import render_block
from jinja2_fragments.flask import render_blocks as render_fragments

from newsweb.web import personal

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
    Every response varies on CHOOSING_HEADERS (web/headers.py). Personal parts left for
    later are made the reader's here (web/personal.py), in a page and a fragment alike.
    """
    if block is not None and wants_fragment():
        return personal.resolve(render_block(template, block, **context))
    return personal.resolve(render_template(template, **context))


def render_blocks(template: str, blocks: list[str], **context: Any) -> str:
    """Render several blocks of `template` one after the other, for one htmx swap: the
    target's block and others out of band (`hx-swap-oob`), each the page's own markup."""
    return personal.resolve(render_fragments(template, blocks, **context))
