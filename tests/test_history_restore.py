"""History people can read and undo: edits marked word by word (the text left alone shown
once), and "Restore this version", itself recorded as a revision."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from sqlalchemy import func, select

from newsweb.editor.diffs import word_diff
from newsweb.extensions import db
from newsweb.models import Persona, Prediction, Revision, Story, StoryStatus, Take
from tests.conftest import Auth
from tests.test_editor import SKEPTIC, post_story, stored, take_body
from tests.test_verdict_history import changes_on, tool_form

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


def restore_links(editor: Auth, history_url: str) -> list[str]:
    """Where each "Restore this version" form posts, newest version first."""
    return re.findall(r'action="([^"]*/history/\d+/restore)"', editor.client.get(history_url).text)


def test_a_tool_and_its_verdicts_can_be_restored(editor: Auth, demo_app: Flask) -> None:
    """Two saves of a tool; restoring the first brings its tagline and the Founder's call
    back, records the restore as a revision and the call's move in the verdict history."""
    first = tool_form(demo_app, "mistral-ai", tagline="First tagline")
    first["csrf_token"] = editor.token("/editor")
    assert editor.client.post("/editor/tools/mistral-ai/edit", data=first).status_code == 303
    founder_call = first["verdicts-0-ship"]
    flipped = "skip" if founder_call == "ship" else "ship"
    second = tool_form(demo_app, "mistral-ai", tagline="Second tagline")
    second.update(csrf_token=editor.token("/editor"), **{"verdicts-0-ship": flipped})
    assert editor.client.post("/editor/tools/mistral-ai/edit", data=second).status_code == 303
    moves_before = len(changes_on(demo_app, "mistral-ai"))

    links = restore_links(editor, "/editor/tools/mistral-ai/history")
    assert links, "the first save can be restored"
    restored = editor.client.post(links[0], data={"csrf_token": editor.token("/editor")})
    assert restored.status_code == 303
    assert restored.headers["Location"] == "/editor/tools/mistral-ai/edit"
    page = demo_app.test_client().get("/tools/mistral-ai").text
    assert "First tagline" in page
    assert tool_form(demo_app, "mistral-ai")["verdicts-0-ship"] == founder_call
    assert len(changes_on(demo_app, "mistral-ai")) == moves_before + 1
    # The restore is itself a revision, so the second save can be restored in its turn.
    assert len(restore_links(editor, "/editor/tools/mistral-ai/history")) == len(links) + 1


def test_a_persona_can_be_restored(editor: Auth, demo_app: Flask) -> None:
    """A persona's lens and lists come back as they were after an earlier save."""
    edit_url = "/editor/personas/the-skeptic/edit"
    page = editor.client.get(edit_url).text
    data = dict(re.findall(r'name="(\w+)" type="(?:text|number|hidden)" value="([^"]*)"', page))
    data.pop("loaded_version", None)
    data.update(profile="Reads the fine print.", excited_by="Shipping dates\nPrices", position="2")
    for lens, tired in (("Reality Check", "Demos"), ("Fine Print", "Roadmaps\nTeasers")):
        data.update(csrf_token=editor.token("/editor"), lens=lens, tired_of=tired)
        answer = editor.client.post(edit_url, data=data)
        assert answer.status_code == 303, re.findall(r'field-error"[^>]*>([^<]*)', answer.text)
    links = restore_links(editor, "/editor/personas/the-skeptic/history")
    assert links
    response = editor.client.post(links[0], data={"csrf_token": editor.token("/editor")})
    assert response.status_code == 303
    with demo_app.app_context():
        persona = db.session.scalars(select(Persona).where(Persona.slug == "the-skeptic")).one()
        assert (persona.lens, persona.tired_of) == ("Reality Check", ["Demos"])
    assert len(restore_links(editor, "/editor/personas/the-skeptic/history")) == len(links) + 1


def test_a_tool_revision_of_another_tool_cannot_be_restored(editor: Auth, demo_app: Flask) -> None:
    """A revision id from elsewhere is a 404, and nothing changes."""
    form = tool_form(demo_app, "mistral-ai", tagline="Only tagline")
    form["csrf_token"] = editor.token("/editor")
    editor.client.post("/editor/tools/mistral-ai/edit", data=form)
    with demo_app.app_context():
        other = db.session.scalar(select(func.max(Revision.id)))
    url = f"/editor/tools/anthropic/history/{other}/restore"
    response = editor.client.post(url, data={"csrf_token": editor.token("/editor")})
    assert response.status_code == 404


def test_a_restore_that_would_delete_predictions_is_refused(editor: Auth, demo_app: Flask) -> None:
    """A version from before the Skeptic's take: restoring it would remove the take and,
    with it, the prediction made in it since; the restore is refused and nothing changes."""
    edit_url = str(post_story(editor, **{take_body(SKEPTIC): ""}).headers["Location"])  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="save", **{take_body(SKEPTIC): "Wait for the bill."})
    with demo_app.app_context():
        story_id = int(edit_url.split("/")[-2])
        take = db.session.scalars(
            select(Take).where(Take.story_id == story_id, Take.body == "Wait for the bill.")
        ).one()
        take_id = take.id
        db.session.add(
            Prediction(
                take_id=take.id,
                persona_id=take.persona_id,
                claim="The bill arrives by March.",
                criterion="",
                due_on=date(2027, 3, 31),
            )
        )
        db.session.commit()
    links = re.findall(r'action="([^"]*/history/\d+/restore)"', history_of(editor, edit_url))
    response = editor.client.post(links[-1], data={"csrf_token": editor.token(edit_url)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/history")
    assert "would delete them" in editor.client.get(response.headers["Location"]).text
    with demo_app.app_context():
        assert db.session.get(Take, take_id) is not None
        kept = select(func.count(Prediction.id)).where(Prediction.take_id == take_id)
        assert db.session.scalar(kept) == 1
