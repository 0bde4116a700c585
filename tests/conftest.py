"""Fixtures: a fresh app and database per test (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from newsweb import create_app
from newsweb.demo.cli import load_demo, read_content
from newsweb.extensions import db
from newsweb.models import Role, User

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_POSTGRES = "TEST_DATABASE_URL is not set: the PostgreSQL run of this test is skipped"


def settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PAGE_SIZE": 5,
        **overrides,
    }


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL database migrated to head once per run; tests empty it after use."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    url = make_url(POSTGRES_URL)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    rendered = url.render_as_string(hide_password=False)
    app = create_app(settings(rendered))
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return rendered


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database for one test."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'newsweb-test.sqlite3'}"


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on this test's database; the schema exists, the tables are empty."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app(settings(database_url, **overrides))
        if not apps and database_url.startswith("sqlite"):
            with app.app_context():
                db.create_all()
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            if app is apps[0] and db.engine.dialect.name == "postgresql":
                tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                with db.engine.begin() as connection:
                    connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """An app with an empty newsroom."""
    return make_app()


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """An app with the demo newsroom loaded."""
    with app.app_context():
        load_demo(read_content())
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    """A test client for the demo newsroom."""
    return demo_app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's `flask` commands."""
    return app.test_cli_runner()


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement the app runs inside the block.

    Transaction control (SQLite's explicit BEGIN) is left out: PostgreSQL's driver
    begins implicitly, and the counts must mean the same on both.
    """
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):
            statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def htmx(**extra: str) -> dict[str, str]:
    """Headers htmx sends with a swap request."""
    return {"HX-Request": "true", **extra}


PASSWORD = "correct horse battery staple"


def create_user(app: Flask, email: str, *, role: str = "reader", name: str = "Member") -> int:
    """Add an account with the test password; returns its id."""
    with app.app_context():
        user = User(email=email, display_name=name, role=Role(role))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return int(user.id)


def csrf_token_in(html: str) -> str:
    """The CSRF token a page carries (in a form field or the body's hx-headers)."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self, path: str = "/login") -> str:
        """A CSRF token for this client's session, read from `path`."""
        return csrf_token_in(self.client.get(path).get_data(as_text=True))

    def sign_in(self, email: str, password: str = PASSWORD, **fields: str) -> Any:
        """Post the sign-in form; returns the response."""
        data = {"csrf_token": self.token(), "email": email, "password": password, **fields}
        return self.client.post("/login", data=data)

    def sign_out(self) -> Any:
        """Post the sign-out form; returns the response."""
        return self.client.post("/logout", data={"csrf_token": self.token("/account")})


@pytest.fixture
def auth(demo_client: FlaskClient) -> Auth:
    """Sign-in helper for `demo_client`."""
    return Auth(demo_client)


@pytest.fixture
def member(demo_app: Flask) -> str:
    """The email of a reader account in the demo newsroom."""
    create_user(demo_app, "member@example.com", name="Mia Member")
    return "member@example.com"
