"""Static files under content-hashed names, cached by browsers for a year.

`url_for('static', filename='css/site.css')` gives `/static/css/site.<hash>.css`, where
`<hash>` is the first 8 hex digits of the SHA-256 of the file's bytes: a changed file gets
a new URL, so the old one may be cached forever (`public, max-age=31536000, immutable`).
Templates keep calling `url_for('static', ...)` and never see a hash.

Each file is read, hashed and (when it is text) compressed at most once per process, on
first use, and kept in memory: static files never change while the site runs. With the
debugger on (`flask --debug run`) a file whose modification time moved is read again, so
an edited stylesheet shows on reload.

Stylesheets are served without their comments, which are written for the people who
read site.css, not for browsers (a quarter of its compressed bytes on every first load),
and without the whitespace their punctuation makes redundant; our own scripts without
their comment lines.

A hashed name whose hash is not the file's current one (a page rendered before a deploy,
asking a new worker) is redirected to the current name rather than refused, so that page
still gets its styles; the redirect itself is never cached. The plain name
`/static/css/site.css` keeps working with a short max-age.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Final

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from werkzeug.security import safe_join
from werkzeug.wrappers import Response as BaseResponse

from newsweb.web import compression

# A year: the longest max-age caches are expected to honour.
IMMUTABLE_MAX_AGE: Final = 31_536_000
# Plain names can change meaning at the next deploy: caches may keep them only briefly.
PLAIN_MAX_AGE: Final = 300
DIGEST_LENGTH: Final = 8
# A CSS comment and the line break after it (stylesheets here hold no "/*" in a string).
CSS_COMMENT: Final = re.compile(rb"/\*.*?\*/\n?", re.S)
# Whitespace a stylesheet's punctuation makes redundant: after `{ } ; ,` and before `{ }`
# (their strings hold none of these followed by a space, nor any `url()`).
CSS_SPACE_AFTER: Final = re.compile(rb"([{};,])\s+")
CSS_SPACE_BEFORE: Final = re.compile(rb"\s+([{}])")
# A comment on lines of its own in one of our scripts (a block, or `//` to the line's end).
JS_COMMENT: Final = re.compile(rb"^[ \t]*(?:/\*.*?\*/|//[^\n]*)[ \t]*\n", re.S | re.M)
# `site.0123abcd.css`, `LICENSE.0123abcd`: a name, the hash, then the extension if any.
HASHED_NAME: Final = re.compile(
    rf"(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^.]+)?"
)


@dataclass
class StaticFile:
    """One file of the static folder as read at first use: its bytes, hash and type."""

    path: str
    data: bytes
    modified: int
    digest: str = field(init=False)
    mimetype: str = field(init=False)
    encoded: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Hash the bytes and guess the type from the name, as Flask's own static view does."""
        self.digest = hashlib.sha256(self.data).hexdigest()
        self.mimetype = mimetypes.guess_type(self.path)[0] or "application/octet-stream"

    def body(self, coding: str | None) -> bytes:
        """The file's bytes in `coding` (None: as stored), compressed once at the best level."""
        if coding is None:
            return self.data
        if coding not in self.encoded:
            self.encoded[coding] = compression.encode(self.data, coding, best=True)
        return self.encoded[coding]

    def changed_on_disk(self) -> bool:
        """Whether the file was modified or removed since it was read."""
        try:
            return os.stat(self.path).st_mtime_ns != self.modified
        except OSError:
            return True


def served(filename: str, data: bytes) -> bytes:
    """The bytes a static file is served as: a stylesheet without its comments and
    redundant whitespace, one of our scripts (js/, not the vendored ones) without its
    comment lines, any other file as it is on disk."""
    if filename.endswith(".css"):
        data = CSS_COMMENT.sub(b"", data)
        return CSS_SPACE_BEFORE.sub(rb"\1", CSS_SPACE_AFTER.sub(rb"\1", data))
    if filename.startswith("js/") and filename.endswith(".js"):
        return JS_COMMENT.sub(b"", data)
    return data


class StaticFolder:
    """The files of the app's static folder, each read when first asked for."""

    def __init__(self) -> None:
        # Only files that exist are kept, so this holds at most the folder's files.
        self.files: dict[str, StaticFile] = {}

    def get(self, filename: str) -> StaticFile | None:
        """The file at `filename` inside the folder, or None (missing, or outside it)."""
        known = self.files.get(filename)
        if known is not None and not (current_app.debug and known.changed_on_disk()):
            return known
        path = safe_join(current_app.static_folder or "", filename)
        if path is None or not os.path.isfile(path):
            return None
        with open(path, "rb") as file:
            stat = os.fstat(file.fileno())
            data = served(filename, file.read())
            loaded = StaticFile(path=path, data=data, modified=stat.st_mtime_ns)
        self.files[filename] = loaded
        return loaded

    def hashed_name(self, filename: str) -> str:
        """`css/site.css` as `css/site.<hash>.css`; a name with no file stays as it is."""
        static_file = self.get(filename)
        if static_file is None:
            return filename
        name = PurePosixPath(filename)
        digest = static_file.digest[:DIGEST_LENGTH]
        return str(name.with_name(f"{name.stem}.{digest}{name.suffix}"))


def _folder() -> StaticFolder:
    folder: StaticFolder = current_app.extensions["newsweb_static_files"]
    return folder


def hash_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    """`url_defaults` hook: every URL built for a static file names its current hash."""
    if endpoint == "static" and isinstance(values.get("filename"), str):
        values["filename"] = _folder().hashed_name(values["filename"])


def _send(static_file: StaticFile) -> Response:
    """The file in the coding the client prefers (when that is smaller), answering
    If-None-Match. A file is compressed once, so unlike a page (compression.MIN_SIZE) a
    small one is worth it whenever its coded bytes are fewer."""
    compressible = compression.is_compressible(static_file.mimetype)
    coding = compression.negotiated_encoding() if compressible else None
    if coding is not None and len(static_file.body(coding)) >= len(static_file.data):
        coding = None
    response = Response(static_file.body(coding), mimetype=static_file.mimetype)
    if compressible:
        response.vary.add("Accept-Encoding")
    if coding is not None:
        response.content_encoding = coding
    # Each coding is a different body: it needs an ETag of its own.
    response.set_etag(f"{static_file.digest[:16]}-{coding or 'identity'}")
    response.cache_control.public = True
    response.make_conditional(request)
    return response


def serve(filename: str) -> BaseResponse:
    """GET /static/<filename>: a file by its hashed name (kept a year) or its plain name."""
    folder = _folder()
    static_file = folder.get(filename)
    if static_file is not None:
        response = _send(static_file)
        response.cache_control.max_age = PLAIN_MAX_AGE
        return response
    hashed = HASHED_NAME.fullmatch(PurePosixPath(filename).name)
    if hashed is None:
        abort(404)
    plain = PurePosixPath(filename).with_name(hashed["stem"] + (hashed["suffix"] or ""))
    static_file = folder.get(str(plain))
    if static_file is None:
        abort(404)
    if not static_file.digest.startswith(hashed["digest"]):
        moved = redirect(url_for("static", filename=str(plain)))
        moved.cache_control.no_store = True
        return moved
    response = _send(static_file)
    response.cache_control.max_age = IMMUTABLE_MAX_AGE
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Serve the static folder through `serve` and hash every static URL the app builds."""
    if app.static_folder is None or "static" not in app.view_functions:
        return
    app.extensions["newsweb_static_files"] = StaticFolder()
    app.view_functions["static"] = serve
    app.url_defaults(hash_static_urls)
