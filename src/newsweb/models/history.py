"""The panel's record: every change of a verdict (written in the flush that changes it), and
the dated predictions in its takes with the newsroom's rulings on them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    event,
    insert,
    inspect,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from newsweb.extensions import Base
from newsweb.models.clock import utcnow
from newsweb.models.content import Persona, Take, Tool, Verdict
from newsweb.models.users import User


class VerdictChange(Base):
    """One move of one panelist's call on one tool: from ship/skip/nothing to another.

    `from_ship` is None for a first call and `to_ship` None for a call withdrawn; `reason`
    is the editor's note on the change, or the verdict's take when they gave none.
    """

    __tablename__ = "verdict_changes"
    __table_args__ = (
        # The tool's timeline, the panelist's flips and the feeds each read one of these.
        Index("ix_verdict_changes_tool", "tool_id", "changed_at", "id"),
        Index("ix_verdict_changes_persona", "persona_id", "changed_at", "id"),
        Index("ix_verdict_changes_changed", "changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"))
    persona_id: Mapped[int] = mapped_column(ForeignKey("personas.id", ondelete="CASCADE"))
    from_ship: Mapped[bool | None] = mapped_column(Boolean)
    to_ship: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    tool: Mapped[Tool] = relationship(lazy="raise")
    persona: Mapped[Persona] = relationship(lazy="raise")
    editor: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_flip(self) -> bool:
        """Whether a standing call changed (not a first call, not a withdrawal)."""
        return None not in (self.from_ship, self.to_ship) and self.from_ship != self.to_ship

    @property
    def summary(self) -> str:
        """The change in words: "Skip → Ship", "First call: Ship", "Withdrew Skip"."""
        if self.from_ship is None:
            return f"First call: {call_name(self.to_ship)}"
        if self.to_ship is None:
            return f"Withdrew {call_name(self.from_ship)}"
        return f"{call_name(self.from_ship)} → {call_name(self.to_ship)}"


def call_name(ship: bool | None) -> str:
    """A call as the pages write it."""
    return "No call" if ship is None else ("Ship" if ship else "Skip")


def _editor_id() -> int | None:
    """The signed-in editor entering the change; nobody for the demo loader and the CLI."""
    if has_request_context() and current_user.is_authenticated:
        return int(current_user.id)
    return None


def _record(connection: Connection, verdict: Verdict, was: bool | None, now: bool | None) -> None:
    """Insert the change on the flush's own connection, so it commits or rolls back with it."""
    connection.execute(
        insert(VerdictChange).values(
            tool_id=verdict.tool_id,
            persona_id=verdict.persona_id,
            from_ship=was,
            to_ship=now,
            reason=verdict.change_note or verdict.body,
            editor_id=_editor_id(),
            changed_at=verdict.change_at or utcnow(),
        )
    )


@event.listens_for(Verdict, "after_insert")
def _first_call(_mapper: Mapper[Any], connection: Connection, verdict: Verdict) -> None:
    """A new verdict is the panelist's first call on the tool."""
    _record(connection, verdict, None, verdict.ship)


@event.listens_for(Verdict, "after_update")
def _changed_call(_mapper: Mapper[Any], connection: Connection, verdict: Verdict) -> None:
    """A saved verdict whose call moved; a take edited under the same call is no change."""
    history = inspect(verdict).attrs.ship.history
    if history.deleted and history.added and history.deleted[0] != history.added[0]:
        _record(connection, verdict, history.deleted[0], history.added[0])


@event.listens_for(Verdict, "after_delete")
def _withdrawn_call(_mapper: Mapper[Any], connection: Connection, verdict: Verdict) -> None:
    """A verdict removed from the tool's form: the call is withdrawn (a deleted tool takes its
    history with it, by the database's cascade)."""
    _record(connection, verdict, verdict.ship, None)


class Outcome(enum.StrEnum):
    """The newsroom's ruling on a prediction whose day has come."""

    CAME_TRUE = "came_true"
    PARTLY = "partly"
    DID_NOT = "did_not"

    @property
    def label(self) -> str:
        """The ruling as the pages write it."""
        return {"came_true": "Came true", "partly": "Partly", "did_not": "Did not"}[self.value]


class PredictionStatus(enum.StrEnum):
    """Where a prediction stands: its day still ahead, come and awaiting a ruling, or ruled."""

    OPEN = "open"
    DUE = "due"
    RESOLVED = "resolved"


class Prediction(Base):
    """A dated, checkable claim in a panelist's take, and the newsroom's ruling once due.

    `persona_id` repeats the take's panelist (a take never changes hands) so that the
    ledger and each track record read one index.
    """

    __tablename__ = "predictions"
    __table_args__ = (
        Index("ix_predictions_ledger", "outcome", "due_on", "id"),
        Index("ix_predictions_persona", "persona_id", "outcome", "due_on", "id"),
        # The digest's predictions that came due in a week.
        Index("ix_predictions_due", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("takes.id", ondelete="CASCADE"), index=True)
    persona_id: Mapped[int] = mapped_column(ForeignKey("personas.id", ondelete="CASCADE"))
    claim: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    criterion: Mapped[str] = mapped_column(String(500), default="")
    outcome: Mapped[Outcome | None] = mapped_column(
        Enum(Outcome, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    ruling_note: Mapped[str] = mapped_column(Text, default="")
    ruling_source: Mapped[str] = mapped_column(String(500), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    take: Mapped[Take] = relationship(lazy="raise")
    persona: Mapped[Persona] = relationship(lazy="raise")

    def status(self, today: date) -> PredictionStatus:
        """Open before its day, due from its day until ruled on, then resolved."""
        if self.outcome is not None:
            return PredictionStatus.RESOLVED
        return PredictionStatus.DUE if self.due_on <= today else PredictionStatus.OPEN

    @classmethod
    def in_status(cls, status: PredictionStatus, today: date) -> ColumnElement[bool]:
        """The filter for predictions in `status` on `today`."""
        if status is PredictionStatus.RESOLVED:
            return cls.outcome.is_not(None)
        if status is PredictionStatus.DUE:
            return cls.outcome.is_(None) & (cls.due_on <= today)
        return cls.outcome.is_(None) & (cls.due_on > today)

    def __repr__(self) -> str:
        return f"<Prediction {self.id} due {self.due_on}>"
