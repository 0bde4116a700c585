"""What the tool directory and tool pages read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import contains_eager

from newsweb.extensions import db
from newsweb.models import Category, Persona, Tool, Verdict


def ship_share(shipped: int, total: int) -> int | None:
    """The panel ship share as a whole percentage, or None when nobody has a verdict."""
    return round(100 * shipped / total) if total else None


@dataclass(frozen=True)
class Scorecard:
    """The panel's verdicts on a tool and the share of them that say ship."""

    verdicts: list[Verdict]

    @property
    def shipped(self) -> int:
        """How many panelists say ship."""
        return sum(1 for verdict in self.verdicts if verdict.ship)

    @property
    def ship_percent(self) -> int | None:
        """The panel ship share as a whole percentage, or None with no verdicts."""
        return ship_share(self.shipped, len(self.verdicts))


@dataclass(frozen=True)
class DirectoryEntry:
    """A row of the tool directory."""

    tool: Tool
    verdict_count: int
    shipped: int

    @property
    def ship_percent(self) -> int | None:
        """The panel ship share as a whole percentage, or None with no verdicts."""
        return ship_share(self.shipped, self.verdict_count)


SORTS = {"newest": "Newest", "ship": "Panel ship"}


def directory(*, category: Category | None = None, sort: str = "newest") -> list[DirectoryEntry]:
    """Return every tool (in `category`, if given) with its panel tally, in one statement."""
    verdict_count = func.count(Verdict.id)
    shipped = func.coalesce(func.sum(cast(Verdict.ship, Integer)), 0)
    stmt = (
        select(Tool, verdict_count, shipped)
        .outerjoin(Verdict, Verdict.tool_id == Tool.id)
        .join(Tool.category)
        .options(contains_eager(Tool.category))
        .group_by(Tool.id, Category.id)
    )
    if category is not None:
        stmt = stmt.where(Tool.category_id == category.id)
    if sort == "ship":
        share = cast(shipped, Integer) * 1000 / func.nullif(verdict_count, 0)
        stmt = stmt.order_by(func.coalesce(share, -1).desc(), Tool.name)
    else:
        stmt = stmt.order_by(Tool.created_at.desc(), Tool.id.desc())
    return [
        DirectoryEntry(tool, count, int(ships)) for tool, count, ships in db.session.execute(stmt)
    ]


def scorecard(tool: Tool) -> Scorecard:
    """Return the panel's verdicts on `tool` in panel order, each with its persona."""
    verdicts = db.session.scalars(
        select(Verdict)
        .join(Verdict.persona)
        .options(contains_eager(Verdict.persona))
        .where(Verdict.tool_id == tool.id)
        .order_by(Persona.position, Persona.id)
    )
    return Scorecard(list(verdicts))
