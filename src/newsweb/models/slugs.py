"""Old addresses: the slugs stories, tools, personas and categories had before a rename."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from newsweb.extensions import Base
from newsweb.models.clock import utcnow


class OldSlug(Base):
    """A slug an item of `kind` ("story", "tool", "persona", "category") once had.

    Read only when an address finds nothing (web/moved.py): the item it names answers
    with a permanent redirect to its address now.
    """

    __tablename__ = "old_slugs"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<OldSlug {self.kind} {self.slug}>"
