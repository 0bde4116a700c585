"""When a story goes out: the status and publication time each of the story form's buttons
sets, and what the editor is told afterwards."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import request

from newsweb.models import Story, StoryStatus

# The story form's buttons, by the value each sends as `action`.
ACTIONS = ("preview", "draft", "publish", "unpublish", "save")
# A story dated today or undated is published now; another date means that day at this time.
PUBLISH_TIME = time(8, 0)


def requested_action() -> str:
    """The button the editor pressed; anything unknown counts as Save."""
    action = request.form.get("action", "save")
    return action if action in ACTIONS else "save"


def publication_time(day: date | None, *, now: datetime) -> datetime:
    """When a story dated `day` goes out: now for today or no date, else that day."""
    if day is None or day == now.date():
        return now
    return datetime.combine(day, PUBLISH_TIME)


def apply_action(story: Story, action: str, day: date | None, *, now: datetime) -> None:
    """Set the story's status and publication time for the button pressed, dated `day`.

    Publish sends it out (on `day`, if later); Save draft and Unpublish keep it from
    readers; Save keeps the status and moves the date only when `day` changed.
    """
    story.updated_at = now
    if action == "publish":
        story.status = StoryStatus.PUBLISHED
        story.published_at = publication_time(day, now=now)
    elif action in ("draft", "unpublish"):
        story.status = StoryStatus.DRAFT
        story.published_at = publication_time(day, now=now) if day else None
    elif day is None:
        story.published_at = (
            None if story.status == StoryStatus.DRAFT else story.published_at or now
        )
    elif story.published_at is None or story.published_at.date() != day:
        story.published_at = publication_time(day, now=now)


def saved_message(story: Story, now: datetime) -> str:
    """What the editor is told after saving `story`."""
    if story.status == StoryStatus.DRAFT:
        return "Draft saved. Readers cannot see it."
    if story.published_at and story.published_at > now:
        return f"Scheduled: readers see it from {story.published_at:%B} {story.published_at.day}."
    return "Published. It is on the front page."
