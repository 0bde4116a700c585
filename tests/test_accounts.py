"""Accounts: registration, sign-in, sessions, throttling and the account page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from newsweb.config import DEFAULTS
from newsweb.extensions import db
from newsweb.models import Bookmark, User
from tests.conftest import PASSWORD, Auth, create_user, csrf_token_in


def register(client: FlaskClient, **fields: str) -> tuple[int, str]:
    """Post the registration form with sensible defaults; returns status and page."""
    data = {
        "csrf_token": csrf_token_in(client.get("/register").get_data(as_text=True)),
        "email": "new@example.com",
        "display_name": "Nina New",
        "password": PASSWORD,
        **fields,
    }
    response = client.post("/register", data=data)
    return response.status_code, response.get_data(as_text=True)


def user_count(app: Flask) -> int:
    """How many accounts exist."""
    with app.app_context():
        return db.session.scalar(select(func.count(User.id))) or 0


def signed_in_as(client: FlaskClient) -> str | None:
    """The display name in the masthead, or None when signed out."""
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'<li><a href="/account"[^>]*>([^<]+)</a></li>', html)
    return match.group(1) if match else None


def test_register_creates_a_reader_and_signs_in(demo_client: FlaskClient, demo_app: Flask) -> None:
    """Registering stores a reader with a slow password hash and signs them in."""
    # The production hash, not the cheap one the other tests use.
    demo_app.config["PASSWORD_HASH_METHOD"] = DEFAULTS["PASSWORD_HASH_METHOD"]
    status, _ = register(demo_client)
    assert status == 303
    assert signed_in_as(demo_client) == "Nina New"
    with demo_app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.role == "reader"
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use at least 8 characters"),
        ("password1", "one of the most common"),
        ("iloveyou", "one of the most common"),
        ("new@example.com", "should not be your email"),
        ("x" * 1025, "at most 1024 characters"),
    ],
)
def test_register_refuses_weak_passwords(
    demo_client: FlaskClient, demo_app: Flask, password: str, message: str
) -> None:
    """Short, common or self-naming passwords are refused beside the field; nothing saved."""
    status, html = register(demo_client, password=password)
    assert status == 422
    assert message in html
    assert 'value="new@example.com"' in html
    assert 'value="Nina New"' in html
    assert user_count(demo_app) == 0


@pytest.mark.parametrize(
    "password",
    ["Tr0ub4dor&3 is fine", "ποτέ δεν θα το μαντέψεις αυτό", "🦜🦜🦜🦜🦜🦜🦜🦜", "a" * 1024],
)
def test_register_accepts_long_and_unicode_passphrases(
    demo_client: FlaskClient, password: str
) -> None:
    """No composition rules: any long enough uncommon passphrase works, Unicode included."""
    status, _ = register(demo_client, password=password)
    assert status == 303
    demo_client.post(
        "/logout",
        data={"csrf_token": csrf_token_in(demo_client.get("/account").get_data(as_text=True))},
    )
    response = Auth(demo_client).sign_in("new@example.com", password)
    assert response.status_code == 303


def test_emails_are_unique_ignoring_case(demo_client: FlaskClient, demo_app: Flask) -> None:
    """A second account for the same email in other letter case is refused."""
    create_user(demo_app, "taken@example.com")
    status, html = register(demo_client, email="Taken@Example.COM")
    assert status == 422
    assert "already an account with this email" in html
    assert user_count(demo_app) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "does not look like an email"),
        ("email", "a" * 250 + "@example.com", "at most 254 characters"),
        ("display_name", "", "Tell us what to call you"),
        ("display_name", "x" * 81, "at most 80 characters"),
        ("display_name", "Bell\x07Byte", "characters we cannot accept"),
    ],
)
def test_register_validation_errors_sit_next_to_the_field(
    demo_client: FlaskClient, demo_app: Flask, field: str, value: str, message: str
) -> None:
    """Each bad field answers 422 with its message and nothing is stored."""
    status, html = register(demo_client, **{field: value})
    assert status == 422
    assert message in html
    assert 'aria-invalid="true"' in html
    assert user_count(demo_app) == 0


def test_wrong_password_and_unknown_email_look_the_same(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """A wrong password and an unknown email give the same status and message."""
    wrong = auth.sign_in(member, "not the password at all")
    unknown = auth.sign_in("nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    message = "That email and password do not match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert signed_in_as(demo_client) is None


def test_sign_in_ignores_email_case_and_issues_a_fresh_session(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """Signing in works in any letter case and replaces the session cookie."""
    auth.token()
    before = demo_client.get_cookie("session")
    assert before is not None
    response = auth.sign_in(member.upper())
    assert response.status_code == 303
    after = demo_client.get_cookie("session")
    assert after is not None
    assert after.value != before.value
    assert signed_in_as(demo_client) == "Mia Member"


@pytest.mark.parametrize(
    ("next_value", "location"),
    [
        ("/tools/mistral-ai", "/tools/mistral-ai"),
        ("/?category=funding", "/?category=funding"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_next_only_leads_to_this_site(
    auth: Auth, member: str, next_value: str, location: str
) -> None:
    """After sign-in, `next` is followed only when it is a path on this site."""
    response = auth.sign_in(member, next=next_value)
    assert response.status_code == 303
    assert response.headers["Location"] == location


def test_sign_out_by_get_is_not_allowed(auth: Auth, demo_client: FlaskClient, member: str) -> None:
    """GET /logout is a 405: signing out changes state, so it is a POST."""
    auth.sign_in(member)
    assert demo_client.get("/logout").status_code == 405
    assert signed_in_as(demo_client) == "Mia Member"


def test_replayed_cookies_after_sign_out_sign_no_one_in(
    auth: Auth, demo_client: FlaskClient, demo_app: Flask, member: str
) -> None:
    """A copy of the cookies taken before sign-out no longer signs anyone in."""
    auth.sign_in(member, remember="y")
    stolen = {
        name: cookie.value
        for name in ("session", "remember_token")
        if (cookie := demo_client.get_cookie(name)) is not None
    }
    assert "remember_token" in stolen
    assert auth.sign_out().status_code == 303
    replay = demo_app.test_client()
    for name, value in stolen.items():
        replay.set_cookie(name, value)
    assert signed_in_as(replay) is None
    assert replay.get("/account").status_code == 302


def test_cookies_are_http_only_and_same_site(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """Session and remember-me cookies are HttpOnly, SameSite=Lax, remember at most 30 days."""
    response = auth.sign_in(member, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "remember_token="):
        cookie = next(c for c in cookies if c.startswith(name))
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    remember = next(c for c in cookies if c.startswith("remember_token="))
    expires = re.search(r"Expires=([^;]+)", remember)
    assert expires is not None
    lifetime = parsedate_to_datetime(expires.group(1)) - datetime.now(UTC)
    assert timedelta(days=29) < lifetime <= timedelta(days=30)


def test_failed_sign_ins_are_throttled_per_address(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """After five failures in a minute the sixth is a 429 with Retry-After, even if correct.

    A spoofed X-Forwarded-For does not give the client a fresh allowance.
    """
    for _ in range(5):
        assert auth.sign_in(member, "wrong password here").status_code == 422
    blocked = auth.sign_in(member)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Slow down a little" in blocked.get_data(as_text=True)
    token = auth.token()
    spoofed = demo_client.post(
        "/login",
        data={"csrf_token": token, "email": member, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert spoofed.status_code == 429


def test_successful_sign_ins_are_not_throttled(auth: Auth, member: str) -> None:
    """Only failures count: a member signing in and out often is never blocked."""
    for _ in range(8):
        assert auth.sign_in(member).status_code == 303
        assert auth.sign_out().status_code == 303


def test_account_page_needs_sign_in(demo_client: FlaskClient) -> None:
    """An anonymous visit to /account goes to sign-in and comes back after."""
    response = demo_client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"


def test_change_display_name(auth: Auth, demo_client: FlaskClient, member: str) -> None:
    """The account page changes the display name."""
    auth.sign_in(member)
    token = auth.token("/account")
    response = demo_client.post("/account", data={"csrf_token": token, "display_name": "Mia M."})
    assert response.status_code == 303
    assert signed_in_as(demo_client) == "Mia M."


def test_change_password_needs_the_current_one(
    auth: Auth, demo_client: FlaskClient, member: str
) -> None:
    """A wrong current password is refused beside the field."""
    auth.sign_in(member)
    response = demo_client.post(
        "/account/password",
        data={
            "csrf_token": auth.token("/account"),
            "current_password": "not my password",
            "new_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)


def test_change_password_ends_other_sessions(
    auth: Auth, demo_client: FlaskClient, demo_app: Flask, member: str
) -> None:
    """After a password change this device stays signed in and every other one is out."""
    other = Auth(demo_app.test_client())
    other.sign_in(member)
    assert signed_in_as(other.client) == "Mia Member"
    auth.sign_in(member)
    response = demo_client.post(
        "/account/password",
        data={
            "csrf_token": auth.token("/account"),
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 303
    assert signed_in_as(demo_client) == "Mia Member"
    assert signed_in_as(other.client) is None
    assert auth.sign_out().status_code == 303
    assert auth.sign_in(member, "a brand new passphrase").status_code == 303


def test_delete_account_removes_it_and_its_bookmarks(
    auth: Auth, demo_client: FlaskClient, demo_app: Flask, member: str
) -> None:
    """Deleting (with the password) removes the account and its bookmarks and signs out."""
    auth.sign_in(member)
    token = auth.token("/account")
    demo_client.post("/bookmarks/tools/mistral-ai", data={"csrf_token": token})
    refused = demo_client.post("/account/delete", data={"csrf_token": token, "password": "nope"})
    assert refused.status_code == 422
    assert user_count(demo_app) == 1
    response = demo_client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})
    assert response.status_code == 303
    assert signed_in_as(demo_client) is None
    assert user_count(demo_app) == 0
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(Bookmark.id))) == 0
