"""Recording revisions: snapshot an item before and after a save, keep what differs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsweb.access import signed_in_user
from newsweb.extensions import db
from newsweb.models import (
    Call,
    Category,
    ItemKind,
    Persona,
    Prediction,
    Revision,
    Story,
    Tool,
    User,
    Verdict,
)

Snapshot = dict[str, Any]
Recorded = Story | Tool | Persona | Prediction
# Everything an editor form edits: what its version (`fingerprint`) is taken of.
Edited = Recorded | Category
# Story fields its buttons set, not its form's fields: a conflict never names them.
SET_BY_BUTTONS = frozenset({"Status", "Published"})


@contextmanager
def recorded(item: Recorded) -> Iterator[None]:
    """Record one revision of `item` by the signed-in editor: what the block changes in it.

    A new item (no id yet) is added to the session, and every field it has counts as a
    change. The caller commits.
    """
    before = snapshot(item) if item.id is not None else {}
    yield
    db.session.add(item)
    db.session.flush()
    record(_kind(item), item.id, _label(item), signed_in_user(), before, snapshot(item))


def delete(item: Recorded) -> None:
    """Delete `item`, recording that the signed-in editor did: every field goes to nothing.

    The caller commits.
    """
    record(_kind(item), item.id, _label(item), signed_in_user(), snapshot(item), {})
    db.session.delete(item)


def history_of(item: Recorded) -> list[Revision]:
    """Every revision of `item`, newest first, with who made it."""
    return history(_kind(item), item.id)


def snapshot(item: Edited) -> Snapshot:
    """The fields of `item` an editor can change, by their labels."""
    if isinstance(item, Story):
        return story_snapshot(item)
    if isinstance(item, Tool):
        return tool_snapshot(item)
    if isinstance(item, Prediction):
        return prediction_snapshot(item)
    if isinstance(item, Category):
        return {"Name": item.name, "Slug": item.slug}
    return persona_snapshot(item)


def fingerprint(item: Edited) -> str:
    """The version of `item` an editor's form was loaded at: a digest of its fields.

    Any save that changes what the form shows changes it, whoever made the save.
    """
    text = json.dumps(snapshot(item), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def conflicts(saved: Edited, yours: Edited) -> dict[str, list[Any]]:
    """Each field whose saved value differs from the one in an editor's form, as
    [saved, yours] (the buttons' own fields left out)."""
    changes = differences(snapshot(saved), snapshot(yours))
    return {label: pair for label, pair in changes.items() if label not in SET_BY_BUTTONS}


def _kind(item: Recorded) -> ItemKind:
    """Which kind of item a revision of `item` is filed under."""
    if isinstance(item, Story):
        return ItemKind.STORY
    if isinstance(item, Prediction):
        return ItemKind.PREDICTION
    return ItemKind.TOOL if isinstance(item, Tool) else ItemKind.PERSONA


def _label(item: Recorded) -> str:
    """What the history calls `item`: a story's title, a prediction's claim, else a name."""
    if isinstance(item, Prediction):
        return item.claim[:200]
    return item.title if isinstance(item, Story) else item.name


def story_snapshot(story: Story) -> Snapshot:
    """The fields of a story an editor can change, by their labels, takes included."""
    return {
        "Title": story.title,
        "Slug": story.slug,
        "Tool": story.tool.name,
        "Category": story.category.name,
        "Status": str(story.status),
        "Published": story.published_at.isoformat(sep=" ", timespec="minutes")
        if story.published_at
        else None,
        "Dek": story.dek,
        "Original source": story.source_url or None,
        "Body": story.body or None,
        **{f"Take: {take.persona.name}": take.body for take in story.takes},
        **{f"Call: {take.persona.name}": Call(take.call).label for take in story.takes},
    }


def tool_snapshot(tool: Tool) -> Snapshot:
    """The fields of a tool an editor can change, its verdicts included."""
    return {
        "Name": tool.name,
        "Slug": tool.slug,
        "Tagline": tool.tagline,
        "Description": tool.description or None,
        "Website": tool.website,
        "Category": tool.category.name,
        "Pricing": tool.pricing or None,
        **{f"Verdict: {verdict.persona.name}": _verdict_text(verdict) for verdict in tool.verdicts},
    }


def _verdict_text(verdict: Verdict) -> str:
    return f"{'Ship' if verdict.ship else 'Skip'}: {verdict.body}"


def persona_snapshot(persona: Persona) -> Snapshot:
    """The fields of a persona an editor can change."""
    return {
        "Name": persona.name,
        "Slug": persona.slug,
        "Lens": persona.lens,
        "Motto": persona.motto or None,
        "Profile": persona.profile or None,
        "Gets excited about": "\n".join(persona.excited_by) or None,
        "Tired of": "\n".join(persona.tired_of) or None,
        "Panel order": persona.position,
    }


def prediction_snapshot(prediction: Prediction) -> Snapshot:
    """The fields of a prediction an editor can change, its ruling included."""
    return {
        "Claim": prediction.claim,
        "Due": prediction.due_on.isoformat(),
        "How to check it": prediction.criterion or None,
        "Ruling": prediction.outcome.label if prediction.outcome else None,
        "Ruling note": prediction.ruling_note or None,
        "Ruling source": prediction.ruling_source or None,
    }


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Each field whose value changed, as [before, after]; a field that appeared has None before."""
    return {
        label: [before.get(label), after.get(label)]
        for label in [*after, *(k for k in before if k not in after)]
        if before.get(label) != after.get(label)
    }


def record(
    kind: ItemKind, item_id: int, label: str, user: User, before: Snapshot, after: Snapshot
) -> Revision | None:
    """Add a revision for the fields that changed (none if nothing did); the caller commits."""
    changes = differences(before, after)
    if not changes:
        return None
    revision = Revision(
        item_kind=kind, item_id=item_id, item_label=label, user_id=user.id, changes=changes
    )
    db.session.add(revision)
    return revision


def history(kind: ItemKind, item_id: int) -> list[Revision]:
    """Every revision of one item, newest first, with who made it."""
    return list(
        db.session.scalars(
            select(Revision)
            .options(joinedload(Revision.user))
            .where(Revision.item_kind == kind, Revision.item_id == item_id)
            .order_by(Revision.created_at.desc(), Revision.id.desc())
        )
    )


def recent(limit: int = 8) -> list[Revision]:
    """The newsroom's latest revisions of anything, with who made them."""
    return list(
        db.session.scalars(
            select(Revision)
            .options(joinedload(Revision.user))
            .order_by(Revision.created_at.desc(), Revision.id.desc())
            .limit(limit)
        )
    )


def state_after(item: Recorded, revision: Revision) -> Snapshot:
    """`item`'s fields as they stood right after `revision`: its fields now, with every
    later revision's changes undone, newest first (a field missing then is None)."""
    state: Snapshot = snapshot(item)
    for later in history_of(item):
        if later.id == revision.id:
            return state
        for label, (before, _after) in later.changes.items():
            state[label] = before
    raise LookupError(f"revision {revision.id} is not one of {item!r}'s")
