"""The OpenAPI 3.1 document of the API, written by hand and served at /api/v1/openapi.json.

It is the API's contract: tests/test_api.py checks every response against it with
schemathesis, so a change to a serializer or a parameter that is not made here fails.
Patterns and bounds come from params.py, the code that enforces them.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cache
from typing import Any

from newsweb.api.errors import API_PREFIX
from newsweb.api.params import (
    CURSOR_PATTERN,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_SLUG_LENGTH,
    SLUG_PATTERN,
)

Schema = dict[str, Any]


def _ref(name: str, section: str = "schemas") -> Schema:
    """A reference to a component."""
    return {"$ref": f"#/components/{section}/{name}"}


def _nullable(schema: Schema) -> Schema:
    """`schema`, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def _object(description: str, properties: dict[str, Schema]) -> Schema:
    """A closed object: every property required, no others allowed."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _items_of(name: str, description: str) -> Schema:
    """A listing: `{"items": [<name>, ...]}`."""
    return _object(description, {"items": {"type": "array", "items": _ref(name)}})


TEXT: Schema = {"type": "string"}
SLUG: Schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_SLUG_LENGTH}
PAGE_URL: Schema = {"type": "string", "format": "uri", "description": "The page on this site."}
TIMESTAMP: Schema = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601, in UTC (`Z`).",
}

_STORY_PROPERTIES: dict[str, Schema] = {
    "slug": SLUG,
    "title": TEXT,
    "dek": {"type": "string", "description": "A one-paragraph summary, plain text."},
    "url": PAGE_URL,
    "source_url": _nullable({"type": "string", "format": "uri"}),
    "published_at": TIMESTAMP,
    "tool": _ref("ToolRef"),
    "category": _ref("CategoryRef"),
    "panel": {
        "type": "array",
        "description": "Slugs of the personas who took the story, in panel order.",
        "items": SLUG,
    },
}

_TOOL_PROPERTIES: dict[str, Schema] = {
    "slug": SLUG,
    "name": TEXT,
    "tagline": TEXT,
    "url": PAGE_URL,
    "website": {"type": "string", "format": "uri"},
    "pricing": TEXT,
    "category": _ref("CategoryRef"),
    "verdict_count": {"type": "integer", "minimum": 0},
    "ship_share": {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": 100,
        "description": "The percentage of verdicts that say ship; null with no verdicts.",
    },
}

SCHEMAS: dict[str, Schema] = {
    "CategoryRef": _object("A category.", {"slug": SLUG, "name": TEXT}),
    "ToolRef": _object("A tool, named.", {"slug": SLUG, "name": TEXT}),
    "PersonaRef": _object("A persona, named.", {"slug": SLUG, "name": TEXT, "lens": TEXT}),
    "StorySummary": _object("A published story as listings show it.", _STORY_PROPERTIES),
    "Story": _object(
        "A published story with its body and the panel's takes.",
        {
            **_STORY_PROPERTIES,
            "body_markdown": {"type": "string", "description": "The body as the editor wrote it."},
            "body_html": {
                "type": "string",
                "description": "The body rendered from Markdown and sanitized (an allowlist).",
            },
            "takes": {"type": "array", "items": _ref("Take")},
        },
    ),
    "Take": _object(
        "One persona's take on a story.",
        {"persona": _ref("PersonaRef"), "text": {"type": "string", "description": "Plain text."}},
    ),
    "NextPage": _object(
        "Where the following page starts.",
        {
            "cursor": {
                "type": "string",
                "pattern": CURSOR_PATTERN,
                "description": "Pass as `after` to read the following page.",
            },
            "url": {"type": "string", "format": "uri", "description": "The following page."},
        },
    ),
    "StoryPage": _object(
        "A page of stories, newest first.",
        {
            "items": {"type": "array", "items": _ref("StorySummary"), "maxItems": MAX_LIMIT},
            "next": _nullable(_ref("NextPage")),
        },
    ),
    "ToolSummary": _object("A tool with the panel's tally.", _TOOL_PROPERTIES),
    "Tool": _object(
        "A tool with the panel's verdicts, in panel order.",
        {
            **_TOOL_PROPERTIES,
            "description": TEXT,
            "verdicts": {"type": "array", "items": _ref("Verdict")},
        },
    ),
    "Verdict": _object(
        "One persona's ship-or-skip call on a tool.",
        {"persona": _ref("PersonaRef"), "ship": {"type": "boolean"}, "take": TEXT},
    ),
    "ToolList": _items_of("ToolSummary", "Every tool, newest first."),
    "Persona": _object(
        "A panelist.",
        {
            "slug": SLUG,
            "name": TEXT,
            "lens": TEXT,
            "url": PAGE_URL,
            "motto": TEXT,
            "profile": TEXT,
            "excited_by": {"type": "array", "items": TEXT},
            "tired_of": {"type": "array", "items": TEXT},
            "position": {"type": "integer", "description": "Where it sits in panel order."},
        },
    ),
    "PersonaList": _items_of("Persona", "The panel, in order."),
    "Error": _object(
        "What went wrong.",
        {
            "error": _object(
                "The status and a message for people.",
                {"status": {"type": "integer", "minimum": 400, "maximum": 599}, "message": TEXT},
            )
        },
    ),
}

PARAMETERS: dict[str, Schema] = {
    "limit": {
        "name": "limit",
        "in": "query",
        "description": f"How many stories a page holds (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "after": {
        "name": "after",
        "in": "query",
        "description": "The `next.cursor` of the previous page; leave out for the first page.",
        "schema": {"type": "string", "pattern": CURSOR_PATTERN},
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
        "description": "Only stories about the tool with this slug (400 if there is none).",
        "schema": SLUG,
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


def _ok(description: str, schema_name: str) -> Schema:
    """A 200 answer holding a `schema_name` object."""
    return {
        "description": description,
        "headers": _CACHED_HEADERS,
        "content": {"application/json": {"schema": _ref(schema_name)}},
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
            _ok("A page of stories.", "StoryPage"),
            parameters=[
                _ref(name, "parameters") for name in ("limit", "after", "category", "tool")
            ],
        )
    },
    "/stories/{slug}": {
        "get": _operation(
            "getStory",
            "One published story with its body and the panel's takes.",
            _ok("The story.", "Story"),
            parameters=[_slug_parameter("mistral-40b-open-weight-reasoning-model-single-gpu")],
            errors=(400, 404),
        )
    },
    "/tools": {
        "get": _operation(
            "listTools",
            "Every tool the newsroom covers, newest first, with the panel's tally.",
            _ok("The tools.", "ToolList"),
            parameters=[_ref("category", "parameters")],
        )
    },
    "/tools/{slug}": {
        "get": _operation(
            "getTool",
            "One tool with the panel's verdicts.",
            _ok("The tool.", "Tool"),
            parameters=[_slug_parameter("mistral-ai")],
            errors=(400, 404),
        )
    },
    "/personas": {
        "get": _operation(
            "listPersonas",
            "The panel of critics, in order.",
            _ok("The personas.", "PersonaList"),
        )
    },
    "/personas/{slug}": {
        "get": _operation(
            "getPersona",
            "One persona of the panel.",
            _ok("The persona.", "Persona"),
            parameters=[_slug_parameter("the-skeptic")],
            errors=(400, 404),
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
        "content": {"application/json": {"schema": _ref("Error")}},
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
                "Read-only JSON for the newsroom's published stories, the tools it covers "
                "and its panel of critics. Every answer is public and cacheable (ETag); "
                'errors are JSON: `{"error": {"status": ..., "message": ...}}`.'
            ),
        },
        # Relative to this document: the same document serves every host name.
        "servers": [{"url": API_PREFIX}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
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
