"""The masthead's account menu as a personal part of shared pages (web/personal.py).

"Sign in · Join" for readers, the member's name and "Sign out" for members (and the
newsroom for editors): rendered again for each member on a stored shared page.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask.blueprints import BlueprintSetupState
from markupsafe import Markup

from newsweb.web import personal
from newsweb.web.personal import Args, PartKind


def render(_args: Args, _state: object) -> Markup:
    """The menu for the reader asking (Flask-Login has already found who that is)."""
    return personal.macro("accounts/_menu.html", "account_menu")()


def states(parts: Sequence[Args]) -> list[None]:
    """The menu needs nothing beyond the signed-in user."""
    return [None] * len(parts)


def register(state: BlueprintSetupState) -> None:
    """Make the menu a personal part of the app the blueprint joins."""
    personal.register(state.app, "account", PartKind(render, states))
