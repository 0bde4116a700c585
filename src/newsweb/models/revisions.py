"""Revision history: who changed which story, tool or persona, when, and what changed."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from newsweb.extensions import Base
from newsweb.models.clock import utcnow
from newsweb.models.users import User

# {field label: [value before, value after]}; None before means the item was created.
Changes = dict[str, list[Any]]


class ItemKind(enum.StrEnum):
    """The kinds of item whose edits are recorded."""

    STORY = "story"
    TOOL = "tool"
    PERSONA = "persona"
    PREDICTION = "prediction"


class Revision(Base):
    """One save of one item: the fields it changed, each with its old and new value."""

    __tablename__ = "revisions"
    __table_args__ = (
        Index("ix_revisions_item", "item_kind", "item_id", "created_at"),
        Index("ix_revisions_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[ItemKind] = mapped_column(
        Enum(ItemKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    item_id: Mapped[int] = mapped_column(Integer)
    # What the item was called at the time, so the history outlives renames and deletes.
    item_label: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changes: Mapped[Changes] = mapped_column(JSON)

    user: Mapped[User | None] = relationship(lazy="raise")

    @property
    def action(self) -> str:
        """What the save did, in a word: created, edited or deleted."""
        if all(new is None for _old, new in self.changes.values()):
            return "deleted"
        if all(old is None for old, _new in self.changes.values()):
            return "created"
        return "edited"
