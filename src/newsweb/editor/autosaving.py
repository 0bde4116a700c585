"""Autosave: what an editor types into a story's form is kept as they type (debounced by
the form), apart from the story. It never publishes and never changes the story, its
history, or what readers see: the editor's own Save does that, and drops the autosave.
The editor's next visit to the form brings back what they had not saved.

A story never saved yet (`story` None below) has one form in the making per editor:
/editor/stories/new brings it back until they save it or discard it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from newsweb.editor.confirm import posted_fields
from newsweb.extensions import db
from newsweb.models import NewStoryAutosave, Story, StoryAutosave, User

Kept = StoryAutosave | NewStoryAutosave

# Posted fields an autosave does not keep: the token is the session's, the buttons' are
# not what was typed.
NOT_KEPT = frozenset({"csrf_token"})


def keep(story: Story | None, user: User, now: datetime) -> Kept:
    """Keep the fields posted now as `user`'s autosave of `story`; the caller commits."""
    row = recovered(story, user) or (
        NewStoryAutosave(user_id=user.id)
        if story is None
        else StoryAutosave(story_id=story.id, user_id=user.id)
    )
    row.fields = [[name, value] for name, value in posted_fields() if name not in NOT_KEPT]
    row.saved_at = now
    db.session.add(row)
    return row


def recovered(story: Story | None, user: User) -> Kept | None:
    """`user`'s autosave of `story`, if they have one they did not save."""
    if story is None:
        return db.session.get(NewStoryAutosave, user.id)
    return db.session.get(StoryAutosave, (story.id, user.id))


def drop(story: Story | None, user: User) -> None:
    """Forget `user`'s autosave of `story` (saved or discarded); the caller commits."""
    if story is None:
        db.session.execute(delete(NewStoryAutosave).where(NewStoryAutosave.user_id == user.id))
    else:
        db.session.execute(
            delete(StoryAutosave).where(
                StoryAutosave.story_id == story.id, StoryAutosave.user_id == user.id
            )
        )
