"""Routes for admins to see users and change their roles."""

from __future__ import annotations

from flask import flash, redirect, url_for
from werkzeug.wrappers import Response

from newsweb.editor import queries
from newsweb.editor.blueprint import blueprint, require_admin
from newsweb.editor.forms import RoleForm
from newsweb.editor.responses import found, saved
from newsweb.web.rendering import render

USERS_SHOWN = 500


@blueprint.get("/users")
def users() -> str:
    """`/editor/users` (admins): everyone with an account, staff first, and their roles."""
    require_admin()
    people = queries.people_staff_first(USERS_SHOWN)
    return render("editor/users.html", people=people, forms={u.id: RoleForm(obj=u) for u in people})


@blueprint.post("/users/<id:user_id>/role")
def set_role(user_id: int) -> Response:
    """`POST /editor/users/<id>/role` (admins): change a user's role; the last admin stays."""
    require_admin()
    person = found(queries.user_by_id(user_id), "There is no user with that number.")
    form = RoleForm(obj=person)
    if not form.validate():
        flash(" ".join(form.role.errors), "error")
        return redirect(url_for("editor.users"), code=303)
    form.populate_obj(person)
    return saved(f"{person.email} is now {person.role.value}.", url_for("editor.users"))
