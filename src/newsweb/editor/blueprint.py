"""The editor blueprint and the check every one of its routes passes first."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

from newsweb.extensions import login_manager

blueprint = Blueprint("editor", __name__, url_prefix="/editor")


@blueprint.before_request
def require_editor() -> Response | None:
    """Send anonymous visitors to sign in, and refuse readers with 403, on every route.

    The role is read from the database on each request, so a demotion takes effect on
    the demoted editor's very next request.
    """
    if not current_user.is_authenticated:
        response: Response = login_manager.unauthorized()
        return response
    if not current_user.is_editor:
        abort(403, description="The newsroom is for editors. Ask an admin if you need access.")
    return None


def require_admin() -> None:
    """Refuse anyone but admins (editors included) with 403."""
    if not current_user.is_admin:
        abort(403, description="Only admins can change people's roles.")
