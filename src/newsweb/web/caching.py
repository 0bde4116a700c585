"""HTTP caching: anonymous pages are public and revalidated by ETag; personal ones are private."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Response, current_app, g, request, session
from flask_login import current_user

from newsweb.web.headers import vary_on

P = ParamSpec("P")
R = TypeVar("R")


def personal(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose response depends on who asks (or where from): never shared-cached."""

    @wraps(view)
    def marked(*args: P.args, **kwargs: P.kwargs) -> R:
        g.personal = True
        return view(*args, **kwargs)

    return marked


def uncached(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a view whose every answer must be fresh (health checks): `no-store`."""

    @wraps(view)
    def marked(*args: P.args, **kwargs: P.kwargs) -> R:
        g.no_store = True
        return view(*args, **kwargs)

    return marked


def _is_personal() -> bool:
    # A modified session means a Set-Cookie is coming: never for a shared cache.
    return bool(g.get("personal")) or current_user.is_authenticated or session.modified


def set_cache_headers(response: Response) -> Response:
    """Give every response the caching it can bear.

    A successful GET gets an ETag and answers If-None-Match with 304: a shared page the
    one the page cache derived from the newsroom's version before the view ran (web/
    page_cache.py, which may already have answered 304), anything else a hash of its body.
    Anonymous pages are `public` for PUBLIC_MAX_AGE seconds; anything personal is
    `private, no-cache` and varies on the cookie; everything else (writes, errors,
    redirects) is `no-store`.
    """
    if request.endpoint == "static":
        return response
    cache = response.cache_control
    writes = request.method not in ("GET", "HEAD")
    fresh_only = g.get("no_store") or "HX-Redirect" in response.headers
    derived_etag = g.get("page_etag")
    revalidated = response.status_code == 304 and derived_etag
    if writes or (response.status_code != 200 and not revalidated) or fresh_only:
        cache.no_store = True
        return response
    if _is_personal():
        cache.private = True
        cache.no_cache = True
    else:
        cache.public = True
        cache.max_age = current_app.config["PUBLIC_MAX_AGE"]
    # Whoever holds a session may get another answer at this URL (a member's own page).
    vary_on(response, "Cookie")
    if derived_etag:
        response.set_etag(derived_etag.strip('"'))
    elif not response.is_streamed and not response.direct_passthrough:
        response.add_etag()
    if response.status_code == 200:
        response.make_conditional(request)
    return response
