"""`flask --app newsweb security-check`: refuse to call a production setup safe when it is not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from newsweb.config import DEVELOPMENT_SECRET_KEY

MIN_SECRET_LENGTH = 32


def problems(app: Flask) -> Iterator[tuple[bool, str]]:
    """Each check as (passed, what it checks); a failure names the setting to change."""
    config = app.config
    secret = str(config.get("SECRET_KEY") or "")
    yield not app.debug, "debug mode is off (unset FLASK_DEBUG)"
    yield not app.testing, "testing mode is off"
    yield secret != DEVELOPMENT_SECRET_KEY, "SECRET_KEY is not the development default"
    yield (
        len(secret) >= MIN_SECRET_LENGTH and len(set(secret)) >= 12,
        f"SECRET_KEY is long and random (at least {MIN_SECRET_LENGTH} characters)",
    )
    yield bool(config.get("SESSION_COOKIE_SECURE")), "session cookie is Secure (NEWSWEB_HTTPS=1)"
    yield (
        bool(config.get("REMEMBER_COOKIE_SECURE")),
        "remember-me cookie is Secure (NEWSWEB_HTTPS=1)",
    )
    yield bool(config.get("SESSION_COOKIE_HTTPONLY")), "session cookie is HttpOnly"
    yield bool(config.get("REMEMBER_COOKIE_HTTPONLY")), "remember-me cookie is HttpOnly"
    yield (
        config.get("SESSION_COOKIE_SAMESITE") in ("Lax", "Strict"),
        "session cookie is SameSite=Lax or Strict",
    )
    yield (
        config.get("REMEMBER_COOKIE_DURATION", timedelta(days=365)) <= timedelta(days=30),
        "remember-me lasts at most 30 days",
    )
    yield config.get("WTF_CSRF_ENABLED", True) is not False, "CSRF protection is on"
    yield bool(config.get("MAX_CONTENT_LENGTH")), "request bodies have a size limit"


def advice(app: Flask) -> Iterator[str]:
    """Settings that are safe but worth a second look in production."""
    if app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory"):
        yield "REDIS_URL is unset: sign-in throttling is per worker, not shared"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        yield "DATABASE_URL is unset: the embedded SQLite database serves one machine only"


@click.command("security-check")
@with_appcontext
def security_check_command() -> None:
    """Check the production settings; exit non-zero if any is unsafe."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    failed = 0
    for passed, description in problems(app):
        click.echo(f"{'ok  ' if passed else 'FAIL'} {description}")
        failed += not passed
    for note in advice(app):
        click.echo(f"note {note}")
    if failed:
        raise click.ClickException(f"{failed} unsafe setting(s); see FAIL above.")
    click.echo("All production settings are safe.")
