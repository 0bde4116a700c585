"""What the feeds, the /feeds page and the sitemap read, each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, literal, literal_column, select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Tool

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
    """Return every visible tool by name (no relationships loaded)."""
    return list(db.session.scalars(select(Tool).where(Tool.visible()).order_by(Tool.name, Tool.id)))


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
class SitemapSections:
    """The sitemap file of everything but stories: sections, tools, personas, digest weeks."""

    tools: list[tuple[str, datetime]]
    personas: list[str]
    newest_story: datetime | None
    first_week: datetime | None


def _file_less_one(per_file: int) -> ColumnElement[int]:
    """Which story sitemap file a story is in, less one: the expression the sitemap indexes
    are built on (models.content.SITEMAP_FILE), written the same way for `per_file`."""
    less_one = (Story.id - literal_column("1")).self_group()
    return less_one.op("/")(literal_column(str(int(per_file))))


def sitemap_chunks(per_file: int) -> list[tuple[int, datetime]]:
    """The story sitemap files there are, each with when its newest change happened.

    File n holds the visible stories whose ids fall in [(n - 1) * per_file + 1, n * per_file],
    so a file never holds more than `per_file` URLs and a story never moves between files.
    One statement: it counts the files from the largest id, then asks each for its newest
    publication and its newest edit, two short seeks along ix_stories_sitemap_published and
    ix_stories_sitemap_updated, so the cost follows the number of files, not of stories.
    """
    file = _file_less_one(per_file)
    largest = select(func.max(Story.id) - literal_column("1")).scalar_subquery()
    files = select(literal(0).label("n")).cte("files", recursive=True)
    files = files.union_all(
        select(files.c.n + 1).where(files.c.n < largest.op("/")(literal_column(str(per_file))))
    )
    in_file = (file == files.c.n, Story.visible())
    published = select(func.max(Story.published_at)).where(*in_file).scalar_subquery()
    edited = (
        select(Story.updated_at)
        .where(*in_file)
        .order_by(Story.updated_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(select(files.c.n, published, edited).order_by(files.c.n))
    return [
        (int(n) + 1, max(published, updated))
        for n, published, updated in rows
        if published is not None and updated is not None
    ]


def sitemap_stories(number: int, per_file: int) -> list[SitemapStory]:
    """The visible stories of story sitemap file `number`, in id order: one statement."""
    first = (number - 1) * per_file + 1
    return [
        SitemapStory(slug, published_at, updated_at)
        for slug, published_at, updated_at in db.session.execute(
            select(Story.slug, Story.published_at, Story.updated_at)
            .where(Story.visible(), Story.id.between(first, first + per_file - 1))
            .order_by(Story.id)
        )
        if published_at is not None
    ]


def sitemap_sections() -> SitemapSections:
    """Tools, personas, the newest and oldest publication: three statements."""
    tools = [
        (slug, updated_at)
        for slug, updated_at in db.session.execute(
            select(Tool.slug, Tool.updated_at).where(Tool.visible()).order_by(Tool.name, Tool.id)
        )
    ]
    personas = list(db.session.scalars(select(Persona.slug).order_by(*Persona.panel_order())))
    # Two scalar subqueries, not one select of both: each is then one seek along
    # ix_stories_listing, where min() and max() together would read every visible story.
    newest, oldest = db.session.execute(
        select(
            select(func.max(Story.published_at)).where(Story.visible()).scalar_subquery(),
            select(func.min(Story.published_at)).where(Story.visible()).scalar_subquery(),
        )
    ).one()
    return SitemapSections(tools, personas, newest, oldest)
