"""The prediction ledger: editors attach, revise and rule; readers filter the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from newsweb.digest.mailing import render_digest
from newsweb.digest.weeks import IsoWeek
from newsweb.extensions import db
from newsweb.models import Persona, Prediction, Revision, Story, StoryStatus, Take
from newsweb.models.clock import utcnow
from tests.conftest import Auth, htmx

STORY = "mistral-40b-open-weight-reasoning-model-single-gpu"
CLAIM = "A bank announces it runs the 40B model on its own hardware by spring."


def take_id(app: Flask, story: str = STORY, persona: str = "the-founder") -> int:
    """The id of `persona`'s take on `story`."""
    with app.app_context():
        return db.session.scalars(
            select(Take.id)
            .join(Take.story)
            .join(Take.persona)
            .where(Story.slug == story, Persona.slug == persona)
        ).one()


def prediction_by_claim(app: Flask, claim: str = CLAIM) -> Prediction:
    """The stored prediction with this claim."""
    with app.app_context():
        return db.session.scalars(select(Prediction).where(Prediction.claim == claim)).one()


def ledger_section(app: Flask, status: str, query: str = "") -> str:
    """The HTML of one section of the ledger's overview."""
    html = app.test_client().get(f"/predictions?{query}").get_data(as_text=True)
    return html.split(f'id="ledger-{status}"')[1].split("</section>")[0]


def test_prediction_lifecycle_with_history(editor: Auth, demo_app: Flask) -> None:
    """Create, come due, rule, revise the ruling: each step shows in the ledger and in
    the prediction's history."""
    token = editor.token("/editor")
    new = f"/editor/takes/{take_id(demo_app)}/predictions/new"
    form = {"csrf_token": token, "claim": CLAIM, "due_on": "2027-04-30", "criterion": ""}
    response = editor.client.post(new, data=form)
    assert response.status_code == 303
    prediction = prediction_by_claim(demo_app)
    assert CLAIM in ledger_section(demo_app, "open")

    ruling = f"/editor/predictions/{prediction.id}/ruling"
    verdict = {
        "csrf_token": token,
        "outcome": "did_not",
        "ruling_note": "No bank said so.",
        "ruling_source": "https://mistral.ai/news",
    }
    refused = editor.client.post(ruling, data=verdict)
    assert refused.status_code == 422
    assert "This prediction is not due until April 30, 2027." in refused.get_data(as_text=True)

    past = (utcnow() - timedelta(days=2)).date().isoformat()
    edit = f"/editor/predictions/{prediction.id}/edit"
    assert editor.client.post(edit, data={**form, "due_on": past}).status_code == 303
    assert CLAIM in ledger_section(demo_app, "due")
    assert CLAIM not in ledger_section(demo_app, "open")

    assert editor.client.post(ruling, data=verdict).status_code == 303
    resolved = ledger_section(demo_app, "resolved")
    assert CLAIM in resolved
    assert "No bank said so." in resolved
    revised = {**verdict, "outcome": "partly", "ruling_note": "One bank said so, quietly."}
    assert editor.client.post(ruling, data=revised).status_code == 303
    card = ledger_section(demo_app, "resolved").split(CLAIM)[1].split("</article>")[0]
    assert "Partly" in card
    assert "One bank said so, quietly." in card
    assert 'href="https://mistral.ai/news" rel="noopener noreferrer"' in card

    history = editor.client.get(f"/editor/predictions/{prediction.id}/history")
    page = history.get_data(as_text=True)
    assert page.count('class="revision"') == 4  # created, due date moved, ruled, revised
    with demo_app.app_context():
        rulings = db.session.scalars(
            select(Revision.changes)
            .where(Revision.item_id == prediction.id, Revision.item_kind == "prediction")
            .order_by(Revision.id)
        ).all()
    assert rulings[-2]["Ruling"] == [None, "Did not"]
    assert rulings[-1]["Ruling"] == ["Did not", "Partly"]


def test_a_ruling_is_dated_by_its_outcome(editor: Auth, demo_app: Flask) -> None:
    """Correcting a ruling's note keeps its date; changing the outcome dates it anew."""
    token = editor.token("/editor")
    past = (utcnow() - timedelta(days=40)).date().isoformat()
    new = f"/editor/takes/{take_id(demo_app)}/predictions/new"
    form = {"csrf_token": token, "claim": CLAIM, "due_on": past, "criterion": ""}
    assert editor.client.post(new, data=form).status_code == 303
    prediction = prediction_by_claim(demo_app)
    ruling = f"/editor/predictions/{prediction.id}/ruling"
    verdict = {
        "csrf_token": token,
        "outcome": "came_true",
        "ruling_note": "Two banks said so.",
        "ruling_source": "https://mistral.ai/news",
    }
    assert editor.client.post(ruling, data=verdict).status_code == 303
    a_month_ago = utcnow() - timedelta(days=30)
    with demo_app.app_context():
        db.session.execute(
            update(Prediction).where(Prediction.id == prediction.id).values(resolved_at=a_month_ago)
        )
        db.session.commit()

    corrected = {**verdict, "ruling_note": "Two banks said so, in March."}
    assert editor.client.post(ruling, data=corrected).status_code == 303
    assert prediction_by_claim(demo_app).resolved_at == a_month_ago
    card = ledger_section(demo_app, "resolved").split(CLAIM)[1].split("</article>")[0]
    assert f'datetime="{a_month_ago.date().isoformat()}"' in card

    revised = {**corrected, "outcome": "partly"}
    assert editor.client.post(ruling, data=revised).status_code == 303
    resolved_at = prediction_by_claim(demo_app).resolved_at
    assert resolved_at is not None
    assert resolved_at > a_month_ago + timedelta(days=29)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"claim": ""}, "State the claim in one sentence."),
        ({"claim": "One.\nTwo."}, "Put the claim in one sentence, on one line."),
        ({"due_on": "someday"}, "Not a valid date value."),
        ({"due_on": "9999-01-01"}, "Pick a due date between 2000 and 2100."),
        ({"claim": "x" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_bad_prediction_is_refused_beside_its_field(
    editor: Auth, demo_app: Flask, fields: dict[str, str], message: str
) -> None:
    """A bad field comes back with its message, what was typed kept, nothing stored."""
    form = {"csrf_token": editor.token("/editor"), "claim": CLAIM, "due_on": "2027-01-01"}
    response = editor.client.post(
        f"/editor/takes/{take_id(demo_app)}/predictions/new", data={**form, **fields}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with demo_app.app_context():
        assert db.session.scalar(select(Prediction.id).where(Prediction.claim == CLAIM)) is None


def test_bad_ruling_is_refused(editor: Auth, demo_app: Flask) -> None:
    """A ruling needs one of the three outcomes, a note and an http(s) source."""
    due = prediction_by_claim(
        demo_app, "Within six months Cursor has neither published its benchmark tasks nor "
        "let a third party run them."
    )  # fmt: skip
    response = editor.client.post(
        f"/editor/predictions/{due.id}/ruling",
        data={
            "csrf_token": editor.token("/editor"),
            "outcome": "maybe",
            "ruling_note": "",
            "ruling_source": "javascript:alert(1)",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Pick came true, partly or did not." in html
    assert "Say what happened, against the claim." in html
    assert "Use a full web address starting with https://" in html


def test_unknown_take_or_prediction_is_404(editor: Auth) -> None:
    """Numbers that name nothing are a 404 with a message."""
    assert editor.client.get("/editor/takes/99999/predictions/new").status_code == 404
    assert editor.client.get("/editor/predictions/99999/ruling").status_code == 404


def test_story_form_links_each_take_to_a_new_prediction(editor: Auth, demo_app: Flask) -> None:
    """Editing a story offers "Add a prediction" under each stored take."""
    with demo_app.app_context():
        story_id = db.session.scalars(select(Story.id).where(Story.slug == STORY)).one()
    html = editor.client.get(f"/editor/stories/{story_id}/edit").get_data(as_text=True)
    assert f"/editor/takes/{take_id(demo_app)}/predictions/new" in html


def test_ledger_filters_by_status_panelist_and_ruling(demo_client: FlaskClient) -> None:
    """Each filter is a link that narrows the ledger; htmx gets only the ledger block."""
    client = demo_client
    skeptic = client.get("/predictions?panelist=the-skeptic").get_data(as_text=True)
    assert "The Skeptic" in skeptic
    assert "Hourly rents for Blackwell" not in skeptic  # the Builder's
    resolved = client.get("/predictions?status=resolved&ruling=did_not").get_data(as_text=True)
    assert "embeddings endpoint" in resolved
    assert "Anthropic answers a request" not in resolved  # came true
    fragment = client.get("/predictions?status=due", headers=htmx())
    html = fragment.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="ledger"' in html
    assert 'id="ledger-due"' in html
    assert 'aria-current="page">Awaiting a ruling' in html
    for bad in ("status=later", "panelist=nobody", "ruling=perhaps"):
        assert client.get(f"/predictions?{bad}").status_code == 404
    assert client.get("/predictions?status=open&after=broken").status_code == 400


def test_ledger_pages_one_status_by_due_date(demo_app: Flask) -> None:
    """One status is paged by keyset: the pages join up, soonest due first, no repeats."""
    app = demo_app
    app.config["PAGE_SIZE"] = 3
    client = app.test_client()
    seen: list[str] = []
    path: str | None = "/predictions?status=open"
    while path:
        html = client.get(path, headers=htmx() if seen else {}).get_data(as_text=True)
        seen += [part.split("</h3>")[0] for part in html.split('class="prediction__claim">')[1:]]
        more = html.split('class="button" href="')
        path = more[1].split('"')[0].replace("&amp;", "&") if len(more) > 1 else None
    with app.app_context():
        today = utcnow().date()
        expected = db.session.scalars(
            select(Prediction.claim)
            .where(Prediction.outcome.is_(None), Prediction.due_on > today)
            .order_by(Prediction.due_on, Prediction.id)
        ).all()
    assert [claim.replace("&#39;", "'") for claim in seen] == expected


def test_predictions_on_draft_stories_stay_hidden(editor: Auth, demo_app: Flask) -> None:
    """Unpublishing a story takes its predictions off the ledger."""
    with demo_app.app_context():
        db.session.execute(
            update(Story)
            .where(
                Story.slug == "cursor-ships-faster-in-house-coding-model-priced-below-frontier-apis"
            )
            .values(status=StoryStatus.DRAFT)
        )
        db.session.commit()
    html = demo_app.test_client().get("/predictions").get_data(as_text=True)
    assert "Cursor has neither published" not in html


def test_digest_shows_the_predictions_that_came_due_that_week(demo_app: Flask) -> None:
    """The week of September 30, 2026 lists the two demo predictions due that day, with
    their rulings, on its page and in its mail."""
    html = demo_app.test_client().get("/digest/2026-W40").get_data(as_text=True)
    section = html.split('id="digest-predictions-heading"')[1].split("</section>")[0]
    assert "volume waits until 2027" in section
    assert "downstream AI Act documentation" in section
    assert section.count('class="prediction"') == 2
    assert "Partly" in section
    assert "Came true" in section
    quiet = demo_app.test_client().get("/digest/2026-W30").get_data(as_text=True)
    assert "No prediction came due that week." in quiet

    with demo_app.test_request_context():
        week = IsoWeek.parse("2026-W40")
        assert week is not None
        rendered = render_digest(week)
    assert "PREDICTIONS THAT CAME DUE (2)" in rendered.text
    assert "The Skeptic, due September 30, 2026: Partly" in rendered.text


def test_demo_has_a_dozen_predictions_across_the_panel(demo_app: Flask) -> None:
    """The demo ledger: at least twelve predictions from every panelist, a few resolved,
    each in a take on a published story, every ruling with its note and https source."""
    with demo_app.app_context():
        predictions = list(
            db.session.scalars(select(Prediction).options(joinedload(Prediction.persona)))
        )
    assert len(predictions) >= 12
    assert {p.persona.slug for p in predictions} == {
        "the-founder",
        "the-skeptic",
        "the-futurist",
        "the-builder",
    }
    resolved = [p for p in predictions if p.outcome is not None]
    assert 3 <= len(resolved) < len(predictions)
    assert all(p.ruling_note and p.ruling_source.startswith("https://") for p in resolved)
    assert all(p.resolved_at is not None and p.resolved_at.date() >= p.due_on for p in resolved)
