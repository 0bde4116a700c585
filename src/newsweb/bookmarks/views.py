"""Routes for saving and removing bookmarks, the bookmarks page and the sidebar."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from newsweb.access import login_required, signed_in_user
from newsweb.bookmarks import parts, queries
from newsweb.bookmarks.forms import AlertsForm
from newsweb.bookmarks.queries import Kind
from newsweb.models import Story, Tool
from newsweb.web.caching import personal
from newsweb.web.navigation import local_path, return_path
from newsweb.web.rendering import render, wants_fragment

blueprint = Blueprint("bookmarks", __name__, url_prefix="/bookmarks")
blueprint.record_once(parts.register)

# What listeners (the sidebar, the bookmarks page) wait for to refresh themselves.
CHANGED_EVENT = "bookmarks-changed"


@blueprint.get("")
@personal
def index() -> str:
    """`/bookmarks`: the member's saved tools and stories, newest first.

    Anonymous readers are invited to sign in. htmx gets the `saved` block, which is how
    the list refreshes itself after a change.
    """
    bookmarks = queries.saved_by(current_user) if current_user.is_authenticated else None
    alerts_form = AlertsForm(obj=current_user) if current_user.is_authenticated else None
    return render(
        "bookmarks/index.html", block="saved", bookmarks=bookmarks, alerts_form=alerts_form
    )


@blueprint.get("/sidebar")
@personal
def sidebar() -> Response | str:
    """`/bookmarks/sidebar`: the story page's `bookmarks_sidebar` block, for htmx only.

    The story page renders "Loading bookmarks..." in that block and htmx fills it with
    this, so the page itself stays the same for every reader.
    """
    if not wants_fragment():
        return redirect(url_for("bookmarks.index"))
    bookmarks = queries.saved_by(current_user) if current_user.is_authenticated else None
    return render("news/show.html", block="bookmarks_sidebar", bookmarks=bookmarks)


def _item_or_404(kind: Kind, slug: str) -> Tool | Story:
    item = queries.find_item(kind, slug)
    if item is None:
        abort(404, description="We could not find what you tried to bookmark.")
    return item


def _respond(kind: Kind, item: Tool | Story, is_saved: bool) -> Response:
    """The new button for htmx (announcing the change), or back to the page otherwise."""
    back = local_path(request.form.get("next")) or return_path()
    if not wants_fragment():
        return redirect(back, code=303)
    html = render("bookmarks/button.html", kind=kind, item=item, is_saved=is_saved, return_to=back)
    return Response(html, headers={"HX-Trigger": CHANGED_EVENT})


@blueprint.post("/<any(tools, stories):kind>/<slug>")
def create(kind: Kind, slug: str) -> Response:
    """`POST /bookmarks/<kind>/<slug>`: save a tool or story (saving twice saves once).

    Someone signed out (in another tab, say) is sent to sign in, and the bookmark is
    saved once they have.
    """
    item = _item_or_404(kind, slug)
    if not current_user.is_authenticated:
        back = local_path(request.form.get("next")) or return_path()
        return redirect(url_for("accounts.login", next=back, bookmark=f"{kind}/{slug}"))
    queries.add_bookmark(signed_in_user(), kind, item)
    return _respond(kind, item, is_saved=True)


@blueprint.post("/<any(tools, stories):kind>/<slug>/delete")
@login_required
def delete(kind: Kind, slug: str) -> Response:
    """`POST /bookmarks/<kind>/<slug>/delete`: remove a bookmark (removing twice is fine)."""
    item = _item_or_404(kind, slug)
    queries.remove_bookmark(signed_in_user(), kind, item)
    return _respond(kind, item, is_saved=False)
