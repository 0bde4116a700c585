"""Friendly error pages in the site's design, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: "That request did not make sense to us",
    403: "That page is not open to you",
    404: "We could not find that page",
    405: "That is not something this page does",
    413: "That is more than we can take",
    429: "Slow down a little",
    500: "Something broke on our side",
}


def render_error(error: HTTPException) -> tuple[str, int]:
    """Render any HTTP error as a page in the site's design with the right status."""
    code = error.code or 500
    title = TITLES.get(code, error.name)
    return render_template("errors/error.html", code=code, title=title, error=error), code


def render_unexpected(error: Exception) -> tuple[str, int]:
    """Render an unexpected exception as the friendly 500 page (Flask has logged it)."""
    return render_error(InternalServerError(original_exception=error))


def init_app(app: Flask) -> None:
    """Register the friendly error pages."""
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
