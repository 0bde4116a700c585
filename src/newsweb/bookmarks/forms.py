"""The bookmarks page's own form: the member's verdict alerts opt-in."""

from __future__ import annotations

from wtforms import BooleanField

from newsweb.forms import Form


class AlertsForm(Form):
    """Whether to email the member about verdict changes on their saved tools."""

    verdict_alerts = BooleanField(
        "Email me when the panel\N{RIGHT SINGLE QUOTATION MARK}s verdict on a tool I saved changes"
    )
