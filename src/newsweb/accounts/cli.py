"""`flask --app newsweb users ...`: create accounts and change roles from the shell."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from newsweb.accounts.passwords import password_problem
from newsweb.extensions import db
from newsweb.models import Role, User
from newsweb.models.users import normalize_email

users = AppGroup("users", help="Create accounts and change their roles.")
ROLE_CHOICE = click.Choice([role.value for role in Role])


def _find(email: str) -> User:
    user = db.session.scalars(select(User).where(User.email == normalize_email(email))).first()
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    return user


@users.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, default=Role.READER.value, show_default=True)
@click.option("--name", "display_name", help="Display name (defaults to the email's first part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create an account with EMAIL, prompting for its password."""
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise click.ClickException(f"{email!r} is not an email address.")
    if db.session.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise click.ClickException(f"There is already an account with the email {email}.")
    # On SQLite a command's transaction holds the write lock from its first query: end it
    # before waiting on a person or a slow KDF, so no worker's writes queue behind them.
    db.session.rollback()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = (display_name or email.split("@", 1)[0]).strip()[:80]
    if problem := password_problem(password, email=email, name=name):
        raise click.ClickException(problem)
    user = User(email=email, display_name=name, role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {email} ({role}).")


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def set_role_command(email: str, role: str) -> None:
    """Give the account with EMAIL a new ROLE (reader, editor or admin)."""
    user = _find(email)
    user.role = Role(role)
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")
