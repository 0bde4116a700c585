"""Each panelist's number of takes on published stories, kept in step with every write.

The panel page shows how often each critic has weighed in. Counting every take on every
request grows with the archive, so `personas.published_takes` holds the count of takes on
stories whose status is published, recounted in the same transaction as any write that
can change it (a take added, removed or moved; a story published, unpublished or
deleted), and never on reads. Stories scheduled for later are published but not yet
visible: the panel subtracts their takes when it reads, and there are only ever a few.
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm import Session

from newsweb.database import listen_to_sessions
from newsweb.models import Persona, Story, StoryStatus, Take

RECOUNT_FLAG = "recount_published_takes"

RECOUNT = update(Persona).values(
    published_takes=select(func.count(Take.id))
    .join(Take.story)
    .where(Take.persona_id == Persona.id, Story.status == StoryStatus.PUBLISHED)
    .scalar_subquery()
)


def _changes_counts(unit: Session, item: object, *, dirty: bool) -> bool:
    if isinstance(item, Take):
        return not dirty or unit.is_modified(item)
    if isinstance(item, Story):
        return not dirty or inspect(item).attrs.status.history.has_changes()
    return False


def note_changes(unit: Session, _context: object) -> None:
    """After a flush: remember whether it touched what the counts depend on."""
    touched = any(_changes_counts(unit, item, dirty=False) for item in (*unit.new, *unit.deleted))
    if touched or any(_changes_counts(unit, item, dirty=True) for item in unit.dirty):
        unit.info[RECOUNT_FLAG] = True


def recount(unit: Session) -> None:
    """Before the commit: recount, in the same transaction, if anything they depend on changed."""
    unit.flush()
    if unit.info.pop(RECOUNT_FLAG, False):
        unit.execute(RECOUNT)


def forget(unit: Session) -> None:
    """After a rollback nothing was written."""
    unit.info.pop(RECOUNT_FLAG, None)


def track() -> None:
    """Listen to every session's flushes and commits (once per process)."""
    listen_to_sessions(after_flush=note_changes, before_commit=recount, after_rollback=forget)
