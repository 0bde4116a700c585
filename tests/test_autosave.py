"""No lost work: the story form's autosave keeps what an editor types, apart from the
story: it never publishes, never changes what readers see or the history, and comes back
on the editor's next visit until they save or discard it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from newsweb.models import Revision, Story, StoryAutosave
from tests.conftest import Auth, htmx, signed_in
from tests.test_editor import post_story, stored, submitted

DEK = "An autosaved dek, typed but not saved."


def typed(editor: Auth, edit_url: str, **fields: str) -> dict[str, str]:
    """The edit form as loaded, with `fields` typed into it."""
    page = editor.client.get(edit_url).text
    return {**submitted(page[page.index("<main") :]), **fields}


def autosave(editor: Auth, edit_url: str, form: dict[str, str]) -> str:
    """What htmx posts a moment after typing stops; returns the status it answers."""
    url = edit_url.removesuffix("/edit") + "/autosave"
    response = editor.client.post(url, data=form, headers=htmx())
    assert response.status_code == 200
    return response.text


def test_autosave_keeps_typing_apart_from_a_published_story(editor: Auth, demo_app: Flask) -> None:
    """The live story, its page and its history stay as saved; the form brings it back."""
    edit_url = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    slug = stored(demo_app, select(Story.slug).order_by(Story.id.desc()))
    revisions = stored(demo_app, select(func.count(Revision.id)))
    form = typed(editor, edit_url, dek=DEK)
    status = autosave(editor, edit_url, form)
    assert "Your changes are kept as you type" in status
    autosave(editor, edit_url, {**form, "dek": DEK + " More."})

    assert stored(demo_app, select(func.count(StoryAutosave.story_id))) == 1
    assert stored(demo_app, select(Story.dek).where(Story.slug == slug)) != DEK
    assert DEK not in demo_app.test_client().get(f"/news/{slug}").text
    assert stored(demo_app, select(func.count(Revision.id))) == revisions

    page = editor.client.get(edit_url).text
    assert "did not save" in page
    assert DEK + " More." in page
    # Save: now it is the story's, and the kept copy is gone.
    again = submitted(page[page.index("<main") :])
    assert editor.client.post(edit_url, data={**again, "action": "save"}).status_code == 303
    assert stored(demo_app, select(Story.dek).where(Story.slug == slug)) == DEK + " More."
    assert stored(demo_app, select(func.count(StoryAutosave.story_id))) == 0
    assert "did not save" not in editor.client.get(edit_url).text


def test_discard_and_other_editors(editor: Auth, demo_app: Flask) -> None:
    """Another editor never sees my kept changes; discarding them shows the story as saved."""
    edit_url = str(post_story(editor, action="draft").headers["Location"])  # type: ignore[attr-defined]
    autosave(editor, edit_url, typed(editor, edit_url, dek=DEK))
    other = signed_in(demo_app, "second@example.com", role="editor", name="Sam Second")
    assert DEK not in other.client.get(edit_url).text

    discard = edit_url.removesuffix("/edit") + "/autosave/discard"
    response = editor.client.post(discard, data={"csrf_token": editor.token(edit_url)})
    assert response.status_code == 303
    assert DEK not in editor.client.get(edit_url).text


def test_without_javascript_nothing_autosaves(editor: Auth, demo_app: Flask) -> None:
    """A plain post to the autosave address is sent back to the form and keeps nothing."""
    edit_url = str(post_story(editor, action="draft").headers["Location"])  # type: ignore[attr-defined]
    url = edit_url.removesuffix("/edit") + "/autosave"
    response = editor.client.post(url, data=typed(editor, edit_url, dek=DEK))
    assert response.status_code == 303
    assert stored(demo_app, select(func.count(StoryAutosave.story_id))) == 0
