"""The panel of critics and each persona's page."""

from newsweb.panel.views import blueprint

__all__ = ["blueprint"]
