"""Undo for a removal on /bookmarks: the item comes back where it was, saved when it was.

The Undo form carries when the bookmark had been saved, signed for this member and item, so
that putting it back restores its place in the list (newest first) and whether its tool's
verdicts changed since. A forged, foreign or expired token still puts the item back, as if
saved now: undoing never fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, session
from itsdangerous import BadSignature, URLSafeTimedSerializer

from newsweb.bookmarks.queries import Kind
from newsweb.models import Story, Tool, User

SALT = "newsweb-bookmark-undo"
# An Undo is offered on the spot; a day is far longer than anyone waits to click it.
UNDO_SECONDS = 24 * 3600
# Where a removal without JavaScript leaves its notice for the page it redirects to.
SESSION_KEY = "bookmark_removed"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def undo_token(user: User, kind: Kind, item: Tool | Story, saved_at: datetime) -> str:
    """A token saying that `user` had saved `item` at `saved_at`."""
    return _serializer().dumps([user.id, kind, item.id, saved_at.isoformat()])


def saved_at(token: str | None, user: User, kind: Kind, item: Tool | Story) -> datetime | None:
    """When `user` had saved `item`, if `token` says so and was signed for them and it."""
    try:
        data = _serializer().loads(token or "", max_age=UNDO_SECONDS)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, list) or data[:3] != [user.id, kind, item.id]:
        return None
    try:
        return datetime.fromisoformat(str(data[3]))
    except (IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Removed:
    """What the "Removed ... Undo" note needs: the item, its title and the undo token."""

    kind: Kind
    slug: str
    title: str
    token: str


def title_of(item: Tool | Story) -> str:
    """How the pages name a saved item: a tool's name, a story's title."""
    return item.name if isinstance(item, Tool) else item.title


def leave_notice(removed: Removed) -> None:
    """Keep the removal for the next /bookmarks page (no JavaScript: a redirect follows)."""
    session[SESSION_KEY] = [removed.kind, removed.slug, removed.title, removed.token]


def take_notice() -> Removed | None:
    """The removal left for this page, once."""
    found = session.pop(SESSION_KEY, None)
    if not isinstance(found, list) or len(found) != 4 or found[0] not in ("tools", "stories"):
        return None
    kind, slug, title, token = (str(value) for value in found)
    return Removed("tools" if kind == "tools" else "stories", slug, title, token)
