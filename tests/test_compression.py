"""Compression and static files: brotli or gzip as the client asks, assets kept for a year.

The Flask test client sends no Accept-Encoding, so every other test reads identity
bodies; the tests here ask for an encoding explicitly.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from newsweb.config import STATIC_DIR
from newsweb.web import compression
from newsweb.web.static_files import served
from tests.conftest import Auth, htmx
from tests.routes import STORY

STORY_PAGE = f"/news/{STORY}"
ASSET_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
IMMUTABLE = "public, max-age=31536000, immutable"
UNCACHED_PAGE = "/no/such/page"


def decoded(response: TestResponse) -> bytes:
    """The body as the client reads it, undoing the response's Content-Encoding."""
    coding = response.headers.get("Content-Encoding")
    data = response.get_data()
    if coding == "br":
        return bytes(brotli.decompress(data))
    if coding == "gzip":
        return gzip.decompress(data)
    assert coding is None, f"unexpected Content-Encoding {coding}"
    return data


def vary(response: TestResponse) -> set[str]:
    """The header names in the response's Vary, lower-cased."""
    return {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}


def asset_urls(client: FlaskClient, page: str = "/") -> dict[str, str]:
    """The static URLs a page links to, by file name without its hash."""
    html = client.get(page).get_data(as_text=True)
    urls = ASSET_URL.findall(html)
    return {re.sub(r"\.[0-9a-f]{8}(?=\.[a-z]+$)", "", url): url for url in urls}


@pytest.mark.parametrize(
    ("accept_encoding", "expected"),
    [
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends: brotli preferred
        ("br;q=0.5, gzip", "gzip"),  # q-values beat our preference
        ("gzip;q=0.8, br;q=0.8", "br"),  # a tie goes to brotli
        ("br;q=0, gzip", "gzip"),  # q=0 refuses brotli
        ("br;q=0, gzip;q=0", None),
        ("BR;Q=1", "br"),  # names and parameters are case-insensitive
        ("x-gzip", "gzip"),  # the old name of gzip
        ("*", "br"),
        ("*;q=0", None),
        ("gzip;q=0, *", "br"),  # a coding named with q=0 stays refused under a `*`
        ("br;q=0, *;q=0.5", "gzip"),
        ("identity", None),
        ("deflate, zstd", None),  # codings we do not make
        ("br;q=lots", None),  # a garbled q-value refuses rather than guesses
        ("", None),
    ],
)
def test_encoding_follows_accept_encoding(
    demo_client: FlaskClient, accept_encoding: str, expected: str | None
) -> None:
    """The front page comes in brotli, else gzip, as Accept-Encoding and its q-values allow."""
    response = demo_client.get("/", headers={"Accept-Encoding": accept_encoding})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == expected
    assert "accept-encoding" in vary(response)


def test_no_accept_encoding_gets_identity(demo_client: FlaskClient) -> None:
    """A client that names no encoding (the test client, curl) gets plain bytes, still Vary."""
    response = demo_client.get("/")
    assert "Content-Encoding" not in response.headers
    assert "<html" in response.get_data(as_text=True)
    assert "accept-encoding" in vary(response)


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/", {}),
        (STORY_PAGE, {}),
        ("/?category=funding", htmx()),  # a fragment
        ("/api/v1/stories", {}),
        ("/feeds/stories.atom", {}),
        ("/sitemaps/sections.xml", {}),
        ("/no/such/page", {}),  # the 404 page is HTML too
    ],
)
@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_compressed_body_is_exactly_the_page(
    demo_app: Flask, path: str, headers: dict[str, str], coding: str
) -> None:
    """Decompressed, each compressed answer is byte for byte the identity one, and smaller."""
    plain = demo_app.test_client().get(path, headers=headers)
    packed = demo_app.test_client().get(path, headers={**headers, "Accept-Encoding": coding})
    assert packed.status_code == plain.status_code
    assert packed.headers.get("Content-Encoding") == coding
    assert packed.mimetype == plain.mimetype
    assert decoded(packed) == plain.get_data()
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data())


def test_api_json_and_atom_feed_are_compressed(demo_client: FlaskClient) -> None:
    """The API's JSON and the Atom feeds are text like the pages, and shrink like them."""
    for path, mimetype in (
        ("/api/v1/stories", "application/json"),
        ("/feeds/stories.atom", "application/atom+xml"),
    ):
        response = demo_client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert response.mimetype == mimetype
        assert response.headers.get("Content-Encoding") == "br"
        assert "accept-encoding" in vary(response)


def test_small_bodies_go_as_they_are(demo_client: FlaskClient) -> None:
    """Bodies too small to gain (the health check, robots.txt) are sent uncompressed."""
    for path in ("/healthz", "/robots.txt"):
        response = demo_client.get(path, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200
        assert len(response.get_data()) < 500
        assert "Content-Encoding" not in response.headers


def test_each_encoding_has_its_own_etag_and_revalidates(demo_client: FlaskClient) -> None:
    """The br, gzip and identity copies have different ETags; each gets 304 on its own."""
    etags = {}
    for coding in ("br", "gzip", None):
        headers = {"Accept-Encoding": coding} if coding else {}
        first = demo_client.get(STORY_PAGE, headers=headers)
        etag = first.headers["ETag"]
        again = demo_client.get(STORY_PAGE, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304, coding
        assert again.get_data() == b""
        assert "accept-encoding" in vary(again)
        etags[coding] = etag
    assert len(set(etags.values())) == 3, etags


def test_gzip_bytes_are_the_same_every_time(demo_client: FlaskClient) -> None:
    """gzip's header would carry the time: it is fixed, so a page's gzip copy never changes."""
    bodies = {
        demo_client.get("/", headers={"Accept-Encoding": "gzip"}).get_data() for _ in range(2)
    }
    assert len(bodies) == 1
    assert next(iter(bodies))[4:8] == b"\0\0\0\0"  # the MTIME field


def test_head_announces_the_encoding_a_get_would_have(demo_client: FlaskClient) -> None:
    """HEAD answers with the headers GET would send, and no body."""
    get = demo_client.get(STORY_PAGE, headers={"Accept-Encoding": "br"})
    head = demo_client.head(STORY_PAGE, headers={"Accept-Encoding": "br"})
    assert head.headers.get("Content-Encoding") == "br"
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    assert head.get_data() == b""


def test_pages_with_secrets_are_not_compressed(demo_client: FlaskClient, member: str) -> None:
    """Against BREACH: a page holding a CSRF token or a member's data goes uncompressed."""
    sign_in_form = demo_client.get("/login", headers={"Accept-Encoding": "br"})
    assert 'name="csrf_token"' in sign_in_form.get_data(as_text=True)
    assert "Content-Encoding" not in sign_in_form.headers
    assert Auth(demo_client).sign_in(member).status_code == 303
    page = demo_client.get(STORY_PAGE, headers={"Accept-Encoding": "br"})
    assert "Mia Member" in page.get_data(as_text=True)
    assert "Content-Encoding" not in page.headers
    assert "accept-encoding" in vary(page)
    # Static files hold no secrets: still compressed for members.
    stylesheet_url = asset_urls(demo_client)["/static/css/site.css"]
    stylesheet = demo_client.get(stylesheet_url, headers={"Accept-Encoding": "br"})
    assert stylesheet.headers.get("Content-Encoding") == "br"


def test_pages_link_static_files_by_content_hash(demo_client: FlaskClient) -> None:
    """Templates' `url_for('static', ...)` names each file with the hash of its bytes."""
    urls = asset_urls(demo_client)
    assert set(urls) == {
        "/static/favicon.svg",
        "/static/css/site.css",
        "/static/vendor/htmx-2.0.11.min.js",
        "/static/js/takes.js",
        "/static/js/search-key.js",
    }
    for plain, hashed in urls.items():
        assert re.fullmatch(r"/static/.+\.[0-9a-f]{8}\.[a-z]+", hashed), hashed
        assert hashed != plain


def test_hashed_static_files_are_immutable_and_compressed(demo_client: FlaskClient) -> None:
    """Each hashed file is cached for a year, sent compressed when text, and is the file
    (a stylesheet without its comments)."""
    for plain, hashed in asset_urls(demo_client).items():
        name = plain.removeprefix("/static/")
        on_disk = served(name, (STATIC_DIR / name).read_bytes())
        response = demo_client.get(hashed, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200, hashed
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert "accept-encoding" in vary(response)
        assert decoded(response) == on_disk
        # Compressed once, a file is sent compressed whenever that makes it smaller.
        smaller = len(compression.encode(on_disk, "br", best=True)) < len(on_disk)
        expected = "br" if smaller else None
        assert response.headers.get("Content-Encoding") == expected, hashed
        etag = response.headers["ETag"]
        again = demo_client.get(
            hashed, headers={"Accept-Encoding": "br, gzip", "If-None-Match": etag}
        )
        assert again.status_code == 304
        identity = demo_client.get(hashed)
        assert identity.get_data() == on_disk
        if "Content-Encoding" in response.headers:
            assert identity.headers["ETag"] != etag


def test_vendored_htmx_and_its_license_are_whole(demo_client: FlaskClient) -> None:
    """htmx is served as vendored, byte for byte, and its license beside it."""
    htmx_url = asset_urls(demo_client)["/static/vendor/htmx-2.0.11.min.js"]
    served = demo_client.get(htmx_url, headers={"Accept-Encoding": "gzip"})
    on_disk = (STATIC_DIR / "vendor/htmx-2.0.11.min.js").read_bytes()
    assert decoded(served) == on_disk
    assert served.mimetype in ("text/javascript", "application/javascript")
    license_text = demo_client.get("/static/vendor/htmx-2.0.11.LICENSE.txt")
    assert license_text.get_data() == (STATIC_DIR / "vendor/htmx-2.0.11.LICENSE.txt").read_bytes()


def test_plain_static_names_still_work_briefly_cached(demo_client: FlaskClient) -> None:
    """The unhashed `/static/css/site.css` answers too, with a short max-age."""
    response = demo_client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"
    assert decoded(response) == served("css/site.css", (STATIC_DIR / "css/site.css").read_bytes())
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    assert not response.cache_control.immutable


def test_an_outdated_hash_redirects_to_the_current_file(demo_client: FlaskClient) -> None:
    """A hash that is not the file's (a page from before a deploy) is sent to the current
    URL, by a redirect no cache keeps; a hashed name of no file is a 404."""
    current = asset_urls(demo_client)["/static/css/site.css"]
    outdated = demo_client.get("/static/css/site.00000000.css")
    assert outdated.status_code == 302
    assert outdated.headers["Location"] == current
    assert outdated.cache_control.no_store
    assert demo_client.get("/static/css/nothing.00000000.css").status_code == 404
    assert demo_client.get("/static/css/nothing.css").status_code == 404
    assert demo_client.get("/static/../pyproject.toml").status_code == 404


@pytest.fixture
def static_copy(tmp_path: Path) -> Path:
    """A copy of the static folder that a test may change."""
    folder = tmp_path / "static"
    shutil.copytree(STATIC_DIR, folder)
    return folder


def test_hashed_url_changes_with_the_file(
    make_app: Callable[..., Flask], static_copy: Path
) -> None:
    """Two processes whose stylesheets differ link different URLs, each serving its own."""
    before = make_app()
    before.static_folder = str(static_copy)
    old_url = asset_urls(before.test_client())["/static/css/site.css"]
    stylesheet = static_copy / "css/site.css"
    stylesheet.write_text(stylesheet.read_text() + "\n.changed { color: red; }\n")
    after = make_app()
    after.static_folder = str(static_copy)
    client = after.test_client()
    urls = asset_urls(client)
    assert urls["/static/css/site.css"] != old_url
    assert urls["/static/js/takes.js"] == asset_urls(before.test_client())["/static/js/takes.js"]
    assert b".changed" in client.get(urls["/static/css/site.css"]).get_data()
    # The old URL, asked of the new process, leads to the new file.
    assert client.get(old_url).headers["Location"] == urls["/static/css/site.css"]


def test_a_running_process_hashes_each_file_once(
    make_app: Callable[..., Flask], static_copy: Path
) -> None:
    """Files do not change under a running site: the first hash stays (no disk per page)."""
    app = make_app()
    app.static_folder = str(static_copy)
    client = app.test_client()
    first = asset_urls(client)["/static/css/site.css"]
    (static_copy / "css/site.css").write_text("body { color: red; }\n")
    assert asset_urls(client)["/static/css/site.css"] == first


def test_with_the_debugger_an_edited_file_gets_a_new_url(
    make_app: Callable[..., Flask], static_copy: Path
) -> None:
    """Under `flask --debug run` an edited stylesheet shows on the next page, new URL and all."""
    app = make_app(DEBUG=True)
    app.static_folder = str(static_copy)
    client = app.test_client()
    # A page the page cache does not keep, so that it is rendered afresh.
    first = asset_urls(client, UNCACHED_PAGE)["/static/css/site.css"]
    stylesheet = static_copy / "css/site.css"
    modified = stylesheet.stat().st_mtime_ns
    stylesheet.write_text("body { color: red; }\n")
    # A clock that ticks coarsely could leave the time as it was: move it on by a second.
    os.utime(stylesheet, ns=(modified + 10**9, modified + 10**9))
    second = asset_urls(client, UNCACHED_PAGE)["/static/css/site.css"]
    assert second != first
    assert client.get(second).get_data() == b"body{color: red;}"


def test_page_cache_keeps_each_encoding_apart(demo_client: FlaskClient) -> None:
    """A page stored compressed for one reader is never sent to one who asked otherwise."""
    answers = []
    # The first reader asks for brotli, so the page is rendered and stored compressed.
    for coding in ("br", "gzip", None, "br", "gzip", None):
        headers = {"Accept-Encoding": coding} if coding else {}
        response = demo_client.get(STORY_PAGE, headers=headers)
        assert response.headers.get("Content-Encoding") == coding
        answers.append(decoded(response))
    assert b"<html" in answers[0]
    assert answers == [answers[0]] * 6


def test_stylesheets_are_served_without_their_comments(demo_client: FlaskClient) -> None:
    """site.css reaches browsers with every rule and no comment: fewer bytes, same styles."""
    on_disk = (STATIC_DIR / "css/site.css").read_text()
    sent = demo_client.get(asset_urls(demo_client)["/static/css/site.css"]).get_data(as_text=True)
    assert "/*" in on_disk
    assert "/*" not in sent
    assert "*/" not in sent
    assert len(sent) < len(on_disk)
    rules = [line for line in on_disk.splitlines() if line.startswith((".", "@media", ":root"))]
    assert rules
    # Only whitespace next to `{ } ; ,` goes: every rule is there, word for word.
    squeezed = re.sub(r"\s+", "", sent)
    assert all(re.sub(r"\s+", "", rule) in squeezed for rule in rules)
    assert "{ " not in sent
    assert ";\n" not in sent
