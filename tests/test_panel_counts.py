"""The panel's take counts are kept on write, and match a count of what readers can see."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from newsweb.extensions import db
from newsweb.models import Category, Persona, Story, StoryStatus, Take, Tool
from newsweb.models.clock import utcnow
from newsweb.panel.queries import panel
from tests import factories


def shown() -> dict[str, int]:
    """Each persona's take count as the panel page reads it."""
    return {seat.persona.slug: seat.take_count for seat in panel()}


def counted() -> dict[str, int]:
    """Each persona's takes on visible stories, counted the slow way."""
    rows = db.session.execute(
        select(Persona.slug, func.count(Take.id))
        .select_from(Persona)
        .outerjoin(Take, Take.persona_id == Persona.id)
        .outerjoin(Story, (Story.id == Take.story_id) & Story.visible())
        .where((Take.id.is_(None)) | Story.id.isnot(None))
        .group_by(Persona.slug)
    )
    return dict(rows.all())


def test_counts_follow_every_kind_of_write(app: Flask) -> None:
    """Publishing, unpublishing, deleting a take, moving one, deleting a story."""
    with app.app_context():
        factories.newsroom(3)
        assert shown() == counted() == dict.fromkeys(shown(), 3)

        first = db.session.scalars(select(Story).order_by(Story.id)).first()
        assert first is not None
        first.status = StoryStatus.DRAFT
        db.session.commit()
        assert shown() == counted() == dict.fromkeys(shown(), 2)

        first.status = StoryStatus.PUBLISHED
        db.session.commit()
        assert shown() == counted()

        take = db.session.scalars(select(Take).order_by(Take.id)).first()
        assert take is not None
        neighbour = db.session.scalars(
            select(Take).where(Take.story_id == take.story_id, Take.id != take.id)
        ).first()
        assert neighbour is not None
        db.session.delete(neighbour)  # a take removed
        db.session.commit()
        assert shown() == counted()
        mover, taker = take.persona_id, neighbour.persona_id
        take.persona_id = taker  # a take moved to the panelist who no longer has one there
        db.session.commit()
        assert shown() == counted()
        by_id = {p.id: p.slug for p in db.session.scalars(select(Persona))}
        assert (shown()[by_id[mover]], shown()[by_id[taker]]) == (2, 3)

        last = db.session.scalars(select(Story).order_by(Story.id.desc())).first()
        db.session.delete(last)
        db.session.commit()
        assert shown() == counted()


def test_a_scheduled_story_counts_once_its_time_comes(app: Flask) -> None:
    """Takes on a story scheduled for later count from the moment it goes out, no write needed."""
    with app.app_context():
        factories.newsroom(2)
        personas = factories.panel_from_database()
        tool = db.session.scalars(select(Tool)).first()
        category = db.session.scalars(select(Category)).first()
        assert tool is not None
        assert category is not None
        factories.story(
            "Soon",
            tool,
            category,
            personas,
            published_at=utcnow() + timedelta(seconds=2),
        )
        db.session.commit()
        assert shown() == counted() == dict.fromkeys(shown(), 2)
        time.sleep(2.2)
        assert shown() == counted() == dict.fromkeys(shown(), 3)


def test_a_failed_write_leaves_the_counts_alone(app: Flask) -> None:
    """A rolled-back publication changes nothing."""
    with app.app_context():
        factories.newsroom(2)
        before = shown()
        story = db.session.scalars(select(Story)).first()
        assert story is not None
        story.status = StoryStatus.DRAFT
        db.session.flush()
        db.session.rollback()
        assert shown() == counted() == before
