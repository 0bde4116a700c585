"""Atom feeds, the /feeds page, sitemap.xml and robots.txt."""

from newsweb.feeds.views import blueprint

__all__ = ["blueprint"]
