"""Previews of a story as readers will see it: rendered by the story page's own template
(news/show.html) under a banner that says it is a preview.

Three kinds: the story form's unsaved fields (a page whose "Back to editing" posts them
back, or the newsroom's preview dialog with htmx), a saved draft or scheduled story for
editors (with its share links), and a share link opened by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import make_response
from werkzeug.wrappers import Response

from newsweb import newsroom_time
from newsweb.editor.forms import StoryForm
from newsweb.editor.publishing import publication_time
from newsweb.models import Story, StoryStatus, Take
from newsweb.news.queries import takes_on
from newsweb.web.rendering import render, wants_fragment

FORM, SAVED, SHARED = "form", "saved", "shared"


@dataclass(frozen=True)
class Preview:
    """What the banner above a previewed story says and offers (news/_preview_banner.html)."""

    kind: str
    notice: str
    form_url: str = ""
    carried: list[tuple[str, str]] = field(default_factory=list)
    in_dialog: bool = False
    edit_url: str = ""
    share_url: str = ""
    share_action: str = ""
    revoke_action: str = ""
    days: int = 7


def notice_for(story: Story, now: datetime) -> str:
    """Where the story stands, for the banner."""
    if story.status == StoryStatus.PUBLISHED and story.published_at is not None:
        if story.published_at <= now:
            return "This story is published: readers see it now."
        return f"Scheduled: readers see it from {newsroom_time.label(story.published_at)}."
    return "A draft: readers cannot see it yet, and it may change before they do."


def unsaved_story(form: StoryForm, now: datetime) -> Story:
    """A story made from the form's fields, never added to the session: nothing is saved.

    Its takes are in panel order (the form's), each with its persona.
    """
    story = Story(status=StoryStatus.DRAFT, share_version=0)
    form.populate_obj(story)
    story.published_at = publication_time(form.published_at.data, form.publish_time.data, now=now)
    return story


def page(story: Story, takes: list[Take], preview: Preview) -> Response:
    """The story page for `story` under `preview`'s banner; the `story_page` block for htmx.

    Marked for no search engine, in the page and in its headers.
    """
    body = render(
        "news/show.html",
        block="story_page",
        story=story,
        takes=takes,
        expanded=set(),
        expand_all=True,
        more_stories=[],
        back_url="",
        preview=preview,
    )
    response = make_response(body)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def saved_page(story: Story, preview: Preview) -> Response:
    """The preview of a saved story, its takes in panel order."""
    return page(story, takes_on(story), preview)


def in_dialog() -> bool:
    """Whether the preview opens in the newsroom's dialog (htmx asked for it)."""
    return wants_fragment()
