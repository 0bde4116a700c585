"""Routes for the newsroom's tools and the panel's verdicts on them."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from newsweb.editor import queries, restoring, revisions
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import confirm_then_delete
from newsweb.editor.forms import ToolForm
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
from newsweb.models import Tool
from newsweb.web.rendering import render

NO_TOOL = "There is no tool with that slug."


@blueprint.get("/tools")
def tools() -> str:
    """`/editor/tools`: every tool, with links to edit each."""
    return render("editor/tools.html", tools=queries.tools())


@blueprint.route("/tools/new", methods=["GET", "POST"], endpoint="new_tool")
@blueprint.route("/tools/<slug>/edit", methods=["GET", "POST"])
def edit_tool(slug: str | None = None) -> Response | tuple[str, int]:
    """`/editor/tools/new` and `/editor/tools/<slug>/edit`: a tool and the panel's verdicts."""
    tool = found(queries.tool_for_editing(slug), NO_TOOL) if slug else None
    form = ToolForm(obj=tool)
    on_site = tool is not None and queries.tool_is_visible(tool)
    if not form.validate_on_submit():
        return form_page("editor/tool_form.html", form, tool=tool, on_site=on_site)
    if stale := refuse_stale("editor/tool_form.html", form, tool, tool=tool, on_site=on_site):
        return stale
    tool = tool or Tool()
    with revisions.recorded(tool):
        form.populate_obj(tool)
    return saved(f"{tool.name} is saved.", url_for("editor.edit_tool", slug=tool.slug))


@blueprint.route("/tools/<slug>/delete", methods=["GET", "POST"])
def delete_tool(slug: str) -> Response | tuple[str, int]:
    """`/editor/tools/<slug>/delete`: delete a tool with no stories (verdicts, bookmarks go too)."""
    tool = found(queries.tool_for_editing(slug), NO_TOOL)
    stories = queries.count_stories_using(tool=tool)

    return confirm_then_delete(
        kind="tool", name=tool.name, delete=lambda: revisions.delete(tool),
        action=url_for("editor.delete_tool", slug=tool.slug),
        cancel=url_for("editor.edit_tool", slug=tool.slug), done=url_for("editor.tools"),
        blocked=f"{tool.name} has {stories} stor{'y' if stories == 1 else 'ies'}. "
        "Move them to another tool or delete them first." if stories else None,
    )  # fmt: skip


@blueprint.get("/tools/<slug>/history")
def tool_history(slug: str) -> str:
    """`/editor/tools/<slug>/history`: every save of a tool and its verdicts, field by field."""
    tool = found(queries.tool_for_editing(slug), NO_TOOL)
    entries = revisions.history_of(tool)
    return history_page(
        tool.name,
        entries,
        url_for("editor.edit_tool", slug=tool.slug),
        restore_urls(entries, "editor.restore_tool", slug=tool.slug),
    )


@blueprint.post("/tools/<slug>/history/<id:revision_id>/restore")
def restore_tool(slug: str, revision_id: int) -> Response:
    """`POST /editor/tools/<slug>/history/<revision>/restore`: the tool and its verdicts as
    they were then."""
    tool = found(queries.tool_for_editing(slug), NO_TOOL)
    revision = revision_of(tool, revision_id, "That tool has no such version.")
    restoring.restore_tool(tool, revision)
    return restored(revision, url_for("editor.edit_tool", slug=tool.slug))
