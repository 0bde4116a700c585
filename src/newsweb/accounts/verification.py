"""Verified addresses: the emailed link that proves one, sending it again, changing the address.

The link carries a token signed with the app's secret (a salt of its own) that names the
account and the address it verifies. It lasts VERIFY_DAYS days, and it goes stale as soon
as the account's address is no longer the one it names. An account works at once, verified
or not; only mail the member asked for (the weekly digest) waits for a verified address.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from newsweb import mail
from newsweb.access import login_required, signed_in_user
from newsweb.accounts.forms import EmailChangeForm, ResendVerificationForm
from newsweb.accounts.views import GUESS_LIMIT, _account_page, _failed, blueprint
from newsweb.extensions import csrf, db, limiter
from newsweb.forms import INVALID
from newsweb.models import User
from newsweb.models.clock import utcnow
from newsweb.web.caching import uncached
from newsweb.web.rendering import render

SALT = "newsweb.verify-email"
VERIFY_DAYS = 7
# Links asked for again, per client: enough for a lost message, too few to flood an inbox.
RESEND_LIMIT = "5 per hour"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def verification_token(user: User) -> str:
    """A signed token saying that `user` reads mail at their current address."""
    return _serializer().dumps({"user": user.id, "email": user.email})


def verification_message(user: User) -> EmailMessage:
    """The message with the link that verifies `user`'s current address (needs a request)."""
    link = url_for("accounts.verify_email", token=verification_token(user), _external=True)
    return mail.compose(
        to=mail.address(user.email, user.display_name),
        subject="Confirm your email address for newsweb",
        template="verify_email",
        name=user.display_name,
        email=user.email,
        link=link,
        days=VERIFY_DAYS,
    )


def email_changed_message(user: User, old_email: str) -> EmailMessage:
    """The notice to `old_email` that `user`'s account now uses another address."""
    return mail.compose(
        to=mail.address(old_email, user.display_name),
        subject="The email address of your newsweb account was changed",
        template="email_changed",
        name=user.display_name,
        old_email=old_email,
        new_email=user.email,
        account_url=url_for("accounts.account", _external=True),
    )


def send_all(messages: list[EmailMessage]) -> bool:
    """Send `messages` over one connection; False (and logged) if the mail server failed.

    The account change that prompted them stands either way: the member can ask again.
    """
    try:
        with mail.sending() as send:
            for message in messages:
                send(message)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("could not send account mail: %s", error)
        return False
    return True


def send_verification(user: User) -> bool:
    """Email `user` the link that verifies their address; False if it could not be sent."""
    return send_all([verification_message(user)])


def _claims(token: str) -> dict[str, Any]:
    """What a verification token says, or a 400 page explaining what went wrong."""
    try:
        claims = _serializer().loads(token, max_age=VERIFY_DAYS * 24 * 3600)
    except SignatureExpired:
        abort(
            400,
            description="This confirmation link has expired (links last "
            f"{VERIFY_DAYS} days). Sign in and ask for a new one on your account page.",
        )
    except BadSignature:
        abort(
            400,
            description="This confirmation link is not one we sent, or it was cut short. "
            "Copy the whole link from the message, or ask for a new one on your account page.",
        )
    if (
        not isinstance(claims, dict)
        or not isinstance(claims.get("user"), int)
        or not isinstance(claims.get("email"), str)
    ):
        abort(400, description="This confirmation link is not one we sent.")
    return claims


@blueprint.route("/account/verify/<token>", methods=["GET", "POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # the signed token is the authority here
@uncached
def verify_email(token: str) -> str:
    """`/account/verify/<token>`: confirm the address the emailed link names.

    Opening the link (GET) changes nothing, as no GET may: it shows the address and a
    button; the button (POST) marks it verified and says so. Mail scanners that open links
    verify no one. Confirming again changes nothing. A forged or expired link, or one for
    an address the account no longer has, is a 400 page saying what to do. The POST needs
    no CSRF token (nor a session): only the holder of the signed link can send it, and
    all it can do is confirm that link's address. No flash message either: it would set a
    cookie on a page anyone holding the link may open.
    """
    claims = _claims(token)
    user = db.session.get(User, claims["user"])
    if user is None or user.email != claims["email"]:
        abort(
            400,
            description="This confirmation link is for an address that is no longer on the "
            "account. Use the link in the newest message, or ask for a new one on your "
            "account page.",
        )
    already = user.email_verified_at is not None
    if not already and request.method == "POST":
        user.email_verified_at = utcnow()
        db.session.commit()
        return render("accounts/verified.html", email=user.email, already=False, asked=False)
    return render("accounts/verified.html", email=user.email, already=already, asked=not already)


@blueprint.post("/account/verify")
@login_required
@limiter.limit(RESEND_LIMIT)
def resend_verification() -> Response | tuple[str, int]:
    """`POST /account/verify`: email the verification link again (if still unverified)."""
    form = ResendVerificationForm()
    if not form.validate():
        return _account_page(status=INVALID)
    user = signed_in_user()
    if user.email_verified_at is not None:
        flash(f"{user.email} is already verified.", "success")
    elif send_verification(user):
        flash(f"We sent a new link to {user.email}. It works for {VERIFY_DAYS} days.", "success")
    else:
        flash("We could not send the message just now. Please try again later.", "error")
    return redirect(url_for("accounts.account"), code=303)


@blueprint.post("/account/email")
@login_required
@limiter.limit(GUESS_LIMIT, deduct_when=_failed)
def change_email() -> Response | tuple[str, int]:
    """`POST /account/email`: change the address, proving the password.

    The new address is unverified until its link is opened; the old one is told.
    """
    user = signed_in_user()
    form = EmailChangeForm(user)
    if form.validate():
        old_email = user.email
        user.change_email(form.email.data)
        db.session.commit()
        if send_all([verification_message(user), email_changed_message(user, old_email)]):
            flash(
                f"Your address is now {user.email}. Open the link we sent there to verify it.",
                "success",
            )
        else:
            flash(
                f"Your address is now {user.email}, but we could not send the link to verify "
                "it. Ask for it again below.",
                "error",
            )
        return redirect(url_for("accounts.account"), code=303)
    return _account_page(email_form=form, status=INVALID)
