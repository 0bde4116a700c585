"""Lookups every section shares: categories, tools and personas by slug, the panel in order,
and the `?category=` and `?tool=` filters. Each is one statement, written once here."""

from __future__ import annotations

from flask import abort, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Tool


def all_categories() -> list[Category]:
    """Return every category by name, for filter menus."""
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def category_by_slug(slug: str) -> Category | None:
    """Return the category with this slug, if any."""
    return db.session.scalars(select(Category).where(Category.slug == slug)).first()


def tool_by_slug(slug: str) -> Tool | None:
    """Return the tool with this slug (its category loaded), if readers may see it."""
    return db.session.scalars(
        select(Tool).options(joinedload(Tool.category)).where(Tool.slug == slug, Tool.visible())
    ).first()


def persona_by_slug(slug: str) -> Persona | None:
    """Return the persona with this slug, if any."""
    return db.session.scalars(select(Persona).where(Persona.slug == slug)).first()


def personas_in_order() -> list[Persona]:
    """Return every persona in panel order."""
    return list(db.session.scalars(select(Persona).order_by(*Persona.panel_order())))


def _requested_slug(name: str) -> str | None:
    """Read a slug filter from the query string; a blank value means no filter."""
    return request.args.get(name, "").strip() or None


def requested_category(categories: list[Category]) -> Category | None:
    """Return the category `?category=` names, picked from `categories` (no query).

    No filter gives None; a slug that names no category is a 404 with a clear message.
    """
    slug = _requested_slug("category")
    if slug is None:
        return None
    found = next((category for category in categories if category.slug == slug), None)
    if found is None:
        abort(404, description=f"There is no category called “{slug}”.")
    return found


def requested_tool() -> Tool | None:
    """Return the tool `?tool=` names; no filter gives None, an unknown slug a 404."""
    slug = _requested_slug("tool")
    if slug is None:
        return None
    found = tool_by_slug(slug)
    if found is None:
        abort(404, description=f"There is no tool called “{slug}”.")
    return found
