"""What was mailed to whom, so nothing goes out twice: one row per member and digest week,
and one per member and verdict change they were alerted to."""

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


class VerdictAlertSend(Base):
    """A member was emailed about one verdict change on a tool they saved."""

    __tablename__ = "verdict_alert_sends"
    __table_args__ = (UniqueConstraint("user_id", "verdict_change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verdict_change_id: Mapped[int] = mapped_column(
        ForeignKey("verdict_changes.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<VerdictAlertSend {self.user_id} {self.verdict_change_id}>"
