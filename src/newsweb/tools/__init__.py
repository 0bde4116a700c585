"""The tool directory and each tool's page."""

from newsweb.tools.views import blueprint

__all__ = ["blueprint"]
