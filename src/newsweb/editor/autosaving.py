"""Autosave: what an editor types into a story's form is kept as they type (debounced by
the form), apart from the story. It never publishes and never changes the story, its
history, or what readers see: the editor's own Save does that, and drops the autosave.
The editor's next visit to the form brings back what they had not saved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from newsweb.editor.confirm import posted_fields
from newsweb.extensions import db
from newsweb.models import Story, StoryAutosave, User

# Posted fields an autosave does not keep: the token is the session's, the buttons' are
# not what was typed.
NOT_KEPT = frozenset({"csrf_token"})


def keep(story: Story, user: User, now: datetime) -> StoryAutosave:
    """Keep the fields posted now as `user`'s autosave of `story`; the caller commits."""
    row = db.session.get(StoryAutosave, (story.id, user.id)) or StoryAutosave(
        story_id=story.id, user_id=user.id
    )
    row.fields = [[name, value] for name, value in posted_fields() if name not in NOT_KEPT]
    row.saved_at = now
    db.session.add(row)
    return row


def recovered(story: Story, user: User) -> StoryAutosave | None:
    """`user`'s autosave of `story`, if they have one they did not save."""
    return db.session.get(StoryAutosave, (story.id, user.id))


def drop(story: Story, user: User) -> None:
    """Forget `user`'s autosave of `story` (saved or discarded); the caller commits."""
    db.session.execute(
        delete(StoryAutosave).where(
            StoryAutosave.story_id == story.id, StoryAutosave.user_id == user.id
        )
    )
