"""Old addresses keep working: when a route that names an item by slug finds nothing, the
slug may be one the item had before a rename (models.OldSlug). Read only on a 404."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy import delete, select

from newsweb.extensions import db
from newsweb.models import Category, OldSlug, Persona, Story, Tool

Named = Story | Tool | Persona | Category
MODELS: dict[str, type[Named]] = {
    "story": Story,
    "tool": Tool,
    "persona": Persona,
    "category": Category,
}
# What the `slug` in each reader route names (every other route's slug names nothing here).
SLUG_KINDS = {
    "news.show": "story",
    "news.takes": "story",
    "news.take": "story",
    "api.story": "story",
    "tools.show": "tool",
    "feeds.tool": "tool",
    "api.tool": "tool",
    "panel.show": "persona",
    "feeds.persona": "persona",
    "api.persona": "persona",
    "feeds.category": "category",
}
# Query-string filters that name an item by slug, on any page.
FILTER_KINDS = {"tool": "tool", "category": "category"}


def kind_of(item: Named) -> str:
    """The kind an item's old slugs are filed under."""
    return next(kind for kind, model in MODELS.items() if isinstance(item, model))


def remember(item: Named, old_slug: str) -> None:
    """Note that `item` was called `old_slug` until now; the caller commits.

    The slug now in use is no longer an old one of anything of its kind.
    """
    kind = kind_of(item)
    db.session.execute(
        delete(OldSlug).where(OldSlug.kind == kind, OldSlug.slug.in_([old_slug, item.slug]))
    )
    db.session.add(OldSlug(kind=kind, slug=old_slug, item_id=item.id))


def _slug_now(kind: str, old_slug: str) -> str | None:
    """The slug of the item of `kind` once called `old_slug`, if it still exists and readers
    may see it: an old address never names an unpublished story or an embargoed tool."""
    model = MODELS[kind]
    stmt = (
        select(model.slug)
        .join(OldSlug, OldSlug.item_id == model.id)
        .where(OldSlug.kind == kind, OldSlug.slug == old_slug)
    )
    if model is Story or model is Tool:
        stmt = stmt.where(model.visible())
    return db.session.scalar(stmt)


def new_address() -> str | None:
    """Where a GET that found nothing now lives, if it named an item by an old slug."""
    if request.method not in ("GET", "HEAD") or request.url_rule is None:
        return None
    endpoint = request.url_rule.endpoint
    arguments: dict[str, Any] = dict(request.view_args or {})
    query = request.args.to_dict(flat=False)
    moved = False
    old = arguments.get("slug")
    kind = SLUG_KINDS.get(endpoint)
    if kind and isinstance(old, str) and (slug := _slug_now(kind, old)):
        arguments["slug"], moved = slug, True
    for name, filter_kind in FILTER_KINDS.items():
        values = query.get(name)
        if values and len(values) == 1 and (slug := _slug_now(filter_kind, values[0])):
            query[name], moved = [slug], True
    return url_for(endpoint, **{**query, **arguments}) if moved else None
