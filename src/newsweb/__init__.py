"""newsweb: an AI-industry news site where every story comes with a panel of critics."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from newsweb import config, mail, newsroom_time
from newsweb.extensions import csrf, db, limiter, migrate
from newsweb.paging import RowIdConverter
from newsweb.web.hosts import PinnedSiteUrl


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, the request pipeline and commands.

    `test_config` replaces settings read from the environment (tests pass their own).
    Nothing happens at import time; every app is independent of the others.
    """
    app = Flask(
        __name__,
        template_folder=str(config.TEMPLATE_DIR),
        static_folder=str(config.STATIC_DIR),
        instance_path=str(config.DEFAULT_INSTANCE_DIR),
    )
    app.url_map.converters["id"] = RowIdConverter
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.settings_from_environment(Path(app.instance_path)))
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    mail.check_settings(app)
    newsroom_time.check_settings(app)

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(config.MIGRATIONS_DIR), render_as_batch=True)
    with app.app_context():
        from newsweb.database import configure_engine

        configure_engine(db.engine)

    from newsweb import (
        accounts,
        api,
        bookmarks,
        compare,
        digest,
        editor,
        feeds,
        health,
        news,
        panel,
        predictions,
        search,
        tools,
        web,
    )
    from newsweb.accounts import cli as users_cli
    from newsweb.accounts import sessions
    from newsweb.demo import cli as demo_cli
    from newsweb.security_check import security_check_command

    sections = (news, tools, panel, predictions, compare, search, digest, feeds, api)
    for section in (*sections, bookmarks, accounts, editor, health):
        app.register_blueprint(section.blueprint)
    sessions.init_app(app)
    web.init_app(app)
    if site_url := app.config["SITE_URL"]:
        # Inside ProxyFix, so that not even a trusted proxy's X-Forwarded-Host can move it.
        app.wsgi_app = PinnedSiteUrl(app.wsgi_app, site_url)  # type: ignore[method-assign]
    if proxies := app.config["TRUSTED_PROXIES"]:
        # Only that many proxies' X-Forwarded-* headers count; a client's own are ignored.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    app.cli.add_command(demo_cli.demo)
    app.cli.add_command(users_cli.users)
    app.cli.add_command(security_check_command)
    return app
