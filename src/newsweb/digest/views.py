"""Routes for the weekly digest: this week's, and any past week's with previous and next."""

from __future__ import annotations

from flask import Blueprint, abort, url_for

from newsweb.digest import queries
from newsweb.digest.weeks import IsoWeek, this_week
from newsweb.models.clock import utcnow
from newsweb.web.rendering import render

blueprint = Blueprint("digest", __name__, url_prefix="/digest")


def _render_week(week: IsoWeek) -> str:
    """Render the digest page of `week`, with links to the weeks around it."""
    current = this_week()
    page = queries.digest_page(week)
    earlier = page.first_week is not None and page.first_week < week
    return render(
        "digest/show.html",
        digest=page.digest,
        story_count=page.story_count,
        more_stories=page.more_stories,
        panelists=page.panelists,
        is_current=week == current,
        previous_week=week.previous if earlier else None,
        next_week=week.following if week < current else None,
        this_week=current,
        week_url=url_for("digest.show", week=str(week)),
        today=utcnow().date(),
    )


@blueprint.get("")
def index() -> str:
    """`/digest`: this week's digest (the same page as `/digest/<this week>`)."""
    return _render_week(this_week())


@blueprint.get("/<week>")
def show(week: str) -> str:
    """`/digest/<year>-W<week>`: one week's stories and verdicts, e.g. `/digest/2026-W25`.

    A malformed or impossible week (W00, W54, letters) and a week still to come are 404s.
    """
    found = IsoWeek.parse(week)
    if found is None:
        abort(404, description="That is not a week we know. Weeks look like 2026-W25.")
    if found > this_week():
        abort(404, description="That week has not happened yet.")
    return _render_week(found)
