"""Routes for comparing two tools and for the "Compare with..." picker that leads there."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from newsweb import lookups
from newsweb.compare import queries
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render, wants_fragment

blueprint = Blueprint("compare", __name__)


@blueprint.get("/compare/<pair>")
@shared_cache
def show(pair: str) -> str | Response:
    """`/compare/<tool-a>-vs-<tool-b>`: two tools side by side, persona by persona.

    Unknown tools are a 404; the same tool twice redirects to its page, where the
    "Compare with..." picker offers the others.
    """
    tools = queries.tools_for_pair(pair)
    if tools is None:
        abort(404, description="We could not find two tools we cover in that address.")
    first, second = tools
    if first.id == second.id:
        return redirect(url_for("tools.show", slug=first.slug, _anchor="compare"))
    return render(
        "compare/show.html",
        comparison=queries.comparison(first, second),
        first=first,
        second=second,
        swapped_pair=queries.pair_path(second.slug, first.slug),
        back_url=url_for("compare.show", pair=queries.pair_path(first.slug, second.slug)),
    )


@blueprint.get("/compare")
@shared_cache
def choose() -> ResponseReturnValue:
    """`/compare`: suggested pairs and a picker for two tools; with `?a=<slug>&with=<text>`,
    the tools to compare with `a` that `with` names.

    Without `a` this is the compare index (see `_pick_pair`). With it, when the text names
    exactly one tool (its name or slug, any case) a plain request goes straight to the
    compare page; otherwise this lists the matching tools. htmx (typing in the picker)
    always gets the `choices` block, never a redirect.
    """
    if "a" not in request.args:
        return _pick_pair()
    slug = request.args.get("a", "").strip()
    tool = lookups.tool_by_slug(slug) if queries.is_tool_slug(slug) else None
    if tool is None:
        abort(404, description="Choose a tool first, then compare it with another.")
    found = queries.choices(request.args.get("with", ""), besides=tool)
    exact = found.exact()
    if exact is not None and not wants_fragment():
        return redirect(url_for("compare.show", pair=queries.pair_path(tool.slug, exact.slug)))
    return render("compare/choose.html", block="choices", tool=tool, found=found)


def _pick_pair() -> ResponseReturnValue:
    """`/compare?first=<slug>&second=<slug>`: the compare index, or the pair it names.

    Two known, different tools redirect to their compare page. Otherwise the page shows the
    picker (two menus of every tool we cover) and suggested pairs; the same tool twice is
    an inline error (422). htmx, when the first menu changes, gets the `second_choice`
    block: the second menu with the first tool's rivals in its category on top.
    """
    found = queries.suggestions()
    first = found.named(request.args.get("first"))
    second = found.named(request.args.get("second"))
    error = None
    if first is not None and second is not None:
        if first.id != second.id:
            return redirect(
                url_for("compare.show", pair=queries.pair_path(first.slug, second.slug))
            )
        error = "Choose two different tools."
    html = render(
        "compare/index.html",
        block="second_choice",
        suggestions=found,
        first=first,
        second=second,
        error=error,
    )
    return (html, 422) if error else html
