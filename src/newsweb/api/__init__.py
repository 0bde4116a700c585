"""The read-only JSON API under /api/v1/: stories, tools, personas and its OpenAPI document."""

from newsweb.api.views import blueprint

__all__ = ["blueprint"]
