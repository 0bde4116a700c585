"""Lookups every section shares: categories, tools and personas by slug, the panel in order,
and the `?category=` and `?tool=` filters. Each is one statement, written once here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, Tool


def all_categories() -> list[Category]:
    """Return every category by name, for filter menus."""
    return list(db.session.scalars(select(Category).order_by(Category.name)))


@dataclass(frozen=True)
class CategoryMenu:
    """Every category (so `?category=` can name any of them), and which hold something a
    reader can see: a filter menu offers only those, so no filter leads to an empty page."""

    every: list[Category]
    filled: frozenset[int]

    def offered(self, current: Category | None = None) -> list[Category]:
        """The categories a filter menu lists: those with content, and the current one."""
        return [
            category
            for category in self.every
            if category.id in self.filled or (current is not None and category.id == current.id)
        ]


def _category_menu(*, stories: bool) -> CategoryMenu:
    """Every category by name with whether it holds a visible story (or visible tool), in
    one statement: an EXISTS per category, which the category listing indexes answer."""
    if stories:
        content = exists().where(Story.category_id == Category.id, Story.visible())
    else:
        content = exists().where(Tool.category_id == Category.id, Tool.visible())
    rows = db.session.execute(select(Category, content).order_by(Category.name)).all()
    return CategoryMenu(
        [category for category, _ in rows],
        frozenset(category.id for category, filled in rows if filled),
    )


def categories_with_stories() -> CategoryMenu:
    """Every category, marking those with a visible story: for story listings' filters."""
    return _category_menu(stories=True)


def categories_with_tools() -> CategoryMenu:
    """Every category, marking those with a visible tool: for the tool directory's filter."""
    return _category_menu(stories=False)


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
