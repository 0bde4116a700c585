"""Fixtures: a fresh app and database per test (SQLite, and PostgreSQL when configured).

Databases are copies of templates built once per test process (see tests/databases.py):
a test that asks for `demo_app` (or `demo_newsroom`) starts with the demo newsroom,
any other with empty tables.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from newsweb import create_app
from newsweb.extensions import db
from newsweb.models import Role, User
from tests.databases import PostgresDatabase, SqliteTemplates
from tests.mailsink import SinkServer

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_POSTGRES = "TEST_DATABASE_URL is not set: the PostgreSQL run of this test is skipped"
# CI (.ci/run) sets it: every test must then run, whatever it needs (Chromium, Java,
# PostgreSQL, Redis); a skip, for any reason, fails the run.
REQUIRE_EVERYTHING = os.environ.get("NEWSWEB_REQUIRE_BROWSER") == "1"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Where everything is required, turn a run with skipped tests into a failed one."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not REQUIRE_EVERYTHING or exitstatus != pytest.ExitCode.OK:
        return
    if skipped := reporter.stats.get("skipped", []):
        reasons = sorted({str(report.longrepr[-1]) for report in skipped})
        reporter.ensure_newline()
        reporter.write_line(
            f"NEWSWEB_REQUIRE_BROWSER=1: {len(skipped)} tests were skipped, and none may be: "
            + "; ".join(reasons),
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# One round of PBKDF2 instead of scrypt's 0.3 s: tests that are not about passwords should
# not pay for a real hash. The tests that prove production's scrypt set it back.
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"


def settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PAGE_SIZE": 5,
        "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        **overrides,
    }


def build_app(database_url: str) -> Flask:
    """A test app on `database_url` with the default test settings."""
    return create_app(settings(database_url))


class SharedTemplateCode(BytecodeCache):
    """Jinja's compiled templates, shared by every app this test process builds.

    Each test has an app of its own, and each app would parse and compile every template
    it renders again, which costs more than many tests. Jinja keeps a checksum of the
    source with the code, so a template edited since is compiled afresh.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill `bucket` with the code compiled for its template earlier, if any."""
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code just compiled for `bucket`'s template."""
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    """The empty and demo SQLite templates of this test process."""
    return SqliteTemplates(tmp_path_factory.mktemp("templates"), build_app)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabase]:
    """This test process's PostgreSQL database, migrated once (skipped without one)."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    database = PostgresDatabase(POSTGRES_URL, build_app)
    yield database
    database.close()


# Tests marked xdist_group("redis") empty the one test Redis database. pytest-xdist 3.8
# cannot keep such a group on one worker under pytest 9 (it renames a node id attribute
# pytest no longer reads), so the tests take turns instead: each holds this lock, which
# every worker and every other run on the machine shares, from before its fixtures empty
# Redis until after they have emptied it again.
REDIS_LOCK = Path(tempfile.gettempdir()) / "newsweb-tests-redis.lock"


@pytest.fixture(autouse=True)
def one_redis_test_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hold the Redis lock for the whole of a test marked xdist_group("redis")."""
    group = request.node.get_closest_marker("xdist_group")
    if group is None or group.args[:1] != ("redis",):
        yield
        return
    with REDIS_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture
def demo_newsroom() -> None:
    """Ask for this (`demo_app` does) and the test's database starts with the demo newsroom."""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated database for one test: empty, or the demo newsroom when asked."""
    demo = "demo_newsroom" in request.fixturenames
    if request.param == "postgresql":
        postgres: PostgresDatabase = request.getfixturevalue("postgres")
        return postgres.reset(demo=demo)
    templates: SqliteTemplates = request.getfixturevalue("sqlite_templates")
    return templates.copy_to(tmp_path / "newsweb-test.sqlite3", demo=demo)


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps on this test's database (empty, or the demo: see `database_url`).

    Mail goes to this test's own outbox folder unless a test names an SMTP server.
    """
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        overrides.setdefault("MAIL_OUTBOX", str(tmp_path / "outbox"))
        app = create_app(settings(database_url, **overrides))
        app.jinja_env.bytecode_cache = TEMPLATE_CODE
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def smtp_server() -> Iterator[SinkServer]:
    """A real SMTP server (aiosmtpd) for this test; its `sink` holds what it accepted."""
    server = SinkServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp_server: SinkServer, demo_newsroom: None) -> Flask:
    """The demo newsroom sending its mail to `smtp_server`."""
    return make_app(MAIL_URL=smtp_server.url, MAIL_FROM="newsweb <news@newsweb.test>")


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """An app with an empty newsroom."""
    return make_app()


@pytest.fixture
def demo_app(app: Flask, demo_newsroom: None) -> Flask:
    """An app with the demo newsroom loaded (copied from the template, see `database_url`)."""
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
    """The CSRF token a page carries in its forms."""
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
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


def signed_in(app: Flask, email: str, *, role: str, name: str) -> Auth:
    """A new client of `app`, signed in to a new account with `role`."""
    create_user(app, email, role=role, name=name)
    auth = Auth(app.test_client())
    assert auth.sign_in(email).status_code == 303
    return auth


@pytest.fixture
def editor(demo_app: Flask) -> Auth:
    """A client signed in as an editor of the demo newsroom."""
    return signed_in(demo_app, "editor@example.com", role="editor", name="Eddie Editor")


@pytest.fixture
def admin(demo_app: Flask) -> Auth:
    """A client signed in as the demo newsroom's only admin."""
    return signed_in(demo_app, "admin@example.com", role="admin", name="Ada Admin")


@pytest.fixture
def member(demo_app: Flask) -> str:
    """The email of a reader account in the demo newsroom."""
    create_user(demo_app, "member@example.com", name="Mia Member")
    return "member@example.com"
