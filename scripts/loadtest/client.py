"""One measured browser for the load test: a cookie jar, no redirects followed, no proxies."""

from __future__ import annotations

import http.client
import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message
from typing import IO

from loadtest.stats import Stats

REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Reply:
    """One HTTP response, read whole."""

    status: int
    headers: Message
    body: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back as responses, so the client sees each 3xx itself."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        """Follow nothing."""
        return None


class Client:
    """One browser: a cookie jar, no proxies, no redirects followed, every request measured."""

    _ids = iter(range(1, 1 << 62))
    _ids_lock = threading.Lock()

    def __init__(self, base_url: str, stats: Stats | None) -> None:
        self.base_url = base_url
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirects(),
        )

    def send(
        self,
        kind: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        htmx: bool = False,
        token: str | None = None,
    ) -> Reply | None:
        """GET `path` (or POST `form` to it); None when no HTTP answer came back."""
        headers = {"X-Request-ID": self._request_id(), "User-Agent": "newsweb-load"}
        if htmx:
            headers["HX-Request"] = "true"
        if token:
            headers["X-CSRFToken"] = token
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1:<port>)
            self.base_url + path, data=data, headers=headers
        )
        started = time.monotonic()
        reply: Reply | None = None
        detail = f"{request.get_method()} {path} [{headers['X-Request-ID']}]"
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                reply = Reply(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                reply = Reply(error.code, error.headers, error.read().decode())
        except (OSError, http.client.HTTPException) as error:
            detail += f" {type(error).__name__}: {error}"
        if self.stats is not None:
            status, body = (reply.status, reply.body) if reply is not None else (None, "")
            self.stats.record(kind, started, status, body, detail)
        return reply

    @classmethod
    def _request_id(cls) -> str:
        """A request id the server logs, to find a failed request in gunicorn's output."""
        with cls._ids_lock:
            return f"load-{next(cls._ids):08d}"


def fetch(base_url: str, path: str, *, htmx: bool = False) -> str:
    """GET `path` without cookies or statistics; the body if 200, else an empty string."""
    reply = Client(base_url, None).send("setup", path, htmx=htmx)
    return reply.body if reply is not None and reply.status == 200 else ""
