"""Routes for the prediction ledger."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, request
from werkzeug.wrappers import Response

from newsweb import lookups, track_record
from newsweb.models import Outcome, PredictionStatus
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor, Place
from newsweb.web.listings import step_answer
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render

blueprint = Blueprint("predictions", __name__, url_prefix="/predictions")

# The status filter: every section, or one of them paged.
STATUSES = {
    "all": "All",
    PredictionStatus.OPEN.value: "Open",
    PredictionStatus.DUE.value: "Awaiting a ruling",
    PredictionStatus.RESOLVED.value: "Resolved",
}
# Predictions per section when the ledger shows all three.
SECTION_LENGTH = 8


def _choice(name: str, allowed: object, missing: str) -> str | None:
    """A filter from the query string; blank is none, anything unknown a 404 that says so."""
    value = request.args.get(name, "").strip() or None
    if value is not None and value not in allowed:  # type: ignore[operator]
        abort(404, description=missing.format(value=value))
    return value


@blueprint.get("")
@shared_cache
def index() -> Response | str:
    """`/predictions`: open predictions by due date, those due and awaiting a ruling, and the
    resolved ones with their rulings, filtered by `status`, `panelist` and `ruling`.

    One status is paged by `after`; htmx gets the `ledger` block for a filter change and the
    `ledger_page` block for "More predictions", a step that keeps the reader's place as on
    the front page (see paging.Place).
    """
    personas = lookups.personas_in_order()
    status = _choice("status", STATUSES, "There is no “{value}” list of predictions.") or "all"
    slug = _choice("panelist", {p.slug for p in personas}, "There is no panelist called “{value}”.")
    ruling = _choice("ruling", {o.value for o in Outcome}, "There is no ruling “{value}”.")
    persona = next((p for p in personas if p.slug == slug), None)
    outcome = Outcome(ruling) if ruling else None
    place = Place.from_args(request.args, Cursor.decode)
    today = utcnow().date()
    if status == "all":
        wanted = [s for s in PredictionStatus if outcome is None or s is PredictionStatus.RESOLVED]
        pages = [
            track_record.ledger(
                s, today=today, limit=SECTION_LENGTH, persona=persona, outcome=outcome
            )
            for s in wanted
        ]
    else:
        pages = [
            track_record.ledger(
                PredictionStatus(status),
                today=today,
                limit=current_app.config["PAGE_SIZE"],
                persona=persona,
                outcome=outcome,
                place=place,
            )
        ]
    context: dict[str, Any] = {
        "personas": personas,
        "statuses": STATUSES,
        "status": status,
        "persona": persona,
        "outcome": outcome,
        "outcomes": list(Outcome),
        "pages": pages,
        "today": today,
        "place": place,
    }
    if place.is_step and status != "all":
        page = pages[0]
        first_new = f"prediction-{page.predictions[0].id}" if page.predictions else None
        step = lambda: render("predictions/index.html", block="ledger_page", **context)  # noqa: E731
        return step_answer(place, page.next_cursor, first_new, step)
    return render(
        "predictions/index.html", block="ledger_page" if place.after else "ledger", **context
    )
