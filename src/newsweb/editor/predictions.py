"""Routes for the panel's predictions: attach one to a take, edit it, rule on it."""

from __future__ import annotations

from flask import url_for
from werkzeug.wrappers import Response

from newsweb.editor import queries, revisions
from newsweb.editor.blueprint import blueprint
from newsweb.editor.forms import PredictionForm, RulingForm
from newsweb.editor.responses import form_page, found, history_page, saved
from newsweb.models import Prediction
from newsweb.models.clock import utcnow
from newsweb.web.rendering import render

NO_TAKE = "There is no take with that number."
NO_PREDICTION = "There is no prediction with that number."


@blueprint.get("/predictions")
def predictions() -> str:
    """`/editor/predictions`: every prediction, the ones awaiting a ruling first."""
    return render(
        "editor/predictions.html",
        predictions=queries.predictions_to_rule_on(),
        today=utcnow().date(),
    )


@blueprint.route(
    "/takes/<id:take_id>/predictions/new", methods=["GET", "POST"], endpoint="new_prediction"
)
@blueprint.route("/predictions/<id:prediction_id>/edit", methods=["GET", "POST"])
def edit_prediction(
    take_id: int | None = None, prediction_id: int | None = None
) -> Response | tuple[str, int]:
    """`/editor/takes/<take_id>/predictions/new` and `/editor/predictions/<prediction_id>/edit`:
    a dated claim in a take, its due date and how to check it."""
    if prediction_id is not None:
        prediction = found(queries.prediction_for_editing(prediction_id), NO_PREDICTION)
        take = prediction.take
    else:
        take = found(queries.take_for_predictions(take_id or 0), NO_TAKE)
        prediction = None
    form = PredictionForm(obj=prediction)
    if not form.validate_on_submit():
        return form_page("editor/prediction_form.html", form, take=take, prediction=prediction)
    prediction = prediction or Prediction(take=take, persona_id=take.persona_id)
    with revisions.recorded(prediction):
        form.populate_obj(prediction)
    return saved(
        "The prediction is saved.",
        url_for("editor.edit_prediction", prediction_id=prediction.id),
    )


@blueprint.route("/predictions/<id:prediction_id>/ruling", methods=["GET", "POST"])
def rule_on_prediction(prediction_id: int) -> Response | tuple[str, int]:
    """`/editor/predictions/<prediction_id>/ruling`: came true, partly or did not, with a note
    and a source; saving again revises the ruling, and each save is in the history. The
    ruling is dated by its outcome's last change."""
    prediction = found(queries.prediction_for_editing(prediction_id), NO_PREDICTION)
    form = RulingForm(obj=prediction)
    if not form.validate_on_submit():
        return form_page(
            "editor/ruling_form.html", form, prediction=prediction, today=utcnow().date()
        )
    ruled = prediction.outcome
    with revisions.recorded(prediction):
        form.populate_obj(prediction)
        # The ruling's date is when its outcome was decided: a corrected note or source
        # keeps it (the history has every save).
        if prediction.outcome != ruled:
            prediction.resolved_at = utcnow()
    return saved(
        f"The ruling is saved: {form.outcome.data.label}.",
        url_for("editor.edit_prediction", prediction_id=prediction.id),
    )


@blueprint.get("/predictions/<id:prediction_id>/history")
def prediction_history(prediction_id: int) -> str:
    """`/editor/predictions/<prediction_id>/history`: every save of a prediction and its ruling."""
    prediction = found(queries.prediction_for_editing(prediction_id), NO_PREDICTION)
    return history_page(
        f"the prediction “{prediction.claim}”",
        revisions.history_of(prediction),
        url_for("editor.edit_prediction", prediction_id=prediction.id),
    )
