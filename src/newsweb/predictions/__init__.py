"""The prediction ledger: the panel's dated claims and how they turned out."""

from newsweb.predictions.views import blueprint

__all__ = ["blueprint"]
