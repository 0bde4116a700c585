"""`/healthz`: whether this worker can reach its database, for load balancers and monitors."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from newsweb.extensions import db
from newsweb.web.caching import uncached

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
@uncached
def healthz() -> tuple[Response, int]:
    """`/healthz`: 200 with `{"status": "ok"}` when the database answers, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: the database did not answer")
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
