"""Publishing is deliberate: publish, unpublish and delete ask first, as a page that posts
(no JavaScript) or as the same question's block for the newsroom's dialog (htmx)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from newsweb.extensions import db
from newsweb.models import Story, StoryStatus
from newsweb.models.clock import utcnow
from tests.conftest import Auth, htmx
from tests.test_editor import SKEPTIC, post_story, story_count, submitted, take_body

TITLE = "Anthropic opens a Paris office"
SLUG = "anthropic-opens-a-paris-office"
NEW = "/editor/stories/new"


def question_form(html: str) -> dict[str, str]:
    """What the question's form posts (everything from its heading on)."""
    return submitted(html[html.index('id="confirm-heading"') :])


def status_of(app: Flask) -> StoryStatus | None:
    """The posted story's status, if it was saved."""
    with app.app_context():
        return db.session.scalar(select(Story.status).where(Story.slug == SLUG))


def test_publish_asks_first_and_keeps_everything_typed(editor: Auth, demo_app: Flask) -> None:
    """Publish shows a question page; nothing is saved until its button is pressed."""
    before = story_count(demo_app)
    asked = post_story(editor, confirmed="", **{take_body(SKEPTIC): "Paris, really?"})
    page = asked.get_data(as_text=True)  # type: ignore[attr-defined]
    assert asked.status_code == 200  # type: ignore[attr-defined]
    assert f"Publish “{TITLE}” now?" in page
    assert story_count(demo_app) == before
    assert demo_app.test_client().get(f"/news/{SLUG}").status_code == 404
    carried = question_form(page)
    assert carried["title"] == TITLE
    assert carried[take_body(SKEPTIC)] == "Paris, really?"
    assert carried["confirmed"] == "publish"
    # Its button sends them again with action=publish: now it is out.
    done = editor.client.post(NEW, data={**carried, "action": "publish"})
    assert done.status_code == 303
    assert status_of(demo_app) == StoryStatus.PUBLISHED
    assert demo_app.test_client().get(f"/news/{SLUG}").status_code == 200


def test_keep_editing_returns_to_the_form_with_nothing_lost(editor: Auth, demo_app: Flask) -> None:
    """Without JavaScript, "Keep editing" posts the fields back: the form shows them all."""
    asked = post_story(editor, confirmed="", dek="A dek typed before second thoughts.")
    carried = question_form(asked.get_data(as_text=True))  # type: ignore[attr-defined]
    back = editor.client.post(NEW, data={**carried, "action": "preview"})
    assert back.status_code == 200
    assert "A dek typed before second thoughts." in back.text
    assert "Keep editing" not in back.text
    assert status_of(demo_app) is None


def test_a_later_time_asks_to_schedule(editor: Auth) -> None:
    """The question says when readers will see it."""
    day = (utcnow() + timedelta(days=9)).date()
    asked = post_story(editor, confirmed="", published_at=day.isoformat(), publish_time="06:15")
    page = asked.get_data(as_text=True)  # type: ignore[attr-defined]
    assert f"Schedule “{TITLE}” for {day.day} {day:%b %Y}, 06:15 (UTC)?" in page
    assert ">Schedule</button>" in page


def test_unpublish_asks_and_a_publish_confirmation_cannot_unpublish(
    editor: Auth, demo_app: Flask
) -> None:
    """Unpublish asks too; a confirmation is for the one action it was asked about."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    asked = post_story(editor, edit_url, action="unpublish", confirmed="publish")
    assert f"Unpublish “{TITLE}”?" in asked.get_data(as_text=True)  # type: ignore[attr-defined]
    assert status_of(demo_app) == StoryStatus.PUBLISHED
    assert post_story(editor, edit_url, action="unpublish").status_code == 303  # type: ignore[attr-defined]
    assert status_of(demo_app) == StoryStatus.DRAFT


def test_saving_a_draft_does_not_ask(editor: Auth, demo_app: Flask) -> None:
    """Only what changes what readers see asks first."""
    assert post_story(editor, action="draft", confirmed="").status_code == 303  # type: ignore[attr-defined]
    assert status_of(demo_app) == StoryStatus.DRAFT


def test_htmx_gets_the_question_alone_for_the_dialog(editor: Auth, demo_app: Flask) -> None:
    """The dialog's block: the question, its button, and a Cancel that only closes it."""
    data = {**question_form(post_story(editor, confirmed="").get_data(as_text=True))}  # type: ignore[attr-defined]
    data.update(action="publish", confirmed="")
    response = editor.client.post(NEW, data=data, headers=htmx())
    fragment = response.text
    assert response.status_code == 200
    assert "<html" not in fragment
    assert f"Publish “{TITLE}” now?" in fragment
    assert 'formmethod="dialog"' in fragment
    assert status_of(demo_app) is None


def test_htmx_publish_of_an_invalid_form_shows_the_errors_in_place(editor: Auth) -> None:
    """An invalid form is not a question: the page's editor section is replaced, 422."""
    data = question_form(post_story(editor, confirmed="").get_data(as_text=True))  # type: ignore[attr-defined]
    data.update(action="publish", confirmed="", title="")
    response = editor.client.post(NEW, data=data, headers=htmx())
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == ".editor-page"
    assert response.headers["HX-Reselect"] == ".editor-page"
    assert "Every story needs a title." in response.text


def test_delete_asks_in_the_dialog_with_htmx(editor: Auth) -> None:
    """The Delete link's question comes as the block alone; its form posts the deletion."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    delete_url = edit_url.removesuffix("/edit") + "/delete"
    page = editor.client.get(edit_url).text
    assert f'data-hx-get="{delete_url}"' in page
    fragment = editor.client.get(delete_url, headers=htmx()).text
    assert "<html" not in fragment
    assert f"Delete the story “{TITLE}”?" in fragment
    assert f'action="{delete_url}"' in fragment
    assert "Cancel" in fragment
