"""The read-only JSON API under /api/v1/: behaviour, errors, caching, and its OpenAPI contract."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import delete

from newsweb.api import schemas
from newsweb.api.openapi import openapi_document
from newsweb.extensions import db
from newsweb.models import Story, StoryStatus, Take
from newsweb.models.clock import utcnow
from tests import factories
from tests.statements import statements_for

API = "/api/v1"


def get_json(client: FlaskClient, path: str, status: int = 200) -> Any:
    """GET `path`, check the status and that the answer is JSON, and return the parsed body."""
    response = client.get(path)
    assert response.status_code == status, (path, response.get_data(as_text=True))
    assert response.mimetype == "application/json", path
    return response.get_json()


@pytest.fixture
def newsroom_app(make_app: Callable[..., Flask]) -> Flask:
    """An app with the factories' newsroom: 7 stories over 2 tools and 2 categories."""
    app = make_app()
    with app.app_context():
        factories.newsroom(7)
    return app


@pytest.fixture
def newsroom_client(newsroom_app: Flask) -> FlaskClient:
    """A test client for `newsroom_app`."""
    return newsroom_app.test_client()


# --------------------------------------------------------------- stories


def test_stories_newest_first_with_their_fields(newsroom_client: FlaskClient) -> None:
    """Each listed story carries its links, a UTC timestamp, tool, category and panel."""
    page = get_json(newsroom_client, f"{API}/stories")
    titles = [item["title"] for item in page["items"]]
    assert titles == [f"Story {n:03d}" for n in range(6, -1, -1)]
    assert page["next"] is None
    first = page["items"][0]
    assert first == {
        "slug": "story-006",
        "title": "Story 006",
        "dek": "The dek of Story 006.",
        "url": "http://localhost/news/story-006",
        "source_url": "https://source.example/news",
        "published_at": "2026-01-07T08:00:00Z",
        "tool": {"slug": "mistral-ai", "name": "Mistral AI"},
        "category": {"slug": "model", "name": "Model"},
        "panel": ["the-founder", "the-skeptic", "the-futurist", "the-builder"],
        "split": {"ship": 2, "wait": 1, "skip": 1},
    }


def test_stories_page_to_the_end(newsroom_client: FlaskClient) -> None:
    """Following `next.url` visits every story once, newest first, then `next` is null."""
    seen: list[str] = []
    url: str | None = f"{API}/stories?limit=3"
    pages = 0
    while url is not None:
        page = get_json(newsroom_client, url)
        pages += 1
        assert len(page["items"]) <= 3
        seen += [item["slug"] for item in page["items"]]
        following = page["next"]
        if following is not None:
            assert parse_qs(urlsplit(following["url"]).query)["after"] == [following["cursor"]]
            assert parse_qs(urlsplit(following["url"]).query)["limit"] == ["3"]
        url = following["url"] if following else None
    assert pages == 3
    assert seen == [f"story-{n:03d}" for n in range(6, -1, -1)]


def test_stories_cursor_can_be_passed_as_after(newsroom_client: FlaskClient) -> None:
    """`next.cursor` given as `after` reads the same page as `next.url`."""
    first = get_json(newsroom_client, f"{API}/stories?limit=2")
    by_cursor = get_json(newsroom_client, f"{API}/stories?limit=2&after={first['next']['cursor']}")
    by_url = get_json(newsroom_client, first["next"]["url"])
    assert by_cursor == by_url
    assert [item["slug"] for item in by_cursor["items"]] == ["story-004", "story-003"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=model", ["story-006", "story-003", "story-000"]),
        ("tool=anthropic", ["story-005", "story-003", "story-001"]),
        ("category=funding&tool=mistral-ai", ["story-004", "story-002"]),
    ],
)
def test_stories_filters(newsroom_client: FlaskClient, query: str, expected: list[str]) -> None:
    """`category` and `tool` narrow the listing, alone or together."""
    page = get_json(newsroom_client, f"{API}/stories?{query}")
    assert [item["slug"] for item in page["items"]] == expected


def test_filters_carry_over_to_the_next_page(newsroom_client: FlaskClient) -> None:
    """`next.url` keeps the filters, so paging never leaves the filtered listing."""
    page = get_json(newsroom_client, f"{API}/stories?tool=anthropic&limit=1")
    query = parse_qs(urlsplit(page["next"]["url"]).query)
    assert query["tool"] == ["anthropic"]
    assert "category" not in query
    rest = get_json(newsroom_client, page["next"]["url"])
    assert [item["slug"] for item in rest["items"]] == ["story-003"]


def test_drafts_and_future_stories_never_appear(newsroom_app: Flask) -> None:
    """A draft and a story dated tomorrow are in no listing and have no detail."""
    with newsroom_app.app_context():
        personas = factories.panel_from_database()
        funding = factories.category("Policy")
        tool = factories.tool("Secret Lab", funding, personas)
        factories.story("Draft story", tool, funding, personas, status=StoryStatus.DRAFT)
        factories.story(
            "Future story", tool, funding, personas, published_at=utcnow() + timedelta(days=1)
        )
        db.session.commit()
    client = newsroom_app.test_client()
    slugs = {item["slug"] for item in get_json(client, f"{API}/stories?limit=50")["items"]}
    assert slugs.isdisjoint({"draft-story", "future-story"})
    assert get_json(client, f"{API}/stories?tool=secret-lab")["items"] == []
    for slug in ("draft-story", "future-story"):
        get_json(client, f"{API}/stories/{slug}", 404)
    # The tool itself is public; only its unpublished stories are hidden.
    assert get_json(client, f"{API}/tools/secret-lab")["name"] == "Secret Lab"


def test_story_with_body_and_takes_in_panel_order(newsroom_client: FlaskClient) -> None:
    """One story: the summary fields, its body as Markdown and HTML, and every take in order."""
    story = get_json(newsroom_client, f"{API}/stories/story-002")
    assert story["title"] == "Story 002"
    assert story["body_markdown"] == "The **body** of the story."
    assert story["body_html"] == "<p>The <strong>body</strong> of the story.</p>\n"
    assert story["panel"] == [take["persona"]["slug"] for take in story["takes"]]
    assert [take["persona"] for take in story["takes"]] == [
        {"slug": slug, "name": name, "lens": lens} for slug, name, lens in factories.PANEL
    ]
    assert story["takes"][1]["text"] == factories.LONG_TAKE
    assert story["takes"][0]["text"] == "The Founder says a little."


def test_text_comes_back_as_stored_and_body_html_is_sanitized(newsroom_app: Flask) -> None:
    """Titles, deks and takes are returned verbatim (JSON needs no escaping); HTML is cleaned."""
    hostile = "<script>alert('x')</script> & \"quotes\""
    with newsroom_app.app_context():
        personas = factories.panel_from_database()
        story = factories.story(
            "Placeholder",
            factories.tool("Hostile Lab", factories.category("Policy"), personas),
            factories.category("Hardware"),
            personas,
            body="<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=y>",
        )
        story.slug = "hostile"
        story.title = hostile
        story.dek = hostile
        story.takes[0].body = hostile
        db.session.commit()
    found = get_json(newsroom_app.test_client(), f"{API}/stories/hostile")
    assert found["title"] == found["dek"] == found["takes"][0]["text"] == hostile
    assert found["body_markdown"].startswith("<script>")
    html = found["body_html"]
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_timestamps_are_whole_seconds_in_utc(newsroom_app: Flask) -> None:
    """`published_at` drops the microseconds the database keeps and ends in `Z`."""
    with newsroom_app.app_context():
        story = db.session.get(Story, 1)
        assert story is not None
        story.published_at = datetime(2026, 1, 1, 8, 30, 15, 654321)
        db.session.commit()
        slug = story.slug
    found = get_json(newsroom_app.test_client(), f"{API}/stories/{slug}")
    assert found["published_at"] == "2026-01-01T08:30:15Z"


def test_story_without_source_or_takes(newsroom_app: Flask) -> None:
    """A story with no source link has `source_url: null`, and no takes an empty panel."""
    with newsroom_app.app_context():
        story = db.session.get(Story, 1)
        assert story is not None
        story.source_url = ""
        db.session.execute(delete(Take).where(Take.story_id == 1))
        db.session.commit()
        slug = story.slug
    found = get_json(newsroom_app.test_client(), f"{API}/stories/{slug}")
    assert found["source_url"] is None
    assert found["panel"] == found["takes"] == []


# --------------------------------------------------------------- tools and personas


def test_tools_list_with_tallies(newsroom_client: FlaskClient) -> None:
    """Every tool, newest first, with its verdict count and ship share."""
    tools = get_json(newsroom_client, f"{API}/tools")["items"]
    assert [tool["slug"] for tool in tools] == ["anthropic", "mistral-ai"]
    assert tools[0] == {
        "slug": "anthropic",
        "name": "Anthropic",
        "tagline": "Anthropic makes models.",
        "url": "http://localhost/tools/anthropic",
        "website": "https://anthropic.example",
        "pricing": "",
        "category": {"slug": "model", "name": "Model"},
        "verdict_count": 4,
        "ship_share": 75,
    }


def test_tools_list_by_category(newsroom_app: Flask) -> None:
    """`?category=` narrows the tool list; a category with no tools gives an empty list."""
    with newsroom_app.app_context():
        factories.tool("Chip Maker", factories.category("Hardware"))
        db.session.commit()
    client = newsroom_app.test_client()
    hardware = get_json(client, f"{API}/tools?category=hardware")["items"]
    assert [tool["slug"] for tool in hardware] == ["chip-maker"]
    assert hardware[0]["ship_share"] is None
    assert hardware[0]["verdict_count"] == 0
    assert get_json(client, f"{API}/tools?category=funding")["items"] == []


def test_tool_with_verdicts_in_panel_order(newsroom_client: FlaskClient) -> None:
    """One tool: description, verdicts (persona, ship, take) in panel order, ship share."""
    tool = get_json(newsroom_client, f"{API}/tools/mistral-ai")
    assert tool["description"] == "Mistral AI is a company."
    assert tool["ship_share"] == 75
    assert [(v["persona"]["slug"], v["ship"]) for v in tool["verdicts"]] == [
        ("the-founder", False),
        ("the-skeptic", True),
        ("the-futurist", True),
        ("the-builder", True),
    ]
    assert tool["verdicts"][0]["take"] == "The Founder on Mistral AI."


def test_personas_in_panel_order(demo_client: FlaskClient) -> None:
    """The demo panel, in order, each with its profile and lists."""
    personas = get_json(demo_client, f"{API}/personas")["items"]
    assert [p["name"] for p in personas] == [
        "The Founder",
        "The Skeptic",
        "The Futurist",
        "The Builder",
    ]
    assert [p["position"] for p in personas] == sorted(p["position"] for p in personas)
    skeptic = get_json(demo_client, f"{API}/personas/the-skeptic")
    assert skeptic == personas[1]
    assert skeptic["lens"] == "Reality Check"
    assert skeptic["url"] == "http://localhost/panel/the-skeptic"
    assert skeptic["excited_by"]
    assert skeptic["tired_of"]
    assert skeptic["motto"]
    assert skeptic["profile"]


# --------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=51",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "limit=",
        "limit=1e3",
        "limit=10%00",
        "after=garbage",
        "after=2026-02-30T00:00:00~1",
        "after=2026-01-01T00:00:00%2B05:00~1",
        "after=2026-01-01T00:00:00~0",
        "after=2026-01-01T00:00:00~9999999999999999",
        "after=2026-01-01T00:00:00~1%00",
        "after=",
        "category=no-such-category",
        "category=Model",
        "category=",
        "category=%00",
        "category=model%01",
        "tool=no-such-tool",
        "tool=mistral%00ai",
        "tool=%7f",
        "tool=" + "a" * 201,
    ],
)
def test_bad_parameters_are_a_json_400(demo_client: FlaskClient, query: str) -> None:
    """Malformed, out-of-range, unknown or NUL-bearing parameters: 400 with a JSON error."""
    response = demo_client.get(f"{API}/stories?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == 400
    assert body["error"]["message"]
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_category_filter_on_tools_is_a_400(demo_client: FlaskClient) -> None:
    """The tool list refuses an unknown category like the story list does."""
    body = get_json(demo_client, f"{API}/tools?category=astrology", 400)
    assert "astrology" in body["error"]["message"]


def test_unknown_parameters_are_ignored(demo_client: FlaskClient) -> None:
    """A parameter the API does not know changes nothing."""
    plain = get_json(demo_client, f"{API}/stories?limit=3")
    assert get_json(demo_client, f"{API}/stories?limit=3&colour=blue&page=2") == plain


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/stories/no-such-story",
        f"{API}/stories/%01",
        f"{API}/tools/no-such-tool",
        f"{API}/tools/a%1fb",
        f"{API}/tools/{'a' * 5000}",
        f"{API}/personas/no-such-persona",
        f"{API}/stories/",
        f"{API}/no-such-endpoint",
        API,
    ],
)
def test_unknown_items_and_paths_are_a_json_404(demo_client: FlaskClient, path: str) -> None:
    """Unknown slugs and unknown paths under /api/v1 answer 404 in JSON, never HTML."""
    body = get_json(demo_client, path, 404)
    assert body["error"]["status"] == 404
    assert body["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [f"{API}/stories/%00", f"{API}/tools/a%00b", f"{API}/personas?colour=%00", f"{API}/stories%00"],
)
def test_nul_bytes_anywhere_are_a_json_400(demo_client: FlaskClient, path: str) -> None:
    """A NUL in the path or any parameter is refused site-wide (hygiene.py), here in JSON."""
    assert get_json(demo_client, path, 400)["error"]["status"] == 400


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", f"{API}/stories?limit=0", 400),
        ("GET", f"{API}/tools/no-such-tool", 404),
        ("GET", f"{API}/no-such-endpoint", 404),
        ("DELETE", f"{API}/personas", 405),
    ],
)
def test_error_bodies_are_the_documented_error_object(
    demo_client: FlaskClient, method: str, path: str, status: int
) -> None:
    """Every error answer, documented routes or not, is exactly the `Error` model's JSON."""
    response = demo_client.open(path, method=method)
    assert response.status_code == status
    error = schemas.Error.model_validate(response.get_json())
    assert error.error.status == status
    assert error.model_dump(mode="json") == response.get_json()


def test_wrong_method_is_a_json_405_with_allow(demo_client: FlaskClient) -> None:
    """A POST to a read-only endpoint: 405, JSON, and the Allow header kept; no CSRF page."""
    response = demo_client.post(f"{API}/stories", data={"title": "x"})
    assert response.status_code == 405
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_server_errors_are_json_too(make_app: Callable[..., Flask]) -> None:
    """An unexpected exception in an API view answers a JSON 500 (outside TESTING)."""
    app = make_app(TESTING=False)

    @app.get(f"{API}/explode")
    def explode() -> str:
        """A view that fails, for this test only."""
        raise RuntimeError("boom")

    response = app.test_client().get(f"{API}/explode")
    assert response.status_code == 500
    assert response.get_json()["error"]["status"] == 500
    assert "boom" not in response.get_data(as_text=True)


def test_site_errors_stay_html(demo_client: FlaskClient) -> None:
    """Pages outside the API keep their friendly HTML error pages."""
    for path in ("/no-such-page", "/news/no-such-story", "/api-docs", "/api/v2/stories"):
        response = demo_client.get(path)
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert 'class="masthead"' in response.get_data(as_text=True)


# --------------------------------------------------------------- headers and caching


def test_answers_are_cacheable_and_open_to_any_origin(demo_client: FlaskClient) -> None:
    """200s are public with an ETag (304 on a match); every answer allows any origin."""
    response = demo_client.get(f"{API}/stories")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    again = demo_client.get(f"{API}/stories", headers={"If-None-Match": etag})
    assert again.status_code == 304
    missing = demo_client.get(f"{API}/stories/nope")
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    assert missing.headers["Cache-Control"] == "no-store"


# --------------------------------------------------------------- the panel's record


def test_verdict_changes_newest_first_with_filters(demo_client: FlaskClient) -> None:
    """The demo's flips come back newest first; a panelist filter keeps only theirs."""
    items = get_json(demo_client, f"{API}/verdict-changes?persona=the-skeptic")["items"]
    assert {item["persona"]["slug"] for item in items} == {"the-skeptic"}
    flips = [(i["tool"]["slug"], i["from_call"], i["to_call"]) for i in items if i["from_call"]]
    assert flips == [("nvidia", "skip", "ship"), ("hugging-face", "skip", "ship")]
    stamps = [item["changed_at"] for item in items]
    assert stamps == sorted(stamps, reverse=True)
    get_json(demo_client, f"{API}/verdict-changes?persona=nobody", status=400)


def test_predictions_by_status_and_outcome_page_to_the_end(demo_client: FlaskClient) -> None:
    """Open predictions page by due date to the end; resolved ones carry their ruling."""
    seen: list[str] = []
    page = get_json(demo_client, f"{API}/predictions?limit=3")
    while True:
        assert all(item["status"] == "open" for item in page["items"])
        seen += [item["due_on"] for item in page["items"]]
        if page["next"] is None:
            break
        page = get_json(
            demo_client, urlsplit(page["next"]["url"])._replace(scheme="", netloc="").geturl()
        )
    assert seen == sorted(seen)
    everything = get_json(demo_client, f"{API}/predictions?limit=50")["items"]
    assert seen == [item["due_on"] for item in everything]
    resolved = get_json(demo_client, f"{API}/predictions?status=resolved&outcome=came_true")
    assert [item["ruling"]["outcome"] for item in resolved["items"]] == ["came_true"]
    assert resolved["items"][0]["take_url"].endswith("#take-the-builder")
    get_json(demo_client, f"{API}/predictions?status=later", status=400)


# --------------------------------------------------------------- statement counts

# Each endpoint's statement count, asserted exactly so that a new query is a visible change.
STATEMENTS = {
    f"{API}/stories": 2,  # stories (tool and category joined), panelists
    f"{API}/stories?category=model&tool=mistral-ai&limit=2": 4,  # + each filter's lookup
    f"{API}/stories/story-001": 2,  # story, takes with personas
    f"{API}/tools": 1,  # tools with tallies
    f"{API}/tools?category=model": 2,  # + the category
    f"{API}/tools/mistral-ai": 2,  # tool, verdicts with personas
    f"{API}/personas": 1,
    f"{API}/personas/the-skeptic": 1,
    f"{API}/verdict-changes": 1,  # changes with tools and personas
    f"{API}/verdict-changes?tool=mistral-ai&persona=the-skeptic": 3,  # + each filter's lookup
    f"{API}/predictions?status=resolved": 1,  # predictions with personas, takes, stories
    f"{API}/predictions?status=due&persona=the-skeptic&limit=2": 2,  # + the persona
    f"{API}/openapi.json": 0,
}


@pytest.mark.parametrize("path", STATEMENTS)
def test_statement_count_does_not_grow_with_the_data(
    make_app: Callable[..., Flask], path: str
) -> None:
    """The same endpoint runs the same statements with 3 stories as with 30."""
    app = make_app()
    with app.app_context():
        factories.newsroom(3)

    small = statements_for(app, path)
    with app.app_context():
        factories.more_stories(27)
        factories.flip_every_verdict(2)
        factories.predict_in_every_take()
    assert small == statements_for(app, path) == STATEMENTS[path]


# --------------------------------------------------------------- the OpenAPI document


def test_openapi_document_describes_every_route(demo_app: Flask) -> None:
    """Every API route is in the document, every object schema is closed, every op has an id.

    What the app serves is exactly `openapi_document()`, the document schemathesis tests with.
    """
    document = get_json(demo_app.test_client(), f"{API}/openapi.json")
    assert document == openapi_document()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": API}]
    routes = {
        rule.rule.removeprefix(API).replace("<slug>", "{slug}")
        for rule in demo_app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(document["paths"])
    operation_ids = [
        op["operationId"] for item in document["paths"].values() for op in item.values()
    ]
    assert len(operation_ids) == len(set(operation_ids)) == len(routes)

    def closed(schema: Any) -> None:
        if isinstance(schema, dict):
            if schema.get("type") == "object" and "properties" in schema:
                assert schema["additionalProperties"] is False, schema
                assert set(schema["required"]) == set(schema["properties"])
            for value in schema.values():
                closed(value)
        elif isinstance(schema, list):
            for value in schema:
                closed(value)

    closed(document["components"]["schemas"])


def _api_models() -> dict[str, type[schemas.ApiObject]]:
    """Every model of the API's JSON objects, by class name."""
    found: dict[str, type[schemas.ApiObject]] = {}
    waiting = [schemas.ApiObject]
    while waiting:
        for model in waiting.pop().__subclasses__():
            found[model.__name__] = model
            waiting.append(model)
    return found


def test_document_schemas_come_from_the_response_models() -> None:
    """Each JSON object the API sends is a documented component with the model's fields.

    The document and the responses share their models, so a field added to one is in both;
    every object and every field carries a description for client authors.
    """
    components = openapi_document()["components"]["schemas"]
    models = _api_models()
    assert set(components) == set(models)
    for name, model in models.items():
        component = components[name]
        assert component["description"], name
        assert list(component["properties"]) == list(model.model_fields), name
        for field, schema in component["properties"].items():
            assert schema["description"], (name, field)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# The document the app serves (test_openapi_document_is_what_the_app_serves proves it is the
# same), loaded at import because schemathesis parametrizes tests at collection time.
schema = schemathesis.openapi.from_dict(openapi_document())
# schemathesis's WSGI transport asks for gzip but never decodes it, as an HTTP client would:
# it asks for the bytes as they are (compression has tests of its own).
AS_IS = {"Accept-Encoding": "identity"}


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    # Every request is a GET: sharing one demo newsroom between examples is what we want.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_openapi_document(
    case: schemathesis.Case[Any], demo_app: Flask
) -> None:
    """Generated requests, valid and invalid, to every operation: never a 5xx, always as documented.

    Derandomized and bounded, so CI runs the same cases every time, in seconds.
    """
    case.call_and_validate(app=demo_app, checks=CHECKS, headers=AS_IS)


def test_every_demo_item_conforms_to_the_document(demo_client: FlaskClient) -> None:
    """Each real story, tool and persona (which random slugs never hit) matches its schema."""
    api_schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", demo_client.application)
    for kind, path in (("stories", "/stories/{slug}"), ("tools", "/tools/{slug}")):
        slugs = [item["slug"] for item in get_json(demo_client, f"{API}/{kind}?limit=50")["items"]]
        assert slugs
        for slug in slugs:
            operation = api_schema[path]["GET"]
            operation.Case(path_parameters={"slug": slug}).call_and_validate(headers=AS_IS)
    for persona in get_json(demo_client, f"{API}/personas")["items"]:
        operation = api_schema["/personas/{slug}"]["GET"]
        operation.Case(path_parameters={"slug": persona["slug"]}).call_and_validate(headers=AS_IS)
    last_page = api_schema["/stories"]["GET"].Case(query={"limit": 50})
    last_page.call_and_validate(headers=AS_IS)
    for status in ("open", "due", "resolved"):
        ledger = api_schema["/predictions"]["GET"].Case(query={"status": status, "limit": 50})
        ledger.call_and_validate(headers=AS_IS)
    api_schema["/verdict-changes"]["GET"].Case(query={}).call_and_validate(headers=AS_IS)
