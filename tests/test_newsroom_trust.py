"""What makes the newsroom trustworthy, without a browser: publish, unpublish and delete
ask first (a page that posts without JavaScript, the same question's block for the
dialog with htmx); previews show the story page as readers will see it and save
nothing; share links open read-only for anyone until revoked or expired."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from newsweb.editor.sharing import share_token
from newsweb.extensions import db
from newsweb.models import Story, StoryStatus, Tool
from newsweb.models.clock import utcnow
from tests.conftest import Auth, htmx
from tests.test_editor import (
    SKEPTIC,
    post_story,
    stored,
    story_count,
    story_page_text,
    submitted,
    take_body,
)

TITLE = "Anthropic opens a Paris office"
SLUG = "anthropic-opens-a-paris-office"
NEW = "/editor/stories/new"
NOINDEX = '<meta name="robots" content="noindex, nofollow">'
EIGHT_DAYS = 8 * 24 * 3600


# ------------------------------------------------------------------ asking first


def question_form(html: str) -> dict[str, str]:
    """What the question's form posts (everything from its heading on)."""
    return submitted(html[html.index('id="confirm-heading"') :])


def status_of(app: Flask) -> StoryStatus | None:
    """The posted story's status, if it was saved."""
    return stored(app, select(Story.status).where(Story.slug == SLUG))


def test_publish_asks_first_and_keeps_everything_typed(editor: Auth, demo_app: Flask) -> None:
    """Publish shows a question page; nothing is saved until its button is pressed."""
    before = story_count(demo_app)
    page = story_page_text(editor, confirmed="", **{take_body(SKEPTIC): "Paris, really?"})
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


@pytest.mark.parametrize(
    ("fields", "section"),
    [
        ({"confirmed": ""}, 'id="confirm-heading"'),  # the question's "Keep editing"
        ({"action": "preview"}, 'id="preview-banner-heading"'),  # the preview's "Back to editing"
    ],
)
def test_going_back_to_the_form_loses_nothing(
    editor: Auth, demo_app: Flask, fields: dict[str, str], section: str
) -> None:
    """Without JavaScript, the way back posts every field again: the form shows them all."""
    html = story_page_text(editor, dek="A dek worth keeping.", **fields)
    carried = submitted(html[html.index(section) :])
    back = editor.client.post(NEW, data={**carried, "action": "edit"})
    assert back.status_code == 200
    assert '<h1 id="story-form-heading">New story</h1>' in back.text
    assert "A dek worth keeping." in back.text
    assert "Anthropic said on **Monday**" in back.text
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


# ------------------------------------------------------------------ previews and share links


def banner_form(html: str) -> dict[str, str]:
    """What the preview banner's "Back to editing" posts."""
    return submitted(html[html.index('id="preview-banner-heading"') :])


def tool_count(app: Flask) -> int:
    """How many tools exist."""
    return stored(app, select(func.count(Tool.id))) or 0


def test_preview_shows_the_story_page_and_saves_nothing(editor: Auth, demo_app: Flask) -> None:
    """The story page's own parts: meta line, title, dek, body, every take, the tool box."""
    before = story_count(demo_app)
    page = story_page_text(editor, action="preview", **{take_body(SKEPTIC): "Paris, really?"})
    assert f'<h1 id="story-title" class="story__title">{TITLE}</h1>' in page
    assert "The lab&#39;s first office in France" in page
    assert "<strong>Monday</strong>" in page
    assert 'class="meta__tool"' in page
    assert "Paris, really?" in page
    assert page.count('class="take"') == 4
    assert "About Anthropic" in page
    assert "A draft: readers cannot see it yet" in page
    assert NOINDEX in page
    assert story_count(demo_app) == before
    headers = post_story(editor, action="preview").headers  # type: ignore[attr-defined]
    assert headers["X-Robots-Tag"] == "noindex, nofollow"


def test_htmx_gets_the_story_page_block_for_the_dialog(editor: Auth) -> None:
    """The dialog shows the same block; its button only closes the dialog."""
    data = banner_form(post_story(editor, action="preview").get_data(as_text=True))  # type: ignore[attr-defined]
    response = editor.client.post(NEW, data={**data, "action": "preview"}, headers=htmx())
    assert "<html" not in response.text
    assert f">{TITLE}</h1>" in response.text
    assert '<form method="dialog"' in response.text


def test_preview_of_a_new_tool_creates_no_tool(editor: Auth, demo_app: Flask) -> None:
    """A tool named on the form shows in the preview's tool box and is not saved."""
    before = tool_count(demo_app)
    response = post_story(
        editor,
        action="preview",
        tool="",
        new_tool_name="Quiet Lantern",
        new_tool_website="https://quiet-lantern.example",
    )
    assert "About Quiet Lantern" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert tool_count(demo_app) == before


def saved_draft(editor: Auth) -> str:
    """Save a draft; return its edit page's path."""
    response = post_story(editor, action="draft")
    return str(response.headers["Location"])  # type: ignore[attr-defined]


def share_link(editor: Auth, edit_url: str) -> str:
    """Make a share link from the draft's preview page; return its path."""
    preview_url = edit_url.removesuffix("/edit") + "/preview"
    token = editor.token(preview_url)
    page = editor.client.post(
        preview_url.removesuffix("/preview") + "/share", data={"csrf_token": token}
    )
    match = re.search(r'id="share-link"[^>]*value="http://localhost(/shared/[^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def test_the_form_links_a_draft_to_its_preview(editor: Auth) -> None:
    """ "View on the site" on a draft opens its preview (not a 404)."""
    edit_url = saved_draft(editor)
    preview_url = edit_url.removesuffix("/edit") + "/preview"
    assert (
        f'href="{preview_url}">View on the site (preview)</a>' in editor.client.get(edit_url).text
    )
    page = editor.client.get(preview_url)
    assert page.status_code == 200
    assert f">{TITLE}</h1>" in page.text
    assert "Make a share link" in page.text


def test_a_share_link_opens_read_only_for_anyone(editor: Auth, demo_app: Flask) -> None:
    """Signed out, the link shows the story under the banner; never stored, never indexed."""
    link = share_link(editor, saved_draft(editor))
    response = demo_app.test_client().get(link)
    assert response.status_code == 200
    assert f">{TITLE}</h1>" in response.text
    assert "Shared by the newsroom before publication." in response.text
    assert NOINDEX in response.text
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.cache_control.no_store
    assert "Make a share link" not in response.text
    assert 'method="post"' not in response.text.split('id="main"', 1)[1].split("</main>")[0]
    assert demo_app.test_client().get(f"/news/{TITLE.lower().replace(' ', '-')}").status_code == 404


def test_revoking_stops_every_link(editor: Auth, demo_app: Flask) -> None:
    """Revoke: each link given out before answers 410; a new one works."""
    edit_url = saved_draft(editor)
    first = share_link(editor, edit_url)
    second = share_link(editor, edit_url)
    base = edit_url.removesuffix("/edit")
    revoked = editor.client.post(
        f"{base}/share/revoke", data={"csrf_token": editor.token(edit_url)}
    )
    assert revoked.status_code == 303
    reader = demo_app.test_client()
    for link in (first, second):
        gone = reader.get(link)
        assert gone.status_code == 410
        assert "The newsroom has withdrawn this preview link." in gone.text
    assert reader.get(share_link(editor, edit_url)).status_code == 200


def test_a_link_expires_after_seven_days(
    editor: Auth, demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link signed eight days ago answers 410 and says it expired."""
    story_id = int(saved_draft(editor).split("/")[-2])
    real_time = time.time
    with demo_app.app_context():
        story = db.session.get(Story, story_id)
        assert story is not None
        monkeypatch.setattr(time, "time", lambda: real_time() - EIGHT_DAYS)
        token = share_token(story)
        monkeypatch.setattr(time, "time", real_time)
    response = demo_app.test_client().get(f"/shared/{token}")
    assert response.status_code == 410
    assert "This preview link has expired." in response.text


@pytest.mark.parametrize(
    "token", ["made-up", "WzEsMF0.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", "x" * 300]
)
def test_a_forged_link_is_a_404(demo_client: object, token: str) -> None:
    """Anything the newsroom did not sign opens nothing."""
    response = demo_client.get(f"/shared/{token}")  # type: ignore[attr-defined]
    assert response.status_code == 404


def test_only_editors_make_links(demo_app: Flask) -> None:
    """Signed out, making or revoking a link leads to sign-in and changes nothing."""
    client = demo_app.test_client()
    with demo_app.app_context():
        story_id = db.session.scalar(select(Story.id).order_by(Story.id))
    response = client.post(f"/editor/stories/{story_id}/share")
    assert response.status_code in (302, 303, 400)
