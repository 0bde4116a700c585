"""Reading and writing bookmarks. Writes are idempotent: saving twice saves once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Insert, and_, bindparam, delete, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, contains_eager

from newsweb.extensions import db
from newsweb.models import Bookmark, Story, Tool, User, VerdictChange

Kind = Literal["tools", "stories"]
KINDS: tuple[Kind, ...] = ("tools", "stories")
ItemKey = tuple[Kind, int]


def find_item(kind: Kind, slug: str) -> Tool | Story | None:
    """Return the visible tool or story a bookmark URL names."""
    if kind == "tools":
        return db.session.scalars(select(Tool).where(Tool.slug == slug, Tool.visible())).first()
    return db.session.scalars(select(Story).where(Story.slug == slug, Story.visible())).first()


def _column_for(kind: Kind) -> str:
    return "tool_id" if kind == "tools" else "story_id"


def _insert_ignoring_duplicates(values: dict[str, object], conflict_column: str) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect of the database in use."""
    if db.session.get_bind().dialect.name == "postgresql":
        return (
            postgresql.insert(Bookmark)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["user_id", conflict_column])
        )
    return (
        sqlite.insert(Bookmark)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["user_id", conflict_column])
    )


def add_bookmark(
    user: User, kind: Kind, item: Tool | Story, *, saved_at: datetime | None = None
) -> None:
    """Save `item` for `user` (as saved at `saved_at`, when an undo puts it back); saving
    something already saved changes nothing.

    The unique constraint decides, so fifty simultaneous saves still leave one row.
    """
    column = _column_for(kind)
    values: dict[str, object] = {"user_id": user.id, column: item.id}
    if saved_at is not None:
        values["created_at"] = saved_at
    db.session.execute(_insert_ignoring_duplicates(values, column))
    db.session.commit()


def remove_bookmark(user: User, kind: Kind, item: Tool | Story) -> datetime | None:
    """Forget `item` for `user`, returning when it had been saved; removing what is not
    saved succeeds, changes nothing and returns None."""
    column = getattr(Bookmark, _column_for(kind))
    removed = db.session.execute(
        delete(Bookmark)
        .where(Bookmark.user_id == user.id, column == item.id)
        .returning(Bookmark.created_at)
    ).scalar()
    db.session.commit()
    return removed


# Built once: every member's page asks it (with bound values), and building a statement
# costs more than running this one.
_SAVED_AMONG = select(Bookmark.tool_id, Bookmark.story_id).where(
    Bookmark.user_id == bindparam("user_id"),
    Bookmark.tool_id.in_(bindparam("tool_ids", expanding=True))
    | Bookmark.story_id.in_(bindparam("story_ids", expanding=True)),
)


def saved_among(user: User, *, tool_ids: list[int], story_ids: list[int]) -> set[ItemKey]:
    """Which of these tools and stories (by id) `user` has saved, in one statement."""
    if not user.is_authenticated or not (tool_ids or story_ids):
        return set()
    parameters = {"user_id": user.id, "tool_ids": tool_ids, "story_ids": story_ids}
    # On the session's connection: plain columns need none of the ORM's work.
    rows = db.session.connection().execute(_SAVED_AMONG, parameters)
    keys: set[ItemKey] = set()
    for tool_id, story_id in rows:
        if tool_id is not None:
            keys.add(("tools", tool_id))
        elif story_id is not None:
            keys.add(("stories", story_id))
    return keys


@dataclass(frozen=True)
class Saved:
    """A member's bookmarks of what readers may see now, newest first, split by kind; how many
    of each there are in all; and which saved tools have had a verdict change since they
    were saved (bookmark ids).

    Every page that shows bookmarks (the sidebar, /bookmarks) reads this one value, so their
    lists and counts cannot disagree.
    """

    tools: list[Bookmark]
    stories: list[Bookmark]
    changed_since_saved: frozenset[int] = frozenset()
    tool_count: int = 0
    story_count: int = 0

    @property
    def count(self) -> int:
        """How many items are saved in all."""
        return self.tool_count + self.story_count

    def find(self, kind: Kind, item_id: int) -> Bookmark | None:
        """The listed bookmark of the tool or story with this id, if any."""
        if kind == "tools":
            return next((saved for saved in self.tools if saved.tool_id == item_id), None)
        return next((saved for saved in self.stories if saved.story_id == item_id), None)


# The most bookmarks a page lists; far beyond what a reader keeps, and a fixed bound.
SAVED_LIMIT = 200


def saved_by(user: User) -> Saved:
    """Return `user`'s bookmarks of visible tools and stories, with those tools and stories,
    newest first; how many of each kind there are; and whether each saved tool's verdicts
    changed since it was saved: one statement.

    A bookmark of a story since unpublished, or of a tool since hidden, stays in the table
    (it returns with its item) but is neither listed nor counted: no page could show it.
    """
    # Aliased, so that the tool's visibility test (a subquery on stories) looks at all
    # stories, not at the one this row saved.
    story = aliased(Story)
    # One short look along ix_verdict_changes_tool per saved tool.
    changed = exists().where(
        VerdictChange.tool_id == Bookmark.tool_id,
        VerdictChange.changed_at > Bookmark.created_at,
    )
    is_story = Bookmark.story_id.is_not(None)
    # Counted over every row before the limit, so each row carries both totals, however
    # many of either kind are listed (a bookmark names a tool or a story, never both).
    tool_total = func.count(Bookmark.tool_id).over()
    story_total = func.count(Bookmark.story_id).over()
    result = db.session.execute(
        select(Bookmark, changed, tool_total, story_total)
        .outerjoin(Bookmark.tool)
        .outerjoin(story, Bookmark.story)
        .options(
            contains_eager(Bookmark.tool).joinedload(Tool.category),
            contains_eager(Bookmark.story.of_type(story)).joinedload(story.tool),
            contains_eager(Bookmark.story.of_type(story)).joinedload(story.category),
        )
        .where(Bookmark.user_id == user.id)
        .where(or_(and_(~is_story, Tool.visible()), and_(is_story, story.visible())))
        .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
        .limit(SAVED_LIMIT)
    ).unique()
    tools: list[Bookmark] = []
    stories: list[Bookmark] = []
    changed_ids: set[int] = set()
    rows = result.all()
    tool_count, story_count = (rows[0][2], rows[0][3]) if rows else (0, 0)
    for bookmark, verdicts_changed, _, _ in rows:
        if bookmark.tool is None:
            stories.append(bookmark)
        else:
            tools.append(bookmark)
            if verdicts_changed:
                changed_ids.add(bookmark.id)
    return Saved(tools, stories, frozenset(changed_ids), tool_count, story_count)
