"""Members' bookmarks; until accounts exist, an invitation to sign in."""

from __future__ import annotations

from flask import Blueprint

from newsweb.rendering import render

blueprint = Blueprint("bookmarks", __name__, url_prefix="/bookmarks")


@blueprint.get("")
def index() -> str:
    """`/bookmarks`: the reader's saved tools and stories; htmx gets the `sidebar` block."""
    return render("bookmarks/index.html", block="sidebar")
