"""What the newsroom's views answer with: a form's page, the redirect after a save, an
item's history, the refusal of a save against a newer version, a 404."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, TypeVar

from flask import abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from newsweb.editor import revisions
from newsweb.editor.forms import ItemForm
from newsweb.extensions import db
from newsweb.forms import INVALID, Form
from newsweb.models import Revision
from newsweb.web.rendering import render

T = TypeVar("T")


def found(item: T | None, missing: str) -> T:
    """`item`, or a 404 whose page says `missing`."""
    if item is None:
        abort(404, description=missing)
    return item


def form_page(template: str, form: Form, **context: Any) -> tuple[str, int]:
    """The form's page: 422 once validation found errors, everything typed still in it."""
    return render(template, form=form, **context), INVALID if form.errors else 200


def saved(message: str, location: str) -> Response:
    """Commit the save, say so, and go to `location` (303, so a reload does not post again)."""
    db.session.commit()
    flash(message, "success")
    return redirect(location, code=303)


def history_page(
    label: str,
    entries: list[Revision],
    edit_url: str | None,
    restore_urls: dict[int, str] | None = None,
) -> str:
    """The page of an item's saves, field by field, with a link back to editing it and,
    by revision id, where "Restore this version" posts (for those that have one)."""
    return render(
        "editor/history.html",
        label=label, revisions=entries, edit_url=edit_url, restore_urls=restore_urls or {},
    )  # fmt: skip


def restore_urls(entries: list[Revision], endpoint: str, **values: Any) -> dict[int, str]:
    """Where "Restore this version" posts, by revision id: every save but the newest (the
    item as it is now) and a deletion. `values` name the item in `endpoint`'s URL."""
    return {
        entry.id: url_for(endpoint, revision_id=entry.id, **values)
        for entry in entries[1:]
        if entry.action != "deleted"
    }


def revision_of(item: revisions.Recorded, revision_id: int, missing: str) -> Revision:
    """One of `item`'s own revisions, or a 404 whose page says `missing`."""
    revision = next((r for r in revisions.history_of(item) if r.id == revision_id), None)
    return found(revision, missing)


def restored(revision: Revision, location: str) -> Response:
    """Commit a restore, say which version came back, and go to `location`."""
    when = f"{revision.created_at:%d %b %Y, %H:%M} UTC"
    return saved(f"Restored the version saved {when}. Its restore is in the history too.", location)


def refuse_stale(
    template: str, form: ItemForm, item: revisions.Edited | None, **context: Any
) -> tuple[str, int] | None:
    """None when `form` was loaded at `item`'s current version (or makes a new item).

    Otherwise someone saved `item` since: nothing is saved, and the form's page answers
    409 with everything typed still in it, and beside it each field whose saved value
    differs from the form's. The form now carries the saved version, so saving it again
    keeps the editor's side on purpose; reloading the page keeps the other.
    """
    posted = form.loaded_version.data
    if item is None or not posted:
        return None
    current = revisions.fingerprint(item)
    if posted == current:
        return None
    yours = type(item)()  # never added to the session: nothing of it is saved
    form.populate_obj(yours)
    conflict = revisions.conflicts(item, yours)
    form.loaded_version.data = current
    return render(template, form=form, conflict=conflict, **context), HTTPStatus.CONFLICT
