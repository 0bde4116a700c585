"""Query-string parameters of the API, read strictly: anything malformed is a 400.

Pages forgive odd input; an API says exactly what was wrong, so that a client's bug shows
up as an error instead of a quietly different answer. Unknown parameters are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask import request
from werkzeug.exceptions import BadRequest

from newsweb.paging import Cursor
from newsweb.text import has_control_characters, is_slug

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
LIMIT_PATTERN = r"^[0-9]{1,3}$"
# Exactly what `Cursor.encode` writes: a naive ISO timestamp (with microseconds when the
# database keeps them), a tilde, and a positive id.
CURSOR_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?~[1-9][0-9]{0,15}$"
)


def _raw(name: str) -> str | None:
    """The parameter's value as sent, or None when it is absent.

    Control characters are refused here, before any value can reach the database
    (PostgreSQL cannot even hold a NUL).
    """
    value = request.args.get(name)
    if value is not None and has_control_characters(value):
        raise BadRequest(f"The `{name}` parameter contains a control character.")
    return value


def limit() -> int:
    """`?limit=`: how many items a page holds, 1 to MAX_LIMIT (DEFAULT_LIMIT when absent)."""
    value = _raw("limit")
    if value is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(LIMIT_PATTERN, value) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequest(f"`limit` must be a whole number from 1 to {MAX_LIMIT}.")
    return int(value)


def cursor() -> Cursor | None:
    """`?after=`: the `next.cursor` of the previous page, or None for the first page."""
    value = _raw("after")
    if value is None:
        return None
    message = "`after` must be the `next.cursor` of a previous page, unchanged."
    if not re.fullmatch(CURSOR_PATTERN, value):
        raise BadRequest(message)
    try:
        return Cursor.decode(value)
    except BadRequest:
        # A well-formed cursor can still name an impossible date (February 30th).
        raise BadRequest(message) from None


def slug(name: str) -> str | None:
    """A slug filter (`?category=`, `?tool=`): None when absent, 400 when it cannot be a slug.

    Whether anything has that slug is for the caller to find out.
    """
    value = _raw(name)
    if value is None:
        return None
    if not is_slug(value):
        raise BadRequest(f"`{name}` must be a slug: lowercase letters, digits and single hyphens.")
    return value


def choice(name: str, allowed: Sequence[str], default: str | None = None) -> str | None:
    """A parameter that takes one of `allowed` words: `default` when absent, else 400."""
    value = _raw(name)
    if value is None:
        return default
    if value not in allowed:
        raise BadRequest(f"`{name}` must be one of: {', '.join(allowed)}.")
    return value
