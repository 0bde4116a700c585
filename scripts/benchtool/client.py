"""One plain HTTP request over loopback, read whole: for capturing pages, signing in, checks."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TIMEOUT = 30.0


@dataclass(frozen=True)
class Reply:
    """A response exactly as it came: status, headers in order (repeats kept), body bytes."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first value of header `name` (any case), if the response has it."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        """The cookies this response sets, by name."""
        jar: SimpleCookie = SimpleCookie()
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

    @property
    def text(self) -> str:
        """The body as text (every page newsweb serves is UTF-8)."""
        return self.body.decode("utf-8", errors="replace")


def request(
    port: int,
    target: str,
    headers: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Reply:
    """GET `target` (or POST `form` to it) on 127.0.0.1:`port`; redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        sent = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request("POST" if form is not None else "GET", target, body=body, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    """The `Cookie` request header a browser would send for these cookies."""
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
