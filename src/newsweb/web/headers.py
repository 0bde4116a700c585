"""Headers every response gets: caching hints for htmx and the security baseline."""

from __future__ import annotations

from flask import Response, current_app, request

from newsweb.web.rendering import CHOOSING_HEADERS

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def redirect_htmx_requests(response: Response) -> Response:
    """Turn a redirect answering an htmx request into `HX-Redirect`.

    The browser would follow a 3xx inside the XHR and htmx would swap the target page into
    a fragment's place; `HX-Redirect` makes htmx load it as a whole page instead.
    """
    if request.headers.get("HX-Request") == "true" and response.status_code in (
        301,
        302,
        303,
        307,
        308,
    ):
        location = response.headers["Location"]
        response = Response(status=200, headers={"HX-Redirect": location})
    return response


def vary_on(response: Response, *names: str) -> None:
    """Add `names` to the response's `Vary` header, once each, in one write.

    (Werkzeug's `response.vary` parses and rewrites the header on every `add`.)
    """
    current = response.headers.get("Vary", "")
    present = {value.strip().lower() for value in current.split(",")}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        response.headers["Vary"] = ", ".join([current, *missing] if current else missing)


def add_standard_headers(response: Response) -> Response:
    """Mark responses as varying by htmx, and apply the security headers."""
    # A page and its fragments share a URL: caches must keep them apart.
    vary_on(response, *CHOOSING_HEADERS)
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure or current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
