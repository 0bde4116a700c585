"""Links that point back into the site: only ever a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import request

from newsweb.text import has_control_characters


def local_path(value: str | None) -> str | None:
    """Return `value` if it is a path on this site (e.g. `/?category=funding`), else None.

    Refuses absolute and scheme-relative URLs (`https://evil.test`, `//evil.test`,
    `/\\evil.test`), anything with control characters, and anything overlong.
    """
    if not value or len(value) > 2000 or not value.startswith("/"):
        return None
    if value.startswith(("//", "/\\")) or has_control_characters(value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def return_path() -> str:
    """The page on this site the current request came from, for going back after an action.

    htmx names the page in `HX-Current-URL`; browsers send `Referer` (same-origin only,
    by our Referrer-Policy). Anything off-site gives the front page.
    """
    for header in ("HX-Current-URL", "Referer"):
        value = request.headers.get(header, "")
        parts = urlsplit(value)
        if parts.netloc and parts.netloc != request.host:
            continue
        path = urlunsplit(("", "", parts.path, parts.query, ""))
        if found := local_path(path):
            return found
    return "/"
