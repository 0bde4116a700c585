"""What the weekly digest reads: a span of time's stories and verdicts, in fixed statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import Persona, Prediction, Story, Take, Tool, Verdict
from newsweb.news.queries import PanelCall, panelists_by_story
from newsweb.track_record import predictions_due_between

# Stories a week's digest shows (its most discussed): a digest, not the week's archive.
DIGEST_LENGTH = 30
# Stories each week's entry in the digest feed carries (its newest), so that no entry
# grows with how much a week publishes.
FEED_STORIES_PER_WEEK = 10


@dataclass(frozen=True)
class WeekDigest:
    """One week's published stories, the verdicts given or changed in it, and (on its page
    and in its mail) the predictions that came due in it."""

    week: IsoWeek
    stories: list[Story]
    verdicts: list[Verdict]
    predictions: list[Prediction] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether nothing happened that week."""
        return not self.stories and not self.verdicts and not self.predictions

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
    """What the digest page shows: the week (its most discussed stories), how many stories
    it had in all, who took each story shown, and the first week on record."""

    digest: WeekDigest
    panelists: dict[int, list[PanelCall]]
    first_week: IsoWeek | None
    story_count: int = 0

    @property
    def more_stories(self) -> int:
        """How many of the week's stories the digest leaves out."""
        return self.story_count - len(self.digest.stories)


def verdict_changed_at(verdict: Verdict) -> datetime:
    """When a verdict was given or last changed."""
    return max(verdict.created_at, verdict.updated_at or verdict.created_at)


def _in_span(start: datetime, end: datetime) -> tuple[ColumnElement[bool], ...]:
    return Story.visible(), Story.published_at >= start, Story.published_at < end


def _newest_each_week(first: IsoWeek, weeks: int, limit: int) -> list[Story]:
    """The newest `limit` visible stories of each of `weeks` weeks from `first`, in one
    statement: one short backward walk along ix_stories_listing per week, joined by UNION
    ALL, so the cost follows the number of weeks, never how much each published."""
    newest = []
    week = first
    for _ in range(weeks):
        newest.append(
            select(Story.id)
            .where(*_in_span(week.starts_at, week.ends_at))
            .order_by(Story.published_at.desc(), Story.id.desc())
            .limit(limit)
            .subquery()
        )
        week = week.following
    chosen = union_all(*(select(each.c.id) for each in newest)).subquery()
    return list(
        db.session.scalars(
            select(Story)
            .join(chosen, chosen.c.id == Story.id)
            .options(joinedload(Story.tool), joinedload(Story.category))
            .order_by(Story.published_at.desc(), Story.id.desc())
        )
    )


def _most_discussed(start: datetime, end: datetime, limit: int) -> list[Story]:
    """The `limit` visible stories of [start, end) the panel took most often, newest first
    among equals, with tool and category. One statement: the ranking reads only ids (the
    week's stretch of ix_stories_listing, and each story's takes counted in the takes
    index), and only the `limit` chosen stories are loaded whole. Loading every story of
    the week before ranking them read 640 stories' bodies at 100,000 stories (68 ms on
    PostgreSQL; ids only: 2 ms). The cost follows how much a week publishes, never the
    size of the archive."""
    takes = select(func.count()).where(Take.story_id == Story.id).scalar_subquery()
    order = (takes.desc(), Story.published_at.desc(), Story.id.desc())
    chosen = (
        select(Story.id, takes.label("takes"))
        .where(*_in_span(start, end))
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Story)
            .join(chosen, chosen.c.id == Story.id)
            .options(joinedload(Story.tool), joinedload(Story.category))
            .order_by(chosen.c.takes.desc(), Story.published_at.desc(), Story.id.desc())
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
                Tool.visible(),
                or_(
                    and_(Verdict.created_at >= start, Verdict.created_at < end),
                    and_(Verdict.updated_at >= start, Verdict.updated_at < end),
                ),
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


def digest_page(week: IsoWeek, limit: int = DIGEST_LENGTH) -> DigestPage:
    """Everything the digest page for `week` shows, in six statements whatever the data.

    The first week on record, the week's `limit` most discussed stories (tool and category
    joined) and how many it had, who took each story shown, the week's verdicts, and the
    predictions that came due in it.
    """
    first_week = first_week_on_record()
    stories = _most_discussed(week.starts_at, week.ends_at, limit)
    count = db.session.scalar(
        select(func.count(Story.id)).where(*_in_span(week.starts_at, week.ends_at))
    )
    verdicts = _verdicts_between(week.starts_at, week.ends_at)
    panelists = panelists_by_story([story.id for story in stories])
    due = predictions_due_between(week.first_day, week.last_day)
    digest = WeekDigest(week, stories, verdicts, due)
    return DigestPage(digest, panelists, first_week, count or 0)


def recent_digests(last: IsoWeek, weeks: int) -> list[WeekDigest]:
    """The `weeks` weeks up to and including `last` that had anything, newest first.

    Two statements, however many weeks: each week's newest FEED_STORIES_PER_WEEK stories and
    every verdict in the span, then shared out week by week.
    """
    first = last
    for _ in range(weeks - 1):
        first = first.previous
    stories = _newest_each_week(first, weeks, FEED_STORIES_PER_WEEK)
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
