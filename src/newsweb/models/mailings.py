"""What was mailed to whom: one row per member and digest week, so a week is sent once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from newsweb.extensions import Base
from newsweb.models.clock import utcnow


class DigestSend(Base):
    """The weekly digest of `week` (`2026-W48`) was accepted by the SMTP server for a member."""

    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DigestSend {self.user_id} {self.week}>"
