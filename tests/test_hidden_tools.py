"""A tool first named in a draft is embargoed: no reader surface shows it until a story
about it is out, or an editor publishes the tool itself."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from newsweb.models.clock import utcnow
from tests.conftest import Auth, create_user
from tests.test_editor import post_story, tool_form

NAME, SLUG, WEBSITE = "Quiet Lantern", "quiet-lantern", "https://quiet-lantern.example"

# Every reader page that could name a tool, and what the embargoed one would answer there.
LISTINGS = [
    "/tools",
    "/tools?sort=ship",
    "/api/v1/tools",
    "/feeds",
    "/sitemaps/sections.xml",
    "/search?q=lantern",
    "/search?q=lantern&kind=tool",
    "/compare?a=mistral-ai&with=quiet",
    "/panel/the-skeptic",
    "/digest",
    "/feeds/verdicts.atom",
    "/feeds/panel/the-skeptic/verdicts.atom",
    "/api/v1/verdict-changes",
]
ADDRESSES = [
    f"/tools/{SLUG}",
    f"/api/v1/tools/{SLUG}",
    f"/feeds/tools/{SLUG}.atom",
    f"/feeds/tools/{SLUG}/verdicts.atom",
    f"/?tool={SLUG}",
    f"/api/v1/stories?tool={SLUG}",
    f"/compare/mistral-ai-vs-{SLUG}",
    f"/compare?a={SLUG}&with=mistral",
]


def draft_about_a_new_tool(editor: Auth, **fields: str) -> None:
    """Save a draft story that names a new tool, as an editor does."""
    response = post_story(
        editor,
        title="Quiet Lantern raises a seed round",
        tool="",
        new_tool_name=NAME,
        new_tool_website=WEBSITE,
        **{"action": "draft", **fields},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]


def give_verdicts(editor: Auth, app: Flask, *, publish: bool = False) -> None:
    """Save the panel's verdicts through the tool's form, ticking "On the site now" or not."""
    path = f"/editor/tools/{SLUG}/edit"
    data = tool_form(app, name=NAME, slug=SLUG, website=WEBSITE)
    if not publish:
        del data["published_at"]  # an unticked box sends nothing
    data["csrf_token"] = editor.token(path)
    assert editor.client.post(path, data=data).status_code == 303


def shows_the_tool(reader: FlaskClient) -> list[str]:
    """The reader pages that mention the tool or answer for its address."""
    named = [
        path
        for path in LISTINGS
        if any(
            mention in reader.get(path).get_data(as_text=True)
            for mention in (NAME, WEBSITE, f"/tools/{SLUG}")
        )
    ]
    answered = [path for path in ADDRESSES if reader.get(path).status_code not in (404, 400)]
    return named + answered


def test_a_tool_named_in_a_draft_is_on_no_reader_surface(editor: Auth, demo_app: Flask) -> None:
    """Its page, the directory, API, feeds, sitemap, search, compare, panel, digest and the
    panel's verdict history (its feeds and API)."""
    draft_about_a_new_tool(editor)
    give_verdicts(editor, demo_app)
    reader = demo_app.test_client()
    assert shows_the_tool(reader) == []
    assert reader.get(f"/tools/{SLUG}").status_code == 404
    # Someone signed in cannot reach it through a bookmark either.
    create_user(demo_app, "member@example.com", name="Mia Member")
    member = Auth(demo_app.test_client())
    member.sign_in("member@example.com")
    token = member.token("/account")
    saved = member.client.post(f"/bookmarks/tools/{SLUG}", data={"csrf_token": token})
    assert saved.status_code == 404
    # The editor still finds it in the newsroom, marked as not on the site.
    page = editor.client.get(f"/editor/tools/{SLUG}/edit").get_data(as_text=True)
    assert "Not on the site yet" in page
    assert f'href="/tools/{SLUG}"' not in page


def test_publishing_its_first_story_puts_the_tool_everywhere(editor: Auth, demo_app: Flask) -> None:
    """Once the story is out, every surface that lists tools shows it."""
    draft_about_a_new_tool(editor)
    give_verdicts(editor, demo_app)
    reader = demo_app.test_client()
    assert "Quiet Lantern raises a seed round" in editor.client.get("/editor?tab=drafts").text
    post_story(editor, title="Quiet Lantern ships", tool=SLUG, action="publish")
    shown = shows_the_tool(reader)
    expected = {*LISTINGS, *ADDRESSES} - {"/digest"}  # the digest lists past weeks only
    assert expected <= set(shown)


def test_a_scheduled_story_reveals_its_tool_only_when_it_goes_out(
    editor: Auth, demo_app: Flask
) -> None:
    """Scheduling the first story keeps the tool hidden until the story's time."""
    later = (utcnow() + timedelta(days=3)).date().isoformat()
    draft_about_a_new_tool(editor, action="publish", published_at=later)
    reader = demo_app.test_client()
    assert reader.get(f"/tools/{SLUG}").status_code == 404
    assert NAME not in reader.get("/tools").get_data(as_text=True)


def test_an_editor_can_publish_the_tool_itself(editor: Auth, demo_app: Flask) -> None:
    """Ticking "On the site now" shows it before any story; unticking hides it again."""
    draft_about_a_new_tool(editor)
    give_verdicts(editor, demo_app, publish=True)
    reader = demo_app.test_client()
    assert reader.get(f"/tools/{SLUG}").status_code == 200
    assert NAME in reader.get("/tools").get_data(as_text=True)
    page = editor.client.get(f"/editor/tools/{SLUG}/edit").get_data(as_text=True)
    assert f'href="/tools/{SLUG}"' in page
    give_verdicts(editor, demo_app)
    assert reader.get(f"/tools/{SLUG}").status_code == 404
