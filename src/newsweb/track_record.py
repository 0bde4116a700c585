"""The panel's predictions as the ledger, the persona and panel pages, the API and the
digest read them: each listing one statement, on stories readers can see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, cast, exists, func, not_, or_, select
from sqlalchemy.orm import contains_eager

from newsweb.extensions import db
from newsweb.models import Outcome, Persona, Prediction, PredictionStatus, Story, Take
from newsweb.paging import Cursor, Place

# How the ledger reads each status: open and due soonest first, resolved latest first.
NEWEST_FIRST = {PredictionStatus.RESOLVED}


def _on_a_visible_story() -> ColumnElement[bool]:
    """Whether a prediction's take is on a story readers can see, tested row by row.

    As an EXISTS on the story's primary key, not a filter on the joined stories: given
    the filter, SQLite walked every visible story (100,000 at scale, 60 ms) to find the
    few with predictions; this way each listing walks its predictions index and looks
    each story up.
    """
    story = select(Story.id).where(Story.id == Take.story_id, Story.visible())
    return exists(story.correlate_except(Story))


def _visible() -> Select[Prediction]:
    """Predictions in takes on stories readers can see, each with its panelist, take and story."""
    return (
        select(Prediction)
        .join(Prediction.take)
        .join(Take.story)
        .join(Prediction.persona)
        .options(
            contains_eager(Prediction.take).contains_eager(Take.story),
            contains_eager(Prediction.persona),
        )
        .where(_on_a_visible_story())
    )


def _after(cursor: Cursor, newest_first: bool) -> ColumnElement[bool]:
    """The WHERE clause for rows past `cursor` in a (due_on, id) listing."""
    day = cursor.at.date()
    if newest_first:
        return or_(
            Prediction.due_on < day, and_(Prediction.due_on == day, Prediction.id < cursor.id)
        )
    return or_(Prediction.due_on > day, and_(Prediction.due_on == day, Prediction.id > cursor.id))


@dataclass(frozen=True)
class LedgerPage:
    """One page of the ledger in one status, and the cursor of the next, if any."""

    status: PredictionStatus
    predictions: list[Prediction]
    next_cursor: Cursor | None


def ledger(
    status: PredictionStatus,
    *,
    today: date,
    limit: int,
    persona: Persona | None = None,
    outcome: Outcome | None = None,
    after: Cursor | None = None,
    place: Place[Cursor] | None = None,
) -> LedgerPage:
    """Return a page of predictions in `status` (by `persona`, ruled `outcome`), in one
    statement, ordered by due date: soonest first, or latest first for resolved ones.

    The page is `limit` rows after `after`, or the rows `place` names (everything a reader
    loaded so far, see paging.Place).
    """
    place = place or Place[Cursor](after=after)
    newest_first = status in NEWEST_FIRST
    order = (Prediction.due_on.desc(), Prediction.id.desc()) if newest_first else (
        Prediction.due_on, Prediction.id
    )  # fmt: skip
    stmt = (
        _visible()
        .where(Prediction.in_status(status, today))
        .order_by(*order)
        .limit(place.limit(limit) + 1)
    )
    if persona is not None:
        stmt = stmt.where(Prediction.persona_id == persona.id)
    if outcome is not None:
        stmt = stmt.where(Prediction.outcome == outcome)
    if place.after is not None:
        stmt = stmt.where(_after(place.after, newest_first))
    if place.through is not None:
        stmt = stmt.where(not_(_after(place.through, newest_first)))
    rows = list(db.session.scalars(stmt))
    page, next_cursor = place.split(
        rows, limit, lambda found: Cursor(datetime.combine(found.due_on, time()), found.id)
    )
    return LedgerPage(status, page, next_cursor)


def predictions_due_between(first: date, last: date) -> list[Prediction]:
    """Return the predictions due from `first` to `last` (both included), whatever their
    status, soonest first, in one statement."""
    return list(
        db.session.scalars(
            _visible()
            .where(Prediction.due_on.between(first, last))
            .order_by(Prediction.due_on, Prediction.id)
        )
    )


def predictions_by(persona: Persona, *, limit: int) -> list[Prediction]:
    """Return `persona`'s newest-due predictions, every status, in one statement."""
    return list(
        db.session.scalars(
            _visible()
            .where(Prediction.persona_id == persona.id)
            .order_by(Prediction.due_on.desc(), Prediction.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class TrackRecord:
    """A panelist's predictions: how many made, how many ruled on, and how those went.

    Only resolved predictions count towards the record: an open or unruled one is neither
    right nor wrong yet.
    """

    persona: Persona
    made: int = 0
    came_true: int = 0
    partly: int = 0
    did_not: int = 0

    @property
    def resolved(self) -> int:
        """How many predictions have a ruling."""
        return self.came_true + self.partly + self.did_not

    @property
    def unresolved(self) -> int:
        """How many are still open or awaiting a ruling: not counted."""
        return self.made - self.resolved

    @property
    def hit_rate(self) -> int | None:
        """The share of resolved predictions that came true, as a whole percentage."""
        return round(100 * self.came_true / self.resolved) if self.resolved else None


def track_records(personas: Sequence[Persona]) -> list[TrackRecord]:
    """Return each of `personas`' track records, in their order, in one statement."""
    ids = [persona.id for persona in personas]
    if not ids:
        return []

    def count(outcome: Outcome) -> ColumnElement[Any]:
        return func.coalesce(func.sum(cast(Prediction.outcome == outcome, Integer)), 0)

    rows = db.session.execute(
        select(
            Prediction.persona_id,
            func.count(Prediction.id),
            count(Outcome.CAME_TRUE),
            count(Outcome.PARTLY),
            count(Outcome.DID_NOT),
        )
        .join(Prediction.take)
        .where(_on_a_visible_story(), Prediction.persona_id.in_(ids))
        .group_by(Prediction.persona_id)
    )
    tallies = {row[0]: [int(n) for n in row[1:]] for row in rows}
    records = []
    for persona in personas:
        made, came_true, partly, did_not = tallies.get(persona.id, [0, 0, 0, 0])
        records.append(TrackRecord(persona, made, came_true, partly, did_not))
    return records
