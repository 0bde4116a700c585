"""Full-text search over stories, takes and tools: /search?q=."""

from newsweb.search.views import blueprint

__all__ = ["blueprint"]
