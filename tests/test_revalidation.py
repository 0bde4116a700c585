"""Shared pages are revalidated and served by the newsroom's version, without rendering.

These run in the `make run` profile (no Redis): each worker keeps pages in its memory and
reads the version from the database, so a change shows on every worker's next request.
"""

from __future__ import annotations

import gc
import gzip
import threading
import time

from flask import Flask, template_rendered
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Category
from newsweb.models.clock import utcnow
from newsweb.web.page_cache import READER_EXTENSION
from newsweb.web.version import StateReader, release
from tests import factories
from tests.statements import counted_get


def renders_for(app: Flask, path: str, **headers: str) -> tuple[int, int, int]:
    """GET `path`: (templates rendered, SQL statements, status)."""
    rendered: list[object] = []

    def record(_sender: Flask, template: object, context: object, **_: object) -> None:
        rendered.append(template)

    template_rendered.connect(record, app)
    try:
        count, response = counted_get(app, path, headers=headers)
    finally:
        template_rendered.disconnect(record, app)
    return len(rendered), count, response.status_code


def test_a_current_copy_gets_304_before_any_rendering(demo_app: Flask) -> None:
    """If-None-Match with the page's ETag: 304 after one read of the version, no template."""
    first = demo_app.test_client().get("/tools/mistral-ai")
    etag = first.headers["ETag"]
    templates, statements, status = renders_for(
        demo_app, "/tools/mistral-ai", **{"If-None-Match": etag}
    )
    assert status == 304
    assert templates == 0
    assert statements == 1


def test_a_stored_page_is_served_without_rendering(demo_app: Flask) -> None:
    """The second reader of a page gets the stored bytes: no template, only the version read."""
    page = demo_app.test_client().get("/tools")
    templates, statements, status = renders_for(demo_app, "/tools")
    assert (templates, statements, status) == (0, 1, 200)
    assert demo_app.test_client().get("/tools").data == page.data


def test_each_content_coding_has_its_own_copy_and_etag(demo_app: Flask) -> None:
    """A gzip copy is never served to a client that did not ask for one, nor the reverse."""
    client = demo_app.test_client()
    zipped = client.get("/tools", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/tools")
    zipped_again = client.get("/tools", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert zipped_again.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped_again.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]


def test_an_editor_change_shows_on_the_next_request(demo_app: Flask) -> None:
    """A committed content change moves the version: stored pages and ETags go stale at once."""
    client = demo_app.test_client()
    before = client.get("/")
    with demo_app.app_context():
        category = db.session.scalars(select(Category).where(Category.slug == "policy")).one()
        category.name = "Regulation"
        db.session.commit()
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Regulation" in after.text
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_scheduled_story_shows_once_its_time_has_come(demo_app: Flask) -> None:
    """No write happens when a scheduled story goes out; the version still counts it."""
    with demo_app.app_context():
        goes_out = factories.schedule_first_story("Out in a moment", in_seconds=1.5)
    client = demo_app.test_client()
    before = client.get("/")
    assert "Out in a moment" not in before.text
    assert renders_for(demo_app, "/")[0] == 0, "the front page was not stored"
    time.sleep(max(0.0, (goes_out - utcnow()).total_seconds()) + 0.2)
    after = client.get("/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "Out in a moment" in after.text


def test_etags_name_the_release_so_a_deploy_never_serves_old_pages(demo_app: Flask) -> None:
    """Stored pages and ETags are per release: new templates or static files, new copies."""
    etag = demo_app.test_client().get("/tools").headers["ETag"]
    assert etag.strip('"').startswith(release() + ".")


def test_the_version_reader_holds_no_transaction_and_survives_a_lost_connection(
    demo_app: Flask,
) -> None:
    """The kept connection sits outside any transaction, reconnects once lost, closes with
    the engine."""
    reader: StateReader = demo_app.extensions[READER_EXTENSION]
    before = reader.read()
    assert before is not None
    held = reader.local.connection
    if held.dialect.name == "postgresql":
        state = held.exec_driver_sql(
            "SELECT state FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        ).scalar()
        assert (
            state == "active"
        )  # this very query; between reads it is "idle", never in a transaction
        assert not held.connection.dbapi_connection.info.transaction_status  # IDLE
    else:
        assert not held.connection.dbapi_connection.in_transaction
    held.connection.dbapi_connection.close()  # the database went away under it
    assert reader.read() == before
    assert reader.local.connection is not held
    with demo_app.app_context():
        db.engine.dispose()
    assert reader.local.connection.closed
    assert reader.read() == before


def test_a_thread_that_ends_hands_its_version_connection_back(demo_app: Flask) -> None:
    """A server that starts a thread per request (`flask run`) does not run the pool dry:
    each thread's kept connection goes back to the pool when the thread ends."""
    reader: StateReader = demo_app.extensions[READER_EXTENSION]
    with demo_app.app_context():
        pool = db.engine.pool
    busy_before = pool.checkedout()  # type: ignore[attr-defined]
    for _ in range(8):
        worker = threading.Thread(target=reader.read)
        worker.start()
        worker.join()
    del worker  # as a server drops a finished request's thread
    gc.collect()
    assert pool.checkedout() == busy_before  # type: ignore[attr-defined]
    assert reader.read() is not None
