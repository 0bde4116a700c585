"""Preview links: a draft or scheduled story shown, read-only, to someone without an
account. The link's token is signed with the app's secret, names the story and its
`share_version`, and works for SHARE_LINK_SECONDS (7 days); revoking the story's links
moves `share_version` on, so every token given out before stops working at once."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from newsweb.models import Story

SALT = "newsweb.story-preview"


class Refusal(enum.StrEnum):
    """Why a preview link shows nothing."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Opened:
    """What a preview link names: the story id and the share version it was given at."""

    story_id: int
    version: int


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lifetime_seconds() -> int:
    """How long a link works."""
    return int(current_app.config["SHARE_LINK_SECONDS"])


def share_token(story: Story) -> str:
    """A token that shows `story` to whoever holds it, until it expires or is revoked."""
    return _serializer().dumps([story.id, story.share_version])


def share_url(story: Story) -> str:
    """The full preview link for `story`."""
    return url_for("news.shared_story", token=share_token(story), _external=True)


def open_token(token: str) -> Opened | Refusal:
    """What `token` names, or why it names nothing (forged or mangled, or expired)."""
    try:
        data = _serializer().loads(token, max_age=lifetime_seconds())
    except SignatureExpired:
        return Refusal.EXPIRED
    except BadSignature:
        return Refusal.UNKNOWN
    if not (isinstance(data, list) and len(data) == 2 and all(type(n) is int for n in data)):
        return Refusal.UNKNOWN
    return Opened(story_id=data[0], version=data[1])


def revoke(story: Story) -> None:
    """Stop every link to `story` given out so far; the caller commits."""
    story.share_version += 1
