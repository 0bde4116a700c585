"""Routes for the newsroom's categories: the beats stories and tools are filed under."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from newsweb.editor import queries
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import confirm_then_delete
from newsweb.editor.forms import CategoryForm
from newsweb.editor.responses import form_page, found, refuse_stale, saved
from newsweb.extensions import db
from newsweb.lookups import all_categories, category_by_slug
from newsweb.models import Category
from newsweb.web.rendering import render

NO_CATEGORY = "There is no category with that slug."


@blueprint.get("/categories")
def categories() -> str:
    """`/editor/categories`: every category, with links to edit each."""
    return render("editor/categories.html", categories=all_categories())


@blueprint.route("/categories/new", methods=["GET", "POST"], endpoint="new_category")
@blueprint.route("/categories/<slug>/edit", methods=["GET", "POST"])
def edit_category(slug: str | None = None) -> Response | tuple[str, int]:
    """`/editor/categories/new` and `/editor/categories/<slug>/edit`: add or rename a category.

    Categories keep no revisions.
    """
    category = found(category_by_slug(slug), NO_CATEGORY) if slug else None
    form = CategoryForm(obj=category)
    if not form.validate_on_submit():
        return form_page("editor/category_form.html", form, category=category)
    if stale := refuse_stale("editor/category_form.html", form, category, category=category):
        return stale
    category = category or Category()
    form.populate_obj(category)
    db.session.add(category)
    return saved(f"{category.name} is saved.", url_for("editor.categories"))


@blueprint.route("/categories/<slug>/delete", methods=["GET", "POST"])
def delete_category(slug: str) -> Response | tuple[str, int]:
    """`/editor/categories/<slug>/delete`: delete a category no story or tool uses."""
    category = found(category_by_slug(slug), NO_CATEGORY)
    stories = queries.count_stories_using(category=category)
    tools = queries.count_tools_in(category)
    return confirm_then_delete(
        kind="category", name=category.name, delete=lambda: db.session.delete(category),
        action=url_for("editor.delete_category", slug=category.slug),
        cancel=url_for("editor.categories"), done=url_for("editor.categories"),
        blocked=f"{category.name} is used by {stories} stories and {tools} tools. "
        "Move them to another category first." if stories or tools else None,
    )  # fmt: skip
