"""`flask users create` and `flask users set-role`."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Role, User
from tests.conftest import PASSWORD, Auth


def role_of(app: Flask, email: str) -> Role | None:
    """The role of the account with `email`, if it exists."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).first()
        return user.role if user else None


def test_create_reads_the_password_from_stdin(runner: FlaskCliRunner, app: Flask) -> None:
    """`users create --password-stdin --role editor` makes an editor who can sign in."""
    result = runner.invoke(
        args=["users", "create", "Ed@Example.com", "--role", "editor", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert role_of(app, "ed@example.com") == Role.EDITOR
    assert Auth(app.test_client()).sign_in("ed@example.com").status_code == 303


def test_create_prompts_for_the_password(runner: FlaskCliRunner, app: Flask) -> None:
    """Without --password-stdin the command prompts twice, hiding what is typed."""
    result = runner.invoke(
        args=["users", "create", "a@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert role_of(app, "a@example.com") == Role.READER


def test_create_refuses_weak_passwords_and_duplicates(runner: FlaskCliRunner, app: Flask) -> None:
    """The password policy applies here too, and an email can only be used once."""
    weak = runner.invoke(
        args=["users", "create", "w@example.com", "--password-stdin"], input="password\n"
    )
    assert weak.exit_code != 0
    assert "most common" in weak.output
    assert role_of(app, "w@example.com") is None
    runner.invoke(
        args=["users", "create", "d@example.com", "--password-stdin"], input=PASSWORD + "\n"
    )
    again = runner.invoke(
        args=["users", "create", "D@example.com", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert again.exit_code != 0
    assert "already an account" in again.output


def test_set_role(runner: FlaskCliRunner, app: Flask) -> None:
    """`users set-role EMAIL ROLE` changes the role; unknown emails and roles fail."""
    runner.invoke(
        args=["users", "create", "r@example.com", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert runner.invoke(args=["users", "set-role", "R@example.com", "admin"]).exit_code == 0
    assert role_of(app, "r@example.com") == Role.ADMIN
    assert runner.invoke(args=["users", "set-role", "nobody@example.com", "admin"]).exit_code != 0
    assert runner.invoke(args=["users", "set-role", "r@example.com", "emperor"]).exit_code != 0
