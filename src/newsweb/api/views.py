"""Routes of the read-only JSON API: stories, tools and personas, and its OpenAPI document.

Every route is a GET over published content only, so there is nothing to protect with
CSRF and nothing personal to hide: responses are cached like anonymous pages (ETag,
`Cache-Control: public`) and readable from any origin. Errors are JSON too (errors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from flask import Blueprint, Response, abort, jsonify, url_for

from newsweb import lookups, track_record
from newsweb.api import params, schemas, serializers
from newsweb.api.errors import API_PREFIX, allow_any_origin, json_error
from newsweb.api.openapi import openapi_document
from newsweb.models import Category, Outcome, Persona, PredictionStatus, Tool
from newsweb.models.clock import utcnow
from newsweb.news.queries import latest_stories, takes_on, visible_story
from newsweb.paging import Cursor
from newsweb.text import has_control_characters
from newsweb.tools.queries import directory, scorecard
from newsweb.verdict_history import verdict_changes
from newsweb.web.errors import answer_errors_under

T = TypeVar("T")

blueprint = Blueprint("api", __name__, url_prefix=API_PREFIX)
blueprint.after_request(allow_any_origin)
# Errors anywhere under the prefix (unknown paths included) are JSON, never an HTML page.
blueprint.record_once(lambda state: answer_errors_under(state.app, API_PREFIX, json_error))


def _not_found(what: str, slug: str) -> NoReturn:
    """Answer 404 for the item of kind `what` that `slug` does not name."""
    abort(404, description=f"There is no {what} with the slug “{slug}”.")


def _path_slug(slug: str) -> str:
    """A slug from the path; one with control characters names nothing and never reaches SQL."""
    if has_control_characters(slug):
        abort(404, description="There is nothing with that slug.")
    return slug


def _filter(name: str, lookup: Callable[[str], T | None], noun: str) -> T | None:
    """`?<name>=`: the `noun` its slug names, None without it, 400 when it names none."""
    slug = params.slug(name)
    if slug is None:
        return None
    found = lookup(slug)
    if found is None:
        abort(400, description=f"There is no {noun} with the slug “{slug}”.")
    return found


def _category_filter() -> Category | None:
    """`?category=`: the category it names, if any."""
    return _filter("category", lookups.category_by_slug, "category")


def _tool_filter() -> Tool | None:
    """`?tool=`: the tool it names, if any."""
    return _filter("tool", lookups.tool_by_slug, "tool")


def _persona_filter() -> Persona | None:
    """`?persona=`: the persona it names, if any."""
    return _filter("persona", lookups.persona_by_slug, "persona")


def _next_page(endpoint: str, cursor: Cursor | None, **filters: Any) -> schemas.NextPage | None:
    """Where the page after this one starts (same filters), None on the last page."""
    if cursor is None:
        return None
    encoded = cursor.encode()
    url = url_for(endpoint, after=encoded, _external=True, **filters)
    return schemas.NextPage(cursor=encoded, url=url)


@blueprint.get("/stories")
def stories() -> Response:
    """`/api/v1/stories`: visible stories newest first, by `category` and `tool`, paged by `after`.

    `next` holds the cursor and the URL of the following page, or null on the last one.
    """
    limit = params.limit()
    after = params.cursor()
    category = _category_filter()
    tool = _tool_filter()
    page = latest_stories(limit=limit, after=after, category=category, tool=tool)
    following = _next_page(
        "api.stories",
        page.next_cursor,
        limit=limit,
        category=category.slug if category else None,
        tool=tool.slug if tool else None,
    )
    body = serializers.story_page(page.stories, page.panelists, following)
    return serializers.json_response(body)


@blueprint.get("/stories/<slug>")
def story(slug: str) -> Response:
    """`/api/v1/stories/<slug>`: one visible story with its body and the panel's takes."""
    found = visible_story(_path_slug(slug))
    if found is None:
        _not_found("published story", slug)
    return serializers.json_response(serializers.story_detail(found, takes_on(found)))


@blueprint.get("/tools")
def tools() -> Response:
    """`/api/v1/tools`: every tool, newest first, with its panel tally; `category` narrows it."""
    entries = directory(category=_category_filter())
    return serializers.json_response(serializers.tool_list(entries))


@blueprint.get("/tools/<slug>")
def tool(slug: str) -> Response:
    """`/api/v1/tools/<slug>`: one tool with the panel's verdicts and ship share."""
    found = lookups.tool_by_slug(_path_slug(slug))
    if found is None:
        _not_found("tool", slug)
    return serializers.json_response(serializers.tool_detail(found, scorecard(found).verdicts))


@blueprint.get("/personas")
def personas() -> Response:
    """`/api/v1/personas`: the panel, in order."""
    return serializers.json_response(serializers.persona_list(lookups.personas_in_order()))


@blueprint.get("/personas/<slug>")
def persona(slug: str) -> Response:
    """`/api/v1/personas/<slug>`: one panelist."""
    found = lookups.persona_by_slug(_path_slug(slug))
    if found is None:
        _not_found("persona", slug)
    return serializers.json_response(serializers.persona(found))


@blueprint.get("/verdict-changes")
def verdict_change_list() -> Response:
    """`/api/v1/verdict-changes`: the newest 50 verdict changes, by `tool` and `persona`."""
    changes = verdict_changes(tool=_tool_filter(), persona=_persona_filter())
    return serializers.json_response(serializers.verdict_changes(changes))


PREDICTION_STATUSES = [status.value for status in PredictionStatus]


@blueprint.get("/predictions")
def predictions() -> Response:
    """`/api/v1/predictions`: predictions in one `status` (open by default), by `persona` and
    ruling `outcome`, paged by `after`."""
    limit = params.limit()
    after = params.cursor()
    status = PredictionStatus(params.choice("status", PREDICTION_STATUSES) or "open")
    ruling = params.choice("outcome", [outcome.value for outcome in Outcome])
    persona = _persona_filter()
    today = utcnow().date()
    page = track_record.ledger(
        status,
        today=today,
        limit=limit,
        persona=persona,
        outcome=Outcome(ruling) if ruling else None,
        after=after,
    )
    following = _next_page(
        "api.predictions",
        page.next_cursor,
        limit=limit,
        status=status.value,
        persona=persona.slug if persona else None,
        outcome=ruling,
    )
    return serializers.json_response(
        serializers.prediction_page(page.predictions, today, following)
    )


@blueprint.get("/openapi.json")
def openapi() -> Response:
    """`/api/v1/openapi.json`: the OpenAPI 3.1 document that describes this API."""
    return jsonify(openapi_document())
