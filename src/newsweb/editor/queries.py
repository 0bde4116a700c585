"""What the newsroom's pages read and write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from newsweb.extensions import db
from newsweb.models import (
    Category,
    Persona,
    Prediction,
    Role,
    Story,
    StoryStatus,
    Take,
    Tool,
    User,
    Verdict,
)
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor, older_than, split_page
from newsweb.text import like_pattern

# Dashboard tabs: which stories each shows.
TABS = {"all": "All", "drafts": "Drafts", "scheduled": "Scheduled", "published": "Published"}


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


def story_for_editing(story_id: int) -> Story | None:
    """A story with its tool, its category, and its takes with their personas."""
    return db.session.scalars(
        select(Story)
        .options(
            joinedload(Story.tool),
            joinedload(Story.category),
            selectinload(Story.takes).joinedload(Take.persona),
        )
        .where(Story.id == story_id)
    ).first()


def tool_for_editing(slug: str) -> Tool | None:
    """A tool with its category, and its verdicts with their personas."""
    return db.session.scalars(
        select(Tool)
        .options(
            joinedload(Tool.category),
            selectinload(Tool.verdicts).joinedload(Verdict.persona),
        )
        .where(Tool.slug == slug)
    ).first()


def tool_is_visible(tool: Tool) -> bool:
    """Whether readers can see `tool` now (see Tool.visible)."""
    return bool(db.session.scalar(select(Tool.visible()).where(Tool.id == tool.id)))


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


def count_stories_using(*, tool: Tool | None = None, category: Category | None = None) -> int:
    """How many stories are about `tool` or filed under `category`."""
    stmt = select(func.count(Story.id))
    if tool is not None:
        stmt = stmt.where(Story.tool_id == tool.id)
    if category is not None:
        stmt = stmt.where(Story.category_id == category.id)
    return db.session.scalar(stmt) or 0


def count_tools_in(category: Category) -> int:
    """How many tools are filed under `category`."""
    stmt = select(func.count(Tool.id)).where(Tool.category_id == category.id)
    return db.session.scalar(stmt) or 0


def count_panel_work(persona: Persona) -> tuple[int, int]:
    """How many takes and how many verdicts `persona` has given, in one statement."""
    takes = select(func.count(Take.id)).where(Take.persona_id == persona.id).scalar_subquery()
    verdicts = (
        select(func.count(Verdict.id)).where(Verdict.persona_id == persona.id).scalar_subquery()
    )
    row = db.session.execute(select(takes, verdicts)).one()
    return int(row[0]), int(row[1])


def next_seat() -> int:
    """The panel position after the last one taken: where a new persona sits."""
    return (db.session.scalar(select(func.max(Persona.position))) or 0) + 1


def people_staff_first(limit: int) -> list[User]:
    """Up to `limit` accounts: editors and admins first, then readers, each by email."""
    staff_first = (User.role == Role.READER, User.email)
    return list(db.session.scalars(select(User).order_by(*staff_first).limit(limit)))


def user_by_id(user_id: int) -> User | None:
    """The account with this id, if any."""
    return db.session.get(User, user_id)


def admin_count() -> int:
    """How many admins there are."""
    return db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) or 0


def take_for_predictions(take_id: int) -> Take | None:
    """A take with its persona and its story: what a prediction is attached to."""
    return db.session.scalars(
        select(Take)
        .options(joinedload(Take.persona), joinedload(Take.story))
        .where(Take.id == take_id)
    ).first()


def prediction_for_editing(prediction_id: int) -> Prediction | None:
    """A prediction with its panelist, and its take with the take's story."""
    return db.session.scalars(
        select(Prediction)
        .options(
            joinedload(Prediction.persona),
            joinedload(Prediction.take).joinedload(Take.story),
            joinedload(Prediction.take).joinedload(Take.persona),
        )
        .where(Prediction.id == prediction_id)
    ).first()


def predictions_to_rule_on(limit: int = 200) -> list[Prediction]:
    """The newsroom's predictions, unresolved first by due date, then the latest rulings."""
    return list(
        db.session.scalars(
            select(Prediction)
            .options(
                joinedload(Prediction.persona), joinedload(Prediction.take).joinedload(Take.story)
            )
            .order_by(
                Prediction.outcome.is_not(None),
                Prediction.due_on,
                Prediction.id,
            )
            .limit(limit)
        )
    )


def takes_have_predictions(take_ids: list[int]) -> bool:
    """Whether any of these takes carries a prediction (one statement; none for no takes)."""
    if not take_ids:
        return False
    return bool(db.session.scalar(select(exists().where(Prediction.take_id.in_(take_ids)))))
