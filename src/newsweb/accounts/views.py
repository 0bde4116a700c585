"""Routes to register, sign in, sign out and manage one's account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from newsweb.access import login_required, signed_in_user
from newsweb.accounts import menu
from newsweb.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    NameForm,
    PasswordForm,
    RegisterForm,
    ResendVerificationForm,
)
from newsweb.accounts.passwords import password_matches, password_problem
from newsweb.bookmarks.queries import KINDS, add_bookmark, find_item
from newsweb.extensions import db, limiter
from newsweb.forms import INVALID
from newsweb.models import User
from newsweb.models.users import normalize_email
from newsweb.web.caching import personal
from newsweb.web.navigation import local_path
from newsweb.web.rendering import render

blueprint = Blueprint("accounts", __name__)
blueprint.record_once(menu.register)

# Every check of a password (sign-in, change, deletion, reset, change of address) is limited
# to this many per client.
GUESS_LIMIT = "5 per minute;20 per hour"
# Answered for a wrong password and an unknown email alike, so neither gives anything away.
SIGN_IN_FAILED = "That email and password do not match an account."
# Validation errors answer 422 with the form and everything typed (see README).


def _failed(response: Response) -> bool:
    """Only failed sign-ins count against the client's allowance."""
    return response.status_code == INVALID


def _start_session(user: User, *, remember: bool = False) -> None:
    """Sign `user` in on a fresh session (nothing from before sign-in carries over)."""
    session.clear()
    login_user(user, remember=remember)


def replace_password(user: User, password: str) -> None:
    """Store `user`'s new password, sign out every other session, and keep this one."""
    user.set_password(password)
    user.end_sessions()
    db.session.commit()
    _start_session(user)


def _finish(form: LoginForm | RegisterForm, user: User) -> Response:
    """Save the bookmark a reader asked for before signing in, then go where they were."""
    kind, _, slug = (form.bookmark.data or "").partition("/")
    if kind in KINDS and slug and (item := find_item(kind, slug)) is not None:
        add_bookmark(user, kind, item)
    return redirect(local_path(form.next.data) or url_for("news.index"), code=303)


@blueprint.route("/register", methods=["GET", "POST"])
@personal
@limiter.limit("10 per hour", methods=["POST"])
def register() -> Response | tuple[str, int] | str:
    """`/register`: create a reader account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("news.index"))
    form = RegisterForm(next=request.args.get("next"), bookmark=request.args.get("bookmark"))
    if not form.validate_on_submit():
        return render("accounts/register.html", form=form), (
            INVALID if form.is_submitted() else 200
        )
    user = User(email=normalize_email(form.email.data), display_name=form.display_name.data.strip())
    user.set_password(form.password.data)
    db.session.add(user)
    db.session.commit()
    _start_session(user)
    # Imported here: the verification routes join this module's blueprint.
    from newsweb.accounts.verification import send_verification

    if send_verification(user):
        flash(
            "Welcome to newsweb. Your account is ready. "
            f"We sent a link to {user.email} to verify your address.",
            "success",
        )
    else:
        flash("Welcome to newsweb. Your account is ready.", "success")
    return _finish(form, user)


@blueprint.route("/login", methods=["GET", "POST"])
@personal
@limiter.limit(GUESS_LIMIT, methods=["POST"], deduct_when=_failed)
def login() -> Response | tuple[str, int] | str:
    """`/login`: sign in with email and password; failed attempts are throttled per address."""
    form = LoginForm(next=request.args.get("next"), bookmark=request.args.get("bookmark"))
    if current_user.is_authenticated and not form.is_submitted():
        return redirect(local_path(form.next.data) or url_for("news.index"))
    if not form.validate_on_submit():
        return render("accounts/login.html", form=form), (INVALID if form.is_submitted() else 200)
    email = normalize_email(form.email.data)
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if not password_matches(user, form.password.data):
        form.form_errors.append(SIGN_IN_FAILED)
        return render("accounts/login.html", form=form), INVALID
    assert user is not None  # password_matches is False without one
    _start_session(user, remember=form.remember.data)
    return _finish(form, user)


@blueprint.post("/logout")
@login_required
def logout() -> Response:
    """`POST /logout`: sign out, and make every copy of this session's cookies worthless."""
    signed_in_user().end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("news.index"), code=303)


def _account_page(
    name_form: NameForm | None = None,
    password_form: PasswordForm | None = None,
    delete_form: DeleteAccountForm | None = None,
    email_form: EmailChangeForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The account page with these forms (a fresh one for each not given), and `status`."""
    user = signed_in_user()
    return (
        render(
            "accounts/account.html",
            name_form=name_form or NameForm(display_name=user.display_name),
            password_form=password_form or PasswordForm(),
            delete_form=delete_form or DeleteAccountForm(),
            email_form=email_form or EmailChangeForm(user, formdata=None),
            resend_form=ResendVerificationForm(formdata=None),
            email_verified=user.email_verified,
            digest_subscribed=user.digest_subscribed,
        ),
        status,
    )


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response | tuple[str, int]:
    """`/account`: the account page; POST changes the display name."""
    form = NameForm()
    if not form.is_submitted():
        return _account_page()
    if not form.validate():
        return _account_page(name_form=form, status=INVALID)
    signed_in_user().display_name = form.display_name.data.strip()
    db.session.commit()
    flash("Your display name is saved.", "success")
    return redirect(url_for("accounts.account"), code=303)


@blueprint.post("/account/password")
@login_required
@limiter.limit(GUESS_LIMIT, deduct_when=_failed)
def change_password() -> Response | tuple[str, int]:
    """`POST /account/password`: change the password; every other session ends."""
    form = PasswordForm()
    if form.validate():
        user = signed_in_user()
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        elif problem := password_problem(
            form.new_password.data, email=user.email, name=user.display_name
        ):
            form.new_password.errors.append(problem)
        else:
            replace_password(user, form.new_password.data)
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("accounts.account"), code=303)
    return _account_page(password_form=form, status=INVALID)


@blueprint.post("/account/delete")
@login_required
@limiter.limit(GUESS_LIMIT, deduct_when=_failed)
def delete_account() -> Response | tuple[str, int]:
    """`POST /account/delete`: delete the account and its bookmarks, after the password."""
    form = DeleteAccountForm()
    if form.validate():
        user = signed_in_user()
        if user.check_password(form.password.data):
            logout_user()
            db.session.delete(user)
            db.session.commit()
            session.clear()
            flash("Your account and bookmarks are deleted.", "success")
            return redirect(url_for("news.index"), code=303)
        form.password.errors.append("That is not your password.")
    return _account_page(delete_form=form, status=INVALID)
