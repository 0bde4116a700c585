"""The front door answers readers without a session before Flask runs, exactly as Flask would.

These run in the `make run` profile (pages in each worker's memory, the version read from
the database), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import brotli
from flask import Flask, request_started
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, Auth, create_user, htmx
from tests.statements import counted_get

TOOL_PAGE = "/tools/mistral-ai"
# Headers that belong to one response (the server adds Date): the rest are the stored page's own.
PER_RESPONSE = {"X-Request-ID", "Content-Length", "Date"}


@contextmanager
def flask_requests(app: Flask) -> Iterator[list[object]]:
    """Collect each request Flask itself starts handling inside the block."""
    started: list[object] = []

    def record(sender: Flask, **_: object) -> None:
        started.append(sender)

    request_started.connect(record, app)
    try:
        yield started
    finally:
        request_started.disconnect(record, app)


def lasting_headers(response: TestResponse) -> dict[str, str]:
    """A response's headers but those made for it alone."""
    return {name: value for name, value in response.headers.items() if name not in PER_RESPONSE}


def test_a_stored_page_is_answered_before_flask_with_the_same_bytes(demo_app: Flask) -> None:
    """The second reader without cookies gets the first one's page: one version read, no Flask."""
    rendered = demo_app.test_client().get(TOOL_PAGE)
    with flask_requests(demo_app) as started:
        statements, stored = counted_get(demo_app, TOOL_PAGE)
    assert (started, statements, stored.status_code) == ([], 1, 200)
    assert stored.data == rendered.data
    assert lasting_headers(stored) == lasting_headers(rendered)
    assert stored.headers["Content-Length"] == str(len(rendered.data))
    assert "Set-Cookie" not in stored.headers


def test_each_answer_gets_its_own_request_id(demo_app: Flask) -> None:
    """A proxy's sane request id is echoed; otherwise every answer gets a new one."""
    client = demo_app.test_client()
    client.get(TOOL_PAGE)
    ids = {client.get(TOOL_PAGE).headers["X-Request-ID"] for _ in range(2)}
    assert len(ids) == 2
    offered = client.get(TOOL_PAGE, headers={"X-Request-ID": "proxy-1234abcd"})
    assert offered.headers["X-Request-ID"] == "proxy-1234abcd"
    junk = client.get(TOOL_PAGE, headers={"X-Request-ID": "<script>"})
    assert junk.headers["X-Request-ID"] != "<script>"


def test_a_304_is_the_same_from_the_front_door_and_from_flask(demo_app: Flask) -> None:
    """A reader without cookies and one with an anonymous session get the same revalidation."""
    etag = demo_app.test_client().get(TOOL_PAGE).headers["ETag"]
    conditional = {"If-None-Match": etag}
    with flask_requests(demo_app) as started:
        early = demo_app.test_client().get(TOOL_PAGE, headers=conditional)
    assert (early.status_code, started) == (304, [])
    with_session = demo_app.test_client()
    with_session.get("/login")  # its CSRF token starts an anonymous session
    assert with_session.get_cookie("session") is not None
    with flask_requests(demo_app) as started:
        through_flask = with_session.get(TOOL_PAGE, headers=conditional)
    assert (through_flask.status_code, len(started)) == (304, 1)
    for name in ("ETag", "Cache-Control", "Vary"):
        assert early.headers[name] == through_flask.headers[name], name
    assert early.data == through_flask.data == b""


def test_an_anonymous_session_is_served_the_stored_page_through_flask(demo_app: Flask) -> None:
    """With a session cookie the request goes through Flask, which still skips rendering."""
    demo_app.test_client().get(TOOL_PAGE)
    client = demo_app.test_client()
    client.get("/login")
    with flask_requests(demo_app) as started:
        statements, page = counted_get(demo_app, TOOL_PAGE, client)
    assert (len(started), statements, page.status_code) == (1, 1, 200)
    assert "Sign in" in page.text


def test_a_remember_me_cookie_alone_is_never_answered_as_anonymous(demo_app: Flask) -> None:
    """A remembered member whose session ended gets their own page, never the shared one."""
    demo_app.test_client().get(TOOL_PAGE)
    create_user(demo_app, "kept@example.com", name="Kim Kept")
    client = demo_app.test_client()
    Auth(client).sign_in("kept@example.com", PASSWORD, remember="y")
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    page = client.get(TOOL_PAGE)
    assert "Kim Kept" in page.text
    assert "private" in page.headers["Cache-Control"]


def test_refused_requests_are_left_to_flask_to_refuse(
    make_app: Callable[..., Flask], demo_newsroom: None
) -> None:
    """An untrusted host or a NUL byte gets Flask's 400 even for a page that is stored."""
    app = make_app(TRUSTED_HOSTS=["news.example"])
    client = app.test_client()
    client.get(TOOL_PAGE, headers={"Host": "news.example"})
    assert client.get(TOOL_PAGE, headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/?category=%00", headers={"Host": "news.example"}).status_code == 400


def test_pages_fragments_and_codings_are_each_their_own(demo_app: Flask) -> None:
    """The front door keys on every header that chooses the answer, as Flask does."""
    client = demo_app.test_client()
    page = client.get("/?category=model")
    fragment = client.get("/?category=model", headers=htmx())
    assert "<html" in page.text
    assert "<html" not in fragment.text
    assert client.get("/?category=model").data == page.data
    assert client.get("/?category=model", headers=htmx()).data == fragment.data


def test_a_compressed_render_also_keeps_the_plain_copy(demo_app: Flask) -> None:
    """A page first rendered for brotli is served to a client without compression unrendered."""
    client = demo_app.test_client()
    squeezed = client.get(TOOL_PAGE, headers={"Accept-Encoding": "br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    with flask_requests(demo_app) as started:
        plain = client.get(TOOL_PAGE)
    assert started == []
    assert "Content-Encoding" not in plain.headers
    assert plain.data == brotli.decompress(squeezed.data)
    assert plain.headers["ETag"] != squeezed.headers["ETag"]
    assert (
        client.get(TOOL_PAGE, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    )


def test_only_get_requests_are_answered_at_the_door(demo_app: Flask) -> None:
    """HEAD and writes go to Flask (HEAD still says what a GET would send)."""
    client = demo_app.test_client()
    client.get(TOOL_PAGE)
    with flask_requests(demo_app) as started:
        head = client.head(TOOL_PAGE)
    assert (head.status_code, len(started), head.data) == (200, 1, b"")
