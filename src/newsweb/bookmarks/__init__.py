"""Members' bookmarks of tools and stories."""

from newsweb.bookmarks import alerts
from newsweb.bookmarks.views import blueprint

__all__ = ["alerts", "blueprint"]
