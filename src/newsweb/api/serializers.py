"""Loaded rows turned into the API's models (schemas.py), which the views send as JSON.

Every function reads only what its caller has loaded (relationships are lazy="raise"),
so building a response runs no SQL of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import Response, jsonify, url_for

from newsweb.api import schemas
from newsweb.markup import render_markdown
from newsweb.models import (
    Call,
    Category,
    Persona,
    Prediction,
    Split,
    Story,
    Take,
    Tool,
    Verdict,
    VerdictChange,
)
from newsweb.models.content import ship_share
from newsweb.news.queries import PanelCall
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


def story_summary(story: Story, panelists: Sequence[PanelCall | Take]) -> schemas.StorySummary:
    """A story as listings show it; `panelists` are the calls of the personas with a take
    (or the takes themselves), in panel order.

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
        panel=[seat.persona.slug for seat in panelists],
        split=panel_split(Split.of(seat.call for seat in panelists)),
    )


def panel_split(split: Split) -> schemas.PanelSplit:
    """The panel's calls on a story, counted."""
    return schemas.PanelSplit(ship=split.ship, wait=split.wait, skip=split.skip)


def story_page(
    stories: list[Story], panelists: dict[int, list[PanelCall]], following: schemas.NextPage | None
) -> schemas.StoryPage:
    """A page of stories; `panelists` maps a story's id to the calls of the personas with a
    take on it.

    `following` is where the next page starts, None on the last page.
    """
    items = [story_summary(story, panelists.get(story.id, [])) for story in stories]
    return schemas.StoryPage(items=items, next=following)


def take(found: Take) -> schemas.Take:
    """One persona's take on a story (its persona loaded)."""
    return schemas.Take(
        persona=persona_ref(found.persona), call=Call(found.call).value, text=found.body
    )


def story_detail(story: Story, takes: list[Take]) -> schemas.Story:
    """A whole story: the summary, its body as Markdown and sanitized HTML, and the takes."""
    summary = story_summary(story, takes)
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


def _call(ship: bool | None) -> schemas.Call | None:
    """A stored call as the API names it."""
    return None if ship is None else ("ship" if ship else "skip")


def verdict_changes(changes: list[VerdictChange]) -> schemas.VerdictChangeList:
    """Verdict changes, each with its tool and persona loaded."""
    items = [
        schemas.VerdictChange(
            tool=tool_ref(change.tool),
            persona=persona_ref(change.persona),
            from_call=_call(change.from_ship),
            to_call=_call(change.to_ship),
            reason=change.reason,
            changed_at=change.changed_at,
            url=url_for(
                "tools.show",
                slug=change.tool.slug,
                _anchor=f"verdict-change-{change.id}",
                _external=True,
            ),
        )
        for change in changes
    ]
    return schemas.VerdictChangeList(items=items)


def prediction(found: Prediction, today: date) -> schemas.Prediction:
    """A prediction, its persona and its take's story loaded."""
    story = found.take.story
    ruling = None
    if found.outcome is not None:
        ruling = schemas.Ruling(
            outcome=found.outcome.value,
            note=found.ruling_note,
            source_url=found.ruling_source or None,
            ruled_at=found.resolved_at,
        )
    return schemas.Prediction(
        claim=found.claim,
        due_on=found.due_on,
        criterion=found.criterion,
        status=found.status(today).value,
        persona=persona_ref(found.persona),
        story=schemas.StoryRef(
            slug=story.slug,
            title=story.title,
            url=url_for("news.show", slug=story.slug, _external=True),
        ),
        take_url=url_for(
            "news.show", slug=story.slug, _anchor=f"take-{found.persona.slug}", _external=True
        ),
        ruling=ruling,
    )


def prediction_page(
    predictions: list[Prediction], today: date, following: schemas.NextPage | None
) -> schemas.PredictionPage:
    """A page of predictions; `following` is where the next starts, None on the last page."""
    items = [prediction(found, today) for found in predictions]
    return schemas.PredictionPage(items=items, next=following)
