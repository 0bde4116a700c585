"""Response compression: brotli or gzip, whichever the client's Accept-Encoding prefers.

Text answers (pages, fragments, JSON, feeds, CSS, JS, SVG) are compressed once in the
pipeline, after the view's headers are final and before the page cache keeps the page and
the ETag is taken, so a cached page is stored compressed and each encoding has an ETag of
its own. Left alone: bodies too small to gain, answers without a body, answers a view
already encoded or streams, formats that are compressed already (PNG, JPEG, fonts) and,
against BREACH, anything that may hold a secret (see `_may_hold_secrets`).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from typing import Final

import brotli
from flask import Response, current_app, g, request
from flask_login import current_user

from newsweb.web.headers import vary_on

# In order of preference when a client accepts several equally: brotli makes smaller
# bodies than gzip at a lower cost.
CODINGS: Final = ("br", "gzip")
# Below this, headers and framing eat the gain (and a body this small fits in one packet).
MIN_SIZE: Final = 500
# Pages are compressed when rendered (the page cache keeps the result): brotli 5 makes them
# 7-10% smaller than gzip 6 for under half a millisecond on a 14 KB story page.
# Files that never change while the process runs pay for the best once.
FAST: Final = {"br": 5, "gzip": 6}
BEST: Final = {"br": 11, "gzip": 9}
COMPRESSIBLE_TYPES: Final = frozenset(
    {"application/javascript", "application/json", "application/xml"}
)
# Statuses whose answers have no body, or only part of one.
NO_BODY: Final = frozenset({204, 206, 304})


def _accepted_qualities(header: str) -> dict[str, float]:
    """Each coding named in an Accept-Encoding header with its q-value ("*" included).

    A q-value that is not a number counts as 0, so a garbled header gets identity.
    """
    qualities: dict[str, float] = {}
    for item in header.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        # RFC 9110: x-gzip is an old name for gzip.
        qualities["gzip" if name == "x-gzip" else name] = quality
    return qualities


def negotiated_encoding() -> str | None:
    """The content coding this request's answer should be sent in: "br", "gzip" or None."""
    return preferred_encoding(request.headers.get("Accept-Encoding", ""))


@lru_cache(maxsize=256)
def preferred_encoding(accept_encoding: str) -> str | None:
    """The coding a client sending this Accept-Encoding header prefers: "br", "gzip" or None.

    Honours q-values: the coding with the highest q wins, brotli on a tie; `q=0` refuses a
    coding, a coding the header does not name takes the q of `*` (refused when there is no
    `*`). None means identity, as for a client that sends no Accept-Encoding at all.
    """
    qualities = _accepted_qualities(accept_encoding)
    wildcard = qualities.get("*", 0.0)
    best, best_quality = None, 0.0
    for coding in CODINGS:
        quality = qualities.get(coding, wildcard)
        if quality > best_quality:
            best, best_quality = coding, quality
    return best


def is_compressible(mimetype: str) -> bool:
    """Whether a body of this type shrinks when compressed (text, JSON, XML, SVG)."""
    return (
        mimetype.startswith("text/")
        or mimetype in COMPRESSIBLE_TYPES
        or mimetype.endswith(("+json", "+xml"))
    )


def encode(data: bytes, coding: str, *, best: bool = False) -> bytes:
    """`data` in `coding` ("br" or "gzip"): fast for per-request bodies, `best` for files.

    The gzip header's timestamp is fixed, so the same page always gives the same bytes
    (and the same ETag).
    """
    level = (BEST if best else FAST)[coding]
    if coding == "br":
        compressed: bytes = brotli.compress(data, quality=level)
        return compressed
    return gzip.compress(data, compresslevel=level, mtime=0)


def decode(data: bytes, coding: str) -> bytes:
    """The bytes `encode` was given, from what it made of them in `coding`."""
    if coding == "br":
        decoded: bytes = brotli.decompress(data)
        return decoded
    return gzip.decompress(data)


def _may_hold_secrets() -> bool:
    # BREACH: an attacker who can put text into a compressed page and watch its length can
    # read a secret in that page byte by byte. Members' pages hold their data, and any page
    # that rendered a CSRF token holds the token: those go uncompressed.
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return bool(current_user.is_authenticated) or field in g


def compress(response: Response) -> Response:
    """Compress a text answer in the coding the client prefers; always `Vary` on it."""
    if not is_compressible(response.mimetype or ""):
        return response
    # Whether this URL's answer is compressed depends on the request: caches must know,
    # for the answers below that go out as they are too (a page cache hit already encoded).
    vary_on(response, "Accept-Encoding")
    if (
        "Content-Encoding" in response.headers
        or response.is_streamed
        or response.direct_passthrough
        or response.status_code in NO_BODY
        or _may_hold_secrets()
    ):
        return response
    coding = negotiated_encoding()
    if coding is None:
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(encode(data, coding))
    response.content_encoding = coding
    return response
