"""Friendly error pages in the site's design, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, redirect, render_template, request
from flask.sansio.app import App
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from newsweb.web import moved

ErrorRenderer = Callable[[HTTPException], ResponseReturnValue]
NOT_FOUND, MOVED_PERMANENTLY = 404, 301
_RENDERERS = "newsweb_error_renderers"

TITLES = {
    400: "That request did not make sense to us",
    403: "That page is not open to you",
    404: "We could not find that page",
    405: "That is not something this page does",
    413: "That is more than we can take",
    410: "That link no longer works",
    429: "Slow down a little",
    500: "Something broke on our side",
}


def answer_errors_under(app: App, prefix: str, renderer: ErrorRenderer) -> None:
    """Let a section answer errors for every path under `prefix` its own way (the API: JSON).

    The path decides, not the matched blueprint: an unknown path (404) or a wrong method
    (405) under the prefix never reaches a blueprint's own error handlers.
    """
    app.extensions.setdefault(_RENDERERS, {})[prefix] = renderer


def _renderer_for(path: str) -> ErrorRenderer | None:
    renderers: dict[str, ErrorRenderer] = current_app.extensions.get(_RENDERERS, {})
    for prefix, renderer in renderers.items():
        if path == prefix or path.startswith(prefix + "/"):
            return renderer
    return None


def render_error(error: HTTPException) -> ResponseReturnValue:
    """Render any HTTP error as a page in the site's design with the right status.

    Under a prefix a section claimed (`answer_errors_under`), that section's renderer
    answers instead: the API's JSON error body, never HTML.
    """
    if error.code == NOT_FOUND and (address := moved.new_address()):
        return redirect(address, code=MOVED_PERMANENTLY)
    if renderer := _renderer_for(request.path):
        return renderer(error)
    code = error.code or 500
    title = TITLES.get(code, error.name)
    # Keep what the error says beyond its body, such as a 405's Allow header.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    page = render_template("errors/error.html", code=code, title=title, error=error)
    return page, code, headers


def render_csrf_error(error: CSRFError) -> ResponseReturnValue:
    """Explain a missing or stale CSRF token (a 400) in words a reader can act on."""
    error.description = (
        "This form has expired or did not come from this site. "
        "Go back, reload the page, and try again."
    )
    return render_error(error)


def refuse_untrusted_host(error: SecurityError) -> ResponseReturnValue:
    """Answer a request for a host outside TRUSTED_HOSTS with a plain 400.

    No page can be rendered for it: every link on a page is built for a host, and this
    request names none we serve.
    """
    return "This site is not served under that host name.\n", 400, {"Content-Type": "text/plain"}


def init_app(app: Flask) -> None:
    """Register the friendly error pages.

    An unexpected exception reaches `render_error` as a 500 (Flask wraps it in
    InternalServerError after logging it), except under TESTING, where it propagates.
    """
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(SecurityError, refuse_untrusted_host)
    app.register_error_handler(HTTPException, render_error)
