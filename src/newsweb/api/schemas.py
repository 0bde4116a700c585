"""The API's JSON objects as typed models: each makes both a response body and its JSON Schema.

A field is named, typed and described here once. serializers.py fills these models from
loaded rows, the views send `model_dump(mode="json")`, and openapi.py takes the document's
component schemas from `model_json_schema`, so the JSON and its contract cannot drift apart.
A model's docstring is its description in the document: write it for API clients.

Text goes out exactly as stored; JSON needs no HTML escaping. The one HTML field,
`body_html`, is the same sanitized rendering the story page shows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from newsweb.api.params import CURSOR_PATTERN, MAX_LIMIT
from newsweb.text import MAX_SLUG_LENGTH, SLUG_PATTERN


def utc_timestamp(at: datetime) -> str:
    """An ISO 8601 UTC timestamp with a `Z`, from the naive UTC datetimes the database keeps."""
    return at.replace(microsecond=0).isoformat() + "Z"


# Models validate what they are given, so a value the document forbids (a slug the
# pattern refuses) fails here instead of reaching clients; the editor's forms and the
# demo loader only ever store slugs that match.
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG_LENGTH)]
Cursor = Annotated[str, Field(pattern=CURSOR_PATTERN)]
# A plain string, sent exactly as url_for or the editor wrote it: pydantic's URL types
# would normalize it (a trailing slash after a bare host) and change what clients get.
Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
# The database keeps naive UTC datetimes; clients get whole seconds with a `Z`.
Timestamp = Annotated[
    datetime,
    PlainSerializer(utc_timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class ApiObject(BaseModel):
    """A JSON object of the API: closed (no other properties), every field always present."""

    # strict: values come from typed rows, so a coercion would only hide a mistake here.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CategoryRef(ApiObject):
    """A category."""

    slug: Slug = Field(description="The category's slug, as `?category=` takes it.")
    name: str = Field(description="The category's name.")


class ToolRef(ApiObject):
    """A tool, named."""

    slug: Slug = Field(description="The tool's slug, as in `/tools/{slug}` and `?tool=`.")
    name: str = Field(description="The tool's name.")


class PersonaRef(ApiObject):
    """A persona, named."""

    slug: Slug = Field(description="The persona's slug, as in `/personas/{slug}`.")
    name: str = Field(description="The persona's name.")
    lens: str = Field(description="What the persona judges by.")


CallName = Literal["ship", "wait", "skip"]


class PanelSplit(ApiObject):
    """How the panel's calls on a story fall: how many personas say ship, wait and skip."""

    ship: int = Field(ge=0, description="Takes whose call is ship: worth acting on now.")
    wait: int = Field(ge=0, description="Takes whose call is wait: promising, not proven yet.")
    skip: int = Field(ge=0, description="Takes whose call is skip: not worth it.")


class StorySummary(ApiObject):
    """A published story as listings show it."""

    slug: Slug = Field(description="The story's slug, as in `/stories/{slug}`.")
    title: str = Field(description="The headline, plain text.")
    dek: str = Field(description="A one-paragraph summary, plain text.")
    url: Url = Field(description="The story's page on this site.")
    source_url: Url | None = Field(description="The original report; null when there is none.")
    published_at: Timestamp = Field(description="When it was published: ISO 8601, in UTC (`Z`).")
    tool: ToolRef = Field(description="The tool the story is about.")
    category: CategoryRef = Field(description="The story's category.")
    panel: list[Slug] = Field(
        description="Slugs of the personas who took the story, in panel order."
    )
    split: PanelSplit = Field(description="The panel's calls on the story, counted.")


class Take(ApiObject):
    """One persona's take on a story."""

    persona: PersonaRef = Field(description="Who took it.")
    call: CallName = Field(
        description="The persona's call on the news: ship (act on it now), wait (not "
        "proven yet) or skip (not worth it)."
    )
    text: str = Field(description="The take, plain text.")


class Story(StorySummary):
    """A published story with its body and the panel's takes."""

    body_markdown: str = Field(description="The body as the editor wrote it.")
    body_html: str = Field(
        description="The body rendered from Markdown and sanitized (an allowlist)."
    )
    takes: list[Take] = Field(description="The panel's takes, in panel order.")


class NextPage(ApiObject):
    """Where the following page starts."""

    cursor: Cursor = Field(description="Pass as `after` to read the following page.")
    url: Url = Field(description="The following page, with the same filters and `limit`.")


class StoryPage(ApiObject):
    """A page of stories, newest first."""

    items: list[StorySummary] = Field(max_length=MAX_LIMIT, description="The page's stories.")
    next: NextPage | None = Field(description="The following page; null on the last one.")


class ToolSummary(ToolRef):
    """A tool with the panel's tally."""

    tagline: str = Field(description="What the tool is, in a line.")
    url: Url = Field(description="The tool's page on this site.")
    website: Url = Field(description="The tool's own website.")
    pricing: str = Field(description="How the tool is paid for; empty when unknown.")
    category: CategoryRef = Field(description="The tool's category.")
    verdict_count: int = Field(ge=0, description="How many personas gave a verdict.")
    ship_share: int | None = Field(
        ge=0,
        le=100,
        description="The percentage of verdicts that say ship; null with no verdicts.",
    )


class Verdict(ApiObject):
    """One persona's ship-or-skip call on a tool."""

    persona: PersonaRef = Field(description="Whose call it is.")
    ship: bool = Field(description="True for ship, false for skip.")
    take: str = Field(description="Why, plain text.")


class Tool(ToolSummary):
    """A tool with the panel's verdicts, in panel order."""

    description: str = Field(description="What the tool does, plain text.")
    verdicts: list[Verdict] = Field(description="The panel's verdicts, in panel order.")


class ToolList(ApiObject):
    """Every tool, newest first."""

    items: list[ToolSummary] = Field(description="The tools.")


class Persona(PersonaRef):
    """A panelist."""

    url: Url = Field(description="The persona's page on this site.")
    motto: str = Field(description="The persona's motto.")
    profile: str = Field(description="Who the persona is, plain text.")
    excited_by: list[str] = Field(description="What excites the persona.")
    tired_of: list[str] = Field(description="What the persona is tired of.")
    position: int = Field(description="Where it sits in panel order.")


class PersonaList(ApiObject):
    """The panel, in order."""

    items: list[Persona] = Field(description="The personas.")


Call = Literal["ship", "skip"]


class VerdictChange(ApiObject):
    """One move of a persona's call on a tool: a first call, a flip, or a call withdrawn."""

    tool: ToolRef = Field(description="The tool the call is on.")
    persona: PersonaRef = Field(description="Whose call it is.")
    from_call: Call | None = Field(description="The call before; null for a first call.")
    to_call: Call | None = Field(description="The call after; null when it was withdrawn.")
    reason: str = Field(description="Why it changed: the editor's note, or the take, plain text.")
    changed_at: Timestamp = Field(description="When it changed: ISO 8601, in UTC (`Z`).")
    url: Url = Field(description="The change on the tool's page on this site.")


class VerdictChangeList(ApiObject):
    """Verdict changes, newest first (at most 50)."""

    items: list[VerdictChange] = Field(max_length=50, description="The changes.")


class StoryRef(ApiObject):
    """A published story, named."""

    slug: Slug = Field(description="The story's slug, as in `/stories/{slug}`.")
    title: str = Field(description="The headline, plain text.")
    url: Url = Field(description="The story's page on this site.")


class Ruling(ApiObject):
    """The newsroom's ruling on a prediction that came due."""

    outcome: Literal["came_true", "partly", "did_not"] = Field(description="How it turned out.")
    note: str = Field(description="What happened, against the claim, plain text.")
    source_url: Url | None = Field(description="The evidence; null when there is none.")
    ruled_at: Timestamp | None = Field(description="When the latest ruling was made, in UTC.")


class Prediction(ApiObject):
    """A dated, checkable claim in a persona's take."""

    claim: str = Field(description="The claim, one sentence, plain text.")
    due_on: date = Field(description="The day it can be checked (ISO 8601 date).")
    criterion: str = Field(description="How to check it; empty when not given.")
    status: Literal["open", "due", "resolved"] = Field(
        description="open before its day, due until ruled on, then resolved."
    )
    persona: PersonaRef = Field(description="Who made it.")
    story: StoryRef = Field(description="The story whose take holds it.")
    take_url: Url = Field(description="The take on the story's page.")
    ruling: Ruling | None = Field(description="The ruling; null until resolved.")


class PredictionPage(ApiObject):
    """A page of predictions in one status: open and due soonest first, resolved latest first."""

    items: list[Prediction] = Field(max_length=MAX_LIMIT, description="The page's predictions.")
    next: NextPage | None = Field(description="The following page; null on the last one.")


class ErrorDetail(ApiObject):
    """The status and a message for people."""

    status: int = Field(ge=400, le=599, description="The HTTP status of the answer.")
    message: str = Field(description="What went wrong, for people to read.")


class Error(ApiObject):
    """What went wrong."""

    error: ErrorDetail = Field(description="The status and a message.")
