"""Loaded rows turned into the API's models (schemas.py), which the views send as JSON.

Every function reads only what its caller has loaded (relationships are lazy="raise"),
so building a response runs no SQL of its own.
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from newsweb.api import schemas
from newsweb.markup import render_markdown
from newsweb.models import Category, Persona, Story, Take, Tool, Verdict
from newsweb.models.content import ship_share
from newsweb.tools.queries import DirectoryEntry


def json_response(body: schemas.ApiObject) -> Response:
    """Send `body` as JSON, written as its model says (timestamps with a `Z`, nulls kept)."""
    return jsonify(body.model_dump(mode="json"))


def category_ref(category: Category) -> schemas.CategoryRef:
    """A category as other objects name it."""
    return schemas.CategoryRef(slug=category.slug, name=category.name)


def tool_ref(tool: Tool) -> schemas.ToolRef:
    """A tool as other objects name it."""
    return schemas.ToolRef(slug=tool.slug, name=tool.name)


def persona_ref(persona: Persona) -> schemas.PersonaRef:
    """A persona as takes and verdicts name it."""
    return schemas.PersonaRef(slug=persona.slug, name=persona.name, lens=persona.lens)


def story_summary(story: Story, panelists: list[Persona]) -> schemas.StorySummary:
    """A story as listings show it; `panelists` are the personas with a take, in panel order.

    The story's tool and category must be loaded.
    """
    assert story.published_at is not None, "only visible stories are served"
    return schemas.StorySummary(
        slug=story.slug,
        title=story.title,
        dek=story.dek,
        url=url_for("news.show", slug=story.slug, _external=True),
        source_url=story.source_url or None,
        published_at=story.published_at,
        tool=tool_ref(story.tool),
        category=category_ref(story.category),
        panel=[persona.slug for persona in panelists],
    )


def story_page(
    stories: list[Story], panelists: dict[int, list[Persona]], following: schemas.NextPage | None
) -> schemas.StoryPage:
    """A page of stories; `panelists` maps a story's id to the personas with a take on it.

    `following` is where the next page starts, None on the last page.
    """
    items = [story_summary(story, panelists.get(story.id, [])) for story in stories]
    return schemas.StoryPage(items=items, next=following)


def take(found: Take) -> schemas.Take:
    """One persona's take on a story (its persona loaded)."""
    return schemas.Take(persona=persona_ref(found.persona), text=found.body)


def story_detail(story: Story, takes: list[Take]) -> schemas.Story:
    """A whole story: the summary, its body as Markdown and sanitized HTML, and the takes."""
    summary = story_summary(story, [found.persona for found in takes])
    return schemas.Story(
        **dict(summary),
        body_markdown=story.body,
        body_html=str(render_markdown(story.body)),
        takes=[take(found) for found in takes],
    )


def tool_summary(tool: Tool, verdict_count: int, shipped: int) -> schemas.ToolSummary:
    """A tool as the directory shows it, with the panel's tally (its category loaded)."""
    return schemas.ToolSummary(
        slug=tool.slug,
        name=tool.name,
        tagline=tool.tagline,
        url=url_for("tools.show", slug=tool.slug, _external=True),
        website=tool.website,
        pricing=tool.pricing,
        category=category_ref(tool.category),
        verdict_count=verdict_count,
        ship_share=ship_share(shipped, verdict_count),
    )


def tool_list(entries: list[DirectoryEntry]) -> schemas.ToolList:
    """The tool directory's rows, each with its tally, as one object."""
    items = [tool_summary(entry.tool, entry.verdict_count, entry.shipped) for entry in entries]
    return schemas.ToolList(items=items)


def verdict(found: Verdict) -> schemas.Verdict:
    """One persona's ship-or-skip call on a tool (its persona loaded)."""
    return schemas.Verdict(persona=persona_ref(found.persona), ship=found.ship, take=found.body)


def tool_detail(tool: Tool, verdicts: list[Verdict]) -> schemas.Tool:
    """A whole tool: the summary, its description, and the panel's verdicts in panel order."""
    shipped = sum(1 for found in verdicts if found.ship)
    return schemas.Tool(
        **dict(tool_summary(tool, len(verdicts), shipped)),
        description=tool.description,
        verdicts=[verdict(found) for found in verdicts],
    )


def persona(found: Persona) -> schemas.Persona:
    """A panelist: its lens, motto, profile, and what excites and tires it."""
    return schemas.Persona(
        slug=found.slug,
        name=found.name,
        lens=found.lens,
        url=url_for("panel.show", slug=found.slug, _external=True),
        motto=found.motto,
        profile=found.profile,
        excited_by=list(found.excited_by),
        tired_of=list(found.tired_of),
        position=found.position,
    )


def persona_list(personas: list[Persona]) -> schemas.PersonaList:
    """The panel as one object, in the order given."""
    return schemas.PersonaList(items=[persona(found) for found in personas])
