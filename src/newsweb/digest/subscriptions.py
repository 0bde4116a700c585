"""Who gets the weekly digest by email: the member's opt-in, and the one-click unsubscribe.

The opt-in form on /digest is a personal part (web/personal.py), kind "digest_optin": the
page a member sees is the anonymous page with that part rendered for them, so the page
itself never reads who is asking. The unsubscribe link in every digest message works
without signing in (RFC 8058): a GET shows a button, and only the POST it sends, or a mail
client's own one-click POST, unsubscribes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField
from wtforms.validators import Length

from newsweb.access import login_required, signed_in_user
from newsweb.digest.views import blueprint
from newsweb.extensions import csrf, db
from newsweb.forms import Form
from newsweb.models import User
from newsweb.web import personal
from newsweb.web.caching import uncached
from newsweb.web.navigation import local_path
from newsweb.web.personal import Args, PartKind
from newsweb.web.rendering import render, wants_fragment

UNSUBSCRIBE_SALT = "newsweb.digest-unsubscribe"
OPTIN_TEMPLATE = "digest/_optin.html"


@dataclass(frozen=True)
class OptIn:
    """A member's digest settings, as the opt-in form shows them."""

    subscribed: bool
    verified: bool


class SubscriptionForm(Form):
    """Say whether to email the digest: checked (`subscribed=y`) or not (field left out)."""

    subscribed = BooleanField("Email me the weekly digest")
    next = HiddenField(validators=[Length(max=2000)])


def reader_opt_in() -> OptIn | None:
    """The signed-in member's digest settings; None for an anonymous reader."""
    if not current_user.is_authenticated:
        return None
    return OptIn(bool(current_user.digest_subscribed), current_user.email_verified_at is not None)


def render_part(args: Args, state: object) -> Markup:
    """The opt-in form (or, for anonymous readers, a sign-in link) for the reader asking."""
    # A full render passes no state: the reader's is looked up here, as `states` would.
    form = personal.macro(OPTIN_TEMPLATE, "optin_form")
    return form(state if isinstance(state, OptIn) else reader_opt_in(), args["back"])


def part_states(parts: Sequence[Args]) -> list[OptIn | None]:
    """The reader's settings for each opt-in part on a page (no query: the member is loaded)."""
    state = reader_opt_in()
    return [state for _ in parts]


def register_part(state: BlueprintSetupState) -> None:
    """Make the opt-in form a personal part of the app the blueprint joins."""
    personal.register(state.app, "digest_optin", PartKind(render_part, part_states))


blueprint.record_once(register_part)


@blueprint.post("/subscription")
@login_required
def subscription() -> Response | tuple[str, int] | str:
    """`POST /digest/subscription`: start or stop emailing the member the weekly digest.

    Sets the state the form names (never a toggle), so a repeated POST changes nothing.
    An htmx request gets the opt-in form back; any other goes back to `next`.
    """
    form = SubscriptionForm()
    back = local_path(form.next.data) or url_for("digest.index")
    if not form.validate():
        abort(400, description="That form could not be read. Go back, reload, and try again.")
    user = signed_in_user()
    user.digest_subscribed = bool(form.subscribed.data)
    db.session.commit()
    if wants_fragment():
        return str(render_part({"back": back}, reader_opt_in()))
    if user.digest_subscribed and user.email_verified_at is None:
        flash("Saved. We will email you the digest once your address is verified.", "success")
    elif user.digest_subscribed:
        flash("Saved. We will email you the digest every week.", "success")
    else:
        flash("Saved. We will not email you the digest.", "success")
    return redirect(back, code=303)


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int) -> str:
    """A signed token that unsubscribes member `user_id`.

    It never expires: the link in an old message must keep working.
    """
    return _unsubscribe_serializer().dumps({"user": user_id})


def _subscriber_for(token: str) -> User:
    """The member a token names, or a 400 page."""
    try:
        claims = _unsubscribe_serializer().loads(token)
    except BadSignature:
        claims = None
    user_id = claims.get("user") if isinstance(claims, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        abort(
            400,
            description="This unsubscribe link is not one we sent, or its account is gone. "
            "Copy the whole link from the message, or sign in and untick the digest on your "
            "account page.",
        )
    return user


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # Flask-WTF is untyped
@uncached
def unsubscribe(token: str) -> tuple[str, int]:
    """`/digest/unsubscribe/<token>`: stop the digest for the member the token names.

    POST (the button, or a mail client's RFC 8058 one-click POST, which can carry neither
    a session nor a CSRF token) unsubscribes; GET only shows the button, so link scanners
    that open every link unsubscribe no one.
    """
    user = _subscriber_for(token)
    if request.method == "POST":
        user.digest_subscribed = False
        db.session.commit()
        return render("digest/unsubscribe.html", done=True, token=token), 200
    return render(
        "digest/unsubscribe.html", done=False, subscribed=user.digest_subscribed, token=token
    ), 200
