"""Routes for the weekly digest: the week it opens on, and any past week's with previous and
next."""

from __future__ import annotations

from flask import Blueprint, abort, url_for

from newsweb.digest import queries
from newsweb.digest.weeks import IsoWeek, this_week
from newsweb.models.clock import utcnow
from newsweb.web.rendering import render

blueprint = Blueprint("digest", __name__, url_prefix="/digest")


def _render_week(week: IsoWeek | None) -> str:
    """Render the digest page of `week` (None: the week `/digest` opens on), with links to
    the weeks around it."""
    current = this_week()
    page = queries.digest_page(week)
    opened = week is None
    week = page.digest.week
    earlier = page.first_week is not None and page.first_week < week
    return render(
        "digest/show.html",
        digest=page.digest,
        story_count=page.story_count,
        more_stories=page.more_stories,
        more_changes=page.more_changes,
        panelists=page.panelists,
        is_current=week == current,
        # /digest opened on last week because this one has no story yet: say so.
        opened_on_last_week=opened and week != current,
        previous_week=week.previous if earlier else None,
        next_week=week.following if week < current else None,
        this_week=current,
        week_url=url_for("digest.show", week=str(week)),
        today=utcnow().date(),
    )


@blueprint.get("")
def index() -> str:
    """`/digest`: this week's digest once this week has a story, else the last complete
    week's (the same page as `/digest/<that week>`)."""
    return _render_week(None)


@blueprint.get("/<week>")
def show(week: str) -> str:
    """`/digest/<year>-W<week>`: one week's stories and verdict changes, e.g. `/digest/2026-W25`.

    A malformed or impossible week (W00, W54, letters) and a week still to come are 404s.
    """
    found = IsoWeek.parse(week)
    if found is None:
        abort(404, description="That is not a week we know. Weeks look like 2026-W25.")
    if found > this_week():
        abort(404, description="That week has not happened yet.")
    return _render_week(found)
