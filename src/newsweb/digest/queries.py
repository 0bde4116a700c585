"""What the weekly digest reads: a span of time's stories and verdict changes, in fixed
statements, and which week `/digest` opens on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import joinedload

from newsweb.digest.weeks import IsoWeek, this_week
from newsweb.extensions import db
from newsweb.models import Prediction, Story, Take, VerdictChange
from newsweb.news.queries import PanelCall, panelists_by_story
from newsweb.track_record import predictions_due_between
from newsweb.verdict_history import verdict_changes

# Stories a week's digest shows (its most discussed): a digest, not the week's archive.
DIGEST_LENGTH = 30
# Stories each week's entry in the digest feed carries (its newest), so that no entry
# grows with how much a week publishes.
FEED_STORIES_PER_WEEK = 10
# Verdict changes a week's digest lists at most (its newest): a busy week stays one page.
CHANGES_SHOWN = 40


@dataclass(frozen=True)
class WeekDigest:
    """One week's published stories, what changed in the panel's verdicts that week (calls
    given, flipped or withdrawn, newest first) and (on its page and in its mail) the
    predictions that came due in it."""

    week: IsoWeek
    stories: list[Story]
    changes: list[VerdictChange]
    predictions: list[Prediction] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Whether nothing happened that week."""
        return not self.stories and not self.changes and not self.predictions

    @property
    def updated_at(self) -> datetime | None:
        """When the week last changed: its newest story or verdict change, or None if empty."""
        moments = [story.published_at for story in self.stories if story.published_at]
        moments += [change.changed_at for change in self.changes]
        return max(moments, default=None)

    @property
    def published_at(self) -> datetime | None:
        """When the week's first story or verdict change appeared, or None if empty."""
        moments = [story.published_at for story in self.stories if story.published_at]
        moments += [change.changed_at for change in self.changes]
        return max(min(moments), self.week.starts_at) if moments else None


@dataclass(frozen=True)
class DigestPage:
    """What the digest page shows: the week (its most discussed stories), how many stories
    it had in all, who took each story shown, the first week on record, and whether the
    week had more verdict changes than the page lists."""

    digest: WeekDigest
    panelists: dict[int, list[PanelCall]]
    first_week: IsoWeek | None
    story_count: int = 0
    more_changes: bool = False

    @property
    def more_stories(self) -> int:
        """How many of the week's stories the digest leaves out."""
        return self.story_count - len(self.digest.stories)


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


def _changes_between(start: datetime, end: datetime, limit: int) -> list[VerdictChange]:
    """The newest `limit` verdict changes made in [start, end) on visible tools, each with
    its tool and panelist: one statement reading the stretch of ix_verdict_changes_changed."""
    return verdict_changes(between=(start, end), limit=limit)


def opening_week(current: IsoWeek, current_has_stories: bool) -> IsoWeek:
    """The week `/digest` opens on: this one once it has a story, else the last complete
    one, so that a Monday morning opens on news rather than on an empty week."""
    return current if current_has_stories else current.previous


def _record_so_far(current: IsoWeek) -> tuple[IsoWeek | None, bool]:
    """The week of the oldest visible story or verdict change (None if neither), and whether
    `current` has a visible story yet: one statement, three index lookups."""
    oldest_story = select(func.min(Story.published_at)).where(Story.visible()).scalar_subquery()
    oldest_change = select(func.min(VerdictChange.changed_at)).scalar_subquery()
    current_has_stories = (
        select(Story.id).where(*_in_span(current.starts_at, current.ends_at)).exists()
    )
    oldest, oldest_call, has_stories = db.session.execute(
        select(oldest_story, oldest_change, current_has_stories)
    ).one()
    moments = [moment for moment in (oldest, oldest_call) if moment is not None]
    return (IsoWeek.containing(min(moments)) if moments else None), bool(has_stories)


def digest_page(week: IsoWeek | None = None, limit: int = DIGEST_LENGTH) -> DigestPage:
    """Everything the digest page for `week` shows, in six statements whatever the data.

    With no `week`, the week the digest opens on (see `opening_week`). The first week on
    record, the week's `limit` most discussed stories (tool and category joined) and how
    many it had, who took each story shown, the week's verdict changes (at most
    CHANGES_SHOWN), and the predictions that came due in it.
    """
    current = this_week()
    first_week, current_has_stories = _record_so_far(current)
    if week is None:
        week = opening_week(current, current_has_stories)
    stories = _most_discussed(week.starts_at, week.ends_at, limit)
    count = db.session.scalar(
        select(func.count(Story.id)).where(*_in_span(week.starts_at, week.ends_at))
    )
    changes = _changes_between(week.starts_at, week.ends_at, CHANGES_SHOWN + 1)
    panelists = panelists_by_story([story.id for story in stories])
    due = predictions_due_between(week.first_day, week.last_day)
    digest = WeekDigest(week, stories, changes[:CHANGES_SHOWN], due)
    return DigestPage(
        digest, panelists, first_week, count or 0, more_changes=len(changes) > CHANGES_SHOWN
    )


def recent_digests(last: IsoWeek, weeks: int) -> list[WeekDigest]:
    """The `weeks` weeks up to and including `last` that had anything, newest first.

    Two statements, however many weeks: each week's newest FEED_STORIES_PER_WEEK stories and
    the span's newest verdict changes (CHANGES_SHOWN a week), then shared out week by week.
    This week counts only once it has a story, as on the page (see `opening_week`).
    """
    first = last
    for _ in range(weeks - 1):
        first = first.previous
    stories = _newest_each_week(first, weeks, FEED_STORIES_PER_WEEK)
    changes = _changes_between(first.starts_at, last.ends_at, CHANGES_SHOWN * weeks)
    by_week: dict[IsoWeek, WeekDigest] = {}
    week = last
    for _ in range(weeks):
        by_week[week] = WeekDigest(week, [], [])
        week = week.previous
    for story in stories:
        if story.published_at is not None:
            by_week[IsoWeek.containing(story.published_at)].stories.append(story)
    for change in changes:
        week = IsoWeek.containing(change.changed_at)
        if week in by_week and len(by_week[week].changes) < CHANGES_SHOWN:
            by_week[week].changes.append(change)
    current = this_week()
    return [
        digest
        for digest in by_week.values()
        if not digest.is_empty and (digest.week != current or digest.stories)
    ]
