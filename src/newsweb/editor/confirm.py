"""The one way the newsroom asks before it acts: deleting, publishing and unpublishing.

Without JavaScript the question is a page whose button posts; with htmx the same
template's `confirm` block opens in the newsroom's `<dialog>` (editor/_layout.html).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

from flask import flash, redirect, request
from werkzeug.wrappers import Response

from newsweb.extensions import db
from newsweb.web.rendering import render, wants_fragment

BOOKMARKS_GO = " Members\N{RIGHT SINGLE QUOTATION MARK} bookmarks of it go too."


@dataclass(frozen=True)
class Question:
    """What the confirmation asks, and what its button posts where.

    A question about a form's save (`confirms`: the story form's publish or unpublish)
    posts the form's fields again (`carried`) with `action` and `confirmed` set to
    `confirms`; without JavaScript its "Keep editing" posts them with action=edit, which
    shows the form again with everything typed. Any other question posts its token alone.
    """

    heading: str
    explanation: str
    button: str
    action: str
    cancel: str
    danger: bool = False
    confirms: str | None = None
    carried: list[tuple[str, str]] = field(default_factory=list)
    blocked: str | None = None


def ask(question: Question, status: int = 200) -> tuple[str, int]:
    """The confirmation: a page, or the `confirm` block for the dialog when htmx asks."""
    page = render(
        "editor/confirm.html", block="confirm", question=question, in_dialog=wants_fragment()
    )
    return page, status


def is_confirmed(action: str) -> bool:
    """Whether this post is the confirmation of `action` (a question's button sent it)."""
    return request.form.get("confirmed") == action


def posted_fields() -> list[tuple[str, str]]:
    """Every field the request posted but the button and confirmation, to post again."""
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("action", "confirmed")
    ]


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
        bookmarks = BOOKMARKS_GO if kind in ("story", "tool") else ""
        question = Question(
            heading=f"Delete the {kind} {name}?",
            explanation=f"This cannot be undone.{bookmarks}",
            button="Delete",
            action=action,
            cancel=cancel,
            danger=True,
            blocked=blocked,
        )
        return ask(question, HTTPStatus.CONFLICT if request.method == "POST" else 200)
    delete()
    db.session.commit()
    flash(f"Deleted {name}.", "success")
    return redirect(done, code=303)
