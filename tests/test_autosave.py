"""No lost work: the story form's autosave keeps what an editor types, apart from the
story: it never publishes, never changes what readers see or the history, and comes back
on the editor's next visit until they save or discard it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from newsweb.models import NewStoryAutosave, Revision, Story, StoryAutosave
from tests.conftest import Auth, htmx, signed_in
from tests.test_editor import post_story, stored, story_form, submitted

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


NEW_FORM = "/editor/stories/new"
TITLE = "A story kept as it was typed, never saved"


def test_a_new_story_is_kept_without_being_created(editor: Auth, demo_app: Flask) -> None:
    """A story not yet saved comes back to its editor alone, and is created by their save."""
    stories = stored(demo_app, select(func.count(Story.id)))
    revisions = stored(demo_app, select(func.count(Revision.id)))
    whole = story_form(demo_app, title=TITLE, dek=DEK)
    del whole["action"]
    form = typed(editor, NEW_FORM, **whole)
    status = autosave(editor, "/editor/stories/new/edit", form)
    assert "Nobody else sees the story until you save it" in status
    assert stored(demo_app, select(func.count(Story.id))) == stories
    assert stored(demo_app, select(func.count(Revision.id))) == revisions

    page = editor.client.get(NEW_FORM).text
    assert "The form holds the new story you were writing" in page
    assert TITLE in page
    assert DEK in page
    other = signed_in(demo_app, "second@example.com", role="editor", name="Sam Second")
    assert TITLE not in other.client.get(NEW_FORM).text

    # Saving a draft creates the story from what was kept, and the new form is empty again.
    again = {**submitted(page[page.index("<main") :]), "action": "draft"}
    response = editor.client.post(NEW_FORM, data=again)
    assert response.status_code == 303
    assert stored(demo_app, select(Story.dek).where(Story.title == TITLE)) == DEK
    assert stored(demo_app, select(func.count(NewStoryAutosave.user_id))) == 0
    assert TITLE not in editor.client.get(NEW_FORM).text


def test_discarding_a_new_story_kept(editor: Auth, demo_app: Flask) -> None:
    """Discard empties the new-story form; without JavaScript nothing is kept at all."""
    plain = editor.client.post("/editor/stories/new/autosave", data=typed(editor, NEW_FORM))
    assert plain.status_code == 303
    assert plain.headers["Location"] == NEW_FORM
    assert stored(demo_app, select(func.count(NewStoryAutosave.user_id))) == 0

    autosave(editor, "/editor/stories/new/edit", typed(editor, NEW_FORM, title=TITLE))
    discard = "/editor/stories/new/autosave/discard"
    response = editor.client.post(discard, data={"csrf_token": editor.token(NEW_FORM)})
    assert response.status_code == 303
    page = editor.client.get(NEW_FORM).text
    assert "Discarded the story you had not saved" in page
    assert TITLE not in page
