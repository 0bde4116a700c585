"""Two tools side by side: /compare/<tool-a>-vs-<tool-b>."""

from newsweb.compare.views import blueprint

__all__ = ["blueprint"]
