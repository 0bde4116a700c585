"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

It is the API's contract: tests/test_api.py checks every response against it with
schemathesis. Its component schemas are generated from the models in schemas.py, the same
models every response body is made from; this module writes only what no model holds:
the paths, their parameters, answers and headers. Parameter patterns and bounds come from
params.py, the code that enforces them.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from newsweb.api.errors import API_PREFIX
from newsweb.api.params import DEFAULT_LIMIT, MAX_LIMIT
from newsweb.api.schemas import (
    Cursor,
    Error,
    Persona,
    PersonaList,
    PredictionPage,
    Slug,
    Story,
    StoryPage,
    Tool,
    ToolList,
    VerdictChangeList,
)
from newsweb.models import Outcome, PredictionStatus

Schema = dict[str, Any]

COMPONENT_SCHEMAS = "#/components/schemas/{model}"


def _ref(name: str, section: str = "schemas") -> Schema:
    """A reference to a component."""
    return {"$ref": f"#/components/{section}/{name}"}


class _UntitledSchema(GenerateJsonSchema):
    """JSON Schema without pydantic's titles: components and properties are named by their keys."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        """Never title a property ("Published At" says nothing `published_at` does not)."""
        return False

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        """A model's schema, titled only by the key it has in the components."""
        json_schema = super().model_schema(schema)
        json_schema.pop("title", None)
        return json_schema


# What the answers hold; the models nested in them come along.
ANSWER_MODELS: tuple[type[BaseModel], ...] = (
    StoryPage,
    Story,
    ToolList,
    Tool,
    PersonaList,
    Persona,
    VerdictChangeList,
    PredictionPage,
    Error,
)


def _component_schemas() -> dict[str, Schema]:
    """The schemas of ANSWER_MODELS and of every model they hold, keyed by class name.

    Serialization mode: they describe the JSON the models write (a timestamp as a string).
    """
    _, document = models_json_schema(
        [(model, "serialization") for model in ANSWER_MODELS],
        ref_template=COMPONENT_SCHEMAS,
        schema_generator=_UntitledSchema,
    )
    definitions: dict[str, Schema] = document["$defs"]
    return definitions


SLUG: Schema = TypeAdapter(Slug).json_schema()
CURSOR: Schema = TypeAdapter(Cursor).json_schema()
TEXT: Schema = {"type": "string"}

PARAMETERS: dict[str, Schema] = {
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"How many items a page holds (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "after": {
        "name": "after",
        "in": "query",
        "description": "The `next.cursor` of the previous page; leave out for the first page.",
        "schema": CURSOR,
    },
    "category": {
        "name": "category",
        "in": "query",
        "description": "Only items in the category with this slug (400 if there is none).",
        "schema": SLUG,
    },
    "tool": {
        "name": "tool",
        "in": "query",
        "description": "Only items about the tool with this slug (400 if there is none).",
        "schema": SLUG,
    },
    "persona": {
        "name": "persona",
        "in": "query",
        "description": "Only items by the persona with this slug (400 if there is none).",
        "schema": SLUG,
    },
    "status": {
        "name": "status",
        "in": "query",
        "description": "Which predictions: open (before their day), due (awaiting a ruling) "
        "or resolved.",
        "schema": {
            "type": "string",
            "enum": [status.value for status in PredictionStatus],
            "default": "open",
        },
    },
    "outcome": {
        "name": "outcome",
        "in": "query",
        "description": "Only resolved predictions with this ruling.",
        "schema": {"type": "string", "enum": [outcome.value for outcome in Outcome]},
    },
}


def _slug_parameter(example: str) -> Schema:
    """The `{slug}` path parameter, with an example from the demo newsroom."""
    return {"name": "slug", "in": "path", "required": True, "schema": SLUG, "example": example}


_CACHED_HEADERS: dict[str, Schema] = {
    "ETag": {
        "description": "Send it back in `If-None-Match` to get a 304 while nothing changed.",
        "required": True,
        "schema": TEXT,
    },
    "Access-Control-Allow-Origin": {
        "description": "Any site may read the API: it is public and never personal.",
        "required": True,
        "schema": {"type": "string", "const": "*"},
    },
}


def _ok(description: str, model: type[BaseModel]) -> Schema:
    """A 200 answer holding a `model` object."""
    return {
        "description": description,
        "headers": _CACHED_HEADERS,
        "content": {"application/json": {"schema": _ref(model.__name__)}},
    }


NOT_MODIFIED: Schema = {"description": "Unchanged since the ETag in `If-None-Match`."}


def _operation(
    operation_id: str,
    summary: str,
    ok: Schema,
    *,
    parameters: list[Schema] | None = None,
    errors: tuple[int, ...] = (400,),
) -> Schema:
    """A GET operation with its answers; `errors` names the 4xx it documents."""
    responses: dict[str, Schema] = {"200": ok, "304": NOT_MODIFIED}
    for status in errors:
        responses[str(status)] = _ref({400: "BadRequest", 404: "NotFound"}[status], "responses")
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": parameters or [],
        "responses": responses,
    }


PATHS: dict[str, Schema] = {
    "/stories": {
        "get": _operation(
            "listStories",
            "Published stories, newest first, a page at a time.",
            _ok("A page of stories.", StoryPage),
            parameters=[
                _ref(name, "parameters") for name in ("limit", "after", "category", "tool")
            ],
        )
    },
    "/stories/{slug}": {
        "get": _operation(
            "getStory",
            "One published story with its body and the panel's takes.",
            _ok("The story.", Story),
            parameters=[_slug_parameter("mistral-40b-open-weight-reasoning-model-single-gpu")],
            errors=(400, 404),
        )
    },
    "/tools": {
        "get": _operation(
            "listTools",
            "Every tool the newsroom covers, newest first, with the panel's tally.",
            _ok("The tools.", ToolList),
            parameters=[_ref("category", "parameters")],
        )
    },
    "/tools/{slug}": {
        "get": _operation(
            "getTool",
            "One tool with the panel's verdicts.",
            _ok("The tool.", Tool),
            parameters=[_slug_parameter("mistral-ai")],
            errors=(400, 404),
        )
    },
    "/personas": {
        "get": _operation(
            "listPersonas",
            "The panel of critics, in order.",
            _ok("The personas.", PersonaList),
        )
    },
    "/personas/{slug}": {
        "get": _operation(
            "getPersona",
            "One persona of the panel.",
            _ok("The persona.", Persona),
            parameters=[_slug_parameter("the-skeptic")],
            errors=(400, 404),
        )
    },
    "/verdict-changes": {
        "get": _operation(
            "listVerdictChanges",
            "The newest 50 changes of the panel's calls on tools: first calls, flips, withdrawals.",
            _ok("The verdict changes, newest first.", VerdictChangeList),
            parameters=[_ref(name, "parameters") for name in ("tool", "persona")],
        )
    },
    "/predictions": {
        "get": _operation(
            "listPredictions",
            "The panel's dated predictions in one status, a page at a time.",
            _ok("A page of predictions.", PredictionPage),
            parameters=[
                _ref(name, "parameters")
                for name in ("status", "persona", "outcome", "limit", "after")
            ],
        )
    },
    "/openapi.json": {
        "get": _operation(
            "getOpenApiDocument",
            "This document.",
            {
                "description": "The OpenAPI 3.1 document of this API.",
                "headers": _CACHED_HEADERS,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        )
    },
}


def _error_response(description: str) -> Schema:
    """An error answer with the JSON error body."""
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": _CACHED_HEADERS["Access-Control-Allow-Origin"]},
        "content": {"application/json": {"schema": _ref(Error.__name__)}},
    }


@cache
def _document() -> Schema:
    """Build the document once; `openapi_document` hands out copies."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newsweb API",
            "version": "1.0.0",
            "description": (
                "Read-only JSON for the newsroom's published stories, the tools it covers, "
                "its panel of critics, their verdict changes and their predictions. Every "
                "answer is public and cacheable (ETag); "
                'errors are JSON: `{"error": {"status": ..., "message": ...}}`.'
            ),
        },
        # Relative to this document: the same document serves every host name.
        "servers": [{"url": API_PREFIX}],
        "paths": PATHS,
        "components": {
            "schemas": _component_schemas(),
            "parameters": PARAMETERS,
            "responses": {
                "BadRequest": _error_response(
                    "A parameter is malformed, out of range or names nothing, or the request "
                    "holds a NUL byte (refused everywhere on the site)."
                ),
                "NotFound": _error_response("Nothing published has that slug."),
            },
        },
    }


def openapi_document() -> Schema:
    """Return the OpenAPI 3.1 document of the API (a fresh copy the caller may change)."""
    return deepcopy(_document())
