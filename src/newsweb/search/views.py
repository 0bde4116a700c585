"""The search page: results as you type with htmx, a plain form without JavaScript."""

from __future__ import annotations

from flask import Blueprint, request

from newsweb import lookups
from newsweb.search import queries
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render

blueprint = Blueprint("search", __name__)


@blueprint.get("/search")
@shared_cache
def index() -> str:
    """`/search?q=`: ranked stories, takes and tools, filtered by kind, category, tool, persona.

    htmx (typing in the box, changing a filter) gets the `results` block.
    """
    menu = lookups.categories_with_stories()
    query = queries.SearchQuery.from_args(request.args, menu.every)
    return render(
        "search/index.html",
        block="results",
        query=query,
        results=queries.search(query) if query.words else None,
        categories=menu.offered(query.category),
        kinds=queries.KINDS,
    )
