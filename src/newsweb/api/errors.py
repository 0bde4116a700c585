"""JSON for everything under /api/v1/: error bodies, and the header that opens it to any site."""

from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from newsweb.api.schemas import Error, ErrorDetail

API_PREFIX = "/api/v1"


def allow_any_origin(response: Response) -> Response:
    """Let scripts on any site read this response.

    The API serves only published content and never depends on who asks, and a wildcard
    origin makes browsers send no cookies with cross-site requests: nothing private can
    leak through it.
    """
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def json_error(error: HTTPException) -> Response:
    """Answer an HTTP error as `{"error": {"status": ..., "message": ...}}` with its status.

    Headers the error carries (`Allow` on a 405, `Retry-After` on a 429) are kept.
    """
    status = error.code or 500
    message = error.description or error.name
    body = Error(error=ErrorDetail(status=status, message=message))
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return allow_any_origin(response)
