"""The weekly digest: /digest and /digest/<year>-W<week>."""

from newsweb.digest.views import blueprint

__all__ = ["blueprint"]
