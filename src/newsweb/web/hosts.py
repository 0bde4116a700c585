"""Which host the site answers as, so no request can choose the URLs a page links to.

Pages carry absolute URLs (canonical links, OpenGraph, feeds, the API) built from the
request's host. With `SITE_URL` set, every request is seen as addressed to that URL
whatever its `Host` header says; `TRUSTED_HOSTS` (Flask's own setting) instead refuses
requests naming any other host with 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def parse_site_url(value: str) -> tuple[str, str]:
    """Split `https://news.example` into its scheme and host; anything else is a ValueError.

    A path, query or fragment is refused: the site is served from the root of its host.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"SITE_URL must look like https://news.example, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"SITE_URL must name only a scheme and host, not {value!r}")
    return parts.scheme, parts.netloc


class PinnedSiteUrl:
    """WSGI middleware: every request reaches the app as one for the configured site URL."""

    def __init__(self, app: WSGIApplication, site_url: str) -> None:
        self.app = app
        self.scheme, self.host = parse_site_url(site_url)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Replace the host and scheme the client named with the site's own."""
        environ["HTTP_HOST"] = self.host
        environ["wsgi.url_scheme"] = self.scheme
        return self.app(environ, start_response)
