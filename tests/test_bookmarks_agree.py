"""Bookmarks agree with themselves: the buttons, the story sidebar and /bookmarks show the
same items and the same counts, for tools and stories, right after signing up too; rows on
/bookmarks are removed with "Remove" and come back with "Undo"; listing cards have buttons.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from newsweb.bookmarks import queries as bookmark_queries
from newsweb.extensions import db
from newsweb.models import Story, StoryStatus, Tool
from tests.conftest import PASSWORD, Auth, csrf_token_in, htmx
from tests.test_bookmarks import STORY, bookmark_rows, button, save, signed_in

__all__ = ["signed_in"]  # the fixture, used by name

STORY_TITLE = "General Atlantic Leads"


def sidebar(auth: Auth) -> str:
    """The story page's bookmarks sidebar as htmx loads it."""
    return auth.client.get("/bookmarks/sidebar", headers=htmx()).get_data(as_text=True)


def sidebar_items(html: str) -> list[str]:
    """The paths of the items the sidebar lists, in order."""
    return re.findall(r'<li class="sidebar-saved"><a href="(/(?:tools|news)/[a-z0-9-]+)', html)


def test_right_after_registering_the_sidebar_lists_the_story_just_saved(
    demo_client: FlaskClient,
) -> None:
    """The reported case: Bookmark on a story, register, come back: button and sidebar agree."""
    page = f"/news/{STORY}"
    token = csrf_token_in(demo_client.get("/register").get_data(as_text=True))
    fields = {"email": "new@example.com", "display_name": "Nia New", "password": PASSWORD}
    answer = demo_client.post(
        f"/register?next={page}&bookmark=stories/{STORY}",
        data={"csrf_token": token, "next": page, "bookmark": f"stories/{STORY}", **fields},
    )
    assert answer.headers["Location"] == page
    html = demo_client.get(page).get_data(as_text=True)
    assert 'aria-pressed="true"' in button(html, f"Bookmarked: {STORY_TITLE}")
    side = demo_client.get("/bookmarks/sidebar", headers=htmx()).get_data(as_text=True)
    assert "No bookmarks yet" not in side
    assert sidebar_items(side) == [page]
    assert "All bookmarks (1)" in side


def test_the_sidebar_lists_every_item_its_count_counts(signed_in: Auth) -> None:
    """A tool and a story saved: the sidebar lists both under "All bookmarks (2)", as
    /bookmarks does."""
    save(signed_in, "/bookmarks/tools/anthropic")
    save(signed_in, f"/bookmarks/stories/{STORY}")
    side = sidebar(signed_in)
    assert sidebar_items(side) == ["/tools/anthropic", f"/news/{STORY}"]
    assert "All bookmarks (2)" in side
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "1 tool · 1 story" in page


def test_items_readers_cannot_see_are_neither_listed_nor_counted(
    signed_in: Auth, demo_app: Flask
) -> None:
    """A saved story unpublished since, and a saved tool hidden since, are in no list or count."""
    save(signed_in, "/bookmarks/tools/cursor")
    save(signed_in, "/bookmarks/tools/anthropic")
    save(signed_in, f"/bookmarks/stories/{STORY}")
    with demo_app.app_context():
        cursor = db.session.scalars(select(Tool).where(Tool.slug == "cursor")).one()
        db.session.execute(
            update(Story).where(Story.tool_id == cursor.id).values(status=StoryStatus.DRAFT)
        )
        db.session.execute(update(Tool).where(Tool.id == cursor.id).values(published_at=None))
        db.session.execute(
            update(Story).where(Story.slug == STORY).values(status=StoryStatus.DRAFT)
        )
        db.session.commit()
    assert signed_in.client.get("/tools/cursor").status_code == 404
    side = sidebar(signed_in)
    assert sidebar_items(side) == ["/tools/anthropic"]
    assert "All bookmarks (1)" in side
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "1 tool · 0 stories" in page
    assert "/tools/cursor" not in page
    assert bookmark_rows(demo_app) == 3  # kept: they come back if the item does


def test_bookmarks_page_rows_are_removed_with_remove(signed_in: Auth) -> None:
    """Each row's action is "Remove", named for what it removes; never "Bookmarked"."""
    save(signed_in, "/bookmarks/tools/cursor")
    save(signed_in, f"/bookmarks/stories/{STORY}")
    html = signed_in.client.get("/bookmarks").get_data(as_text=True)
    rows = re.findall(r'<button[^>]*class="remove-button"[^>]*>([^<]*)</button>', html)
    assert rows == ["Remove", "Remove"]
    assert 'aria-label="Remove Cursor from your bookmarks"' in html
    assert f'aria-label="Remove {STORY_TITLE}' in html
    assert ">Bookmarked<" not in html


def test_front_page_cards_have_bookmark_buttons(
    demo_client: FlaskClient, auth: Auth, member: str
) -> None:
    """Every story card on the front page has a button: sign-in for readers, a toggle for
    members."""
    html = demo_client.get("/").get_data(as_text=True)
    cards = html.count('<article class="story-card"')
    assert cards == 5
    assert html.count('class="bookmark-button"') == cards
    assert 'name="bookmark" value="stories/' in html
    first = re.search(r'name="bookmark" value="(stories/[a-z0-9-]+)"', html)
    assert first is not None
    auth.sign_in(member)
    save(auth, f"/bookmarks/{first.group(1)}")
    html = demo_client.get("/").get_data(as_text=True)
    assert html.count('class="bookmark-button"') == cards
    assert html.count('aria-pressed="true"') == 1


def row_form(html: str, action: str) -> dict[str, str]:
    """The fields of the form posting to `action`."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, f"no form posting to {action}"
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(1)))


def saved_order(html: str) -> list[str]:
    """The rows of /bookmarks, as `kind-slug`, in order."""
    return re.findall(r'<li class="saved-item[^"]*" id="saved-([a-z0-9-]+)"', html)


def test_htmx_remove_leaves_undo_in_place_and_undo_puts_it_back_where_it_was(
    signed_in: Auth, demo_app: Flask
) -> None:
    """Remove: the row says "Removed Anthropic. Undo" and the counts change out of band;
    Undo: the row is back, in the same place, saved as of when it first was."""
    for path in (
        "/bookmarks/tools/anthropic",
        "/bookmarks/tools/cursor",
        "/bookmarks/tools/nvidia",
    ):
        save(signed_in, path)
    before = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert saved_order(before) == ["tools-nvidia", "tools-cursor", "tools-anthropic"]
    saved_on = re.findall(r'<time datetime="([^"]+)"', before)
    fields = row_form(before, "/bookmarks/tools/cursor/remove")
    removed = signed_in.client.post("/bookmarks/tools/cursor/remove", data=fields, headers=htmx())
    html = removed.get_data(as_text=True)
    assert removed.headers["HX-Trigger"] == "bookmarks-changed"
    assert "<html" not in html
    assert html.lstrip().startswith(
        '<li class="saved-item saved-item--removed" id="saved-tools-cursor">'
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()
    assert text.startswith("Removed Cursor. Undo")
    counts = '<p id="saved-counts" class="counts" data-hx-swap-oob="true">'
    assert f"{counts}2 tools · 0 stories</p>" in html
    assert bookmark_rows(demo_app) == 2
    undo = row_form(html, "/bookmarks/tools/cursor/restore")
    back = signed_in.client.post("/bookmarks/tools/cursor/restore", data=undo, headers=htmx())
    html = back.get_data(as_text=True)
    assert html.lstrip().startswith('<li class="saved-item" id="saved-tools-cursor">')
    assert ">Remove</button>" in html
    assert "3 tools · 0 stories" in html
    after = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert saved_order(after) == saved_order(before)
    assert re.findall(r'<time datetime="([^"]+)"', after) == saved_on
    # Twice is fine: nothing more changes.
    signed_in.client.post("/bookmarks/tools/cursor/restore", data=undo, headers=htmx())
    assert bookmark_rows(demo_app) == 3


def test_remove_without_javascript_returns_with_an_undo_notice(
    signed_in: Auth, demo_app: Flask
) -> None:
    """The plain form redirects to /bookmarks, whose notice carries an Undo form; Undo
    redirects back with the item in its place."""
    save(signed_in, f"/bookmarks/stories/{STORY}")
    save(signed_in, "/bookmarks/tools/cursor")
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    fields = row_form(page, f"/bookmarks/stories/{STORY}/remove")
    removed = signed_in.client.post(f"/bookmarks/stories/{STORY}/remove", data=fields)
    assert removed.status_code == 303
    assert removed.headers["Location"] == "/bookmarks"
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "Removed <strong>General Atlantic Leads" in page
    assert "1 tool · 0 stories" in page
    assert saved_order(page) == ["tools-cursor"]
    undo = row_form(page, f"/bookmarks/stories/{STORY}/restore")
    assert set(undo) == {"csrf_token", "undo"}
    back = signed_in.client.post(f"/bookmarks/stories/{STORY}/restore", data=undo)
    assert back.status_code == 303
    assert back.headers["Location"] == "/bookmarks"
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "is back in your bookmarks." in page
    assert "Removed <strong>" not in page
    assert "1 tool · 1 story" in page
    # The notice is shown once.
    assert "is back in your bookmarks." not in signed_in.client.get("/bookmarks").text
    assert bookmark_rows(demo_app) == 2


def test_a_forged_undo_still_puts_the_item_back_as_saved_now(signed_in: Auth) -> None:
    """Undo never fails: a token that was not signed for this member and item saves anew."""
    save(signed_in, "/bookmarks/tools/anthropic")
    save(signed_in, "/bookmarks/tools/cursor")
    token = signed_in.token("/account")
    signed_in.client.post("/bookmarks/tools/anthropic/remove", data={"csrf_token": token})
    answer = signed_in.client.post(
        "/bookmarks/tools/anthropic/restore", data={"csrf_token": token, "undo": "forged.token"}
    )
    assert answer.status_code == 303
    page = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert saved_order(page) == ["tools-anthropic", "tools-cursor"]


def test_removing_from_another_page_updates_the_story_page_sidebar(signed_in: Auth) -> None:
    """Buttons, sidebar and /bookmarks read the same rows: a removal shows everywhere."""
    save(signed_in, f"/bookmarks/stories/{STORY}")
    token = signed_in.token("/account")
    signed_in.client.post(f"/bookmarks/stories/{STORY}/remove", data={"csrf_token": token})
    html = signed_in.client.get(f"/news/{STORY}").get_data(as_text=True)
    assert 'aria-pressed="false"' in button(html, f"Bookmark {STORY_TITLE}")
    assert "No bookmarks yet" in sidebar(signed_in)


def test_counts_cover_bookmarks_beyond_the_listed_ones(
    signed_in: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both totals count every visible bookmark, even a kind none of whose bookmarks is
    among the newest listed (here the limit is two, and both are stories)."""
    monkeypatch.setattr(bookmark_queries, "SAVED_LIMIT", 2)
    save(signed_in, "/bookmarks/tools/anthropic")
    stories = [f"/news/{STORY}"]
    page = signed_in.client.get("/").get_data(as_text=True)
    other = next(
        path for path in re.findall(r'href="(/news/[a-z0-9-]+)"', page) if path not in stories
    )
    for path in (*stories, other):
        save(signed_in, "/bookmarks/stories/" + path.removeprefix("/news/"))
    html = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "1 tool" in html
    assert "2 stories" in html
    assert "All bookmarks (3)" in sidebar(signed_in)
