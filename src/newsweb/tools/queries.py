"""What the tool directory and tool pages read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import contains_eager

from newsweb.extensions import db
from newsweb.models import Category, Persona, Tool, Verdict
from newsweb.models.content import ShipTally


@dataclass(frozen=True)
class Scorecard(ShipTally):
    """The panel's verdicts on a tool and the share of them that say ship."""

    verdicts: list[Verdict]

    @property
    def shipped(self) -> int:  # type: ignore[override]
        """How many panelists say ship."""
        return sum(1 for verdict in self.verdicts if verdict.ship)

    @property
    def verdict_count(self) -> int:  # type: ignore[override]
        """How many panelists have a verdict."""
        return len(self.verdicts)


@dataclass(frozen=True)
class DirectoryEntry(ShipTally):
    """A row of the tool directory."""

    tool: Tool
    verdict_count: int
    shipped: int


SORTS = {"newest": "Newest", "ship": "Panel ship"}


def directory(*, category: Category | None = None, sort: str = "newest") -> list[DirectoryEntry]:
    """Every tool readers may see (in `category`, if given) with its panel tally: one statement."""
    verdict_count = func.count(Verdict.id)
    shipped = func.coalesce(func.sum(cast(Verdict.ship, Integer)), 0)
    stmt = (
        select(Tool, verdict_count, shipped)
        .outerjoin(Verdict, Verdict.tool_id == Tool.id)
        .join(Tool.category)
        .options(contains_eager(Tool.category))
        .where(Tool.visible())
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
        .order_by(*Persona.panel_order())
    )
    return Scorecard(list(verdicts))
