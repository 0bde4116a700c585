"""What the API reads beyond the pages' own query functions, one statement each."""

from __future__ import annotations

from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Category, Persona


def category_by_slug(slug: str) -> Category | None:
    """Return the category with this slug, if any."""
    return db.session.scalars(select(Category).where(Category.slug == slug)).first()


def personas_in_order() -> list[Persona]:
    """Return every persona in panel order."""
    return list(db.session.scalars(select(Persona).order_by(Persona.position, Persona.id)))
