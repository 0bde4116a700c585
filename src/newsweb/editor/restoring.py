"""Restoring an item as it stood after one of its revisions: a story's text, tool, category
and the panel's takes (never its status or publication time: restoring is not
publishing); a tool's fields and the panel's verdicts (a call that moves is recorded in
the verdict history like any other); a persona's fields. The restore is itself recorded
as a revision, so it can be undone the same way."""

from __future__ import annotations

from typing import Any

from newsweb.editor import queries, revisions
from newsweb.lookups import all_categories, personas_in_order
from newsweb.models import Call, Persona, Revision, Story, Take, Tool, Verdict
from newsweb.models.content import CALL_VALUES
from newsweb.web import moved

# Fields restored as text, by their labels in the history.
TEXT_FIELDS = {"Title": "title", "Dek": "dek", "Original source": "source_url", "Body": "body"}
TOOL_FIELDS = {
    "Name": "name",
    "Tagline": "tagline",
    "Description": "description",
    "Website": "website",
    "Pricing": "pricing",
}
PERSONA_FIELDS = {"Name": "name", "Lens": "lens", "Motto": "motto", "Profile": "profile"}
# A persona's lists, one entry a line in the history.
PERSONA_LISTS = {"Gets excited about": "excited_by", "Tired of": "tired_of"}


class RestoreRefused(Exception):
    """A restore that would lose what no history holds; its message says what."""


def restore_story(story: Story, revision: Revision) -> None:
    """Make `story` what it was right after `revision`, recorded as a new revision.

    A slug another story has taken since is left as it is now. A version without a take
    that now carries predictions is refused (RestoreRefused): removing the take would
    delete its predictions and rulings, which no revision of the story keeps. The caller
    commits.
    """
    state = revisions.state_after(story, revision)
    kept = {persona.id for persona in personas_in_order() if state.get(f"Take: {persona.name}")}
    dropped = [take.id for take in story.takes if take.persona_id not in kept]
    if queries.takes_have_predictions(dropped):
        raise RestoreRefused(
            "That version has no take from a panelist whose take now carries predictions: "
            "restoring it would delete them. Remove the predictions first, or edit the story."
        )
    with revisions.recorded(story):
        for label, attribute in TEXT_FIELDS.items():
            if label in state:
                setattr(story, attribute, state[label] or "")
        _restore_slug(story, state.get("Slug"))
        tool = next((t for t in queries.tools() if t.name == state.get("Tool")), None)
        category = next((c for c in all_categories() if c.name == state.get("Category")), None)
        story.tool = tool or story.tool
        story.category = category or story.category
        _restore_takes(story, state)


def restore_tool(tool: Tool, revision: Revision) -> None:
    """Make `tool` what it was right after `revision`, its verdicts included, recorded as a
    new revision. A slug another tool has taken since is left as it is now. The caller
    commits."""
    state = revisions.state_after(tool, revision)
    with revisions.recorded(tool):
        _restore_text(tool, state, TOOL_FIELDS)
        _restore_slug(tool, state.get("Slug"))
        category = next((c for c in all_categories() if c.name == state.get("Category")), None)
        tool.category = category or tool.category
        _restore_verdicts(tool, state)


def restore_persona(persona: Persona, revision: Revision) -> None:
    """Make `persona` what it was right after `revision`, recorded as a new revision. The
    caller commits."""
    state = revisions.state_after(persona, revision)
    with revisions.recorded(persona):
        _restore_text(persona, state, PERSONA_FIELDS)
        _restore_slug(persona, state.get("Slug"))
        for label, attribute in PERSONA_LISTS.items():
            if label in state:
                setattr(persona, attribute, (state[label] or "").splitlines())
        if isinstance(state.get("Panel order"), int):
            persona.position = state["Panel order"]


def _restore_text(item: Tool | Persona, state: dict[str, Any], fields: dict[str, str]) -> None:
    for label, attribute in fields.items():
        if label in state:
            setattr(item, attribute, state[label] or "")


def _restore_slug(item: Story | Tool | Persona, slug: Any) -> None:
    """Give `item` its old slug back, unless another of its kind uses it now."""
    if not isinstance(slug, str) or slug == item.slug:
        return
    if queries.slug_taken(type(item), slug, item.id):
        return
    old_slug, item.slug = item.slug, slug
    moved.remember(item, old_slug)


def _restore_verdicts(tool: Tool, state: dict[str, Any]) -> None:
    """The call and take each persona had then ("Ship: …" or "Skip: …"): changed, added
    back, or removed."""
    stored = {verdict.persona_id: verdict for verdict in tool.verdicts}
    verdicts = []
    for persona in personas_in_order():
        text = state.get(f"Verdict: {persona.name}")
        if not isinstance(text, str) or ": " not in text:
            continue
        call, body = text.split(": ", 1)
        verdict = stored.get(persona.id) or Verdict(persona=persona)
        verdict.ship, verdict.body = call == "Ship", body
        verdicts.append(verdict)
    tool.verdicts = verdicts


def _restore_takes(story: Story, state: dict[str, Any]) -> None:
    """The takes each persona had then, with their calls: changed, added back, or removed.

    A version saved before takes had calls names none: such a take keeps the call it has
    now, or "wait" if it comes back.
    """
    stored = {take.persona_id: take for take in story.takes}
    takes = []
    for persona in personas_in_order():
        body = state.get(f"Take: {persona.name}")
        if not body:
            continue
        take = stored.get(persona.id) or Take(persona=persona, call=Call.WAIT)
        take.body = body
        call = state.get(f"Call: {persona.name}")
        if isinstance(call, str) and call.lower() in CALL_VALUES:
            take.call = Call(call.lower())
        takes.append(take)
    story.takes = takes
