"""What the front page and story pages read, each in a fixed number of statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Integer, Select, cast, func, literal, select, tuple_
from sqlalchemy.orm import contains_eager, joinedload

from newsweb.extensions import db
from newsweb.models import Call, Category, Persona, Story, Take, Tool, Verdict
from newsweb.models.content import ShipTally
from newsweb.paging import Cursor, DividedCursor, Place

# The front page's orders: `?sort=` value and the control's label.
SORTS = {"newest": "Newest", "divided": "Most divided"}


@dataclass(frozen=True)
class PanelCall:
    """One panelist's call on a story, as a card shows it (the take's text not loaded)."""

    persona: Persona
    call: Call


AnyCursor = TypeVar("AnyCursor", Cursor, DividedCursor)


@dataclass(frozen=True)
class StoryPage(Generic[AnyCursor]):
    """One page of a story listing, and where the next one starts (a cursor of its order)."""

    stories: list[Story]
    panelists: dict[int, list[PanelCall]]
    next_cursor: AnyCursor | None

    @property
    def panel(self) -> list[Persona]:
        """Every panelist with a take on a story of this page, once each, in panel order."""
        personas = {
            seat.persona.id: seat.persona for found in self.panelists.values() for seat in found
        }
        return sorted(personas.values(), key=lambda persona: persona.seat)


@dataclass(frozen=True)
class ToolTally(ShipTally):
    """The panel's verdicts on one tool, counted."""

    shipped: int
    verdict_count: int


def latest_stories(
    *,
    limit: int,
    after: Cursor | None = None,
    place: Place[Cursor] | None = None,
    category: Category | None = None,
    tool: Tool | None = None,
) -> StoryPage[Cursor]:
    """Return visible stories newest first, after `after` or at `place` (a page of `limit`,
    or everything so far), with who on the panel took each.

    Two statements whatever the page size: the stories (with tool and category joined)
    and the personas who wrote takes on them.
    """
    place = place or Place[Cursor](after=after)
    stmt = (
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(*place.bounds(Story.published_at, Story.id), Story.visible())
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(place.limit(limit) + 1)
    )
    stmt = _filtered(stmt, category, tool)
    rows = db.session.scalars(stmt).unique().all()
    stories, next_cursor = place.split(rows, limit, lambda s: Cursor.of_row(s.published_at, s.id))
    return StoryPage(stories, panelists_by_story([s.id for s in stories]), next_cursor)


def most_divided_stories(
    *,
    limit: int,
    place: Place[DividedCursor] | None = None,
    category: Category | None = None,
    tool: Tool | None = None,
) -> StoryPage[DividedCursor]:
    """Return visible stories the panel is most divided on first, newest first among equals,
    at `place` (a page of `limit`, or everything so far).

    "Divided" is `Story.dissent`: how many panelists' calls differ from the most common
    call. Keyset paged on (dissent, published_at, id), read from the ix_stories_*divided
    indexes; two statements, like `latest_stories`.
    """
    place = place or Place[DividedCursor]()
    stmt = (
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(*_divided_bounds(place.after, place.through), Story.visible())
        .order_by(Story.dissent.desc(), Story.published_at.desc(), Story.id.desc())
        .limit(place.limit(limit) + 1)
    )
    stmt = _filtered(stmt, category, tool)
    rows = db.session.scalars(stmt).unique().all()
    stories, next_cursor = place.split(rows, limit, _divided_cursor)
    return StoryPage(stories, panelists_by_story([s.id for s in stories]), next_cursor)


def _divided_cursor(story: Story) -> DividedCursor | None:
    """Where the "Most divided" order stands after `story`."""
    at = story.published_at
    return None if at is None else DividedCursor(story.dissent, at, story.id)


def _divided_bounds(
    cursor: DividedCursor | None, through: DividedCursor | None = None
) -> tuple[ColumnElement[bool], ...]:
    """WHERE terms for the stories after `cursor` (down to and including `through`) in the
    "Most divided" order.

    A bound on dissent comes first, even on the first page (where it excludes nothing):
    it is what makes SQLite walk ix_stories_*divided in order, where without it the
    visibility bound led it to the newest-first index and a sort of every visible story.
    After a cursor, the rest is one row-value comparison, which both databases take as
    an index bound: spelled as an OR of ranges, PostgreSQL walked every story at the
    cursor's dissent newer than the cursor (35 ms two years down at 100,000 stories).
    """
    columns = tuple_(Story.dissent, Story.published_at, Story.id)
    bounds: tuple[ColumnElement[bool], ...] = (
        (Story.dissent >= 0,)
        if cursor is None
        else (Story.dissent <= cursor.dissent, columns < _row_value(cursor))
    )
    if through is not None:
        bounds += (columns >= _row_value(through),)
    return bounds


def _row_value(cursor: DividedCursor) -> ColumnElement[tuple[int, object, int]]:
    """`cursor` as a row value to compare (dissent, published_at, id) with."""
    return tuple_(literal(cursor.dissent), literal(cursor.at), literal(cursor.id))


def _filtered(stmt: Select[Story], category: Category | None, tool: Tool | None) -> Select[Story]:
    """`stmt` narrowed to a category and a tool, when given."""
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    if tool is not None:
        stmt = stmt.where(Story.tool_id == tool.id)
    return stmt


def panelists_by_story(story_ids: list[int]) -> dict[int, list[PanelCall]]:
    """Map each story id to the personas with a take on it and their calls, in panel order.

    One statement, even for no stories, so that a page's count never depends on its data.
    """
    found: dict[int, list[PanelCall]] = defaultdict(list)
    rows = db.session.execute(
        select(Take.story_id, Take.call, Persona)
        .join(Take.persona)
        .where(Take.story_id.in_(story_ids))
        .order_by(*Persona.panel_order())
    )
    for story_id, call, persona in rows:
        found[story_id].append(PanelCall(persona, call))
    return found


def tool_tally(tool_id: int) -> ToolTally:
    """The panel's verdicts on one tool, counted: one statement."""
    verdict_count, shipped = db.session.execute(
        select(
            func.count(Verdict.id), func.coalesce(func.sum(cast(Verdict.ship, Integer)), 0)
        ).where(Verdict.tool_id == tool_id)
    ).one()
    return ToolTally(int(shipped), int(verdict_count))


def visible_story(slug: str) -> Story | None:
    """Return the published story with this slug, its tool and category loaded."""
    return db.session.scalars(
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(Story.slug == slug, Story.visible())
    ).first()


def takes_on(story: Story) -> list[Take]:
    """Return the panel's takes on `story` in panel order, each with its persona."""
    return list(
        db.session.scalars(
            select(Take)
            .join(Take.persona)
            .options(contains_eager(Take.persona))
            .where(Take.story_id == story.id)
            .order_by(*Persona.panel_order())
        )
    )


def take_on(story: Story, persona_slug: str) -> Take | None:
    """Return one persona's take on `story`, with the persona loaded."""
    return db.session.scalars(
        select(Take)
        .join(Take.persona)
        .options(contains_eager(Take.persona))
        .where(Take.story_id == story.id, Persona.slug == persona_slug)
    ).first()


def more_about_tool(story: Story, limit: int = 4) -> list[Story]:
    """Return other visible stories about the same tool, newest first."""
    return list(
        db.session.scalars(
            select(Story)
            .options(joinedload(Story.tool), joinedload(Story.category))
            .where(Story.visible(), Story.tool_id == story.tool_id, Story.id != story.id)
            .order_by(Story.published_at.desc(), Story.id.desc())
            .limit(limit)
        )
    )
