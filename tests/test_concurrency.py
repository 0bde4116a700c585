"""Many identical requests at once: bookmarks stay unique and every request succeeds."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select

from newsweb.extensions import db
from newsweb.models import Bookmark
from tests.conftest import Auth, htmx

SIMULTANEOUS = 50


@pytest.mark.parametrize(
    "path", ["/bookmarks/tools/mistral-ai", "/bookmarks/tools/mistral-ai/delete"]
)
def test_fifty_simultaneous_identical_requests(
    demo_app: Flask, auth: Auth, member: str, path: str
) -> None:
    """50 threads send the same bookmark request together: all succeed, one row (or none)."""
    auth.sign_in(member)
    token = auth.token("/account")
    session_cookie = auth.client.get_cookie("session")
    assert session_cookie is not None
    if path.endswith("/delete"):
        auth.client.post("/bookmarks/tools/mistral-ai", data={"csrf_token": token})
    start = threading.Barrier(SIMULTANEOUS)

    def send(_: int) -> int:
        client = demo_app.test_client()
        client.set_cookie("session", session_cookie.value)
        start.wait()
        response = client.post(path, data={"csrf_token": token}, headers=htmx())
        return response.status_code

    with ThreadPoolExecutor(max_workers=SIMULTANEOUS) as pool:
        statuses = list(pool.map(send, range(SIMULTANEOUS)))
    assert statuses == [200] * SIMULTANEOUS
    with demo_app.app_context():
        rows = db.session.scalar(select(func.count(Bookmark.id)))
    assert rows == (0 if path.endswith("/delete") else 1)
