"""Scheduling to the minute in the newsroom's time zone, and a status that tells the truth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from newsweb import create_app
from newsweb.extensions import db
from newsweb.models import Story
from newsweb.models.clock import utcnow
from tests.conftest import Auth, settings, signed_in
from tests.test_editor import post_story

TITLE = "Anthropic opens a Paris office"
SLUG = "anthropic-opens-a-paris-office"


@pytest.fixture
def berlin(make_app: Callable[..., Flask], demo_newsroom: None) -> Flask:
    """The demo newsroom, scheduling in Europe/Berlin."""
    return make_app(NEWSROOM_TIMEZONE="Europe/Berlin")


@pytest.fixture
def berlin_editor(berlin: Flask) -> Auth:
    """An editor of the Berlin newsroom."""
    return signed_in(berlin, "editor@example.com", role="editor", name="Eddie Editor")


def stored_time(app: Flask) -> datetime | None:
    """When the posted story goes out, as stored (naive UTC)."""
    with app.app_context():
        return db.session.scalar(select(Story.published_at).where(Story.slug == SLUG))


def story_path(app: Flask) -> str:
    """The edit page of the posted story."""
    with app.app_context():
        story_id = db.session.scalar(select(Story.id).where(Story.slug == SLUG))
    return f"/editor/stories/{story_id}/edit"


def winter_day() -> date:
    """A day in the coming winter (Berlin is UTC+1), at least a week away."""
    day = (utcnow() + timedelta(days=8)).date()
    while day.month not in (11, 12, 1, 2):
        day += timedelta(days=30)
    return day


def test_a_time_is_typed_and_shown_in_the_newsroom_zone(berlin_editor: Auth, berlin: Flask) -> None:
    """09:30 in Berlin in winter is stored as 08:30 UTC and shown back as 09:30 Berlin."""
    day = winter_day()
    response = post_story(berlin_editor, published_at=day.isoformat(), publish_time="09:30")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert stored_time(berlin) == datetime.combine(day, time(8, 30))
    label = f"{day.day} {day:%b %Y}, 09:30 (Europe/Berlin)"
    page = berlin_editor.client.get(story_path(berlin), follow_redirects=True).text
    assert f"Scheduled: readers see it from {label}." in page
    assert f"Scheduled for {label}" in page
    assert f'value="{day.isoformat()}"' in page
    assert 'value="09:30"' in page
    assert "Europe/Berlin time" in page
    # Not out yet: no link that would 404, and readers do not see it.
    assert f'href="/news/{SLUG}"' not in page
    assert berlin.test_client().get(f"/news/{SLUG}").status_code == 404
    dashboard = berlin_editor.client.get("/editor?tab=scheduled").text
    assert f"Scheduled for {label}" in dashboard


def test_saving_again_keeps_the_time_and_a_new_time_moves_it(
    berlin_editor: Auth, berlin: Flask
) -> None:
    """Save with the date and time shown changes nothing; a new minute is taken as typed."""
    day = winter_day()
    post_story(berlin_editor, published_at=day.isoformat(), publish_time="09:30")
    path = story_path(berlin)
    post_story(
        berlin_editor, path, published_at=day.isoformat(), publish_time="09:30", action="save"
    )
    assert stored_time(berlin) == datetime.combine(day, time(8, 30))
    post_story(
        berlin_editor, path, published_at=day.isoformat(), publish_time="17:05", action="save"
    )
    assert stored_time(berlin) == datetime.combine(day, time(16, 5))


def test_a_later_day_without_a_time_goes_out_at_eight(berlin_editor: Auth, berlin: Flask) -> None:
    """The hint's promise: a later date with no time means 08:00 newsroom time."""
    day = winter_day()
    post_story(berlin_editor, published_at=day.isoformat())
    assert stored_time(berlin) == datetime.combine(day, time(7, 0))


def test_no_date_publishes_now_and_the_status_says_published(
    berlin_editor: Auth, berlin: Flask
) -> None:
    """A story published with no date is out, with a link to it."""
    post_story(berlin_editor)
    page = berlin_editor.client.get(story_path(berlin)).text
    assert "Published" in page
    assert "Scheduled" not in page
    assert f'href="/news/{SLUG}"' in page


def test_a_draft_says_draft_and_offers_no_link(editor: Auth, demo_app: Flask) -> None:
    """A draft is a draft (UTC by default), and "View on the site" would 404: not offered."""
    post_story(editor, action="draft", published_at=winter_day().isoformat(), publish_time="10:00")
    page = editor.client.get(story_path(demo_app)).text
    assert '<span class="status status--draft">Draft</span>' in page
    assert f'href="/news/{SLUG}"' not in page
    assert "UTC time" in page


def test_utc_is_the_default_zone(editor: Auth, demo_app: Flask) -> None:
    """Without NEWSROOM_TIMEZONE the time typed is the time stored."""
    day = winter_day()
    post_story(editor, published_at=day.isoformat(), publish_time="09:30")
    assert stored_time(demo_app) == datetime.combine(day, time(9, 30))
    assert f"Scheduled for {day.day} {day:%b %Y}, 09:30 (UTC)" in editor.client.get("/editor").text


@pytest.mark.parametrize("typed", ["25:00", "9.30am", "noon"])
def test_a_bad_time_is_refused_and_nothing_is_lost(
    editor: Auth, demo_app: Flask, typed: str
) -> None:
    """An impossible time is a 422 next to the field, with everything typed still there."""
    response = post_story(editor, published_at=winter_day().isoformat(), publish_time=typed)
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Not a valid time value." in page
    assert TITLE in page
    assert stored_time(demo_app) is None


def test_an_unknown_zone_stops_the_app_from_starting(tmp_path: object) -> None:
    """A typo in NEWSROOM_TIMEZONE is a clear error at startup, not a 500 later."""
    with pytest.raises(RuntimeError, match="NEWSROOM_TIMEZONE='Europe/Berln'"):
        create_app(settings("sqlite://", NEWSROOM_TIMEZONE="Europe/Berln"))
