"""Members get shared pages assembled from the stored anonymous copy, exactly as if rendered.

Every shared route is walked (tests/routes.py): a member's first visit renders the page;
once an anonymous reader has stored it, the member's next visit is that copy with its
personal parts (account menu, bookmark buttons) rendered for them. Both must be the same.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from markupsafe import Markup

from newsweb.web import personal
from newsweb.web.page_cache import is_shared
from newsweb.web.personal import Args, PartKind
from tests.conftest import PASSWORD, Auth, create_user, csrf_token_in, htmx
from tests.routes import STORY, sample_pages
from tests.statements import counted_get

STORY_PAGE = f"/news/{STORY}"
# A CSRF token is signed with the time: two renders a second apart differ only there.
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=)"[^"]+"')


def same_tokens(html: str) -> str:
    """`html` with every CSRF token replaced by one placeholder."""
    return TOKEN.sub(r'\1"TOKEN"', html)


def signed_in(app: Flask, email: str, **user: str) -> FlaskClient:
    """A client signed in as a new account."""
    create_user(app, email, **user)
    client = app.test_client()
    Auth(client).sign_in(email)
    return client


def rendered_templates(app: Flask, client: FlaskClient, path: str) -> tuple[int, str]:
    """GET `path`: how many templates Flask rendered for it, and the page."""
    seen: list[object] = []

    def record(_sender: Flask, template: object, context: object, **_: object) -> None:
        seen.append(template)

    template_rendered.connect(record, app)
    try:
        page = client.get(path)
    finally:
        template_rendered.disconnect(record, app)
    assert page.status_code == 200, path
    return len(seen), page.text


def test_every_shared_page_assembled_for_a_member_is_the_page_rendered(demo_app: Flask) -> None:
    """For each shared route, page and fragment: assembled == rendered, and nothing rendered."""
    member = signed_in(demo_app, "mia@example.com", name="Mia Member")
    saved = member.post(
        f"/bookmarks/stories/{STORY}", data={"csrf_token": csrf_token_in(member.get("/").text)}
    )
    assert saved.status_code == 303
    anonymous = demo_app.test_client()
    shared = [path for endpoint, path in sample_pages(demo_app) if is_shared(demo_app, endpoint)]
    assert STORY_PAGE in shared
    for path in shared:
        for headers in ({}, htmx()):
            first = member.get(path, headers=headers)
            assert anonymous.get(path, headers=headers).status_code == first.status_code
            if first.status_code != 200:
                continue
            with_templates = member.get(path, headers=headers)
            assert same_tokens(with_templates.text) == same_tokens(first.text), path
    templates, page = rendered_templates(demo_app, member, STORY_PAGE)
    assert templates == 0
    assert "Mia Member" in page
    assert 'aria-label="Bookmarked: ' in page


def test_each_member_gets_their_own_parts_from_one_stored_copy(demo_app: Flask) -> None:
    """Two members and an editor: one stored page, three menus, their own bookmark states."""
    demo_app.test_client().get(STORY_PAGE)
    saver = signed_in(demo_app, "saver@example.com", name="Sam Saver")
    token = csrf_token_in(saver.get("/account").text)
    saver.post("/bookmarks/tools/perplexity", data={"csrf_token": token})
    saver.post(f"/bookmarks/stories/{STORY}", data={"csrf_token": token})
    other = signed_in(demo_app, "other@example.com", name="Olga Other")
    editor = signed_in(demo_app, "ed@example.com", name="Ed Editor", role="editor")

    statements, saver_page = counted_get(demo_app, STORY_PAGE, saver)
    assert statements <= 3, "version, member, bookmarks"
    assert "Sam Saver" in saver_page.text
    assert saver_page.text.count('aria-pressed="true"') == 1  # the story (its tool is another)
    other_page = other.get(STORY_PAGE).text
    assert "Olga Other" in other_page
    assert "Sam Saver" not in other_page
    assert 'aria-pressed="true"' not in other_page
    editor_page = editor.get(STORY_PAGE).text
    assert ">Newsroom</a>" in editor_page
    assert ">Newsroom</a>" not in other_page
    anonymous = demo_app.test_client().get(STORY_PAGE).text
    assert "Sign in" in anonymous
    assert "csrf_token" not in anonymous


def test_members_pages_stay_private_and_uncompressed(demo_app: Flask) -> None:
    """An assembled page is personal: private, varying on the cookie, never compressed."""
    demo_app.test_client().get(STORY_PAGE)
    member = signed_in(demo_app, "mia@example.com")
    page = member.get(STORY_PAGE, headers={"Accept-Encoding": "br, gzip"})
    assert "private" in page.headers["Cache-Control"]
    assert "Cookie" in page.headers["Vary"]
    assert "Content-Encoding" not in page.headers
    assert "csrf_token" in page.text


def test_a_waiting_message_is_shown_by_rendering(demo_app: Flask) -> None:
    """A new member sent back to a stored page gets it rendered, welcome message included."""
    demo_app.test_client().get(STORY_PAGE)
    client = demo_app.test_client()
    token = csrf_token_in(client.get("/register").text)
    fields = {"email": "new@example.com", "display_name": "Nia New", "password": PASSWORD}
    answer = client.post(
        f"/register?next={STORY_PAGE}", data={"csrf_token": token, "next": STORY_PAGE, **fields}
    )
    assert answer.status_code in (302, 303)
    assert answer.headers["Location"].endswith(STORY_PAGE)
    page = client.get(STORY_PAGE).text
    assert "Your account is ready." in page
    assert "Nia New" in page


@pytest.mark.parametrize(
    "value", ["plain", "a -- b --> c", "<b>&amp;</b>", "semi;colon=equals&and", "100% é ✓"]
)
def test_part_arguments_survive_the_round_trip(app: Flask, value: str) -> None:
    """Whatever a part's arguments hold, the marker carries them back unchanged."""
    seen: list[Args] = []

    def render(args: Args, state: object) -> Markup:
        seen.append(dict(args))
        return Markup("<b>{}</b>").format(state)

    personal.register(app, "probe", PartKind(render, lambda parts: ["member"] * len(parts)))
    with app.test_request_context("/"):
        page = f"<p>{personal.personal_part('probe', 'anonymous', text=value)}</p>"
        assert "<b>anonymous</b>" in page
        assembled = personal.personalize(page)
    assert assembled is not None
    assert "<b>member</b>" in assembled
    assert "anonymous" not in assembled
    assert seen == [{"text": value}, {"text": value}]
