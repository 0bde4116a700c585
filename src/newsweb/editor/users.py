"""Routes for admins to see users and change their roles."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from newsweb.editor.blueprint import blueprint, require_admin
from newsweb.editor.forms import RoleForm
from newsweb.extensions import db
from newsweb.models import Role, User
from newsweb.web.rendering import render

INVALID = 422
USERS_SHOWN = 500


@blueprint.get("/users")
def users() -> str:
    """`/editor/users` (admins): everyone with an account, staff first, and their roles."""
    require_admin()
    staff_first = (User.role == Role.READER, User.email)
    people = list(db.session.scalars(select(User).order_by(*staff_first).limit(USERS_SHOWN)))
    return render(
        "editor/users.html",
        people=people,
        forms={u.id: RoleForm(role=u.role.value) for u in people},
    )


@blueprint.post("/users/<id:user_id>/role")
def set_role(user_id: int) -> Response | tuple[str, int]:
    """`POST /editor/users/<id>/role` (admins): change a user's role; the last admin stays."""
    require_admin()
    person = db.session.get(User, user_id)
    if person is None:
        abort(404, description="There is no user with that number.")
    form = RoleForm()
    if not form.validate():
        flash("Pick reader, editor or admin.", "error")
        return redirect(url_for("editor.users"), code=303)
    new_role = Role(form.role.data)
    admins = db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) or 0
    if person.role == Role.ADMIN and new_role != Role.ADMIN and admins <= 1:
        flash(f"{person.email} is the last admin; make someone else admin first.", "error")
        return redirect(url_for("editor.users"), code=303)
    person.role = new_role
    db.session.commit()
    flash(f"{person.email} is now {new_role.value}.", "success")
    return redirect(url_for("editor.users"), code=303)
