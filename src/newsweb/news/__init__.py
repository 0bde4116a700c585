"""The front page and story pages."""

from newsweb.news.views import blueprint

__all__ = ["blueprint"]
