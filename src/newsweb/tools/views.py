"""Routes for the tool directory and tool pages."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from newsweb import lookups
from newsweb.news.queries import latest_stories
from newsweb.tools import queries
from newsweb.verdict_history import verdict_changes
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render

blueprint = Blueprint("tools", __name__, url_prefix="/tools")

STORIES_ON_TOOL_PAGE = 6


@blueprint.get("")
@shared_cache
def index() -> str:
    """`/tools`: every tool with its panel ship share, filtered by `category`, sorted by `sort`.

    htmx filter and sort changes get the `directory` block.
    """
    menu = lookups.categories_with_tools()
    category = lookups.requested_category(menu.every)
    sort = request.args.get("sort", "newest")
    if sort not in queries.SORTS:
        sort = "newest"
    entries = queries.directory(category=category, sort=sort)
    return render(
        "tools/index.html",
        block="directory",
        entries=entries,
        categories=menu.offered(category),
        category=category,
        sort=sort,
        sorts=queries.SORTS,
    )


@blueprint.get("/<slug>")
@shared_cache
def show(slug: str) -> str:
    """`/tools/<slug>`: a tool, the panel's scorecard on it, how the verdicts moved, and its
    latest stories."""
    tool = lookups.tool_by_slug(slug)
    if tool is None:
        abort(404, description="We do not cover a tool by that name (yet).")
    return render(
        "tools/show.html",
        tool=tool,
        scorecard=queries.scorecard(tool),
        timeline=verdict_changes(tool=tool),
        stories=latest_stories(limit=STORIES_ON_TOOL_PAGE, tool=tool),
        back_url=url_for("tools.show", slug=tool.slug),
    )
