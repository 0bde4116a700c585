"""What the front page and story pages read, each in a fixed number of statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Take, Tool
from newsweb.paging import Cursor, Place


@dataclass(frozen=True)
class StoryPage:
    """One page of a newest-first story listing."""

    stories: list[Story]
    panelists: dict[int, list[Persona]]
    next_cursor: Cursor | None

    @property
    def panel(self) -> list[Persona]:
        """Every panelist with a take on a story of this page, once each, in panel order."""
        personas = {persona.id: persona for found in self.panelists.values() for persona in found}
        return sorted(personas.values(), key=lambda persona: persona.seat)


def latest_stories(
    *,
    limit: int,
    after: Cursor | None = None,
    place: Place | None = None,
    category: Category | None = None,
    tool: Tool | None = None,
) -> StoryPage:
    """Return visible stories newest first, after `after` or at `place` (a page of `limit`,
    or everything so far), with who on the panel took each.

    Two statements whatever the page size: the stories (with tool and category joined)
    and the personas who wrote takes on them.
    """
    place = place or Place(after=after)
    stmt = (
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(*place.bounds(Story.published_at, Story.id), Story.visible())
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(place.limit(limit) + 1)
    )
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    if tool is not None:
        stmt = stmt.where(Story.tool_id == tool.id)
    rows = db.session.scalars(stmt).unique().all()
    stories, next_cursor = place.split(rows, limit, lambda s: (s.published_at, s.id))
    return StoryPage(stories, panelists_by_story([s.id for s in stories]), next_cursor)


def panelists_by_story(story_ids: list[int]) -> dict[int, list[Persona]]:
    """Map each story id to the personas with a take on it, in panel order.

    One statement, even for no stories, so that a page's count never depends on its data.
    """
    found: dict[int, list[Persona]] = defaultdict(list)
    rows = db.session.execute(
        select(Take.story_id, Persona)
        .join(Take.persona)
        .where(Take.story_id.in_(story_ids))
        .order_by(*Persona.panel_order())
    )
    for story_id, persona in rows:
        found[story_id].append(persona)
    return found


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
