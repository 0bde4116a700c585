"""Password reset: "Forgot password?" emails a link that sets a new password, once.

The link carries a token signed with the app's secret that names the account and a
fingerprint of its current password hash: it expires after PASSWORD_RESET_SECONDS (an
hour), and it dies as soon as the password changes, by this link or any other way, so it
works once. Using it ends every other session of the account.

The request form answers the same whether or not the address has an account, and takes
as long: the message is composed either way and sent only after the answer has gone out.
"""

from __future__ import annotations

import hashlib
import smtplib
from email.message import EmailMessage

from flask import Flask, current_app, flash, redirect, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import Email, InputRequired, Length

from newsweb import mail
from newsweb.accounts.forms import EMAIL_LENGTH
from newsweb.accounts.passwords import MAX_LENGTH, password_problem
from newsweb.accounts.views import GUESS_LIMIT, _failed, blueprint, replace_password
from newsweb.extensions import db, limiter
from newsweb.forms import INVALID, Form
from newsweb.models import User
from newsweb.models.users import normalize_email
from newsweb.web.caching import personal
from newsweb.web.rendering import render

SALT = "newsweb.password-reset"
# Requests per address, whoever sends them: enough for a lost message, too few to flood.
PER_ACCOUNT = "3 per hour"


class ForgotPasswordForm(Form):
    """Ask for a reset link."""

    email = EmailField(
        "Email",
        validators=[
            InputRequired("Enter the email you signed up with."),
            EMAIL_LENGTH,
            Email("That does not look like an email address."),
        ],
    )


class ResetPasswordForm(Form):
    """Choose a new password."""

    password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a password."), Length(max=MAX_LENGTH)],
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    # Changes whenever the password does: the link dies with the password it would replace.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A signed token that lets whoever holds it set `user`'s password, until it changes."""
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def user_for(token: str) -> User | None:
    """The account `token` may reset: None if forged, expired, or its password changed since."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_SECONDS"])
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data["user"])
    if user is None or data.get("password") != _fingerprint(user):
        return None
    return user


def _reset_message(email: str, name: str, token: str) -> EmailMessage:
    link = url_for("accounts.reset_password", token=token, _external=True)
    minutes = current_app.config["PASSWORD_RESET_SECONDS"] // 60
    return mail.compose(
        to=mail.address(email, name),
        subject="Choose a new newsweb password",
        template="password_reset",
        name=name,
        link=link,
        minutes=minutes,
    )


def _requested_address() -> str:
    return normalize_email(request.form.get("email", ""))[:254] or request.remote_addr or ""


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@personal
@limiter.limit(GUESS_LIMIT, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=_requested_address)
def forgot_password() -> Response | tuple[str, int] | str:
    """`/password/forgot`: email a reset link to the address, if it has an account.

    The answer is the same page either way, and as quick: the message is composed for a
    stand-in account when there is none, and sent (or dropped) after the answer is out.
    """
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        status = INVALID if form.is_submitted() else 200
        return render("accounts/forgot.html", form=form, sent_to=None), status
    email = normalize_email(form.email.data)
    user = db.session.scalars(select(User).where(User.email == email)).first()
    stand_in = User(id=0, email=email, display_name="", password_hash="")
    message = _reset_message(email, (user or stand_in).display_name, reset_token(user or stand_in))
    response = Response(
        render("accounts/forgot.html", form=form, sent_to=email), mimetype="text/html"
    )
    if user is not None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _send_quietly(app, message))
    return response


def _send_quietly(app: Flask, message: EmailMessage) -> None:
    """Send once the answer is out (the request is over: in an app context of its own); a
    failure is logged, since the reader was already told to check their mail."""
    with app.app_context():
        try:
            mail.deliver(message)
        except (OSError, smtplib.SMTPException):
            app.logger.exception("could not send the password-reset message")


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
@personal
@limiter.limit(GUESS_LIMIT, methods=["POST"], deduct_when=_failed)
def reset_password(token: str) -> Response | tuple[str, int]:
    """`/password/reset/<token>`: set a new password with an emailed link, then sign in.

    Every other session of the account ends. A used, expired or forged link gets a page
    that says so and offers a new one (400).
    """
    user = user_for(token)
    if user is None:
        return render("accounts/reset_expired.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if problem := password_problem(
            form.password.data, email=user.email, name=user.display_name
        ):
            form.password.errors.append(problem)
        else:
            replace_password(user, form.password.data)
            flash("Your password is changed, and you are signed in.", "success")
            return redirect(url_for("news.index"), code=303)
    status = INVALID if form.is_submitted() else 200
    page = render("accounts/reset.html", form=form, token=token)
    response = Response(page, status=status, mimetype="text/html")
    # The token is in this page's address: never hand it to another site as a referrer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
