"""The floor: a bare Flask app that answers each measured request with newsweb's captured bytes.

gunicorn runs it with newsweb's own gunicorn.conf.py (same workers, keep-alive, logger and
access log), as `benchtool.floor:create_app_from_env()`, reading the captured responses from
the JSON file named by BENCH_FLOOR_RESPONSES. It does no work beyond Flask's routing and a
dictionary lookup, so newsweb's req/s divided by the floor's is the cost of newsweb's own work.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, request

RESPONSES_VARIABLE = "BENCH_FLOOR_RESPONSES"
# Request headers that make newsweb answer one URL differently: the floor tells them apart
# the same way, by whether they are present.
CHOOSING_HEADERS = ("HX-Request", "If-None-Match", "Cookie")
# Headers the server (gunicorn, werkzeug) writes itself: the floor's server writes its own.
SERVER_HEADERS = {"connection", "content-length", "date", "keep-alive", "server"}
SERVER_HEADERS |= {"transfer-encoding"}


@dataclass(frozen=True)
class Captured:
    """One response of newsweb's, as the floor replays it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (the body in base64)."""
        return {
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body": base64.b64encode(self.body).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Captured:
        """The response `to_json` wrote."""
        headers = data["headers"]
        assert isinstance(headers, list)
        return cls(
            status=int(str(data["status"])),
            headers=[(str(name), str(value)) for name, value in headers],
            body=base64.b64decode(str(data["body"])),
        )


def replayable(status: int, headers: list[tuple[str, str]], body: bytes) -> Captured:
    """A response of newsweb's without the headers the serving server writes for itself."""
    kept = [(name, value) for name, value in headers if name.lower() not in SERVER_HEADERS]
    return Captured(status, kept, body)


def variant(target: str, header_names: Iterable[str]) -> str:
    """The key of one measured request: its path and query, and which choosing headers it has."""
    present = {name.lower() for name in header_names}
    flags = "".join("1" if name.lower() in present else "0" for name in CHOOSING_HEADERS)
    return f"{flags} {target}"


def create_app(responses: Mapping[str, Captured]) -> Flask:
    """The floor app: every request answered by the captured response for its variant, or 404."""
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def replay(path: str) -> Response:
        """Any path: the captured bytes, status and headers, exactly."""
        target = request.full_path if request.query_string else request.path
        captured = responses.get(variant(target, request.headers.keys()))
        if captured is None:
            abort(404)
        return Response(captured.body, status=captured.status, headers=captured.headers)

    return app


def save(responses: Mapping[str, Captured], path: Path) -> None:
    """Write the captured responses where `load` (and the floor under gunicorn) reads them."""
    data = {key: captured.to_json() for key, captured in responses.items()}
    path.write_text(json.dumps(data), encoding="utf-8")


def load(path: Path) -> dict[str, Captured]:
    """The captured responses `save` wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: Captured.from_json(value) for key, value in data.items()}


def create_app_from_env() -> Flask:
    """The floor app for gunicorn, serving the responses in the file BENCH_FLOOR_RESPONSES names."""
    return create_app(load(Path(os.environ[RESPONSES_VARIABLE])))
