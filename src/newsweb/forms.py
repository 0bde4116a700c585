"""The base every form shares: CSRF (Flask-WTF) and refusal of control characters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import Field, SelectChoice, StringField, TextAreaField

from newsweb.text import has_control_characters, normalize_newlines

# The status of a form that fails validation, everywhere: the page comes back with the
# errors beside the fields and everything typed, and htmx swaps it in (see base.html's
# htmx-config `responseHandling`).
INVALID = 422


class Form(FlaskForm):  # type: ignore[misc]
    """A Flask-WTF form: newlines normalized, and no control characters in any text field."""

    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        """Read only HTML form bodies, and give every text field the newline filter."""

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Take fields from a form-encoded body only.

            Flask-WTF would also read a JSON body, whose numbers and lists reach the
            validators as non-strings; our forms are HTML forms, so JSON is ignored
            (and the form then fails validation like an empty one).
            """
            if formdata is not None and request.is_json:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            """Bind a field, adding `normalize_newlines` to text fields' filters."""
            if issubclass(unbound_field.field_class, StringField):
                filters = [*unbound_field.kwargs.get("filters", ()), normalize_newlines]
                options = {**options, "filters": filters}
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        """Run the field validators, then flag any text field with control characters."""
        valid: bool = super().validate(extra_validators)
        for field in self:
            if _is_text(field) and isinstance(field.data, str):
                multiline = isinstance(field, TextAreaField)
                if has_control_characters(field.data, multiline=multiline):
                    field.errors = [*field.errors, "This contains characters we cannot accept."]
                    valid = False
        return valid


def _is_text(field: Field) -> bool:
    return isinstance(field, StringField)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Menu options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
