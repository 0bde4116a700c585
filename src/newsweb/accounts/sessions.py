"""How Flask-Login finds the signed-in user, and where it sends visitors who are not."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from sqlalchemy import bindparam, select
from werkzeug.wrappers import Response

from newsweb.extensions import db, login_manager
from newsweb.models import User
from newsweb.web.navigation import local_path, return_path

REMEMBER_DAYS = 30
# Built once: it runs on every request a member makes.
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def load_user(session_id: str) -> User | None:
    """Return the user a session names, if its token is still current.

    The session holds `<id>:<token>`; signing out or changing the password replaces the
    token, so a replayed copy of older cookies finds no one.
    """
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalars(_USER_BY_ID, {"user_id": int(user_id)}).first()
    if user is None or user.session_token != token:
        return None
    return user


def send_to_sign_in() -> Response:
    """Send an anonymous visitor to sign in, and afterwards back to the page they were on.

    For htmx requests the redirect becomes `HX-Redirect` (see headers.py), so the whole
    page goes to the sign-in form rather than a fragment being swapped in.
    """
    if request.method == "GET":
        back = local_path(request.full_path.rstrip("?")) or "/"
    else:
        back = local_path(request.form.get("next")) or return_path()
    return redirect(url_for("accounts.login", next=back))


def init_app(app: Flask) -> None:
    """Configure Flask-Login for the app."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(send_to_sign_in)
