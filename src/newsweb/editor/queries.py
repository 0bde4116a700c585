"""What the newsroom's pages read and write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from slugify import slugify
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, StoryStatus, Take, Tool, Verdict
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor, older_than, split_page

# Dashboard tabs: which stories each shows.
TABS = {"all": "All", "drafts": "Drafts", "scheduled": "Scheduled", "published": "Published"}
# A story dated today or undated is published now; another date means that day at this time.
PUBLISH_TIME = time(8, 0)


def personas() -> list[Persona]:
    """The panel in order."""
    return list(db.session.scalars(select(Persona).order_by(*Persona.panel_order())))


def tools() -> list[Tool]:
    """Every tool by name, for the story form's menu."""
    return list(db.session.scalars(select(Tool).order_by(Tool.name)))


def _in_tab(stmt: Select[Story], tab: str, now: datetime) -> Select[Story]:
    published = Story.status == StoryStatus.PUBLISHED
    if tab == "drafts":
        return stmt.where(Story.status == StoryStatus.DRAFT)
    if tab == "scheduled":
        return stmt.where(published, Story.published_at > now)
    if tab == "published":
        return stmt.where(published, Story.published_at <= now)
    return stmt


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class StoryRows:
    """One page of the dashboard's story table."""

    stories: list[Story]
    next_cursor: Cursor | None


def dashboard_stories(*, tab: str, query: str, limit: int, after: Cursor | None) -> StoryRows:
    """Stories in `tab` whose title contains `query`, last edited first, keyset-paged."""
    now = utcnow()
    stmt = (
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .order_by(Story.updated_at.desc(), Story.id.desc())
        .limit(limit + 1)
    )
    stmt = _in_tab(stmt, tab, now)
    if query:
        stmt = stmt.where(Story.title.ilike(like_pattern(query), escape="\\"))
    if after is not None:
        stmt = stmt.where(older_than(after, Story.updated_at, Story.id))
    rows = db.session.scalars(stmt).unique().all()
    stories, next_cursor = split_page(rows, limit, lambda s: (s.updated_at, s.id))
    return StoryRows(stories, next_cursor)


def tab_counts() -> dict[str, int]:
    """How many stories each dashboard tab holds, in one statement."""
    now = utcnow()
    published = Story.status == StoryStatus.PUBLISHED
    row = db.session.execute(
        select(
            func.count(Story.id),
            func.coalesce(func.sum(case((Story.status == StoryStatus.DRAFT, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(published, Story.published_at > now), 1), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((and_(published, Story.published_at <= now), 1), else_=0)), 0
            ),
        )
    ).one()
    return dict(zip(TABS, (int(n) for n in row), strict=True))


def story_for_editing(story_id: int) -> tuple[Story, list[Take]] | None:
    """A story with its tool and category, and its takes with their personas."""
    story = db.session.scalars(
        select(Story)
        .options(joinedload(Story.tool), joinedload(Story.category))
        .where(Story.id == story_id)
    ).first()
    if story is None:
        return None
    takes = list(
        db.session.scalars(
            select(Take)
            .join(Take.persona)
            .options(contains_eager(Take.persona))
            .where(Take.story_id == story.id)
            .order_by(Persona.position)
        )
    )
    return story, takes


def tool_for_editing(slug: str) -> tuple[Tool, list[Verdict]] | None:
    """A tool with its category, and its verdicts with their personas."""
    tool = db.session.scalars(
        select(Tool).options(joinedload(Tool.category)).where(Tool.slug == slug)
    ).first()
    if tool is None:
        return None
    verdicts = list(
        db.session.scalars(
            select(Verdict)
            .join(Verdict.persona)
            .options(contains_eager(Verdict.persona))
            .where(Verdict.tool_id == tool.id)
            .order_by(Persona.position)
        )
    )
    return tool, verdicts


def slug_taken(
    model: type[Story] | type[Tool] | type[Persona] | type[Category], slug: str, item_id: int | None
) -> bool:
    """Whether another row of `model` already uses `slug`."""
    stmt = select(model.id).where(model.slug == slug)
    if item_id is not None:
        stmt = stmt.where(model.id != item_id)
    return db.session.scalar(stmt) is not None


def name_taken(
    model: type[Tool] | type[Persona] | type[Category], name: str, item_id: int | None
) -> bool:
    """Whether another row of `model` already has `name`."""
    stmt = select(model.id).where(model.name == name)
    if item_id is not None:
        stmt = stmt.where(model.id != item_id)
    return db.session.scalar(stmt) is not None


def slug_from(text: str) -> str:
    """A URL slug made from a title or name."""
    return slugify(text, max_length=80, word_boundary=True) or "untitled"


def publication_time(day: date | None, *, now: datetime) -> datetime:
    """When a story dated `day` goes out: now for today or no date, else that day."""
    if day is None or day == now.date():
        return now
    return datetime.combine(day, PUBLISH_TIME)


def count_stories_using(*, tool: Tool | None = None, category: Category | None = None) -> int:
    """How many stories are about `tool` or filed under `category`."""
    stmt = select(func.count(Story.id))
    if tool is not None:
        stmt = stmt.where(Story.tool_id == tool.id)
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    return db.session.scalar(stmt) or 0
