"""The one way the newsroom deletes things: a confirmation page, then a POST."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request
from werkzeug.wrappers import Response

from newsweb.extensions import db
from newsweb.web.rendering import render

CONFLICT = 409


def confirm_then_delete(
    *,
    kind: str,
    name: str,
    action: str,
    cancel: str,
    done: str,
    delete: Callable[[], None],
    blocked: str | None = None,
) -> Response | tuple[str, int]:
    """GET shows the confirmation; POST runs `delete`, commits and goes to `done`.

    `blocked` explains why the item cannot go (others depend on it): the page shows it
    instead of the button, and a POST anyway answers 409 and deletes nothing.
    """
    if request.method == "GET" or blocked:
        page = render(
            "editor/confirm_delete.html",
            kind=kind, name=name, action=action, cancel=cancel, blocked=blocked,
        )  # fmt: skip
        return page, (CONFLICT if request.method == "POST" else 200)
    delete()
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    return redirect(done, code=303)
