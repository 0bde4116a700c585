"""Restoring a story as it stood after one of its revisions: its text, tool, category and
the panel's takes (never its status or publication time: restoring is not publishing).
The restore is itself recorded as a revision, so it can be undone the same way."""

from __future__ import annotations

from typing import Any

from newsweb.editor import queries, revisions
from newsweb.lookups import all_categories, personas_in_order
from newsweb.models import Revision, Story, Take
from newsweb.web import moved

# Story fields restored as text, by their labels in the history.
TEXT_FIELDS = {"Title": "title", "Dek": "dek", "Original source": "source_url", "Body": "body"}


def restore_story(story: Story, revision: Revision) -> None:
    """Make `story` what it was right after `revision`, recorded as a new revision.

    A slug another story has taken since is left as it is now. The caller commits.
    """
    state = revisions.state_after(story, revision)
    with revisions.recorded(story):
        for label, attribute in TEXT_FIELDS.items():
            if label in state:
                setattr(story, attribute, state[label] or "")
        _restore_slug(story, state.get("Slug"))
        tool = next((t for t in queries.tools() if t.name == state.get("Tool")), None)
        category = next((c for c in all_categories() if c.name == state.get("Category")), None)
        story.tool = tool or story.tool
        story.category = category or story.category
        _restore_takes(story, state)


def _restore_slug(story: Story, slug: Any) -> None:
    """Give `story` its old slug back, unless another story uses it now."""
    if not isinstance(slug, str) or slug == story.slug:
        return
    if queries.slug_taken(Story, slug, story.id):
        return
    old_slug, story.slug = story.slug, slug
    moved.remember(story, old_slug)


def _restore_takes(story: Story, state: dict[str, Any]) -> None:
    """The takes each persona had then: changed, added back, or removed."""
    stored = {take.persona_id: take for take in story.takes}
    takes = []
    for persona in personas_in_order():
        body = state.get(f"Take: {persona.name}")
        if not body:
            continue
        take = stored.get(persona.id) or Take(persona=persona)
        take.body = body
        takes.append(take)
    story.takes = takes
