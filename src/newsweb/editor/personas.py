"""Routes for the newsroom's panel: the personas who give takes and verdicts."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from newsweb.editor import queries, restoring, revisions
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import confirm_then_delete
from newsweb.editor.forms import PersonaForm
from newsweb.editor.responses import (
    form_page,
    found,
    history_page,
    refuse_stale,
    restore_urls,
    restored,
    revision_of,
    saved,
)
from newsweb.lookups import persona_by_slug, personas_in_order
from newsweb.models import Persona
from newsweb.web.rendering import render

NO_PERSONA = "There is no persona with that slug."


@blueprint.get("/personas")
def personas() -> str:
    """`/editor/personas`: the panel in order, with links to edit each."""
    return render("editor/personas.html", personas=personas_in_order())


@blueprint.route("/personas/new", methods=["GET", "POST"], endpoint="new_persona")
@blueprint.route("/personas/<slug>/edit", methods=["GET", "POST"])
def edit_persona(slug: str | None = None) -> Response | tuple[str, int]:
    """`/editor/personas/new` and `/editor/personas/<slug>/edit`: a panelist.

    A new panelist takes the next free seat unless the editor picks another.
    """
    persona = found(persona_by_slug(slug), NO_PERSONA) if slug else None
    form = PersonaForm(obj=persona)
    if not form.validate_on_submit():
        return form_page("editor/persona_form.html", form, persona=persona)
    if stale := refuse_stale("editor/persona_form.html", form, persona, persona=persona):
        return stale
    persona = persona or Persona()
    with revisions.recorded(persona):
        form.populate_obj(persona)
    return saved(f"{persona.name} is saved.", url_for("editor.edit_persona", slug=persona.slug))


@blueprint.route("/personas/<slug>/delete", methods=["GET", "POST"])
def delete_persona(slug: str) -> Response | tuple[str, int]:
    """`/editor/personas/<slug>/delete`: delete a panelist who has no takes or verdicts."""
    persona = found(persona_by_slug(slug), NO_PERSONA)
    takes, verdicts = queries.count_panel_work(persona)

    return confirm_then_delete(
        kind="persona", name=persona.name, delete=lambda: revisions.delete(persona),
        action=url_for("editor.delete_persona", slug=persona.slug),
        cancel=url_for("editor.edit_persona", slug=persona.slug), done=url_for("editor.personas"),
        blocked=f"{persona.name} has {takes} takes and {verdicts} verdicts. Remove them first."
        if takes or verdicts else None,
    )  # fmt: skip


@blueprint.get("/personas/<slug>/history")
def persona_history(slug: str) -> str:
    """`/editor/personas/<slug>/history`: every save of a persona, field by field."""
    persona = found(persona_by_slug(slug), NO_PERSONA)
    entries = revisions.history_of(persona)
    return history_page(
        persona.name,
        entries,
        url_for("editor.edit_persona", slug=persona.slug),
        restore_urls(entries, "editor.restore_persona", slug=persona.slug),
    )


@blueprint.post("/personas/<slug>/history/<id:revision_id>/restore")
def restore_persona(slug: str, revision_id: int) -> Response:
    """`POST /editor/personas/<slug>/history/<revision>/restore`: the persona as it was."""
    persona = found(persona_by_slug(slug), NO_PERSONA)
    revision = revision_of(persona, revision_id, "That persona has no such version.")
    restoring.restore_persona(persona, revision)
    return restored(revision, url_for("editor.edit_persona", slug=persona.slug))
