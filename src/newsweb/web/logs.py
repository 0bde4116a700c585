"""Structured logs: one JSON object per line, each tagged with the request's id."""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from gunicorn.glogging import Logger as GunicornBaseLogger

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from a proxy is kept only if it looks like one.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """Format log records as JSON lines with time, level, logger, message and request id."""

    def format(self, record: logging.LogRecord) -> str:
        """Render one record as a JSON object on a single line."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := getattr(record, "request_id", None) or current_request_id():
            entry["request_id"] = request_id
        if has_request_context():
            entry["method"], entry["path"] = request.method, request.path
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class GunicornLogger(GunicornBaseLogger):  # type: ignore[misc]
    """gunicorn's logger, writing access and error lines as JSON objects."""

    def setup(self, cfg: Any) -> None:
        """Set up gunicorn's handlers, then give them the JSON formatter."""
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """Log one request: method, path, status, size, duration and request id."""
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        headers = {name.lower(): value for name, value in resp.headers}
        fields = {
            "remote": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        request_id = headers.get(REQUEST_ID_HEADER.lower())
        self.access_log.info("request", extra={"fields": fields, "request_id": request_id})


def request_id_from(offered: str) -> str:
    """The id of a request whose proxy offered `offered`: kept if it looks sane, else a new one."""
    return offered if _VALID_REQUEST_ID.match(offered) else uuid.uuid4().hex


def assign_request_id() -> None:
    """Take the proxy's request id if it looks sane, else make one."""
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))


def echo_request_id(response: Response) -> Response:
    """Return the request id to the client (and to gunicorn's access log)."""
    if request_id := current_request_id():
        response.headers[REQUEST_ID_HEADER] = request_id
    return response


def configure(app: Flask) -> None:
    """Write the app's own log as JSON lines (tests keep Flask's plain handler)."""
    if not app.testing:
        from flask.logging import default_handler

        default_handler.setFormatter(JsonFormatter())
        app.logger.setLevel(logging.INFO)
