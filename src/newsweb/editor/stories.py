"""Routes for the newsroom dashboard and for writing, publishing and deleting stories."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from newsweb.access import signed_in_user
from newsweb.editor import queries, revisions
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import confirm_then_delete
from newsweb.editor.forms import StoryForm, story_form_for, take_field_name
from newsweb.extensions import db
from newsweb.forms import options
from newsweb.models import Category, ItemKind, Persona, Story, StoryStatus, Take, Tool
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor
from newsweb.web.rendering import render, wants_fragment

INVALID = 422
ACTIONS = {"preview", "draft", "publish", "unpublish", "save"}


@blueprint.get("")
def dashboard() -> str:
    """`/editor`: stories by tab (drafts, scheduled, published), title search, recent edits.

    htmx gets the `stories` block when the search or tab changes (search as you type)
    and the `story_rows` block for "Load more".
    """
    tab = request.args.get("tab", "all")
    if tab not in queries.TABS:
        tab = "all"
    query = "".join(ch for ch in request.args.get("q", "") if ch.isprintable()).strip()[:200]
    after = Cursor.decode(request.args.get("after"))
    return render(
        "editor/dashboard.html",
        block="story_rows" if after else "stories",
        rows=queries.dashboard_stories(
            tab=tab, query=query, limit=current_app.config["PAGE_SIZE"], after=after
        ),
        tab=tab,
        tabs=queries.TABS,
        query=query,
        counts=queries.tab_counts(),
        recent=revisions.recent(),
        now=utcnow(),
    )


def _story_form(personas: list[Persona], **data: Any) -> StoryForm:
    """The story form with its menus filled: tools, and categories."""
    form = story_form_for(personas, data=data or None)
    form.tool.choices = options(
        [("", "Choose a tool…"), *((t.slug, t.name) for t in queries.tools())]
    )
    categories = db.session.scalars(select(Category).order_by(Category.name))
    form.category.choices = options(
        [("", "Choose a category…"), *((c.slug, c.name) for c in categories)]
    )
    return form


def _form_page(
    form: StoryForm, personas: list[Persona], story: Story | None, status: int = 200
) -> tuple[str, int]:
    body = form.body.data or ""
    return (
        render("editor/story_form.html", form=form, personas=personas, story=story, preview=body),
        status,
    )


@blueprint.route("/stories/new", methods=["GET", "POST"])
def new_story() -> Response | tuple[str, int]:
    """`/editor/stories/new`: write a story with the panel's takes; save a draft or publish."""
    personas = queries.personas()
    form = _story_form(personas)
    if not form.is_submitted():
        return _form_page(form, personas, None)
    return _save(form, personas, None, [])


@blueprint.route("/stories/<id:story_id>/edit", methods=["GET", "POST"])
def edit_story(story_id: int) -> Response | tuple[str, int]:
    """`/editor/stories/<id>/edit`: change a story or its takes, publish or unpublish it."""
    found = queries.story_for_editing(story_id)
    if found is None:
        abort(404, description="There is no story with that number.")
    story, takes = found
    personas = queries.personas()
    form = _story_form(
        personas,
        title=story.title,
        slug=story.slug,
        tool=story.tool.slug,
        category=story.category.slug,
        published_on=story.published_at.date() if story.published_at else None,
        dek=story.dek,
        source_url=story.source_url,
        body=story.body,
        **{take_field_name(take.persona): take.body for take in takes},
    )
    if not form.is_submitted():
        return _form_page(form, personas, story)
    return _save(form, personas, story, takes)


def _checked(form: StoryForm, story: Story | None) -> tuple[str, Tool | None, Category] | None:
    """Validate the form and what it names; returns (slug, tool or None for new, category)."""
    if not form.validate():
        return None
    slug = form.slug.data or queries.slug_from(form.title.data)
    if queries.slug_taken(Story, slug, story.id if story else None):
        form.slug.errors.append(f"Another story already uses the slug “{slug}”.")
    tool = db.session.scalars(select(Tool).where(Tool.slug == form.tool.data)).first()
    if tool is None and form.tool.data:
        form.tool.errors.append("That tool no longer exists. Pick another.")
    new_name = (form.new_tool_name.data or "").strip()
    if tool is None and new_name and queries.slug_taken(Tool, queries.slug_from(new_name), None):
        form.new_tool_name.errors.append(f"We already cover {new_name}: pick it from the menu.")
    category = db.session.scalars(
        select(Category).where(Category.slug == form.category.data)
    ).first()
    if category is None:
        form.category.errors.append("Pick a category.")
    if form.errors or category is None:
        return None
    return slug, tool, category


def _save(
    form: StoryForm, personas: list[Persona], story: Story | None, takes: list[Take]
) -> Response | tuple[str, int]:
    """Apply a submitted story form: preview, save a draft, publish, unpublish or save."""
    action = request.form.get("action", "save")
    if action not in ACTIONS:
        action = "save"
    if action == "preview":
        return _form_page(form, personas, story)
    checked = _checked(form, story)
    if checked is None:
        return _form_page(form, personas, story, INVALID)
    slug, tool, category = checked
    user = signed_in_user()
    now = utcnow()
    before = revisions.story_snapshot(story, takes) if story else {}
    if tool is None:
        name = form.new_tool_name.data.strip()
        tool = Tool(
            name=name,
            slug=queries.slug_from(name),
            tagline="",
            website=form.new_tool_website.data.strip(),
            category=category,
        )
        db.session.add(tool)
    if story is None:
        story = Story(author_id=user.id, status=StoryStatus.DRAFT, created_at=now)
        db.session.add(story)
    story.title = form.title.data.strip()
    story.slug = slug
    story.tool = tool
    story.category = category
    story.dek = form.dek.data.strip()
    story.source_url = (form.source_url.data or "").strip()
    story.body = (form.body.data or "").strip()
    story.updated_at = now
    _apply_action(story, action, form, now)
    db.session.flush()
    current = _apply_takes(story, personas, form, takes)
    revisions.record(
        ItemKind.STORY,
        story.id,
        story.title,
        user,
        before,
        revisions.story_snapshot(story, current),
    )
    db.session.commit()
    flash(_saved_message(story, now), "success")
    return redirect(url_for("editor.edit_story", story_id=story.id), code=303)


def _apply_action(story: Story, action: str, form: StoryForm, now: Any) -> None:
    """Set status and publication time for the button the editor pressed."""
    day = form.published_on.data
    if action == "publish":
        story.status = StoryStatus.PUBLISHED
        story.published_at = queries.publication_time(day, now=now)
    elif action in ("draft", "unpublish"):
        story.status = StoryStatus.DRAFT
        story.published_at = queries.publication_time(day, now=now) if day else None
    elif day is None:
        story.published_at = (
            None if story.status == StoryStatus.DRAFT else story.published_at or now
        )
    elif story.published_at is None or story.published_at.date() != day:
        story.published_at = queries.publication_time(day, now=now)


def _apply_takes(
    story: Story, personas: list[Persona], form: StoryForm, takes: list[Take]
) -> list[Take]:
    """Create, change or delete each persona's take; returns the takes now on the story."""
    existing = {take.persona_id: take for take in takes}
    current: list[Take] = []
    for persona in personas:
        text = (form[take_field_name(persona)].data or "").strip()
        take = existing.get(persona.id)
        if text and take is not None:
            take.body = text
            current.append(take)
        elif text:
            take = Take(story_id=story.id, persona_id=persona.id, body=text)
            take.persona = persona
            db.session.add(take)
            current.append(take)
        elif take is not None:
            db.session.delete(take)
    return current


def _saved_message(story: Story, now: Any) -> str:
    if story.status == StoryStatus.DRAFT:
        return "Draft saved. Readers cannot see it."
    if story.published_at and story.published_at > now:
        return f"Scheduled: readers see it from {story.published_at:%B} {story.published_at.day}."
    return "Published. It is on the front page."


@blueprint.post("/preview")
def preview() -> Response | str:
    """`POST /editor/preview`: the story form's `preview` block for the Markdown typed so far.

    Only htmx asks for it; without JavaScript the form's own Preview button renders the
    whole form with its preview, so a plain request is sent to a new story's form.
    """
    if not wants_fragment():
        return redirect(url_for("editor.new_story"), code=303)
    body = request.form.get("body", "")[:100_000]
    return render("editor/story_form.html", block="preview", preview=body)


@blueprint.route("/stories/<id:story_id>/delete", methods=["GET", "POST"])
def delete_story(story_id: int) -> Response | tuple[str, int]:
    """`/editor/stories/<id>/delete`: confirm, then delete a story, its takes and bookmarks."""
    found = queries.story_for_editing(story_id)
    if found is None:
        abort(404, description="There is no story with that number.")
    story, takes = found

    def delete() -> None:
        revisions.record_deletion(
            ItemKind.STORY,
            story.id,
            story.title,
            signed_in_user(),
            revisions.story_snapshot(story, takes),
        )
        db.session.delete(story)

    return confirm_then_delete(
        kind="story", name=f"“{story.title}”", delete=delete,
        action=url_for("editor.delete_story", story_id=story.id),
        cancel=url_for("editor.edit_story", story_id=story.id), done=url_for("editor.dashboard"),
    )  # fmt: skip


@blueprint.get("/stories/<id:story_id>/history")
def story_history(story_id: int) -> str:
    """`/editor/stories/<id>/history`: every save of a story, field by field."""
    found = queries.story_for_editing(story_id)
    label = found[0].title if found else None
    entries = revisions.history(ItemKind.STORY, story_id)
    if found is None and not entries:
        abort(404, description="There is no story with that number.")
    return render(
        "editor/history.html",
        label=label or entries[0].item_label,
        revisions=entries,
        edit_url=url_for("editor.edit_story", story_id=story_id) if found else None,
    )
