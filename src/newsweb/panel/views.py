"""Routes for the panel of critics and each persona's page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from werkzeug.wrappers import Response

from newsweb import lookups, track_record
from newsweb.models.clock import utcnow
from newsweb.paging import Cursor, Place
from newsweb.panel import counts, queries
from newsweb.verdict_history import verdict_changes
from newsweb.web.listings import step_answer
from newsweb.web.page_cache import shared_cache
from newsweb.web.rendering import render, wants_fragment

blueprint = Blueprint("panel", __name__, url_prefix="/panel")
# Predictions listed on a persona's page, newest due first; the ledger has them all.
RECORD_LENGTH = 30
blueprint.record_once(lambda _state: counts.track())


@blueprint.get("")
@shared_cache
def index() -> str:
    """`/panel`: every persona in panel order, with its lens, motto and counts, and the
    panel's track records side by side."""
    seats = queries.panel()
    return render(
        "panel/index.html",
        seats=seats,
        records=track_record.track_records([seat.persona for seat in seats]),
    )


@blueprint.get("/<slug>")
@shared_cache
def show(slug: str) -> Response | str:
    """`/panel/<slug>`: a persona's profile, track record, changed calls, verdicts and takes
    (paged by `after`; "More takes" keeps the reader's place, as on the front page).

    `?category=` narrows both takes and verdicts. htmx gets the `take_page` block for
    "More takes" (a step, see paging.Place, which also pushes the URL of every take the
    reader has so far) and the `record` block for a category change.
    """
    persona = lookups.persona_by_slug(slug)
    if persona is None:
        abort(404, description="There is no panelist by that name.")
    menu = lookups.categories_with_stories()
    category = lookups.requested_category(menu.every)
    place = Place.from_args(request.args, Cursor.decode)
    take_page = queries.takes_by(
        persona, limit=current_app.config["PAGE_SIZE"], place=place, category=category
    )
    filters = {"slug": persona.slug, "category": category.slug if category else None}
    if place.is_step:
        first_new = f"take-on-{take_page.takes[0].story_id}" if take_page.takes else None
        return step_answer(
            place,
            take_page.next_cursor,
            first_new,
            lambda: render(
                "panel/show.html",
                block="take_page",
                persona=persona,
                category=category,
                take_page=take_page,
                place=place,
                filters=filters,
                back_url=url_for("panel.show", slug=persona.slug),
            ),
        )
    more_takes_only = place.after is not None and wants_fragment()
    # The record and the changed calls sit outside both fragments: only whole pages read them.
    whole_page = not wants_fragment()
    # "More takes" by htmx shows only the next takes: the verdicts are not read for it.
    verdicts = [] if more_takes_only else queries.verdicts_by(persona, category=category)
    return render(
        "panel/show.html",
        block="take_page" if place.after else "record",
        persona=persona,
        categories=menu.offered(category),
        category=category,
        verdicts=verdicts,
        flips=verdict_changes(persona=persona, flips_only=True) if whole_page else [],
        track_record=track_record.track_records([persona])[0] if whole_page else None,
        predictions=track_record.predictions_by(persona, limit=RECORD_LENGTH) if whole_page else [],
        today=utcnow().date(),
        shipped=sum(1 for verdict in verdicts if verdict.ship),
        take_page=take_page,
        place=place,
        filters=filters,
        back_url=url_for("panel.show", slug=persona.slug),
    )
