"""How divided the panel is on each story, kept in step with every write to a take.

The front page's "Most divided" order reads `stories.dissent` through an index, so the
number must be stored, not counted on each request. Any flush that adds, removes or
changes a take notes its story; before the commit, in the same transaction, those
stories' dissent is counted again from their takes' calls (`Split.dissent`).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from newsweb.database import listen_to_sessions
from newsweb.models import Call, Split, Take

PENDING = "stories_to_divide"
SET_DISSENT = text("UPDATE stories SET dissent = :dissent WHERE id = :story_id")


def note_changes(unit: Session, _context: object) -> None:
    """After a flush: remember the stories whose takes it added, changed or removed."""
    touched = {
        take.story_id
        for take in (*unit.new, *unit.deleted, *unit.dirty)
        if isinstance(take, Take) and take.story_id is not None
    }
    if touched:
        unit.info.setdefault(PENDING, set()).update(touched)


def recount(unit: Session) -> None:
    """Before the commit: count again the dissent of every story noted."""
    unit.flush()
    story_ids = unit.info.pop(PENDING, None)
    if not story_ids:
        return
    calls: dict[int, list[Call]] = defaultdict(list)
    rows = unit.execute(
        select(Take.story_id, Take.call, func.count())
        .where(Take.story_id.in_(story_ids))
        .group_by(Take.story_id, Take.call)
    )
    for story_id, call, count in rows:
        calls[story_id].extend([call] * count)
    unit.execute(
        SET_DISSENT,
        [{"story_id": sid, "dissent": Split.of(calls[sid]).dissent} for sid in sorted(story_ids)],
    )


def forget(unit: Session) -> None:
    """After a rollback nothing was written."""
    unit.info.pop(PENDING, None)


def track() -> None:
    """Listen to every session's flushes and commits (once per process)."""
    listen_to_sessions(after_flush=note_changes, before_commit=recount, after_rollback=forget)
