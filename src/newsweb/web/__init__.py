"""The request pipeline: every hook that runs around a view, registered in one stated order.

The modules here know nothing of stories or tools; feature blueprints sit above them and
use them (`render`, `@personal`, `@shared_cache`, `local_path`), never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response

from newsweb.web import (
    caching,
    compression,
    errors,
    front_door,
    headers,
    hygiene,
    logs,
    page_cache,
    personal,
    static_files,
    templating,
)

# Before the view, in this order: tag the request for the logs, refuse junk, then answer
# a shared page without rendering when it can: 304 to a current copy, else the stored page
# (the cache never sees a request it must refuse).
BEFORE_VIEW: tuple[Callable[[], Response | None], ...] = (
    logs.assign_request_id,
    hygiene.refuse_nul_bytes,
    page_cache.answer_early,
)

# After the view, in this order, each seeing the response the previous one returned:
# 1. a redirect answering htmx becomes HX-Redirect, so every later step sees the final status;
# 2. security headers and `Vary`;
# 3. text bodies compressed as the client accepts, once the view's headers are final, so
#    the page cache keeps the compressed copy and the ETag is of the bytes sent;
# 4. Cache-Control and the ETag (the one the page cache derived before the view ran, or a
#    hash of the body), answering If-None-Match;
# 5. the page cache stores the page as sent, every header final;
# 6. the request id, on everything (304s included).
AFTER_VIEW: tuple[Callable[[Response], Response], ...] = (
    headers.redirect_htmx_requests,
    headers.add_standard_headers,
    compression.compress,
    caching.set_cache_headers,
    page_cache.store,
    logs.echo_request_id,
)


def init_app(app: Flask) -> None:
    """Register the pipeline's hooks in the order above, its error pages and template helpers.

    Call it before wrapping `app.wsgi_app` in any middleware that rewrites the request
    (the site URL, proxies): the front door must see requests as Flask will.
    """
    logs.configure(app)
    page_cache.connect(app)
    app.wsgi_app = front_door.FrontDoor(app, app.wsgi_app)  # type: ignore[method-assign]
    for hook in BEFORE_VIEW:
        app.before_request(hook)
    # Flask runs after_request hooks last-registered first: register them reversed.
    for after in reversed(AFTER_VIEW):
        app.after_request(after)
    static_files.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    personal.init_app(app)
