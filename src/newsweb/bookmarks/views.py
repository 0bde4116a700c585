"""Routes for saving and removing bookmarks, the bookmarks page and the sidebar."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from newsweb.access import login_required, signed_in_user
from newsweb.bookmarks import parts, queries, undo
from newsweb.bookmarks.forms import AlertsForm
from newsweb.bookmarks.queries import Kind
from newsweb.models import Story, Tool
from newsweb.models.clock import utcnow
from newsweb.web.caching import personal
from newsweb.web.navigation import local_path, return_path
from newsweb.web.rendering import render, render_blocks, wants_fragment

blueprint = Blueprint("bookmarks", __name__, url_prefix="/bookmarks")
blueprint.record_once(parts.register)

# What listeners (the sidebar, the bookmarks page) wait for to refresh themselves.
CHANGED_EVENT = "bookmarks-changed"


@blueprint.get("")
@personal
def index() -> str:
    """`/bookmarks`: the member's saved tools and stories, newest first.

    Anonymous readers are invited to sign in. htmx gets the `saved` block. After a
    removal without JavaScript, the page opens with a notice offering to undo it.
    """
    signed_in = current_user.is_authenticated
    return render(
        "bookmarks/index.html",
        block="saved",
        bookmarks=queries.saved_by(current_user) if signed_in else None,
        alerts_form=AlertsForm(obj=current_user) if signed_in else None,
        removed=undo.take_notice() if signed_in else None,
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


def _row(kind: Kind, item: Tool | Story, removed: undo.Removed | None) -> Response:
    """The row of /bookmarks for `item`, saved or just removed, with the page's counts
    out of band; listeners hear that the bookmarks changed."""
    bookmarks = queries.saved_by(signed_in_user())
    html = render_blocks(
        "bookmarks/index.html",
        ["saved_row", "saved_counts"],
        kind=kind,
        item=item,
        title=undo.title_of(item),
        bookmark=bookmarks.find(kind, item.id),
        bookmarks=bookmarks,
        removed=removed,
        out_of_band=True,
    )
    return Response(html, headers={"HX-Trigger": CHANGED_EVENT})


@blueprint.post("/<any(tools, stories):kind>/<slug>/remove")
@login_required
def remove(kind: Kind, slug: str) -> Response:
    """`POST /bookmarks/<kind>/<slug>/remove`: "Remove" on /bookmarks (removing twice is fine).

    htmx gets the row in its place as "Removed <title>. Undo"; a plain form goes back to
    /bookmarks, which offers the same Undo in a notice.
    """
    item = _item_or_404(kind, slug)
    user = signed_in_user()
    saved_at = queries.remove_bookmark(user, kind, item) or utcnow()
    removed = undo.Removed(
        kind, item.slug, undo.title_of(item), undo.undo_token(user, kind, item, saved_at)
    )
    if wants_fragment():
        return _row(kind, item, removed)
    undo.leave_notice(removed)
    return redirect(url_for("bookmarks.index"), code=303)


@blueprint.post("/<any(tools, stories):kind>/<slug>/restore")
@login_required
def restore(kind: Kind, slug: str) -> Response:
    """`POST /bookmarks/<kind>/<slug>/restore`: "Undo" a removal (restoring twice is fine).

    The item is saved again as of when it first was, so it returns to its place; htmx
    gets its row back, a plain form goes back to /bookmarks.
    """
    item = _item_or_404(kind, slug)
    user = signed_in_user()
    saved_at = undo.saved_at(request.form.get("undo"), user, kind, item)
    queries.add_bookmark(user, kind, item, saved_at=saved_at)
    if wants_fragment():
        return _row(kind, item, removed=None)
    flash(f"{undo.title_of(item)} is back in your bookmarks.", "success")
    return redirect(url_for("bookmarks.index"), code=303)
