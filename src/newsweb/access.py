"""Who may use a view: typed wrappers over Flask-Login's checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

import flask_login

from newsweb.models import User

P = ParamSpec("P")
R = TypeVar("R")


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Send anonymous visitors to sign in (and back afterwards) instead of running `view`."""
    return cast(Callable[P, R], flask_login.login_required(view))


def signed_in_user() -> User:
    """The signed-in user itself (not Flask-Login's proxy), for views behind login_required."""
    user = flask_login.current_user._get_current_object()
    if not isinstance(user, User):
        raise RuntimeError("signed_in_user() needs a view protected by login_required")
    return user
