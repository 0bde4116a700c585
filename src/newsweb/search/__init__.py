"""Full-text search over stories, takes and tools: /search?q=, and `flask search optimize`."""

from newsweb.search import cli  # noqa: F401
from newsweb.search.views import blueprint

__all__ = ["blueprint"]
