"""Members' bookmarks of tools and stories."""

from newsweb.bookmarks.views import blueprint

__all__ = ["blueprint"]
