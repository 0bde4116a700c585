"""SECURITY.md as a checklist: one test per line, in the order the document gives them.

Deeper tests of the same behaviour live beside the features (test_accounts.py,
test_bookmarks.py, test_editor.py, test_routes_protected.py, test_bad_input.py,
test_concurrency.py, test_gunicorn.py); these read as the bar itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from newsweb import create_app
from newsweb.config import DEFAULTS
from newsweb.extensions import db
from newsweb.models import Bookmark, Revision, Story, Tool, User
from tests.conftest import PASSWORD, Auth, create_user, csrf_token_in, htmx, settings
from tests.html import unsafe_markup
from tests.routes import sample_pages


def rows(app: Flask) -> dict[str, int]:
    """Row counts of the tables a request could write."""
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, Bookmark, Story, Tool, Revision)
        }


def register(client: FlaskClient, password: str, email: str = "new@example.com") -> int:
    """Post the registration form; returns the status."""
    token = csrf_token_in(client.get("/register").get_data(as_text=True))
    data = {"csrf_token": token, "email": email, "display_name": "New", "password": password}
    return client.post("/register", data=data).status_code


# --------------------------------------------------------------- accounts and sessions


def test_passwords_length_no_composition_common_refused_unicode_ok_slow_hash(
    demo_app: Flask,
) -> None:
    """8+ characters, no composition rules, common ones refused, Unicode fine, scrypt."""
    # The production hash, not the cheap one the other tests use.
    demo_app.config["PASSWORD_HASH_METHOD"] = DEFAULTS["PASSWORD_HASH_METHOD"]
    client = demo_app.test_client()
    assert register(client, "short1!") == 422
    assert register(client, "password123") == 422
    assert register(client, "all lowercase words only") == 303
    assert register(demo_app.test_client(), "ünïcødé pässphrâse ✓ 日本語", "u@example.com") == 303
    with demo_app.app_context():
        hashes = db.session.scalars(select(User.password_hash)).all()
    assert all(value.startswith("scrypt:") for value in hashes)


def test_wrong_password_and_unknown_email_answer_alike(auth: Auth, member: str) -> None:
    """Same status, same message, for a wrong password and an unknown email."""
    wrong, unknown = auth.sign_in(member, "nope nope nope"), auth.sign_in("x@example.com", "nope")
    assert wrong.status_code == unknown.status_code
    message = re.compile(r'role="alert"><p>([^<]+)</p>')
    assert message.findall(wrong.get_data(as_text=True)) == message.findall(
        unknown.get_data(as_text=True)
    )


def test_password_change_needs_current_and_ends_other_sessions(
    auth: Auth, demo_app: Flask, member: str
) -> None:
    """Without the current password nothing changes; with it, other sessions end."""
    other = Auth(demo_app.test_client())
    other.sign_in(member)
    auth.sign_in(member)
    change = {"csrf_token": auth.token("/account"), "new_password": "another fine passphrase"}
    refused = auth.client.post("/account/password", data={**change, "current_password": "x"})
    assert refused.status_code == 422
    assert other.client.get("/account").status_code == 200
    done = auth.client.post("/account/password", data={**change, "current_password": PASSWORD})
    assert done.status_code == 303
    assert other.client.get("/account").status_code == 302


def test_sign_in_fresh_session_sign_out_post_and_replay_refused(
    auth: Auth, demo_app: Flask, member: str
) -> None:
    """A new session cookie at sign-in; sign-out needs POST + CSRF; old cookies are dead."""
    auth.token()
    anonymous_cookie = auth.client.get_cookie("session")
    auth.sign_in(member)
    signed_in_cookie = auth.client.get_cookie("session")
    assert anonymous_cookie is not None
    assert signed_in_cookie is not None
    assert signed_in_cookie.value != anonymous_cookie.value
    assert auth.client.get("/logout").status_code == 405
    assert auth.client.post("/logout").status_code == 400
    assert auth.sign_out().status_code == 303
    replay = demo_app.test_client()
    replay.set_cookie("session", signed_in_cookie.value)
    assert replay.get("/account").status_code == 302


def test_cookies_httponly_samesite_secure_over_https_and_remember_30_days(
    make_app: Callable[..., Flask],
) -> None:
    """HttpOnly and SameSite=Lax always; Secure and HSTS in the HTTPS profile; ≤ 30 days."""
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, HTTPS=True)
    create_user(app, "m@example.com")
    response = Auth(app.test_client()).sign_in("m@example.com", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 30


def test_failed_sign_ins_throttled_per_address_not_reset_by_forwarded_for(
    auth: Auth, member: str
) -> None:
    """Five failures, then 429 with Retry-After, whatever X-Forwarded-For says."""
    for _ in range(5):
        auth.sign_in(member, "wrong wrong wrong")
    blocked = auth.client.post(
        "/login",
        data={"csrf_token": auth.token(), "email": member, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_next_after_sign_in_stays_on_this_site(auth: Auth, member: str, target: str) -> None:
    """`next` outside this site leads home."""
    assert auth.sign_in(member, next=target).headers["Location"] == "/"


# --------------------------------------------------------------- access


def test_editor_routes_403_readers_and_sign_in_anonymous(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """Readers get 403 from the newsroom; anonymous visitors go to sign-in."""
    anonymous = demo_client.application.test_client()
    assert anonymous.get("/editor").headers["Location"].startswith("/login?next=/editor")
    auth.sign_in(member)
    assert auth.client.get("/editor").status_code == 403


def test_demoting_an_editor_takes_effect_on_the_next_request(demo_app: Flask) -> None:
    """The role is read on every request."""
    create_user(demo_app, "e@example.com", role="editor")
    editor = Auth(demo_app.test_client())
    editor.sign_in("e@example.com")
    assert editor.client.get("/editor").status_code == 200
    demo_app.test_cli_runner().invoke(args=["users", "set-role", "e@example.com", "reader"])
    assert editor.client.get("/editor").status_code == 403


def test_members_touch_only_their_own_bookmarks(auth: Auth, demo_app: Flask, member: str) -> None:
    """Another member's bookmark survives whatever ids a request carries."""
    other = create_user(demo_app, "other@example.com")
    with demo_app.app_context():
        tool_id = db.session.scalars(select(Tool.id).where(Tool.slug == "cursor")).one()
        db.session.add(Bookmark(user_id=other, tool_id=tool_id))
        db.session.commit()
    auth.sign_in(member)
    data = {"csrf_token": auth.token("/account"), "user_id": str(other), "id": "1"}
    auth.client.post("/bookmarks/tools/cursor/delete", data=data)
    assert rows(demo_app)["bookmarks"] == 1
    assert "Cursor" not in auth.client.get("/bookmarks/sidebar", headers=htmx()).get_data(True)


def test_a_get_never_writes(demo_app: Flask) -> None:
    """Every GET route, signed in as an admin, leaves every table as it was."""
    create_user(demo_app, "a@example.com", role="admin")
    admin = Auth(demo_app.test_client())
    admin.sign_in("a@example.com")
    before = rows(demo_app)
    for _endpoint, path in sample_pages(demo_app):
        assert admin.client.get(path).status_code < 500, path
        assert admin.client.get(path, headers=htmx()).status_code < 500, path
    assert rows(demo_app) == before


# --------------------------------------------------------------- forgery and injection


def test_csrf_required_and_foreign_or_query_tokens_refused(
    auth: Auth, demo_app: Flask, member: str
) -> None:
    """No token, a token from another session, or one only in the query string: 400."""
    auth.sign_in(member)
    foreign = Auth(demo_app.test_client()).token()
    own = auth.token("/account")
    path = "/bookmarks/tools/cursor"
    assert auth.client.post(path).status_code == 400
    assert auth.client.post(path, data={"csrf_token": foreign}).status_code == 400
    assert auth.client.post(path, headers={"X-CSRFToken": foreign}).status_code == 400
    assert auth.client.post(f"{path}?csrf_token={own}").status_code == 400
    assert rows(demo_app)["bookmarks"] == 0
    assert auth.client.post(path, headers={"X-CSRFToken": own, **htmx()}).status_code == 200


def test_typed_text_is_escaped_in_pages_and_fragments(demo_app: Flask) -> None:
    """A display name with markup shows as text on every page that names it (every whole
    page does, in the masthead), and never as markup in a page or a fragment."""
    create_user(demo_app, "x@example.com", name='<img src=x onerror="alert(1)">')
    client = Auth(demo_app.test_client())
    client.sign_in("x@example.com")
    named: set[str] = set()
    for endpoint, path in sample_pages(demo_app):
        for headers in ({}, htmx()):
            response = client.client.get(path, headers=headers)
            html = response.get_data(as_text=True)
            assert "<img src=x" not in html, (path, headers)
            if response.status_code == 200 and "<html" in html:
                assert "&lt;img src=x onerror=" in html, path
                named.add(endpoint)
    assert {"news.index", "accounts.account", "bookmarks.index"} <= named


def test_markdown_is_sanitized_inside_an_hx_disable_container(demo_client: FlaskClient) -> None:
    """Story bodies render inside hx-disable, with nothing executable in them."""
    html = demo_client.get(
        "/news/general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"
    ).get_data(as_text=True)
    body = html.split('class="prose story__body" data-hx-disable>', 1)[1].split("</div>", 1)[0]
    assert unsafe_markup(body) == []


def test_source_and_website_urls_only_http_and_https(demo_app: Flask) -> None:
    """The editor forms refuse other schemes for source and website URLs."""
    from newsweb.editor.forms import web_address

    class Field:
        data = ""

    for value, ok in [("https://a.example", True), ("http://a.example", True),
                      ("javascript:alert(1)", False), ("data:text/html,x", False),
                      ("ftp://a.example", False), ("//a.example", False)]:  # fmt: skip
        field = Field()
        field.data = value
        try:
            web_address(None, field)  # type: ignore[arg-type]
            accepted = True
        except Exception:
            accepted = False
        assert accepted is ok, value


# --------------------------------------------------------------- headers


def test_csp_and_security_headers_on_every_html_response(demo_client: FlaskClient) -> None:
    """CSP without unsafe-inline, nosniff, referrer policy, no framing, on pages and errors:
    every HTML answer a visitor gets from any route (redirects too), and the 404 page."""
    paths = [path for _endpoint, path in sample_pages(demo_client.application)]
    checked: list[str] = []
    for path in [*paths, "/no-such-page"]:
        headers = demo_client.get(path).headers
        if not headers["Content-Type"].startswith("text/html"):
            continue
        checked.append(path)
        csp = headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                          "frame-ancestors 'none'"):  # fmt: skip
            assert directive in csp, path
        assert "unsafe-inline" not in csp, path
        assert "unsafe-eval" not in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert headers["X-Frame-Options"] == "DENY", path
    assert {"/", "/login", "/no-such-page"} <= set(checked)


def test_security_check_fails_on_unsafe_production_settings(
    make_app: Callable[..., Flask],
) -> None:
    """`flask security-check` fails with the default key and insecure cookies."""
    from newsweb.config import DEVELOPMENT_SECRET_KEY

    app = make_app(TESTING=False, SECRET_KEY=DEVELOPMENT_SECRET_KEY)
    result = app.test_cli_runner().invoke(args=["security-check"])
    assert result.exit_code != 0
    assert "FAIL SECRET_KEY is not the development default" in result.output


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/news/no-such-story", 404),
        ("/tools/no-such-tool", 404),
        ("/panel/no-such-persona", 404),
        ("/?after=2026-02-30T00:00:00~1", 400),
        ("/?after=2026-01-01T00:00:00~1000000000000", 400),
        ("/?category=%00", 400),
        ("/?tool=%00", 400),
        ("/news/%00", 400),
        ("/search?q=%00", 400),
    ],
)
def test_bad_input_is_a_friendly_4xx(demo_client: FlaskClient, path: str, status: int) -> None:
    """Unknown slugs, malformed dates, NUL bytes and huge numbers: a page, never a 500."""
    response = demo_client.get(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert 'class="masthead"' in html
    assert "Traceback" not in html


def test_nul_byte_in_a_form_is_400_and_writes_nothing(demo_app: Flask) -> None:
    """A NUL byte anywhere in a form is refused before the view runs."""
    client = demo_app.test_client()
    token = csrf_token_in(client.get("/register").get_data(as_text=True))
    before = rows(demo_app)
    data = {"csrf_token": token, "email": "n@example.com", "display_name": "a\x00b",
            "password": PASSWORD}  # fmt: skip
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert "a character we cannot accept" in response.get_data(as_text=True)
    assert rows(demo_app) == before


def test_oversized_body_is_413_and_writes_nothing(auth: Auth, demo_app: Flask, member: str) -> None:
    """A body over MAX_CONTENT_LENGTH is refused with 413 before anything is stored."""
    before = rows(demo_app)
    response = auth.client.post("/register", data={"display_name": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert rows(demo_app) == before


# --------------------------------------------------------------- data and load


def test_bookmarks_unique_and_idempotent(auth: Auth, demo_app: Flask, member: str) -> None:
    """Saving twice keeps one row; removing a missing bookmark succeeds."""
    auth.sign_in(member)
    token = {"X-CSRFToken": auth.token("/account"), **htmx()}
    for _ in range(2):
        assert auth.client.post("/bookmarks/tools/cursor", headers=token).status_code == 200
    assert rows(demo_app)["bookmarks"] == 1
    for _ in range(2):
        assert auth.client.post("/bookmarks/tools/cursor/delete", headers=token).status_code == 200
    assert rows(demo_app)["bookmarks"] == 0


def test_deleting_a_story_removes_its_bookmarks(auth: Auth, demo_app: Flask, member: str) -> None:
    """The database cascades bookmarks of a deleted story; members' pages still work."""
    auth.sign_in(member)
    slug = "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"
    auth.client.post(f"/bookmarks/stories/{slug}", headers={"X-CSRFToken": auth.token("/account")})
    with demo_app.app_context():
        db.session.delete(db.session.scalars(select(Story).where(Story.slug == slug)).one())
        db.session.commit()
    assert rows(demo_app)["bookmarks"] == 0
    assert auth.client.get("/bookmarks").status_code == 200


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    """Each SQLite connection has WAL, a busy timeout and foreign keys on.

    (Writes begin with BEGIN IMMEDIATE and several workers write at once without
    "database is locked": test_gunicorn.py.)
    """
    app = create_app(settings(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with app.app_context():
        db.engine.dispose()
