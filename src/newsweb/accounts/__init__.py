"""Accounts: register, sign in and out, and manage one's own account."""

from newsweb.accounts import reset, verification
from newsweb.accounts.views import blueprint

__all__ = ["blueprint", "reset", "verification"]
