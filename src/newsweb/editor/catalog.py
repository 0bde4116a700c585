"""Routes for the newsroom's tools (with verdicts), personas and categories."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from newsweb.access import signed_in_user
from newsweb.editor import queries, revisions
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import confirm_then_delete
from newsweb.editor.forms import CategoryForm, PersonaForm, ToolForm, tool_form_for
from newsweb.extensions import db
from newsweb.forms import options
from newsweb.models import Category, ItemKind, Persona, Take, Tool, Verdict
from newsweb.web.rendering import render

INVALID = 422


def _categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def _unique(
    form: ToolForm | PersonaForm | CategoryForm,
    model: type[Tool] | type[Persona] | type[Category],
    item_id: int | None,
    slug: str,
    *,
    noun: str,
    name: str | None = None,
) -> bool:
    """Flag a slug (and name, if given) another `noun` already uses; True if neither is."""
    unique = True
    if queries.slug_taken(model, slug, item_id):
        form.slug.errors.append(f"Another {noun} already uses the slug “{slug}”.")
        unique = False
    if name is not None and queries.name_taken(model, name, item_id):
        form.name.errors.append(f"Another {noun} already has this name.")
        unique = False
    return unique


# ---------------------------------------------------------------- tools


@blueprint.get("/tools")
def tools() -> str:
    """`/editor/tools`: every tool, with links to edit each."""
    return render("editor/tools.html", tools=queries.tools())


def _tool_form(personas: list[Persona], **data: Any) -> ToolForm:
    form = tool_form_for(personas, data=data or None)
    form.category.choices = options(
        [("", "Choose a category…"), *((c.slug, c.name) for c in _categories())]
    )
    return form


@blueprint.route("/tools/new", methods=["GET", "POST"])
def new_tool() -> Response | tuple[str, int]:
    """`/editor/tools/new`: add a tool and the panel's verdicts on it."""
    personas = queries.personas()
    return _save_tool(_tool_form(personas), personas, None, [])


@blueprint.route("/tools/<slug>/edit", methods=["GET", "POST"])
def edit_tool(slug: str) -> Response | tuple[str, int]:
    """`/editor/tools/<slug>/edit`: change a tool and the panel's verdicts on it."""
    found = queries.tool_for_editing(slug)
    if found is None:
        abort(404, description="There is no tool with that slug.")
    tool, verdicts = found
    personas = queries.personas()
    data: dict[str, Any] = {
        "name": tool.name, "slug": tool.slug, "tagline": tool.tagline,
        "description": tool.description, "website": tool.website,
        "category": tool.category.slug, "pricing": tool.pricing,
    }  # fmt: skip
    for verdict in verdicts:
        data[f"verdict_{verdict.persona_id}"] = "ship" if verdict.ship else "skip"
        data[f"verdict_take_{verdict.persona_id}"] = verdict.body
    return _save_tool(_tool_form(personas, **data), personas, tool, verdicts)


def _save_tool(
    form: ToolForm, personas: list[Persona], tool: Tool | None, verdicts: list[Verdict]
) -> Response | tuple[str, int]:
    """Show the tool form, or apply it: the tool's fields and every persona's verdict."""
    page: dict[str, Any] = {"form": form, "personas": personas, "tool": tool}
    if not form.is_submitted():
        return render("editor/tool_form.html", **page), 200
    valid = form.validate() & form.verdicts_complete(personas)
    slug = form.slug.data or queries.slug_from(form.name.data or "")
    valid = valid and _unique(form, Tool, tool.id if tool else None, slug, noun="tool")
    category = db.session.scalars(
        select(Category).where(Category.slug == form.category.data)
    ).first()
    if not valid or category is None:
        return render("editor/tool_form.html", **page), INVALID
    before = revisions.tool_snapshot(tool, verdicts) if tool else {}
    if tool is None:
        tool = Tool()
        db.session.add(tool)
    tool.name, tool.slug, tool.tagline = form.name.data.strip(), slug, form.tagline.data.strip()
    tool.description = (form.description.data or "").strip()
    tool.website, tool.pricing = form.website.data.strip(), (form.pricing.data or "").strip()
    tool.category = category
    db.session.flush()
    current = _apply_verdicts(tool, personas, form, verdicts)
    revisions.record(
        ItemKind.TOOL,
        tool.id,
        tool.name,
        signed_in_user(),
        before,
        revisions.tool_snapshot(tool, current),
    )
    db.session.commit()
    flash(f"{tool.name} is saved.", "success")
    return redirect(url_for("editor.edit_tool", slug=tool.slug), code=303)


def _apply_verdicts(
    tool: Tool, personas: list[Persona], form: ToolForm, verdicts: list[Verdict]
) -> list[Verdict]:
    """Create, change or delete each persona's verdict; returns the verdicts now on the tool."""
    existing = {verdict.persona_id: verdict for verdict in verdicts}
    current: list[Verdict] = []
    for persona, call, take in form.verdict_fields(personas):
        verdict = existing.get(persona.id)
        if call.data:
            if verdict is None:
                verdict = Verdict(tool_id=tool.id, persona_id=persona.id)
                verdict.persona = persona
                db.session.add(verdict)
            verdict.ship, verdict.body = call.data == "ship", take.data.strip()
            current.append(verdict)
        elif verdict is not None:
            db.session.delete(verdict)
    return current


@blueprint.route("/tools/<slug>/delete", methods=["GET", "POST"])
def delete_tool(slug: str) -> Response | tuple[str, int]:
    """`/editor/tools/<slug>/delete`: delete a tool with no stories (verdicts, bookmarks go too)."""
    found = queries.tool_for_editing(slug)
    if found is None:
        abort(404, description="There is no tool with that slug.")
    tool, verdicts = found
    stories = queries.count_stories_using(tool=tool)

    def delete() -> None:
        revisions.record_deletion(
            ItemKind.TOOL,
            tool.id,
            tool.name,
            signed_in_user(),
            revisions.tool_snapshot(tool, verdicts),
        )
        db.session.delete(tool)

    return confirm_then_delete(
        kind="tool", name=tool.name, delete=delete,
        action=url_for("editor.delete_tool", slug=tool.slug),
        cancel=url_for("editor.edit_tool", slug=tool.slug), done=url_for("editor.tools"),
        blocked=f"{tool.name} has {stories} stor{'y' if stories == 1 else 'ies'}. "
        "Move them to another tool or delete them first." if stories else None,
    )  # fmt: skip


@blueprint.get("/tools/<slug>/history")
def tool_history(slug: str) -> str:
    """`/editor/tools/<slug>/history`: every save of a tool and its verdicts, field by field."""
    found = queries.tool_for_editing(slug)
    if found is None:
        abort(404, description="There is no tool with that slug.")
    tool = found[0]
    return render(
        "editor/history.html",
        label=tool.name,
        revisions=revisions.history(ItemKind.TOOL, tool.id),
        edit_url=url_for("editor.edit_tool", slug=tool.slug),
    )


# ---------------------------------------------------------------- personas


@blueprint.get("/personas")
def personas() -> str:
    """`/editor/personas`: the panel in order, with links to edit each."""
    return render("editor/personas.html", personas=queries.personas())


def _persona_by_slug(slug: str) -> Persona:
    persona = db.session.scalars(select(Persona).where(Persona.slug == slug)).first()
    if persona is None:
        abort(404, description="There is no persona with that slug.")
    return persona


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@blueprint.route("/personas/new", methods=["GET", "POST"])
def new_persona() -> Response | tuple[str, int]:
    """`/editor/personas/new`: add a panelist."""
    next_position = (db.session.scalar(select(func.max(Persona.position))) or 0) + 1
    return _save_persona(PersonaForm(data={"position": next_position}), None)


@blueprint.route("/personas/<slug>/edit", methods=["GET", "POST"])
def edit_persona(slug: str) -> Response | tuple[str, int]:
    """`/editor/personas/<slug>/edit`: change a panelist."""
    persona = _persona_by_slug(slug)
    form = PersonaForm(data={
        "name": persona.name, "slug": persona.slug, "lens": persona.lens,
        "motto": persona.motto, "profile": persona.profile, "position": persona.position,
        "excited_by": "\n".join(persona.excited_by), "tired_of": "\n".join(persona.tired_of),
    })  # fmt: skip
    return _save_persona(form, persona)


def _save_persona(form: PersonaForm, persona: Persona | None) -> Response | tuple[str, int]:
    """Show the persona form, or apply it and record the revision."""
    if not form.is_submitted():
        return render("editor/persona_form.html", form=form, persona=persona), 200
    valid = form.validate()
    slug = form.slug.data or queries.slug_from(form.name.data or "")
    name = (form.name.data or "").strip()
    item_id = persona.id if persona else None
    valid = valid and _unique(form, Persona, item_id, slug, noun="persona", name=name)
    if not valid:
        return render("editor/persona_form.html", form=form, persona=persona), INVALID
    before = revisions.persona_snapshot(persona) if persona else {}
    if persona is None:
        persona = Persona()
        db.session.add(persona)
    persona.name, persona.slug, persona.lens = name, slug, form.lens.data.strip()
    persona.motto, persona.profile = (
        (form.motto.data or "").strip(),
        (form.profile.data or "").strip(),
    )
    persona.excited_by, persona.tired_of = _lines(form.excited_by.data), _lines(form.tired_of.data)
    persona.position = form.position.data
    db.session.flush()
    revisions.record(
        ItemKind.PERSONA,
        persona.id,
        persona.name,
        signed_in_user(),
        before,
        revisions.persona_snapshot(persona),
    )
    db.session.commit()
    flash(f"{persona.name} is saved.", "success")
    return redirect(url_for("editor.edit_persona", slug=persona.slug), code=303)


@blueprint.route("/personas/<slug>/delete", methods=["GET", "POST"])
def delete_persona(slug: str) -> Response | tuple[str, int]:
    """`/editor/personas/<slug>/delete`: delete a panelist who has no takes or verdicts."""
    persona = _persona_by_slug(slug)
    takes = db.session.scalar(select(func.count(Take.id)).where(Take.persona_id == persona.id))
    verdicts = db.session.scalar(
        select(func.count(Verdict.id)).where(Verdict.persona_id == persona.id)
    )

    def delete() -> None:
        revisions.record_deletion(
            ItemKind.PERSONA,
            persona.id,
            persona.name,
            signed_in_user(),
            revisions.persona_snapshot(persona),
        )
        db.session.delete(persona)

    return confirm_then_delete(
        kind="persona", name=persona.name, delete=delete,
        action=url_for("editor.delete_persona", slug=persona.slug),
        cancel=url_for("editor.edit_persona", slug=persona.slug), done=url_for("editor.personas"),
        blocked=f"{persona.name} has {takes} takes and {verdicts} verdicts. Remove them first."
        if takes or verdicts else None,
    )  # fmt: skip


@blueprint.get("/personas/<slug>/history")
def persona_history(slug: str) -> str:
    """`/editor/personas/<slug>/history`: every save of a persona, field by field."""
    persona = _persona_by_slug(slug)
    return render(
        "editor/history.html",
        label=persona.name,
        revisions=revisions.history(ItemKind.PERSONA, persona.id),
        edit_url=url_for("editor.edit_persona", slug=persona.slug),
    )


# ---------------------------------------------------------------- categories


@blueprint.get("/categories")
def categories() -> str:
    """`/editor/categories`: every category, with links to edit each."""
    return render("editor/categories.html", categories=_categories())


def _category_by_slug(slug: str) -> Category:
    category = db.session.scalars(select(Category).where(Category.slug == slug)).first()
    if category is None:
        abort(404, description="There is no category with that slug.")
    return category


@blueprint.route("/categories/new", methods=["GET", "POST"])
def new_category() -> Response | tuple[str, int]:
    """`/editor/categories/new`: add a category."""
    return _save_category(CategoryForm(), None)


@blueprint.route("/categories/<slug>/edit", methods=["GET", "POST"])
def edit_category(slug: str) -> Response | tuple[str, int]:
    """`/editor/categories/<slug>/edit`: rename a category."""
    category = _category_by_slug(slug)
    return _save_category(
        CategoryForm(data={"name": category.name, "slug": category.slug}), category
    )


def _save_category(form: CategoryForm, category: Category | None) -> Response | tuple[str, int]:
    """Show the category form, or apply it."""
    if not form.is_submitted():
        return render("editor/category_form.html", form=form, category=category), 200
    valid = form.validate()
    name = (form.name.data or "").strip()
    slug = form.slug.data or queries.slug_from(name)
    item_id = category.id if category else None
    valid = valid and _unique(form, Category, item_id, slug, noun="category", name=name)
    if not valid:
        return render("editor/category_form.html", form=form, category=category), INVALID
    if category is None:
        category = Category()
        db.session.add(category)
    category.name, category.slug = name, slug
    db.session.commit()
    flash(f"{category.name} is saved.", "success")
    return redirect(url_for("editor.categories"), code=303)


@blueprint.route("/categories/<slug>/delete", methods=["GET", "POST"])
def delete_category(slug: str) -> Response | tuple[str, int]:
    """`/editor/categories/<slug>/delete`: delete a category no story or tool uses."""
    category = _category_by_slug(slug)
    stories = queries.count_stories_using(category=category)
    tools = db.session.scalar(select(func.count(Tool.id)).where(Tool.category_id == category.id))
    return confirm_then_delete(
        kind="category", name=category.name, delete=lambda: db.session.delete(category),
        action=url_for("editor.delete_category", slug=category.slug),
        cancel=url_for("editor.categories"), done=url_for("editor.categories"),
        blocked=f"{category.name} is used by {stories} stories and {tools} tools. "
        "Move them to another category first." if stories or tools else None,
    )  # fmt: skip
