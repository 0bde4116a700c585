"""What the feeds, the /feeds page and the sitemap read, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Tool, Verdict

# Entries in a feed: enough for a reader who checks weekly, small enough to fetch often.
FEED_LENGTH = 30


def newest_stories(
    *, tool: Tool | None = None, category: Category | None = None, limit: int = FEED_LENGTH
) -> list[Story]:
    """Return the newest visible stories (about `tool`, in `category`), in one statement."""
    stmt = (
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(Story.visible())
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(limit)
    )
    if tool is not None:
        stmt = stmt.where(Story.tool_id == tool.id)
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    return list(db.session.scalars(stmt))


def all_tools() -> list[Tool]:
    """Return every tool by name (no relationships loaded)."""
    return list(db.session.scalars(select(Tool).order_by(Tool.name, Tool.id)))


@dataclass(frozen=True)
class SitemapStory:
    """A story's place in the sitemap."""

    slug: str
    published_at: datetime
    updated_at: datetime

    @property
    def last_modified(self) -> datetime:
        """When the story last changed as readers see it (never before it appeared)."""
        return max(self.published_at, self.updated_at)


@dataclass(frozen=True)
class SitemapContent:
    """Everything the sitemap lists, as plain values."""

    stories: list[SitemapStory]
    tools: list[tuple[str, datetime]]
    personas: list[str]
    # When each verdict was given and last changed: the digest weeks they fall in.
    verdict_moments: list[datetime]


def sitemap_content() -> SitemapContent:
    """Read the sitemap's stories, tools, personas and verdict dates: four statements."""
    stories = [
        SitemapStory(slug, published_at, updated_at)
        for slug, published_at, updated_at in db.session.execute(
            select(Story.slug, Story.published_at, Story.updated_at)
            .where(Story.visible())
            .order_by(Story.published_at.desc(), Story.id.desc())
        )
        if published_at is not None
    ]
    tools = [
        (slug, updated_at)
        for slug, updated_at in db.session.execute(
            select(Tool.slug, Tool.updated_at).order_by(Tool.name, Tool.id)
        )
    ]
    personas = list(db.session.scalars(select(Persona.slug).order_by(*Persona.panel_order())))
    moments: list[datetime] = []
    for created_at, updated_at in db.session.execute(
        select(Verdict.created_at, Verdict.updated_at)
    ):
        moments.extend(moment for moment in (created_at, updated_at) if moment is not None)
    return SitemapContent(stories, tools, personas, moments)
