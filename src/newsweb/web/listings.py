"""Listings with "Load more" that keep the reader's place: a step's answer, for htmx or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import make_response, redirect, request, url_for
from werkzeug.wrappers import Response

from newsweb.paging import PLACE_ARGS, Place, Position
from newsweb.web.rendering import wants_fragment


def step_answer(
    place: Place[Any],
    next_cursor: Position | None,
    first_new: str | None,
    fragment: Callable[[], str],
) -> Response:
    """Answer a "Load more" step (`place.is_step`) of the listing this request is for. The
    URL of everything the reader now has, from where their stretch began down to the last
    row of this step (`next_cursor`, or the end when None), keeping the listing's filters,
    is pushed by htmx with the appended `fragment`; without JavaScript the step redirects
    there, anchored at the first new row (`first_new`, an element id), so the reader
    carries on where they were.
    """
    filters = {name: value for name, value in request.args.items() if name not in PLACE_ARGS}
    query: dict[str, Any] = {**(request.view_args or {}), **filters}
    query.update(place.so_far_args(next_cursor))
    endpoint = str(request.endpoint)
    if not wants_fragment():
        return redirect(url_for(endpoint, **query, _anchor=first_new), 303)
    response = make_response(fragment())
    response.headers["HX-Push-Url"] = url_for(endpoint, **query)
    return response
