"""Sign-up, sign-in and account forms."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from newsweb.accounts.passwords import MAX_LENGTH, password_matches, password_problem
from newsweb.extensions import db
from newsweb.forms import Form
from newsweb.models import User
from newsweb.models.users import normalize_email

EMAIL_LENGTH = Length(max=254, message="Emails are at most 254 characters.")
NAME_LENGTH = Length(max=80, message="Use at most 80 characters.")


class ReturnFields:
    """Where to go after the form, and a bookmark to save once signed in (`tools/<slug>`)."""

    next = HiddenField()
    bookmark = HiddenField(validators=[Length(max=300)])


class LoginForm(ReturnFields, Form):
    """Sign in with email and password."""

    email = EmailField("Email", validators=[InputRequired("Enter your email."), EMAIL_LENGTH])
    password = PasswordField(
        "Password", validators=[InputRequired("Enter your password."), Length(max=MAX_LENGTH)]
    )
    remember = BooleanField("Remember me for 30 days")


class RegisterForm(ReturnFields, Form):
    """Create a reader account."""

    email = EmailField(
        "Email",
        validators=[
            InputRequired("Enter your email."),
            EMAIL_LENGTH,
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )
    display_name = StringField(
        "Display name", validators=[InputRequired("Tell us what to call you."), NAME_LENGTH]
    )
    password = PasswordField("Password", validators=[InputRequired("Choose a password.")])

    def validate_email(self, field: Any) -> None:
        """Refuse an email that already has an account (emails ignore case)."""
        email = normalize_email(field.data or "")
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise ValidationError("There is already an account with this email. Sign in instead.")

    def validate_password(self, field: Any) -> None:
        """Apply the password policy."""
        problem = password_problem(
            field.data or "", email=self.email.data or "", name=self.display_name.data or ""
        )
        if problem:
            raise ValidationError(problem)


class NameForm(Form):
    """Change one's display name."""

    display_name = StringField(
        "Display name", validators=[InputRequired("Tell us what to call you."), NAME_LENGTH]
    )


class PasswordForm(Form):
    """Change one's password, proving the current one."""

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=MAX_LENGTH)],
    )
    new_password = PasswordField("New password", validators=[InputRequired("Choose a password.")])


class DeleteAccountForm(Form):
    """Delete one's account and bookmarks, confirming with the password."""

    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm."), Length(max=MAX_LENGTH)],
    )


class EmailChangeForm(Form):
    """Change one's email address, proving the password."""

    email = EmailField(
        "New email",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired("Enter the new address."),
            EMAIL_LENGTH,
            Email("That does not look like an email address.", check_deliverability=False),
        ],
    )
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm."), Length(max=MAX_LENGTH)],
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        """A form for `user`, whose current address and password it checks against."""
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field: Any) -> None:
        """Refuse the current address, and one another account has (emails ignore case)."""
        email = normalize_email(field.data or "")
        if email == self.user.email:
            raise ValidationError("That is already your address.")
        if db.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise ValidationError("Another account uses this address.")

    def validate_password(self, field: Any) -> None:
        """Refuse a wrong password."""
        if not password_matches(self.user, field.data or ""):
            raise ValidationError("That is not your password.")


class ResendVerificationForm(Form):
    """Ask for the verification link again (a CSRF token and nothing else)."""
