"""Refuse requests carrying NUL bytes before any view sees them.

No text column can store NUL and PostgreSQL refuses even to compare with it, so a NUL
in a URL, query string or form field can only be junk or an attack: a clear 400.
"""

from __future__ import annotations

from flask import abort, request


def refuse_nul_bytes() -> None:
    """Answer 400 if the path, query string or form fields contain a NUL byte."""
    values = [request.path, *request.args.values()]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values += request.form.values()
    if any("\x00" in value for value in values):
        abort(400, description="That request contained a character we cannot accept.")
