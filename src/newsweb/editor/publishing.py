"""When a story goes out: the status and publication time each of the story form's buttons
sets, and what the editor is told afterwards.

The form's date and time are on the newsroom's clock (see newsroom_time); the story stores
the moment in UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import request

from newsweb import newsroom_time
from newsweb.editor.confirm import Question, posted_fields
from newsweb.models import Story, StoryStatus

# The story form's buttons, by the value each sends as `action`.
# "edit" only shows the form again with what was posted (back from a preview or question).
ACTIONS = ("edit", "preview", "draft", "publish", "unpublish", "save")
# The buttons that change what readers see at once: each asks first (see confirm.py).
ASKS_FIRST = ("publish", "unpublish")
# A later day typed without a time means that day at this time on the newsroom's clock.
PUBLISH_TIME = time(8, 0)


def requested_action() -> str:
    """The button the editor pressed; anything unknown counts as Save."""
    action = request.form.get("action", "save")
    return action if action in ACTIONS else "save"


def publication_time(day: date | None, at: time | None, *, now: datetime) -> datetime:
    """When a story dated `day` at `at` (newsroom time) goes out, in UTC.

    No date is now; a date without a time is now for today, else that day at 08:00.
    """
    if day is None:
        return now
    if at is None:
        if day == newsroom_time.local(now).date():
            return now
        at = PUBLISH_TIME
    return newsroom_time.stored(day, at)


def _keeps_its_time(story: Story, day: date, at: time | None) -> bool:
    """Whether the date and time typed are the ones the form showed for the stored time."""
    if story.published_at is None:
        return False
    shown = newsroom_time.local(story.published_at)
    return shown.date() == day and at in (None, newsroom_time.minute_of(story.published_at))


def apply_action(
    story: Story, action: str, day: date | None, at: time | None, *, now: datetime
) -> None:
    """Set the story's status and publication time for the button pressed, dated `day` at `at`.

    Publish sends it out (at that time, if later); Save draft and Unpublish keep it from
    readers; Save keeps the status and moves the time only when the date or time changed.
    """
    story.updated_at = now
    if action == "publish":
        story.status = StoryStatus.PUBLISHED
        story.published_at = publication_time(day, at, now=now)
    elif action in ("draft", "unpublish"):
        story.status = StoryStatus.DRAFT
        story.published_at = publication_time(day, at, now=now) if day else None
    elif day is None:
        story.published_at = (
            None if story.status == StoryStatus.DRAFT else story.published_at or now
        )
    elif not _keeps_its_time(story, day, at):
        story.published_at = publication_time(day, at, now=now)


def saved_message(story: Story, now: datetime) -> str:
    """What the editor is told after saving `story`."""
    if story.status == StoryStatus.DRAFT:
        return "Draft saved. Readers cannot see it."
    if story.published_at and story.published_at > now:
        return f"Scheduled: readers see it from {newsroom_time.label(story.published_at)}."
    return "Published. It is on the front page."


def question(title: str, action: str, goes_out: datetime, *, now: datetime, url: str) -> Question:
    """What the editor is asked before `action` ("publish" or "unpublish") of `title`.

    `goes_out` is when a publish would put the story out; the question posts the story
    form's fields back to `url`.
    """
    carried = posted_fields()
    if action == "unpublish":
        return Question(
            heading=f"Unpublish “{title}”?",
            explanation="Readers lose it at once: its page, its place on the front page and "
            "in the feeds. It goes back to the drafts.",
            button="Unpublish", action=url, cancel=url, danger=True,
            confirms=action, carried=carried,
        )  # fmt: skip
    if goes_out > now:
        when = newsroom_time.label(goes_out)
        return Question(
            heading=f"Schedule “{title}” for {when}?",
            explanation="Readers see it from then: on the front page, in the feeds and in "
            "search. Until then it stays hidden, and you can still change it.",
            button="Schedule", action=url, cancel=url, confirms=action, carried=carried,
        )  # fmt: skip
    return Question(
        heading=f"Publish “{title}” now?",
        explanation="It goes on the front page, into the feeds and into search at once.",
        button="Publish now", action=url, cancel=url, confirms=action, carried=carried,
    )  # fmt: skip
