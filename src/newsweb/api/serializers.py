"""Models turned into the API's JSON objects: plain dicts, shaped as openapi.py describes.

Text goes out exactly as stored; JSON needs no HTML escaping. The one HTML field,
`body_html`, is the same sanitized rendering the story page shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for

from newsweb.markup import render_markdown
from newsweb.models import Category, Persona, Story, Take, Tool, Verdict
from newsweb.tools.queries import ship_share

JSONObject = dict[str, Any]


def timestamp(at: datetime) -> str:
    """An ISO 8601 UTC timestamp with a `Z`, from the naive UTC datetimes the database keeps."""
    return at.replace(microsecond=0).isoformat() + "Z"


def category_ref(category: Category) -> JSONObject:
    """A category as other objects name it."""
    return {"slug": category.slug, "name": category.name}


def tool_ref(tool: Tool) -> JSONObject:
    """A tool as other objects name it."""
    return {"slug": tool.slug, "name": tool.name}


def persona_ref(persona: Persona) -> JSONObject:
    """A persona as takes and verdicts name it."""
    return {"slug": persona.slug, "name": persona.name, "lens": persona.lens}


def story_summary(story: Story, panelists: list[Persona]) -> JSONObject:
    """A story as listings show it; `panelists` are the personas with a take, in panel order.

    The story's tool and category must be loaded.
    """
    assert story.published_at is not None, "only visible stories are served"
    return {
        "slug": story.slug,
        "title": story.title,
        "dek": story.dek,
        "url": url_for("news.show", slug=story.slug, _external=True),
        "source_url": story.source_url or None,
        "published_at": timestamp(story.published_at),
        "tool": tool_ref(story.tool),
        "category": category_ref(story.category),
        "panel": [persona.slug for persona in panelists],
    }


def take(found: Take) -> JSONObject:
    """One persona's take on a story (its persona loaded)."""
    return {"persona": persona_ref(found.persona), "text": found.body}


def story_detail(story: Story, takes: list[Take]) -> JSONObject:
    """A whole story: the summary, its body as Markdown and sanitized HTML, and the takes."""
    return {
        **story_summary(story, [found.persona for found in takes]),
        "body_markdown": story.body,
        "body_html": str(render_markdown(story.body)),
        "takes": [take(found) for found in takes],
    }


def tool_summary(tool: Tool, verdict_count: int, shipped: int) -> JSONObject:
    """A tool as the directory shows it, with the panel's tally (its category loaded)."""
    return {
        "slug": tool.slug,
        "name": tool.name,
        "tagline": tool.tagline,
        "url": url_for("tools.show", slug=tool.slug, _external=True),
        "website": tool.website,
        "pricing": tool.pricing,
        "category": category_ref(tool.category),
        "verdict_count": verdict_count,
        "ship_share": ship_share(shipped, verdict_count),
    }


def verdict(found: Verdict) -> JSONObject:
    """One persona's ship-or-skip call on a tool (its persona loaded)."""
    return {"persona": persona_ref(found.persona), "ship": found.ship, "take": found.body}


def tool_detail(tool: Tool, verdicts: list[Verdict]) -> JSONObject:
    """A whole tool: the summary, its description, and the panel's verdicts in panel order."""
    shipped = sum(1 for found in verdicts if found.ship)
    return {
        **tool_summary(tool, len(verdicts), shipped),
        "description": tool.description,
        "verdicts": [verdict(found) for found in verdicts],
    }


def persona(found: Persona) -> JSONObject:
    """A panelist: its lens, motto, profile, and what excites and tires it."""
    return {
        "slug": found.slug,
        "name": found.name,
        "lens": found.lens,
        "url": url_for("panel.show", slug=found.slug, _external=True),
        "motto": found.motto,
        "profile": found.profile,
        "excited_by": list(found.excited_by),
        "tired_of": list(found.tired_of),
        "position": found.position,
    }
