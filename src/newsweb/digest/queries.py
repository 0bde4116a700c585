"""What the weekly digest reads: a span of time's stories and verdicts, in fixed statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import Persona, Story, Tool, Verdict
from newsweb.news.queries import panelists_by_story


@dataclass(frozen=True)
class WeekDigest:
    """One week's published stories and the verdicts given or changed in it."""

    week: IsoWeek
    stories: list[Story]
    verdicts: list[Verdict]

    @property
    def is_empty(self) -> bool:
        """Whether nothing happened that week."""
        return not self.stories and not self.verdicts

    @property
    def updated_at(self) -> datetime | None:
        """When the week last changed: its newest story or verdict, or None if empty."""
        moments = [story.published_at for story in self.stories if story.published_at]
        moments += [verdict_changed_at(verdict) for verdict in self.verdicts]
        return max(moments, default=None)

    @property
    def published_at(self) -> datetime | None:
        """When the week's first story or verdict appeared, or None if empty.

        A verdict given before the week and changed in it counts from the week's start.
        """
        moments = [story.published_at for story in self.stories if story.published_at]
        moments += [verdict.created_at for verdict in self.verdicts]
        return max(min(moments), self.week.starts_at) if moments else None


@dataclass(frozen=True)
class DigestPage:
    """What the digest page shows: the week, who took each story, and the first week on record."""

    digest: WeekDigest
    panelists: dict[int, list[Persona]]
    first_week: IsoWeek | None


def verdict_changed_at(verdict: Verdict) -> datetime:
    """When a verdict was given or last changed."""
    return max(verdict.created_at, verdict.updated_at or verdict.created_at)


def _stories_between(start: datetime, end: datetime) -> list[Story]:
    """Visible stories published in [start, end), newest first, with tool and category."""
    return list(
        db.session.scalars(
            select(Story)
            .options(joinedload(Story.tool), joinedload(Story.category))
            .where(Story.visible(), Story.published_at >= start, Story.published_at < end)
            .order_by(Story.published_at.desc(), Story.id.desc())
        )
    )


def _verdicts_between(start: datetime, end: datetime) -> list[Verdict]:
    """Verdicts given or changed in [start, end), each with its tool and persona.

    Ordered by tool name, then panel order, so a tool's verdicts sit together.
    """
    return list(
        db.session.scalars(
            select(Verdict)
            .join(Verdict.tool)
            .join(Verdict.persona)
            .options(contains_eager(Verdict.tool), contains_eager(Verdict.persona))
            .where(
                or_(
                    and_(Verdict.created_at >= start, Verdict.created_at < end),
                    and_(Verdict.updated_at >= start, Verdict.updated_at < end),
                )
            )
            .order_by(Tool.name, Tool.id, *Persona.panel_order())
        )
    )


def first_week_on_record() -> IsoWeek | None:
    """The week of the oldest visible story or verdict (one statement), or None if neither."""
    oldest_story = select(func.min(Story.published_at)).where(Story.visible()).scalar_subquery()
    oldest_verdict = select(func.min(Verdict.created_at)).scalar_subquery()
    row = db.session.execute(select(oldest_story, oldest_verdict)).one()
    moments = [moment for moment in row if moment is not None]
    return IsoWeek.containing(min(moments)) if moments else None


def digest_page(week: IsoWeek) -> DigestPage:
    """Everything the digest page for `week` shows, in four statements whatever the data.

    The first week on record, the week's stories (tool and category joined), who took
    each story, and the week's verdicts (tool and persona joined).
    """
    first_week = first_week_on_record()
    stories = _stories_between(week.starts_at, week.ends_at)
    verdicts = _verdicts_between(week.starts_at, week.ends_at)
    panelists = panelists_by_story([story.id for story in stories])
    return DigestPage(WeekDigest(week, stories, verdicts), panelists, first_week)


def recent_digests(last: IsoWeek, weeks: int) -> list[WeekDigest]:
    """The `weeks` weeks up to and including `last` that had anything, newest first.

    Two statements, however many weeks: every story and every verdict in the span,
    then shared out week by week.
    """
    first = last
    for _ in range(weeks - 1):
        first = first.previous
    stories = _stories_between(first.starts_at, last.ends_at)
    verdicts = _verdicts_between(first.starts_at, last.ends_at)
    by_week: dict[IsoWeek, WeekDigest] = {}
    week = last
    for _ in range(weeks):
        by_week[week] = WeekDigest(week, [], [])
        week = week.previous
    for story in stories:
        if story.published_at is not None:
            by_week[IsoWeek.containing(story.published_at)].stories.append(story)
    for verdict in verdicts:
        # As on the weekly page: in the week it was given and in the week it last changed.
        moments = {verdict.created_at, verdict_changed_at(verdict)}
        for week in {IsoWeek.containing(moment) for moment in moments}:
            if week in by_week:
                by_week[week].verdicts.append(verdict)
    return [digest for digest in by_week.values() if not digest.is_empty]
