"""Reading and writing bookmarks. Writes are idempotent: saving twice saves once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Insert, bindparam, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, joinedload

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


def add_bookmark(user: User, kind: Kind, item: Tool | Story) -> None:
    """Save `item` for `user`; saving something already saved changes nothing.

    The unique constraint decides, so fifty simultaneous saves still leave one row.
    """
    column = _column_for(kind)
    db.session.execute(_insert_ignoring_duplicates({"user_id": user.id, column: item.id}, column))
    db.session.commit()


def remove_bookmark(user: User, kind: Kind, item: Tool | Story) -> None:
    """Forget `item` for `user`; removing what is not saved succeeds and changes nothing."""
    column = getattr(Bookmark, _column_for(kind))
    db.session.execute(delete(Bookmark).where(Bookmark.user_id == user.id, column == item.id))
    db.session.commit()


def saved_keys(
    user: User, *, tools: list[Tool] | None = None, stories: list[Story] | None = None
) -> set[ItemKey]:
    """Which of `tools` and `stories` `user` has saved, in one statement."""
    return saved_among(
        user,
        tool_ids=[tool.id for tool in tools or []],
        story_ids=[story.id for story in stories or []],
    )


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
    """A member's bookmarks, newest first, split by kind, and which saved tools have had a
    verdict change since they were saved (bookmark ids)."""

    tools: list[Bookmark]
    stories: list[Bookmark]
    changed_since_saved: frozenset[int] = frozenset()

    @property
    def count(self) -> int:
        """How many items are saved in all."""
        return len(self.tools) + len(self.stories)


# The most bookmarks a page lists; far beyond what a reader keeps, and a fixed bound.
SAVED_LIMIT = 200


def saved_by(user: User) -> Saved:
    """Return `user`'s bookmarks with their tools and stories, newest first, and whether each
    saved tool's verdicts changed since, in one statement."""
    # One short look along ix_verdict_changes_tool per saved tool.
    changed = exists().where(
        VerdictChange.tool_id == Bookmark.tool_id,
        VerdictChange.changed_at > Bookmark.created_at,
    )
    rows = db.session.execute(
        select(Bookmark, changed)
        .outerjoin(Bookmark.story)
        .options(
            joinedload(Bookmark.tool).joinedload(Tool.category),
            contains_eager(Bookmark.story).joinedload(Story.tool),
            contains_eager(Bookmark.story).joinedload(Story.category),
        )
        .where(Bookmark.user_id == user.id)
        .where((Bookmark.story_id.is_(None)) | Story.visible())
        .order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
        .limit(SAVED_LIMIT)
    ).unique()
    tools: list[Bookmark] = []
    stories: list[Bookmark] = []
    changed_ids: set[int] = set()
    for bookmark, verdicts_changed in rows:
        (tools if bookmark.tool is not None else stories).append(bookmark)
        if verdicts_changed and bookmark.tool is not None:
            changed_ids.add(bookmark.id)
    return Saved(tools, stories, frozenset(changed_ids))
