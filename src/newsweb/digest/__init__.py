"""The weekly digest: /digest and /digest/<year>-W<week>."""

# Imported for what they add to the blueprint: the opt-in, unsubscribe and `digest send`.
from newsweb.digest import cli, subscriptions  # noqa: F401
from newsweb.digest.views import blueprint

__all__ = ["blueprint"]
