"""History people can read and undo: edits marked word by word (the text left alone shown
once), and "Restore this version", itself recorded as a revision."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import func, select

from newsweb.editor.diffs import word_diff
from newsweb.models import Revision, Story, StoryStatus, Take
from tests.conftest import Auth
from tests.test_editor import SKEPTIC, post_story, stored, take_body

DEK = "The lab will hire twenty staff in its first year."


def history_of(editor: Auth, edit_url: str) -> str:
    """The story's history page."""
    return editor.client.get(edit_url.removesuffix("/edit") + "/history").text


def test_an_edit_marks_only_the_changed_words() -> None:
    """One word swapped in a paragraph: the rest appears once, unmarked."""
    marked = str(word_diff(DEK + "\n\nA second paragraph.", DEK.replace("twenty", "forty")))
    assert marked.count("The lab will hire") == 1
    assert '<del><span class="visually-hidden">removed: </span>twenty</del>' in marked
    assert '<ins><span class="visually-hidden">added: </span>forty</ins>' in marked
    assert "A second paragraph." in marked.split("<del>")[-1]  # the dropped paragraph


def test_diffs_escape_what_they_show() -> None:
    """Stored text is text: markup in it comes out inert."""
    marked = str(word_diff("<b>old</b>", "<script>alert(1)</script>"))
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked


def test_the_history_page_shows_word_level_changes(editor: Auth) -> None:
    """The dek's edit is one text with the changed word marked, not two whole copies."""
    edit_url = str(post_story(editor, dek=DEK).headers["Location"])  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="save", dek=DEK.replace("twenty", "forty"))
    page = history_of(editor, edit_url)
    edit = page[page.index('<p class="word-diff">') :].split("</p>")[0]
    assert edit.count("The lab will hire") == 1
    assert re.search(r"<del>.*twenty</del><ins>.*forty</ins>", edit)


def test_restore_brings_a_version_back_as_a_new_revision(editor: Auth, demo_app: Flask) -> None:
    """Restoring the first version undoes two edits (text and a take), records one more
    revision, and leaves the story published."""
    edit_url = str(post_story(editor, dek=DEK).headers["Location"])  # type: ignore[attr-defined]
    story_id = int(edit_url.split("/")[-2])
    post_story(editor, edit_url, action="save", dek="A new dek.", **{take_body(SKEPTIC): ""})
    post_story(editor, edit_url, action="save", dek="A newer dek.", title="A new title")
    first = stored(demo_app, select(func.min(Revision.id)).where(Revision.item_id == story_id))
    count_before = stored(demo_app, select(func.count(Revision.id)))
    page = history_of(editor, edit_url)
    restore_url = f"{edit_url.removesuffix('/edit')}/history/{first}/restore"
    assert f'action="{restore_url}"' in page
    assert page.count("Restore this version") == 2  # not on the newest: that is now

    response = editor.client.post(restore_url, data={"csrf_token": editor.token(edit_url)})
    assert response.status_code == 303
    assert stored(demo_app, select(Story.dek).where(Story.id == story_id)) == DEK
    assert stored(demo_app, select(Story.title).where(Story.id == story_id)) == (
        "Anthropic opens a Paris office"
    )
    assert stored(demo_app, select(func.count(Take.id)).where(Take.story_id == story_id)) == 4
    assert stored(demo_app, select(Story.status).where(Story.id == story_id)) == (
        StoryStatus.PUBLISHED
    )
    assert stored(demo_app, select(func.count(Revision.id))) == (count_before or 0) + 1
    restored = history_of(editor, edit_url)
    assert restored.count('<li class="revision">') == 4  # the restore, undoable in turn
    assert restored.count("Restore this version") == 3


def test_a_revision_of_another_story_cannot_be_restored(editor: Auth) -> None:
    """The revision must be one of the story's own."""
    first = str(post_story(editor).headers["Location"])  # type: ignore[attr-defined]
    second = str(post_story(editor, title="Another story").headers["Location"])  # type: ignore[attr-defined]
    page = history_of(editor, first)
    revision = re.search(r"/history/(\d+)/restore", page)
    assert revision is None  # one save so far: nothing older to restore
    url = f"{second.removesuffix('/edit')}/history/1/restore"
    response = editor.client.post(url, data={"csrf_token": editor.token(second)})
    assert response.status_code == 404
