"""No clobbered work: every editor form carries the version it was loaded at, and a save
against a newer one is refused with 409, showing what differs, losing neither side."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from newsweb.models import Category, Persona, Story, Tool
from tests.conftest import Auth, signed_in
from tests.test_editor import post_story, stored, submitted

TITLE = "Anthropic opens a Paris office"


def loaded_form(auth: Auth, path: str) -> dict[str, str]:
    """What the editor's browser holds after opening `path`: every field, token included."""
    page = auth.client.get(path).text
    return submitted(page[page.index("<main") :])


def second_editor(app: Flask) -> Auth:
    """Another editor of the same newsroom, in a browser of their own."""
    return signed_in(app, "second@example.com", role="editor", name="Sam Second")


def test_the_later_save_of_a_story_is_refused_and_loses_nothing(
    editor: Auth, demo_app: Flask
) -> None:
    """Both open the form; the first save wins; the second gets 409 with both sides."""
    edit_url = str(post_story(editor, action="draft").headers["Location"])  # type: ignore[attr-defined]
    other = second_editor(demo_app)
    mine, theirs = loaded_form(editor, edit_url), loaded_form(other, edit_url)
    assert mine["loaded_version"]

    theirs.update(dek="Their dek, saved first.", action="draft")
    assert other.client.post(edit_url, data=theirs).status_code == 303

    mine.update(dek="My dek, saved second.", action="draft")
    refused = editor.client.post(edit_url, data=mine)
    assert refused.status_code == 409
    page = refused.text
    assert "Someone else saved this while you were editing" in page
    assert "Their dek, saved first." in page  # theirs, beside the form
    assert "My dek, saved second." in page  # mine, still in the form
    assert stored(demo_app, select(Story.dek).where(Story.title == TITLE)) == (
        "Their dek, saved first."
    )
    # Keep mine: the refused page's form now carries the saved version; saving it wins.
    again = submitted(page[page.index("<main") :])
    assert again["loaded_version"] != mine["loaded_version"]
    again["action"] = "draft"
    assert editor.client.post(edit_url, data=again).status_code == 303
    assert stored(demo_app, select(Story.dek).where(Story.title == TITLE)) == (
        "My dek, saved second."
    )


def test_an_unchanged_item_saves_as_usual(editor: Auth) -> None:
    """No one else saved: the version matches and the save goes through."""
    edit_url = str(post_story(editor, action="draft").headers["Location"])  # type: ignore[attr-defined]
    form = loaded_form(editor, edit_url)
    form.update(dek="A second look.", action="draft")
    assert editor.client.post(edit_url, data=form).status_code == 303
    form = loaded_form(editor, edit_url)
    form.update(dek="A third look.", action="draft")
    assert editor.client.post(edit_url, data=form).status_code == 303


def test_tool_persona_and_category_forms_refuse_stale_saves(editor: Auth, demo_app: Flask) -> None:
    """The same guard on every editor form, through the shared form base."""
    other = second_editor(demo_app)
    cases = [
        ("/editor/tools/mistral-ai/edit", "tagline", select(Tool.tagline).where(Tool.id == 1)),
        (
            "/editor/personas/the-skeptic/edit",
            "motto",
            select(Persona.motto).where(Persona.id == 2),
        ),
        ("/editor/categories/funding/edit", "name", select(Category.name).where(Category.id == 1)),
    ]
    for path, name, saved_value in cases:
        mine, theirs = loaded_form(editor, path), loaded_form(other, path)
        theirs[name] = "Theirs came first"
        assert other.client.post(path, data=theirs).status_code == 303, path
        mine[name] = "Mine came second"
        refused = editor.client.post(path, data=mine)
        assert refused.status_code == 409, path
        assert "Theirs came first" in refused.text
        assert "Mine came second" in refused.text
        assert stored(demo_app, saved_value) == "Theirs came first"
