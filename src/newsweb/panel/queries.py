"""What the panel pages read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import contains_eager

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, StoryStatus, Take, Tool, Verdict
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor, Place


@dataclass(frozen=True)
class PanelSeat:
    """A persona with how often it has weighed in."""

    persona: Persona
    take_count: int
    verdict_count: int
    shipped: int


def panel() -> list[PanelSeat]:
    """Return every persona in panel order with its counts, in one statement.

    Take counts are kept on write (panel/counts.py); only the takes on stories scheduled
    for later, which are few, are counted here, to take them off.
    """
    scheduled = (
        select(func.count(Take.id))
        .join(Take.story)
        .where(
            Take.persona_id == Persona.id,
            Story.status == StoryStatus.PUBLISHED,
            Story.published_at > utcnow(),
        )
        .scalar_subquery()
    )
    verdicts = (
        select(
            Verdict.persona_id,
            func.count(Verdict.id).label("n"),
            func.sum(cast(Verdict.ship, Integer)).label("shipped"),
        )
        .group_by(Verdict.persona_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Persona,
            Persona.published_takes - scheduled,
            func.coalesce(verdicts.c.n, 0),
            func.coalesce(verdicts.c.shipped, 0),
        )
        .outerjoin(verdicts, verdicts.c.persona_id == Persona.id)
        .order_by(*Persona.panel_order())
    )
    return [PanelSeat(persona, t, v, int(s)) for persona, t, v, s in rows]


@dataclass(frozen=True)
class TakePage:
    """One page of a persona's takes, newest story first."""

    takes: list[Take]
    next_cursor: Cursor | None


def takes_by(
    persona: Persona,
    *,
    limit: int,
    place: Place[Cursor] | None = None,
    category: Category | None = None,
) -> TakePage:
    """Return `persona`'s takes on visible stories (in `category`), newest story first, at
    `place` (a page of `limit`, or everything so far).

    One statement: each take comes with its story and the story's tool and category.
    """
    place = place or Place[Cursor]()
    stmt = (
        select(Take)
        .join(Take.story)
        .join(Story.tool)
        .join(Story.category)
        .options(
            contains_eager(Take.story).contains_eager(Story.tool),
            contains_eager(Take.story).contains_eager(Story.category),
        )
        .where(
            *place.bounds(Story.published_at, Story.id),
            Take.persona_id == persona.id,
            Story.visible(),
        )
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(place.limit(limit) + 1)
    )
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    rows = db.session.scalars(stmt).all()
    takes, next_cursor = place.split(
        rows, limit, lambda t: Cursor.of_row(t.story.published_at, t.story.id)
    )
    return TakePage(takes, next_cursor)


def verdicts_by(persona: Persona, *, category: Category | None = None) -> list[Verdict]:
    """Return `persona`'s verdicts (on tools in `category`), each with its tool, by tool name."""
    stmt = (
        select(Verdict)
        .join(Verdict.tool)
        .options(contains_eager(Verdict.tool))
        .where(Verdict.persona_id == persona.id, Tool.visible())
        .order_by(Tool.name)
    )
    if category is not None:
        stmt = stmt.where(Tool.category_id == category.id)
    return list(db.session.scalars(stmt))
