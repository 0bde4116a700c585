"""The panel's verdict history as the tool pages, persona pages, feeds and API read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Persona, Tool, VerdictChange

# Changes a page or feed shows at most: years of a busy panel, and still one statement.
HISTORY_LENGTH = 50


def verdict_changes(
    *,
    tool: Tool | None = None,
    persona: Persona | None = None,
    flips_only: bool = False,
    between: tuple[datetime, datetime] | None = None,
    limit: int = HISTORY_LENGTH,
) -> list[VerdictChange]:
    """Return the newest verdict changes on visible tools (on `tool`, by `persona`, made in
    the span [start, end) `between` names), each with its tool and panelist, in one
    statement. `flips_only` leaves out first calls and withdrawals."""
    stmt = (
        select(VerdictChange)
        .options(joinedload(VerdictChange.tool), joinedload(VerdictChange.persona))
        # A tool still under embargo (named only in a draft) keeps its calls hidden too.
        .where(VerdictChange.tool_id.in_(select(Tool.id).where(Tool.visible())))
        .order_by(VerdictChange.changed_at.desc(), VerdictChange.id.desc())
        .limit(limit)
    )
    if tool is not None:
        stmt = stmt.where(VerdictChange.tool_id == tool.id)
    if persona is not None:
        stmt = stmt.where(VerdictChange.persona_id == persona.id)
    if between is not None:
        start, end = between
        stmt = stmt.where(VerdictChange.changed_at >= start, VerdictChange.changed_at < end)
    if flips_only:
        stmt = stmt.where(
            and_(
                VerdictChange.from_ship.is_not(None),
                VerdictChange.to_ship.is_not(None),
                VerdictChange.from_ship != VerdictChange.to_ship,
            )
        )
    return list(db.session.scalars(stmt))
