"""Links that point back into the site: only ever a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(value: str | None) -> str | None:
    """Return `value` if it is a path on this site (e.g. `/?category=funding`), else None.

    Refuses absolute and scheme-relative URLs (`https://evil.test`, `//evil.test`,
    `/\\evil.test`), anything with control characters, and anything overlong.
    """
    if not value or len(value) > 2000 or not value.startswith("/"):
        return None
    if value.startswith(("//", "/\\")) or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value
