"""What the newsroom's views answer with: a form's page, the redirect after a save, an
item's history, a 404."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, flash, redirect
from werkzeug.wrappers import Response

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


def history_page(label: str, entries: list[Revision], edit_url: str | None) -> str:
    """The page of an item's saves, field by field, with a link back to editing it."""
    return render("editor/history.html", label=label, revisions=entries, edit_url=edit_url)
