"""The newsroom's version: what every anonymous page and its validator depend on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from newsweb.extensions import Base
from newsweb.models.clock import utcnow


class NewsroomState(Base):
    """One row: a generation every committed content change moves, and the schedule.

    `schedule` holds the publication times (ISO, naive UTC) of stories that were still
    to come at the last change, and the due days (at midnight) of predictions still open
    then: each that passes changes what readers see with no write, so the version counts
    them too.
    """

    __tablename__ = "newsroom_state"

    ONLY_ROW = 1

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    schedule: Mapped[list[str]] = mapped_column(JSON, default=list)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<NewsroomState generation={self.generation}>"
