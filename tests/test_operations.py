"""Running newsweb: health checks, request ids, JSON logs, security-check, gunicorn."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from newsweb import create_app
from newsweb.web.logs import JsonFormatter
from tests.conftest import settings


def test_healthz_checks_the_database(demo_client: FlaskClient) -> None:
    """/healthz answers 200 and JSON when the database answers; it is never cached."""
    response = demo_client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.cache_control.no_store


def test_healthz_reports_an_unreachable_database() -> None:
    """With the database gone, /healthz says 503 instead of pretending."""
    app = create_app(settings("sqlite:////nonexistent-folder/newsweb.sqlite3"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_every_response_has_a_request_id(demo_client: FlaskClient) -> None:
    """Each response names its request id; a sane one from the proxy is kept, junk replaced."""
    generated = demo_client.get("/").headers["X-Request-ID"]
    assert len(generated) == 32
    kept = demo_client.get("/", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept.headers["X-Request-ID"] == "lb-1234abcd"
    junk = demo_client.get("/", headers={"X-Request-ID": "<script>"})
    assert junk.headers["X-Request-ID"] != "<script>"


def test_logs_are_json_lines_with_the_request_id(demo_app: Flask) -> None:
    """A log record made during a request becomes one JSON object naming the request."""
    with demo_app.test_request_context("/tools", headers={"X-Request-ID": "req-12345678"}):
        demo_app.preprocess_request()
        record = logging.LogRecord(
            "newsweb", logging.WARNING, __file__, 1, "slow query", None, None
        )
        line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "slow query"
    assert entry["level"] == "warning"
    assert entry["request_id"] == "req-12345678"
    assert entry["path"] == "/tools"
    assert "\n" not in line


@pytest.mark.parametrize(
    ("settings", "passes"),
    [
        ({}, False),
        (
            {"SECRET_KEY": "k" * 64, "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True},
            False,
        ),
        (
            {
                "SECRET_KEY": "Zq3vX9-pL2m_Rt8sK1wYb4NcE7uHgD5aF0jT6oQ",
                "SESSION_COOKIE_SECURE": True,
                "REMEMBER_COOKIE_SECURE": True,
            },
            True,
        ),
        (
            {
                "SECRET_KEY": "Zq3vX9-pL2m_Rt8sK1wYb4NcE7uHgD5aF0jT6oQ",
                "SESSION_COOKIE_SECURE": False,
                "REMEMBER_COOKIE_SECURE": True,
            },
            False,
        ),
    ],
)
def test_security_check(
    make_app: Callable[..., Flask], settings: dict[str, object], passes: bool
) -> None:
    """`flask security-check` passes only the production profile; defaults and weak keys fail."""
    from newsweb.config import DEVELOPMENT_SECRET_KEY

    app = make_app(TESTING=False, **({"SECRET_KEY": DEVELOPMENT_SECRET_KEY} | settings))
    result = app.test_cli_runner().invoke(args=["security-check"])
    assert (result.exit_code == 0) is passes, result.output
    if not passes:
        assert "FAIL" in result.output
