"""Bookmarks: idempotent saves and removals, buttons, the sidebar and /bookmarks."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from newsweb.extensions import db
from newsweb.models import Bookmark, Story, Tool
from tests.conftest import Auth, create_user, htmx

STORY = "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"


@pytest.fixture
def signed_in(auth: Auth, member: str) -> Auth:
    """`demo_client`, signed in as the member."""
    assert auth.sign_in(member).status_code == 303
    return auth


def bookmark_rows(app: Flask) -> int:
    """How many bookmarks exist in all."""
    with app.app_context():
        return db.session.scalar(select(func.count(Bookmark.id))) or 0


def button(html: str, name: str) -> str:
    """The bookmark button whose accessible name mentions `name`."""
    match = re.search(
        rf'<button[^>]*class="bookmark-button"[^>]*aria-label="[^"]*{re.escape(name)}[^"]*"[^>]*>[^<]*</button>',
        html,
    )
    assert match, f"no bookmark button for {name}"
    return match.group(0)


def save(auth: Auth, path: str, **headers: str) -> object:
    """POST a bookmark form the way the page's form does."""
    return auth.client.post(
        path, data={"csrf_token": auth.token("/account"), "next": "/tools"}, headers=headers
    )


def test_save_without_javascript_returns_to_the_page(signed_in: Auth, demo_app: Flask) -> None:
    """The form posts, saves, and sends the member back to the page with 303."""
    response = save(signed_in, "/bookmarks/tools/mistral-ai")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["Location"] == "/tools"  # type: ignore[attr-defined]
    html = signed_in.client.get("/tools").get_data(as_text=True)
    assert 'aria-pressed="true" aria-label="Bookmarked: Mistral AI"' in html
    assert bookmark_rows(demo_app) == 1


def test_htmx_save_swaps_the_button_and_announces_it(signed_in: Auth) -> None:
    """htmx gets just the pressed button and an HX-Trigger so listeners refresh."""
    response = save(signed_in, "/bookmarks/tools/mistral-ai", **htmx())
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["HX-Trigger"] == "bookmarks-changed"  # type: ignore[attr-defined]
    assert "<html" not in html
    assert html.lstrip().startswith(
        '<form class="bookmark-form" method="post" action="/bookmarks/tools/mistral-ai/delete"'
    )
    assert 'aria-pressed="true"' in button(html, "Mistral AI")


def test_saving_twice_saves_once_and_removing_twice_is_fine(
    signed_in: Auth, demo_app: Flask
) -> None:
    """Save and remove are idempotent: repeats succeed and change nothing more."""
    for _ in range(3):
        assert save(signed_in, "/bookmarks/tools/mistral-ai").status_code == 303  # type: ignore[attr-defined]
    assert bookmark_rows(demo_app) == 1
    for _ in range(3):
        assert save(signed_in, "/bookmarks/tools/mistral-ai/delete").status_code == 303  # type: ignore[attr-defined]
    assert bookmark_rows(demo_app) == 0


def test_story_page_has_buttons_for_the_story_and_its_tool(signed_in: Auth) -> None:
    """The story page shows a bookmark button for the story and one for its tool."""
    save(signed_in, f"/bookmarks/stories/{STORY}")
    html = signed_in.client.get(f"/news/{STORY}").get_data(as_text=True)
    assert 'aria-pressed="true"' in button(html, "Bookmarked: General Atlantic")
    assert 'aria-pressed="false"' in button(html, "Bookmark Mistral AI")


def test_every_directory_row_has_a_button(signed_in: Auth) -> None:
    """Each tool in the directory has its own bookmark button."""
    html = signed_in.client.get("/tools").get_data(as_text=True)
    assert html.count('class="bookmark-button"') == len(re.findall(r'class="tool-row"', html)) == 9


def test_sidebar_lists_saved_tools_newest_first(signed_in: Auth) -> None:
    """The story sidebar lists the member's saved tools, newest first."""
    assert "No bookmarks yet" in signed_in.client.get(
        "/bookmarks/sidebar", headers=htmx()
    ).get_data(as_text=True)
    save(signed_in, "/bookmarks/tools/anthropic")
    save(signed_in, "/bookmarks/tools/nvidia")
    html = signed_in.client.get("/bookmarks/sidebar", headers=htmx()).get_data(as_text=True)
    assert re.findall(r'<li class="sidebar-saved"><a href="/tools/([a-z-]+)">', html) == [
        "nvidia",
        "anthropic",
    ]
    assert "All bookmarks (2)" in html


def test_bookmarks_page_lists_tools_and_stories(signed_in: Auth) -> None:
    """/bookmarks lists saved tools and stories with a button to remove each in place."""
    save(signed_in, "/bookmarks/tools/cursor")
    save(signed_in, f"/bookmarks/stories/{STORY}")
    html = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "1 tool · 1 story" in html
    assert 'href="/tools/cursor"' in html
    assert f'href="/news/{STORY}?back=/bookmarks"' in html
    assert 'aria-label="Remove Cursor from your bookmarks">Remove</button>' in html
    fragment = signed_in.client.get("/bookmarks", headers=htmx()).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="saved"')


def test_anonymous_button_leads_to_sign_in_and_back_with_the_bookmark(
    demo_client: FlaskClient, demo_app: Flask, member: str
) -> None:
    """An anonymous reader's button goes to sign-in; once signed in the bookmark is saved."""
    html = demo_client.get("/tools/mistral-ai").get_data(as_text=True)
    form = re.search(
        r'<form class="bookmark-form" method="get" action="/login">(.*?)</form>', html, re.S
    )
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(1)))
    assert fields == {"next": "/tools/mistral-ai", "bookmark": "tools/mistral-ai"}
    login_page = demo_client.get("/login", query_string=fields).get_data(as_text=True)
    assert "Sign in and we will save your bookmark." in login_page
    response = Auth(demo_client).sign_in(member, **fields)
    assert response.headers["Location"] == "/tools/mistral-ai"
    html = demo_client.get("/tools/mistral-ai").get_data(as_text=True)
    assert 'aria-pressed="true"' in button(html, "Mistral AI")
    assert bookmark_rows(demo_app) == 1


def test_signed_out_htmx_save_redirects_to_sign_in(demo_client: FlaskClient) -> None:
    """A save from a page whose session ended gets HX-Redirect to sign-in, carrying the bookmark."""
    token = Auth(demo_client).token()
    response = demo_client.post(
        "/bookmarks/tools/mistral-ai",
        data={"csrf_token": token, "next": "/tools/mistral-ai"},
        headers=htmx(),
    )
    assert response.status_code == 200
    assert (
        response.headers["HX-Redirect"] == "/login?next=/tools/mistral-ai&bookmark=tools/mistral-ai"
    )


def test_members_change_only_their_own_bookmarks(signed_in: Auth, demo_app: Flask) -> None:
    """A member's requests touch only their own rows, whatever else another member saved."""
    other_id = create_user(demo_app, "other@example.com")
    with demo_app.app_context():
        tool = db.session.scalars(select(Tool).where(Tool.slug == "cursor")).one()
        db.session.add(Bookmark(user_id=other_id, tool_id=tool.id))
        db.session.commit()
    assert save(signed_in, "/bookmarks/tools/cursor/delete").status_code == 303  # type: ignore[attr-defined]
    assert bookmark_rows(demo_app) == 1
    html = signed_in.client.get("/bookmarks").get_data(as_text=True)
    assert "No bookmarks yet" in html
    response = signed_in.client.post(
        "/bookmarks/tools/cursor/delete",
        data={"csrf_token": signed_in.token("/account"), "user_id": str(other_id)},
    )
    assert response.status_code == 303
    assert bookmark_rows(demo_app) == 1


def test_unknown_items_and_kinds_are_404(signed_in: Auth) -> None:
    """Bookmarking something that does not exist is a 404, not a row."""
    assert save(signed_in, "/bookmarks/tools/nope").status_code == 404  # type: ignore[attr-defined]
    assert save(signed_in, "/bookmarks/people/mistral-ai").status_code == 404  # type: ignore[attr-defined]


def test_deleting_a_story_or_tool_removes_its_bookmarks(signed_in: Auth, demo_app: Flask) -> None:
    """Bookmarks of a deleted story or tool go with it; the member's pages still work."""
    save(signed_in, f"/bookmarks/stories/{STORY}")
    save(signed_in, "/bookmarks/tools/cursor")
    with demo_app.app_context():
        db.session.delete(db.session.scalars(select(Story).where(Story.slug == STORY)).one())
        cursor = db.session.scalars(select(Tool).where(Tool.slug == "cursor")).one()
        for story in db.session.scalars(select(Story).where(Story.tool_id == cursor.id)):
            db.session.delete(story)
        db.session.delete(cursor)
        db.session.commit()
    assert bookmark_rows(demo_app) == 0
    assert signed_in.client.get("/bookmarks").status_code == 200
    assert signed_in.client.get("/bookmarks/sidebar", headers=htmx()).status_code == 200
