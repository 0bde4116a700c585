"""Settings read from the environment, and where the project's files live."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout the package sits in src/newsweb and templates/ and static/ are
# at the top of the repository; an installed wheel carries them inside the package.
PROJECT_ROOT = PACKAGE_DIR if (PACKAGE_DIR / "templates").is_dir() else PACKAGE_DIR.parents[1]
TEMPLATE_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "static"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"

# URLs per story sitemap file: the sitemaps.org protocol allows 50,000.
SITEMAP_FILE_URLS = 50_000

# Shipped so that `make run` works out of the box; `security-check` refuses it.
DEVELOPMENT_SECRET_KEY = "newsweb-development-key-not-for-production"  # noqa: S105


def database_url_from(value: str | None, instance_dir: Path) -> str:
    """Return the SQLAlchemy URL for `DATABASE_URL`, defaulting to embedded SQLite.

    Hosting platforms hand out `postgres://` URLs; SQLAlchemy wants the driver named.
    """
    if not value:
        return f"sqlite:///{instance_dir / 'newsweb.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value.removeprefix(prefix)
    return value


def settings_from_environment(instance_dir: Path) -> dict[str, Any]:
    """Collect every setting the app reads from environment variables."""
    env = os.environ
    redis_url = env.get("REDIS_URL", "")
    https = env.get("NEWSWEB_HTTPS", "") == "1"
    return {
        # The production profile: the site is only ever reached over HTTPS.
        "HTTPS": https,
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # How many reverse proxies in front of gunicorn to trust for X-Forwarded-*.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "SECRET_KEY": env.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url_from(env.get("DATABASE_URL"), instance_dir),
        "REDIS_URL": redis_url,
        # Where readers reach the site (`https://news.example`): absolute URLs in pages,
        # feeds and the API use it whatever Host a request names. Empty: the request's host.
        "SITE_URL": env.get("SITE_URL", "").strip(),
        # Flask refuses (400) requests naming any other host; empty: every host is served.
        "TRUSTED_HOSTS": [
            host.strip() for host in env.get("TRUSTED_HOSTS", "").split(",") if host.strip()
        ]
        or None,
        # Limits are shared by every worker and machine when Redis is configured.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "PAGE_SIZE": int(env.get("NEWSWEB_PAGE_SIZE", "10")),
        # Outgoing mail (see mail.py): the SMTP server, else .eml files in MAIL_OUTBOX.
        "MAIL_URL": env.get("MAIL_URL", "").strip(),
        "MAIL_FROM": env.get("MAIL_FROM", "newsweb <news@localhost>").strip(),
        "MAIL_OUTBOX": str(instance_dir / "outbox"),
        # The zone editors schedule stories in (an IANA name); times are stored in UTC.
        "NEWSROOM_TIMEZONE": env.get("NEWSROOM_TIMEZONE", "").strip() or "UTC",
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Flask-WTF: tokens live as long as the session; htmx sends them as X-CSRFToken.
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "newsweb",
    # Anonymous pages may be kept this long by browsers and shared caches.
    "PUBLIC_MAX_AGE": 60,
    "TEMPLATES_AUTO_RELOAD": False,
    # How User.set_password hashes (a werkzeug method name). scrypt is slow on purpose, about
    # 0.3 s a hash, so a leaked users table is costly to crack. Not read from the environment;
    # the test suite alone swaps in a one-round hash, so that only its password tests pay.
    "PASSWORD_HASH_METHOD": "scrypt",
    # URLs per story sitemap file. The sitemap index is fast only at SITEMAP_FILE_URLS, the
    # size its indexes are built for; other values (tests) work, reading every story.
    "SITEMAP_URLS": SITEMAP_FILE_URLS,
    # How long an emailed password-reset link works (it also dies once the password changes).
    "PASSWORD_RESET_SECONDS": 3600,
    # How long a story's preview link works (see editor/sharing.py): a week.
    "SHARE_LINK_SECONDS": 7 * 24 * 3600,
}
