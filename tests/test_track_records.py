"""Track records: only resolved predictions count, on the persona page and the panel page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Outcome, Persona, Prediction, Take
from newsweb.models.clock import utcnow
from newsweb.track_record import TrackRecord
from tests import factories

# The Skeptic's predictions in the test newsroom: due in days from today, and the ruling.
SKEPTIC_PREDICTIONS = [
    (40, None),  # open
    (90, None),  # open
    (-3, None),  # due, awaiting a ruling
    (-30, Outcome.CAME_TRUE),
    (-60, Outcome.CAME_TRUE),
    (-90, Outcome.PARTLY),
    (-120, Outcome.DID_NOT),
]


def test_record_arithmetic_counts_resolved_only() -> None:
    """Made counts everything; the hit rate is came-true over resolved, unresolved aside."""
    record = TrackRecord(Persona(name="P"), made=7, came_true=2, partly=1, did_not=1)
    assert (record.resolved, record.unresolved, record.hit_rate) == (4, 3, 50)
    assert TrackRecord(Persona(name="Q"), made=3).hit_rate is None


def newsroom_with_predictions(make_app: Callable[..., Flask]) -> Flask:
    """A small newsroom whose Skeptic made SKEPTIC_PREDICTIONS, each in its own take."""
    app = make_app()
    with app.app_context():
        factories.newsroom(len(SKEPTIC_PREDICTIONS))
        takes = db.session.scalars(
            select(Take).join(Take.persona).where(Persona.slug == "the-skeptic").order_by(Take.id)
        ).all()
        today = utcnow().date()
        for number, (take, (days, outcome)) in enumerate(
            zip(takes, SKEPTIC_PREDICTIONS, strict=True)
        ):
            db.session.add(
                Prediction(
                    take_id=take.id,
                    persona_id=take.persona_id,
                    claim=f"Skeptic claim {number}.",
                    due_on=today + timedelta(days=days),
                    outcome=outcome,
                    ruling_note="Ruled." if outcome else "",
                    ruling_source="https://example.com/" if outcome else "",
                    resolved_at=utcnow() if outcome else None,
                )
            )
        db.session.commit()
    return app


def test_persona_page_shows_the_record_and_says_what_counts(
    make_app: Callable[..., Flask],
) -> None:
    """Seven made, four resolved, two came true; the three unresolved are not counted."""
    app = newsroom_with_predictions(make_app)
    html = app.test_client().get("/panel/the-skeptic").get_data(as_text=True)
    record = html.split('id="track-record"')[1].split("</section>")[0]
    assert "2 of 4 resolved predictions came true, 1 partly, 1 did not." in record
    assert "7 predictions made, 4 resolved." in record
    assert "3 still open or awaiting a ruling are not counted" in record
    assert record.count('class="prediction"') == 7
    other = app.test_client().get("/panel/the-founder").get_data(as_text=True)
    assert "No predictions yet." in other


def test_panel_page_compares_the_records(make_app: Callable[..., Flask]) -> None:
    """The panel page has a row per panelist: made, resolved, each outcome, hit rate."""
    app = newsroom_with_predictions(make_app)
    html = app.test_client().get("/panel").get_data(as_text=True)
    table = html.split('class="record-table"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4
    skeptic = next(row for row in rows if "The Skeptic" in row)
    cells = [cell.split("</td>")[0] for cell in skeptic.split("<td>")[1:]]
    assert cells == ["7", "4", "2", "1", "1", "50%"]
    founder = next(row for row in rows if "The Founder" in row)
    assert "none resolved" in founder
    assert "Only resolved predictions count" in html
