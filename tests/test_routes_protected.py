"""Every route that changes state demands a CSRF token, and sign-in unless it signs you in.

The routes come from `app.url_map`, so a new state-changing route is covered (or fails
here for want of sample arguments) the day it is added.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import Auth
from tests.routes import path_for

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Routes anonymous visitors may use: they are how one signs in.
OPEN_TO_ANONYMOUS = {
    "accounts.login",
    "accounts.register",
    "accounts.forgot_password",
    "accounts.reset_password",
    # Authorised by their signed tokens: mail clients post to the first without a session
    # (RFC 8058); the second confirms the address its link names.
    "digest.unsubscribe",
    "accounts.verify_email",
}


def state_changing_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) pair that is not a safe method."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - SAFE_METHODS)
    ]


def test_there_are_state_changing_routes_to_check(demo_app: Flask) -> None:
    """The walk below covers the routes we know change state."""
    endpoints = {rule.endpoint for rule, _ in state_changing_rules(demo_app)}
    assert {
        "bookmarks.create",
        "bookmarks.delete",
        "accounts.logout",
        "editor.new_story",
        "editor.delete_story",
        "editor.set_role",
        "editor.preview",
    } <= endpoints


def test_no_csrf_token_is_a_400_signed_in_or_not(demo_app: Flask, auth: Auth, member: str) -> None:
    """Without a token every state change is refused with 400, anonymous or signed in."""
    anonymous = demo_app.test_client()
    auth.sign_in(member)
    for rule, method in state_changing_rules(demo_app):
        for client in (anonymous, auth.client):
            response = client.open(path_for(rule), method=method, data={"next": "/"})
            assert response.status_code == 400, (rule.rule, method)


def test_a_token_in_the_query_string_or_from_another_session_is_refused(
    demo_app: Flask, auth: Auth, member: str
) -> None:
    """A token only in the query string, or minted for another session, is a 400."""
    auth.sign_in(member)
    foreign = Auth(demo_app.test_client()).token()
    own = auth.token("/account")
    for rule, method in state_changing_rules(demo_app):
        path = path_for(rule)
        in_query = auth.client.open(f"{path}?csrf_token={own}", method=method)
        assert in_query.status_code == 400, (rule.rule, method)
        from_elsewhere = auth.client.open(path, method=method, data={"csrf_token": foreign})
        assert from_elsewhere.status_code == 400, (rule.rule, method)
        header = auth.client.open(path, method=method, headers={"X-CSRFToken": foreign})
        assert header.status_code == 400, (rule.rule, method)


def test_anonymous_visitors_are_sent_to_sign_in(demo_client: FlaskClient) -> None:
    """With a valid token but no account, every member action redirects to sign-in."""
    token = Auth(demo_client).token()
    for rule, method in state_changing_rules(demo_client.application):
        if rule.endpoint in OPEN_TO_ANONYMOUS:
            continue
        response = demo_client.open(path_for(rule), method=method, data={"csrf_token": token})
        assert response.status_code in (302, 303), (rule.rule, method)
        assert response.headers["Location"].startswith("/login?next="), (rule.rule, method)
