"""The bookmark button as a personal part of shared pages (web/personal.py).

A stored page's buttons are rendered again for the member asking, after one query for
which of the page's tools and stories they saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from markupsafe import Markup

from newsweb.bookmarks.queries import saved_among
from newsweb.web import personal
from newsweb.web.personal import Args, PartKind


def render(args: Args, is_saved: object) -> Markup:
    """The button's form for the reader asking, saved or not."""
    form = personal.macro("bookmarks/_button.html", "bookmark_form")
    return form(args["kind"], args["slug"], args["name"], args["back"], bool(is_saved))


def states(parts: Sequence[Args]) -> list[bool]:
    """Whether the reader saved each part's tool or story, in one query for all of them."""

    def ids(kind: str) -> list[int]:
        return [int(args["id"]) for args in parts if args["kind"] == kind]

    saved = saved_among(current_user, tool_ids=ids("tools"), story_ids=ids("stories"))
    return [(args["kind"], int(args["id"])) in saved for args in parts]


def register(state: BlueprintSetupState) -> None:
    """Make the button a personal part of the app the blueprint joins."""
    personal.register(state.app, "bookmark", PartKind(render, states))
