"""Routes for the newsroom dashboard and for writing, publishing and deleting stories."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, make_response, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from newsweb.access import signed_in_user
from newsweb.editor import (
    autosaving,
    previews,
    publishing,
    queries,
    restoring,
    revisions,
    sharing,
)
from newsweb.editor.blueprint import blueprint
from newsweb.editor.confirm import ask, confirm_then_delete, is_confirmed, posted_fields
from newsweb.editor.forms import StoryForm
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
from newsweb.extensions import db
from newsweb.models import ItemKind, Story, StoryStatus
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor
from newsweb.web.rendering import render, wants_fragment

NO_STORY = "There is no story with that number."


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


@blueprint.route("/stories/new", methods=["GET", "POST"], endpoint="new_story")
@blueprint.route("/stories/<id:story_id>/edit", methods=["GET", "POST"])
def edit_story(story_id: int | None = None) -> Response | tuple[str, int]:
    """`/editor/stories/new` and `/editor/stories/<id>/edit`: a story with the panel's takes.

    The form shows its Markdown preview; its buttons save a draft, publish, unpublish or
    save (see publishing.apply_action).
    """
    story = found(queries.story_for_editing(story_id), NO_STORY) if story_id else None
    kept = autosaving.recovered(story, signed_in_user())
    if kept is not None and request.method == "GET":
        form = StoryForm(
            formdata=MultiDict([(name, value) for name, value in kept.fields]), obj=story
        )
    else:
        form = StoryForm(obj=story)
    action = publishing.requested_action()
    now = utcnow()
    if action == "edit" or not form.validate_on_submit():
        return _story_form_page(form, story, now, kept=kept)
    if action == "preview":
        return _form_preview(form, now)
    template, context = "editor/story_form.html", {"preview": form.body.data, "now": now}
    if stale := refuse_stale(template, form, story, story=story, **context):
        return _in_place(*stale)
    if action in publishing.ASKS_FIRST and not is_confirmed(action):
        goes_out = publishing.publication_time(
            form.published_at.data, form.publish_time.data, now=now
        )
        return ask(
            publishing.question(form.title.data, action, goes_out, now=now, url=request.path)
        )
    # The autosave this save supersedes: the story's, or the editor's new story's.
    autosaving.drop(story, signed_in_user())
    if story is None:
        story = Story(author_id=signed_in_user().id, status=StoryStatus.DRAFT, created_at=now)
    with revisions.recorded(story):
        form.populate_obj(story)
        publishing.apply_action(
            story, action, form.published_at.data, form.publish_time.data, now=now
        )
    return saved(
        publishing.saved_message(story, now), url_for("editor.edit_story", story_id=story.id)
    )


def _form_preview(form: StoryForm, now: datetime) -> Response:
    """The story as the form has it, unsaved, as readers would see it.

    htmx opens it in the preview dialog over the form; without JavaScript it is a page
    whose "Back to editing" posts the fields back.
    """
    # The story and its takes are never added to the session (no relationship cascades
    # into it from the stored tool or personas they point at): nothing here is saved.
    story = previews.unsaved_story(form, now)
    preview = previews.Preview(
        kind=previews.FORM, notice=previews.notice_for(story, now),
        form_url=request.path, carried=posted_fields(), in_dialog=previews.in_dialog(),
    )  # fmt: skip
    return previews.page(story, list(story.takes), preview)


def _story_form_page(
    form: StoryForm, story: Story | None, now: datetime, kept: autosaving.Kept | None = None
) -> Response:
    """The story form, with its errors and everything typed (or `kept` by autosave).

    When htmx asked (a Publish button that expected its question), the form replaces the
    page's editor section instead of opening in the dialog.
    """
    page = form_page(
        "editor/story_form.html", form, story=story, preview=form.body.data, now=now, kept=kept
    )
    return _in_place(*page)


def _in_place(page: str, status: int) -> Response:
    """The story form's page; for htmx (a button that expected a question or a preview)
    it replaces the page's editor section instead."""
    response = make_response(page, status)
    if wants_fragment():
        response.headers.update(
            {"HX-Retarget": ".editor-page", "HX-Reswap": "outerHTML", "HX-Reselect": ".editor-page"}
        )
    return response


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
    story = found(queries.story_for_editing(story_id), NO_STORY)

    return confirm_then_delete(
        kind="story", name=f"“{story.title}”", delete=lambda: revisions.delete(story),
        action=url_for("editor.delete_story", story_id=story.id),
        cancel=url_for("editor.edit_story", story_id=story.id), done=url_for("editor.dashboard"),
    )  # fmt: skip


@blueprint.get("/stories/<id:story_id>/history")
def story_history(story_id: int) -> str:
    """`/editor/stories/<id>/history`: every save of a story, field by field.

    A deleted story's history stays readable, labelled with its last title.
    """
    story = queries.story_for_editing(story_id)
    entries = revisions.history(ItemKind.STORY, story_id)
    if story is None and not entries:
        abort(404, description=NO_STORY)
    return history_page(
        story.title if story else entries[0].item_label,
        entries,
        url_for("editor.edit_story", story_id=story_id) if story else None,
        restore_urls(entries, "editor.restore_story", story_id=story_id) if story else {},
    )


@blueprint.post("/stories/<id:story_id>/history/<id:revision_id>/restore")
def restore_story(story_id: int, revision_id: int) -> Response:
    """`POST /editor/stories/<id>/history/<revision>/restore`: the story as it was then."""
    story = found(queries.story_for_editing(story_id), NO_STORY)
    revision = revision_of(story, revision_id, "That story has no such version.")
    try:
        restoring.restore_story(story, revision)
    except restoring.RestoreRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("editor.story_history", story_id=story.id), code=303)
    return restored(revision, url_for("editor.edit_story", story_id=story.id))


def _saved_preview(story: Story, share_url: str = "") -> Response:
    """The preview of a saved story for editors, with its share links."""
    preview = previews.Preview(
        kind=previews.SAVED, notice=previews.notice_for(story, utcnow()),
        edit_url=url_for("editor.edit_story", story_id=story.id), share_url=share_url,
        share_action=url_for("editor.share_story", story_id=story.id),
        revoke_action=url_for("editor.revoke_story_shares", story_id=story.id),
        days=sharing.lifetime_seconds() // 86400,
    )  # fmt: skip
    return previews.saved_page(story, preview)


@blueprint.get("/stories/<id:story_id>/preview")
def story_preview(story_id: int) -> Response:
    """`/editor/stories/<id>/preview`: the saved story as readers will see it, to share."""
    return _saved_preview(found(queries.story_for_editing(story_id), NO_STORY))


@blueprint.post("/stories/<id:story_id>/share")
def share_story(story_id: int) -> Response:
    """`POST /editor/stories/<id>/share`: the preview again, with a new share link to copy."""
    story = found(queries.story_for_editing(story_id), NO_STORY)
    return _saved_preview(story, share_url=sharing.share_url(story))


@blueprint.post("/stories/<id:story_id>/share/revoke")
def revoke_story_shares(story_id: int) -> Response:
    """`POST /editor/stories/<id>/share/revoke`: every share link of the story stops working."""
    story = found(queries.story_for_editing(story_id), NO_STORY)
    sharing.revoke(story)
    return saved(
        "Every share link to this story is revoked: none of them opens it now.",
        url_for("editor.story_preview", story_id=story.id),
    )


@blueprint.post("/stories/new/autosave", endpoint="autosave_new_story")
@blueprint.post("/stories/<id:story_id>/autosave")
def autosave_story(story_id: int | None = None) -> Response | str:
    """`POST /editor/stories/<id>/autosave` (or `/editor/stories/new/autosave`): keep what
    the form holds (htmx, as the editor types); answers the form's `autosave_status`
    block. The story itself is untouched, and a new story is not created.

    Without JavaScript nothing autosaves: a plain request is sent back to the form.
    """
    story = found(queries.story_for_editing(story_id), NO_STORY) if story_id else None
    if not wants_fragment():
        return redirect(_form_url(story), code=303)
    kept = autosaving.keep(story, signed_in_user(), utcnow())
    db.session.commit()
    return render("editor/story_form.html", block="autosave_status", kept=kept, story=story)


@blueprint.post("/stories/new/autosave/discard", endpoint="discard_new_story_autosave")
@blueprint.post("/stories/<id:story_id>/autosave/discard")
def discard_autosave(story_id: int | None = None) -> Response:
    """`POST /editor/stories/<id>/autosave/discard` (or `.../new/...`): forget the unsaved
    changes kept."""
    story = found(queries.story_for_editing(story_id), NO_STORY) if story_id else None
    autosaving.drop(story, signed_in_user())
    message = (
        "Discarded your unsaved changes: the form shows the story as saved."
        if story
        else "Discarded the story you had not saved: the form is empty."
    )
    return saved(message, _form_url(story))


def _form_url(story: Story | None) -> str:
    """The story's form, or the new story's."""
    return url_for("editor.edit_story", story_id=story.id) if story else url_for("editor.new_story")
