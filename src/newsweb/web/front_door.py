"""The front door: shared pages answered for readers without a session, before Flask runs.

Most requests a news site gets are anonymous readers asking for pages every reader shares.
For a GET that carries neither a session nor a remember-me cookie (so cannot be signed in
nor have a message waiting) and is routed to a `@shared_cache` view, this WSGI middleware
does what the page cache would do inside Flask (web/page_cache.py: read the newsroom's
version, derive the ETag, answer 304 or the stored page) without building a request
context, running the pipeline's hooks or opening a session. Anything else, and every
miss, goes on to Flask as usual; a miss carries its lookup along, so it is done once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import redis
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wrappers import Request

from newsweb.web import page_cache
from newsweb.web.logs import REQUEST_ID_HEADER, request_id_from

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# How many paths' endpoints the front door remembers.
ROUTES_KEPT = 4096
# What the front door answers: a status line, headers and a body.
Answer = tuple[str, list[tuple[str, str]], bytes]


class FrontDoor:
    """WSGI middleware around Flask's own `wsgi_app`, inside any proxy or host middleware."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.routes: dict[str, str | None] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a shared page from the page cache when it can, else pass the request on."""
        answer = self.answer(environ) if environ.get("REQUEST_METHOD") == "GET" else None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    def answer(self, environ: WSGIEnvironment) -> Answer | None:
        """The 304 or stored page for this GET, or None for Flask to handle it."""
        request = Request(environ)
        if not self.is_anonymous(request) or self.is_refused(request):
            return None
        if not page_cache.is_shared(self.app, self.endpoint(environ)):
            return None
        try:
            found = page_cache.look_up(self.app, request)
        except redis.RedisError:
            return None  # Flask renders it, and logs why
        request_id = (
            REQUEST_ID_HEADER,
            request_id_from(request.headers.get(REQUEST_ID_HEADER, "")),
        )
        if found.current:
            return (
                "304 NOT MODIFIED",
                [*page_cache.revalidation_headers(self.app, found.etag), request_id],
                b"",
            )
        if found.page is None:
            environ[page_cache.LOOKUP_ENVIRON] = found
            return None
        body = found.page.body
        return "200 OK", [*found.page.headers, ("Content-Length", str(len(body))), request_id], body

    def is_anonymous(self, request: Request) -> bool:
        """Whether the request holds no session and no remember-me cookie.

        Without either, Flask-Login finds no one and no flashed message can be waiting.
        """
        if not request.environ.get("HTTP_COOKIE"):
            return True
        config = self.app.config
        names = (
            config["SESSION_COOKIE_NAME"],
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        )
        return not any(name in request.cookies for name in names)

    def is_refused(self, request: Request) -> bool:
        """Whether Flask would refuse the request (untrusted host, NUL bytes): it should say so."""
        trusted = self.app.config.get("TRUSTED_HOSTS")
        if trusted and not host_is_trusted(request.host, trusted):
            return True
        query = request.query_string.lower()
        return "\x00" in request.path or b"%00" in query or b"\x00" in query

    def endpoint(self, environ: WSGIEnvironment) -> str | None:
        """The endpoint Flask would route this GET to, if it routes it to a view at all.

        Remembered by path (the routes never change while the app runs), up to ROUTES_KEPT
        paths: past that, the memory starts over, so no stream of made-up paths can grow it.
        """
        path = f"{environ.get('SCRIPT_NAME', '')}|{environ.get('PATH_INFO', '')}"
        if path in self.routes:
            return self.routes[path]
        adapter = self.app.url_map.bind_to_environ(
            environ, server_name=self.app.config["SERVER_NAME"], subdomain=None
        )
        try:
            endpoint: str | None = str(adapter.match()[0])
        except (HTTPException, RoutingException):
            endpoint = None
        if len(self.routes) >= ROUTES_KEPT:
            self.routes.clear()
        self.routes[path] = endpoint
        return endpoint
