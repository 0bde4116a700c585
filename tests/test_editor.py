"""The newsroom: access, stories with takes, validation, escaping, revisions and roles."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import Select, func, select
from werkzeug.routing import Rule

from newsweb.extensions import db
from newsweb.models import Bookmark, Persona, Revision, Role, Story, Take, Tool, User, Verdict
from newsweb.models.clock import utcnow
from tests.conftest import Auth, htmx
from tests.html import unsafe_markup

T = TypeVar("T")
SAMPLE = {
    "story_id": "1",
    "slug": "mistral-ai",
    "user_id": "1",
    "take_id": "1",
    "prediction_id": "1",
    "revision_id": "1",
}


def editor_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every (editor rule, method) pair."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("editor.")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


def path_for(rule: Rule) -> str:
    """A concrete URL for an editor rule."""
    built = rule.build({name: SAMPLE[name] for name in rule.arguments})
    assert built is not None
    return built[1]


def stored(app: Flask, statement: Select[T]) -> T | None:
    """The one value `statement` reads from `app`'s database."""
    with app.app_context():
        return db.session.scalar(statement)


def story_count(app: Flask) -> int:
    """How many stories exist."""
    return stored(app, select(func.count(Story.id))) or 0


def personas(app: Flask) -> list[Persona]:
    """The demo panel, in order."""
    with app.app_context():
        return list(db.session.scalars(select(Persona).order_by(Persona.position)))


# The Skeptic's seat on the demo panel, counted from 0: the index of its take and verdict.
SKEPTIC = 1


def take_body(seat: int) -> str:
    """The story form's field for the take of the persona in `seat` (0 sits first)."""
    return f"takes-{seat}-body"


def take_call(seat: int) -> str:
    """The story form's field for the call of the persona in `seat` (0 sits first)."""
    return f"takes-{seat}-call"


def story_form(app: Flask, **fields: str) -> dict[str, str]:
    """A complete, valid new-story form, with a take from each persona, overridden by `fields`."""
    data = {
        "title": "Anthropic opens a Paris office",
        "slug": "",
        "tool": "anthropic",
        "category": "policy",
        "published_at": "",
        "dek": "The lab's first office in France will focus on public-sector customers.",
        "source_url": "https://www.anthropic.com/news",
        "body": "Anthropic said on **Monday** that it would open an office in Paris.",
        "action": "publish",
    }
    for seat, persona in enumerate(personas(app)):
        data[f"takes-{seat}-persona_id"] = str(persona.id)
        data[take_body(seat)] = f"{persona.name} thinks about Paris."
        data[take_call(seat)] = ("ship", "wait", "skip", "ship")[seat % 4]
    data.update(fields)
    return data


def post_story(editor: Auth, path: str = "/editor/stories/new", **fields: str) -> object:
    """Submit the story form as the editor's browser would, confirming a publish or
    unpublish as its question's button does (pass confirmed="" to be asked instead)."""
    fields.setdefault("confirmed", fields.get("action", "publish"))
    data = story_form(editor.client.application, **fields)
    data["csrf_token"] = editor.token("/editor/stories/new")
    return editor.client.post(path, data=data)


def story_page_text(editor: Auth, **fields: str) -> str:
    """Post the story form (see post_story) and return the page it answers with (a 200)."""
    response: Any = post_story(editor, **fields)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def front_page_titles(client: FlaskClient) -> list[str]:
    """The titles on the front page."""
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'class="story-card__title"><a [^>]*>([^<]+)</a>', html)


# ------------------------------------------------------------------ access


def test_every_editor_route_sends_anonymous_visitors_to_sign_in(demo_client: FlaskClient) -> None:
    """Anonymous GETs of any editor page redirect to sign-in and back."""
    for rule, method in editor_rules(demo_client.application):
        if method != "GET":
            continue
        response = demo_client.get(path_for(rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/login?next=/editor"), rule.rule


def test_every_editor_route_refuses_readers(auth: Auth, member: str) -> None:
    """A signed-in reader gets 403 from every editor route, GET or POST."""
    auth.sign_in(member)
    token = auth.token("/account")
    for rule, method in editor_rules(auth.client.application):
        response = auth.client.open(path_for(rule), method=method, data={"csrf_token": token})
        assert response.status_code == 403, (rule.rule, method)
        assert "The newsroom is for editors" in response.get_data(as_text=True)


def test_user_admin_is_for_admins_only(editor: Auth) -> None:
    """Editors can run the newsroom but not change roles."""
    assert editor.client.get("/editor").status_code == 200
    assert editor.client.get("/editor/users").status_code == 403
    response = editor.client.post(
        "/editor/users/1/role", data={"csrf_token": editor.token("/editor"), "role": "admin"}
    )
    assert response.status_code == 403


def test_demoted_editor_loses_access_on_the_next_request(
    editor: Auth, admin: Auth, demo_app: Flask
) -> None:
    """An admin's demotion takes effect on the editor's very next request."""
    with demo_app.app_context():
        editor_id = db.session.scalars(
            select(User.id).where(User.email == "editor@example.com")
        ).one()
    response = admin.client.post(
        f"/editor/users/{editor_id}/role",
        data={"csrf_token": admin.token("/editor/users"), "role": "reader"},
    )
    assert response.status_code == 303
    assert editor.client.get("/editor").status_code == 403


def test_last_admin_cannot_be_demoted(admin: Auth, demo_app: Flask) -> None:
    """The only admin cannot take away their own (or the last) admin role."""
    with demo_app.app_context():
        admin_id = db.session.scalars(
            select(User.id).where(User.email == "admin@example.com")
        ).one()
    response = admin.client.post(
        f"/editor/users/{admin_id}/role",
        data={"csrf_token": admin.token("/editor/users"), "role": "editor"},
    )
    assert response.status_code == 303
    page = admin.client.get("/editor/users").get_data(as_text=True)
    assert "is the last admin" in page
    with demo_app.app_context():
        assert db.session.get(User, admin_id).role == Role.ADMIN  # type: ignore[union-attr]


# ------------------------------------------------------------------ stories


def test_draft_stays_off_the_front_page_until_published(editor: Auth, demo_app: Flask) -> None:
    """Save a draft (hidden), then publish it: on the front page, takes in panel order."""
    response = post_story(editor, action="draft")
    assert response.status_code == 303  # type: ignore[attr-defined]
    edit_url = response.headers["Location"]  # type: ignore[attr-defined]
    reader = demo_app.test_client()
    assert "Anthropic opens a Paris office" not in front_page_titles(reader)
    assert reader.get("/news/anthropic-opens-a-paris-office").status_code == 404
    assert post_story(editor, edit_url, action="publish").status_code == 303  # type: ignore[attr-defined]
    assert front_page_titles(reader)[0] == "Anthropic opens a Paris office"
    html = reader.get("/news/anthropic-opens-a-paris-office").get_data(as_text=True)
    names = re.findall(r'class="take__name" [^>]*><a [^>]*>([^<]+)</a>', html)
    assert names == ["The Founder", "The Skeptic", "The Futurist", "The Builder"]
    assert "<strong>Monday</strong>" in html


def test_future_date_keeps_a_published_story_hidden(editor: Auth, demo_app: Flask) -> None:
    """A story published with a future date is scheduled: hidden until its day."""
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    post_story(editor, published_at=tomorrow)
    reader = demo_app.test_client()
    assert reader.get("/news/anthropic-opens-a-paris-office").status_code == 404
    dashboard = editor.client.get("/editor?tab=scheduled").get_data(as_text=True)
    assert "Anthropic opens a Paris office" in dashboard
    assert "Scheduled for" in dashboard


def test_unpublish_takes_a_story_down(editor: Auth, demo_app: Flask) -> None:
    """Unpublishing returns the story to drafts and off the site."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="unpublish")
    assert demo_app.test_client().get("/news/anthropic-opens-a-paris-office").status_code == 404


def test_empty_take_field_means_no_take(editor: Auth, demo_app: Flask) -> None:
    """Clearing a persona's field removes its take; the others stay."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="save", **{take_body(SKEPTIC): "   "})
    html = demo_app.test_client().get("/news/anthropic-opens-a-paris-office").get_data(as_text=True)
    names = re.findall(r'class="take__name" [^>]*><a [^>]*>([^<]+)</a>', html)
    assert names == ["The Founder", "The Futurist", "The Builder"]


def test_new_tool_created_inline(editor: Auth, demo_app: Flask) -> None:
    """Naming a new tool on the story form creates it along with the story."""
    response = post_story(
        editor, tool="", new_tool_name="Lumen Labs", new_tool_website="https://lumen.example"
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert demo_app.test_client().get("/tools/lumen-labs").status_code == 200


def side_of(history: str, side: str) -> str:
    """The text of a history page as it was `before` or `after` its edits: a word-level
    change keeps the other side's words in <ins> or <del>, dropped here with the tags."""
    other = "ins" if side == "before" else "del"
    text = re.sub(rf"<{other}>.*?</{other}>", "", history, flags=re.DOTALL)
    text = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", text)
    return unescape(re.sub(r"<[^>]+>", "", text))


def test_edit_is_recorded_field_by_field(editor: Auth) -> None:
    """Changing the dek records who changed it, when, and the old and new text."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="save", dek="A sharper dek about the Paris office.")
    history_url = edit_url.removesuffix("/edit") + "/history"
    html = editor.client.get(history_url).get_data(as_text=True)
    assert "Eddie Editor edited it" in html
    assert "Eddie Editor created it" in html
    changes = html.split("edited it", 1)[1].split("</dl>", 1)[0]
    assert "<dt>Dek</dt>" in changes
    assert "public-sector customers" in side_of(changes, "before")
    assert "A sharper dek about the Paris office." in side_of(changes, "after")
    assert "<dt>Title</dt>" not in changes


def test_delete_story_after_confirmation(editor: Auth, demo_app: Flask, member: str) -> None:
    """GET shows a confirmation; POST deletes the story and members' bookmarks of it."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    story_id = edit_url.split("/")[3]
    with demo_app.app_context():
        user = db.session.scalars(select(User).where(User.email == "editor@example.com")).one()
        db.session.add(Bookmark(user_id=user.id, story_id=int(story_id)))
        db.session.commit()
    page = editor.client.get(f"/editor/stories/{story_id}/delete").get_data(as_text=True)
    assert "Delete the story" in page
    before = story_count(demo_app)
    response = editor.client.post(
        f"/editor/stories/{story_id}/delete", data={"csrf_token": editor.token("/editor")}
    )
    assert response.status_code == 303
    assert story_count(demo_app) == before - 1
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(Bookmark.id))) == 0


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_url": "javascript:alert(1)"}, "starting with https://"),
        ({"source_url": "ftp://files.example/x"}, "starting with https://"),
        ({"source_url": "data:text/html,hi"}, "starting with https://"),
        ({"published_at": "2026-02-30"}, "Not a valid date"),
        ({"published_at": "yesterday"}, "Not a valid date"),
        (
            {"slug": "general-atlantic-leads-1-1b-series-c-in-mistral-ai-at-8b-valuation"},
            "Another story already uses",
        ),
        ({"slug": "Not A Slug!"}, "lowercase letters"),
        ({"title": "T" * 201}, "longer than 200"),
        ({"title": ""}, "Every story needs a title."),
        ({"dek": "Escape\x1bbyte"}, "characters we cannot accept"),
        ({"title": "Bell\x07"}, "characters we cannot accept"),
        ({"category": "nope"}, "Not a valid choice"),
        ({"tool": "", "new_tool_name": ""}, "Pick the tool"),
        (
            {"tool": "", "new_tool_name": "Mistral AI", "new_tool_website": "https://mistral.ai"},
            "We already cover Mistral AI",
        ),
        ({"tool": "", "new_tool_name": "Lumen"}, "Give the new tool&#39;s website."),
        (
            {"tool": "", "new_tool_name": "Lumen", "new_tool_website": "javascript:x"},
            "starting with https://",
        ),
    ],
)
def test_story_validation_keeps_everything_typed(
    editor: Auth, demo_app: Flask, fields: dict[str, str], message: str
) -> None:
    """Each rule answers 422 with its message beside the field, keeps the input, writes nothing."""
    before = story_count(demo_app)
    response = post_story(editor, **fields)
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in html
    assert 'class="field-error"' in html
    assert "The lab&#39;s first office in France" in html or "Escape" in html
    assert "The Skeptic thinks about Paris." in html
    assert story_count(demo_app) == before


def test_oversized_request_is_a_friendly_413(editor: Auth, demo_app: Flask) -> None:
    """A body over the request size limit gets the 413 page and writes nothing."""
    before = story_count(demo_app)
    response = post_story(editor, body="x" * (2 * 1024 * 1024))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "That is more than we can take" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert story_count(demo_app) == before


# ------------------------------------------------------------------ escaping

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'


def test_xss_in_every_story_field_comes_out_inert(editor: Auth, demo_app: Flask) -> None:
    """Script payloads typed into any field are escaped or sanitized wherever they show."""
    fields = {
        "title": "Title " + XSS,
        "slug": "xss-story",
        "dek": "Dek " + XSS,
        "body": "Body " + XSS + "\n\n[link](javascript:alert(1)) <a href='x' hx-get='/x'>a</a>",
    }
    for seat in range(len(personas(demo_app))):
        fields[take_body(seat)] = f"Take {XSS}"
    edit_url = post_story(editor, **fields).headers["Location"]  # type: ignore[attr-defined]
    reader = demo_app.test_client()
    pages = [
        reader.get("/news/xss-story"),
        reader.get("/"),
        reader.get("/panel/the-skeptic"),
        reader.get("/tools/anthropic"),
        reader.get("/news/xss-story/takes/the-skeptic?expanded=1", headers=htmx()),
        editor.client.get("/editor"),
        editor.client.get(edit_url),
        editor.client.get(edit_url.removesuffix("/edit") + "/history"),
        editor.client.post(
            "/editor/preview",
            data={"body": fields["body"]},
            headers={**htmx(), "X-CSRFToken": editor.token("/editor")},
        ),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert '<script>alert("x")</script>' not in html
        assert "<img src=x onerror" not in html
        assert "javascript:alert" not in html.replace("[link](javascript:alert(1))", "")
        assert [found for found in unsafe_markup(html) if "hx-" in found and "/x" in found] == []


def test_preview_renders_sanitized_markdown_as_a_fragment(editor: Auth) -> None:
    """The live preview is the form's `preview` block: rendered, sanitized, inert to htmx."""
    response = editor.client.post(
        "/editor/preview",
        data={"body": "## Hello\n\n<script>bad()</script> **bold**"},
        headers={**htmx(), "X-CSRFToken": editor.token("/editor")},
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert '<div class="prose" data-hx-disable><h3>Hello</h3>' in html
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_dashboard_search_as_you_type(editor: Auth) -> None:
    """The title search narrows the story table; htmx gets the `stories` block."""
    response = editor.client.get("/editor?q=cerebras", headers=htmx())
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="stories">')
    titles = re.findall(r'<td><a href="/editor/stories/\d+/edit">([^<]+)</a></td>', html)
    assert titles
    assert all("cerebras" in title.lower() for title in titles)
    none = editor.client.get("/editor?q=%25%25_nothing", headers=htmx()).get_data(as_text=True)
    assert "No stories with" in none


def test_dashboard_pages_with_more_stories(editor: Auth) -> None:
    """ "More stories" appends the next rows by keyset; 18 demo stories over pages of 5."""
    seen: list[str] = []
    html = editor.client.get("/editor").get_data(as_text=True)
    while True:
        seen += re.findall(r'<td><a href="/editor/stories/(\d+)/edit">', html)
        match = re.search(r'class="button" href="([^"]+)"[^>]*>More stories', html)
        if not match:
            break
        html = editor.client.get(match.group(1).replace("&amp;", "&"), headers=htmx()).get_data(
            as_text=True
        )
        assert "<html" not in html
    assert len(seen) == len(set(seen)) == 18


# ------------------------------------------------------------------ tools, personas, categories


def tool_form(app: Flask, **fields: str) -> dict[str, str]:
    """A valid tool form with ship verdicts from every persona."""
    data = {
        "name": "Lumen Labs",
        "slug": "",
        "tagline": "Small models for phones.",
        "description": "A lab in Lisbon.",
        "website": "https://lumen.example",
        "category": "model",
        "pricing": "Free",
        "published_at": "y",
    }
    for seat, persona in enumerate(personas(app)):
        data[f"verdicts-{seat}-persona_id"] = str(persona.id)
        data[f"verdicts-{seat}-ship"] = "ship"
        data[f"verdicts-{seat}-body"] = f"{persona.name} likes it."
    data.update(fields)
    return data


def test_tool_with_verdicts_shows_on_its_page(editor: Auth, demo_app: Flask) -> None:
    """A new tool with four ship verdicts shows a 100% panel ship."""
    data = tool_form(demo_app, csrf_token=editor.token("/editor/tools/new"))
    assert editor.client.post("/editor/tools/new", data=data).status_code == 303
    html = demo_app.test_client().get("/tools/lumen-labs").get_data(as_text=True)
    assert '<span class="ship-share__figure">100%</span>' in html


def test_verdict_needs_its_take(editor: Auth, demo_app: Flask) -> None:
    """A ship or skip call without a take is refused beside the take field."""
    data = tool_form(
        demo_app, csrf_token=editor.token("/editor/tools/new"), **{f"verdicts-{SKEPTIC}-body": ""}
    )
    response = editor.client.post("/editor/tools/new", data=data)
    assert response.status_code == 422
    assert "A ship or skip call needs its take." in response.get_data(as_text=True)


def test_tool_with_stories_cannot_be_deleted(editor: Auth, demo_app: Flask) -> None:
    """Deleting a tool that has stories is refused with a clear message; nothing changes."""
    response = editor.client.post(
        "/editor/tools/mistral-ai/delete", data={"csrf_token": editor.token("/editor")}
    )
    assert response.status_code == 409
    assert "Move them to another tool or delete them first." in response.get_data(as_text=True)
    assert demo_app.test_client().get("/tools/mistral-ai").status_code == 200


def test_persona_edit_is_recorded_and_delete_refused(editor: Auth, demo_app: Flask) -> None:
    """Editing a persona records the change; deleting one with takes is refused."""
    page = editor.client.get("/editor/personas/the-skeptic/edit").get_data(as_text=True)
    data = dict(re.findall(r'name="(\w+)" type="(?:text|number|hidden)" value="([^"]*)"', page))
    data.update(
        csrf_token=editor.token("/editor"),
        lens="Reality Check",
        profile="Reads the fine print.",
        excited_by="Shipping dates\nPrices",
        tired_of="Demos",
        position="2",
        name="The Skeptic",
        slug="the-skeptic",
    )
    assert editor.client.post("/editor/personas/the-skeptic/edit", data=data).status_code == 303
    history = editor.client.get("/editor/personas/the-skeptic/history").get_data(as_text=True)
    assert "<dt>Profile</dt>" in history
    assert "Reads the fine print." in side_of(history, "after")
    html = demo_app.test_client().get("/panel/the-skeptic").get_data(as_text=True)
    assert "<li>Shipping dates</li><li>Prices</li>" in html
    refused = editor.client.post(
        "/editor/personas/the-skeptic/delete", data={"csrf_token": editor.token("/editor")}
    )
    assert refused.status_code == 409


def test_category_in_use_cannot_be_deleted_but_a_new_one_can(editor: Auth, demo_app: Flask) -> None:
    """A category used by stories stays; an unused one can be created and deleted."""
    token = editor.token("/editor")
    assert (
        editor.client.post(
            "/editor/categories/funding/delete", data={"csrf_token": token}
        ).status_code
        == 409
    )
    created = editor.client.post(
        "/editor/categories/new", data={"csrf_token": token, "name": "Chips & Data Centers"}
    )
    assert created.status_code == 303
    assert demo_app.test_client().get("/?category=chips-data-centers").status_code == 200
    deleted = editor.client.post(
        "/editor/categories/chips-data-centers/delete", data={"csrf_token": token}
    )
    assert deleted.status_code == 303
    assert demo_app.test_client().get("/?category=chips-data-centers").status_code == 404


def test_every_save_writes_one_revision(editor: Auth, demo_app: Flask) -> None:
    """Creating and then editing a story leaves exactly two revisions of it."""
    edit_url = post_story(editor).headers["Location"]  # type: ignore[attr-defined]
    post_story(editor, edit_url, action="save", title="Anthropic opens its Paris office")
    post_story(editor, edit_url, action="save", title="Anthropic opens its Paris office")
    with demo_app.app_context():
        assert db.session.scalar(select(func.count(Revision.id))) == 2
        tool = db.session.scalars(select(Tool).where(Tool.slug == "anthropic")).one()
        assert tool.name == "Anthropic"


def test_crlf_from_textareas_is_not_a_change(editor: Auth, demo_app: Flask) -> None:
    """Browsers send CRLF in textareas: saving unchanged text records no change to it."""
    two_paragraphs = "First paragraph.\r\n\r\nSecond paragraph."
    edit_url = post_story(
        editor, body=two_paragraphs, **{take_body(SKEPTIC): two_paragraphs}
    ).headers["Location"]  # type: ignore[attr-defined]
    post_story(
        editor,
        edit_url,
        action="save",
        body=two_paragraphs,
        dek="Only the dek changes.",
        **{take_body(SKEPTIC): two_paragraphs},
    )
    with demo_app.app_context():
        newest = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
        assert newest is not None
        assert list(newest.changes) == ["Dek"]
        story = db.session.scalars(select(Story).where(Story.id == newest.item_id)).one()
        assert "\r" not in story.body


# ------------------------------------------------------------------ forms fill and read models


class SubmittedValues(HTMLParser):
    """What a browser submits from a page's forms: each field's current value, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Take an input's value, a selected option, or open a select or textarea."""
        attr = {name: value or "" for name, value in attrs}
        unchecked = attr.get("type") in ("radio", "checkbox") and "checked" not in attr
        if tag == "input" and attr.get("type") not in ("submit", "search") and "name" in attr:
            if not unchecked:
                self.values.append((attr["name"], attr.get("value", "")))
        elif tag == "select":
            self.select = attr.get("name")
        elif tag == "option" and self.select and "selected" in attr:
            self.values.append((self.select, attr.get("value", "")))
        elif tag == "textarea":
            self.textarea = (attr["name"], [])

    def handle_data(self, data: str) -> None:
        """Collect a textarea's text."""
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close a select or a textarea (whose leading newline a browser drops)."""
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.values.append((name, "".join(text).removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None


def submitted(html: str) -> dict[str, str]:
    """The fields a browser would send from `html`'s forms, as they stand."""
    parser = SubmittedValues()
    parser.feed(html)
    return dict(parser.values)


def revision_count(app: Flask) -> int:
    """How many revisions are recorded."""
    with app.app_context():
        return db.session.scalar(select(func.count(Revision.id))) or 0


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        (
            "/editor/stories/1/edit",
            {"action": "save"},
        ),
        ("/editor/tools/mistral-ai/edit", {}),
        ("/editor/personas/the-skeptic/edit", {}),
        ("/editor/categories/funding/edit", {}),
    ],
)
def test_an_edit_page_sent_back_unchanged_changes_nothing(
    editor: Auth, demo_app: Flask, path: str, extra: dict[str, str]
) -> None:
    """Every field shows the stored value (dates, menus, lists, takes and verdicts), so
    saving the page as it stands changes nothing but surrounding whitespace (the demo's
    texts may end in a newline a save trims), and saving it again records no change."""
    for _save in range(2):
        page = editor.client.get(path)
        assert page.status_code == 200
        before = revision_count(demo_app)
        data = {**submitted(page.get_data(as_text=True)), **extra}
        response = editor.client.post(path, data=data)
        assert response.status_code == 303, response.get_data(as_text=True)
        with demo_app.app_context():
            added = db.session.scalars(select(Revision).where(Revision.id > before)).all()
            for old, new in (change for r in added for change in r.changes.values()):
                assert str(old).strip() == str(new).strip()
    assert revision_count(demo_app) == before


def test_edit_pages_show_the_panel_in_order_with_what_each_said(
    editor: Auth, demo_app: Flask
) -> None:
    """A story's take fields and a tool's verdict fields come one per persona, in panel order,
    each labelled with its persona and holding that persona's stored take or call."""
    panel = personas(demo_app)
    with demo_app.app_context():
        stored_takes = select(Take.persona_id, Take.body).where(Take.story_id == 1)
        takes = dict(db.session.execute(stored_takes).all())
        tool = db.session.scalars(select(Tool).where(Tool.slug == "mistral-ai")).one()
        stored_calls = select(Verdict.persona_id, Verdict.ship).where(Verdict.tool_id == tool.id)
        calls = dict(db.session.execute(stored_calls).all())
    story_page = editor.client.get("/editor/stories/1/edit").get_data(as_text=True)
    tool_page = editor.client.get("/editor/tools/mistral-ai/edit").get_data(as_text=True)
    story_values, tool_values = submitted(story_page), submitted(tool_page)
    assert takes
    assert calls
    for seat, persona in enumerate(panel):
        label = f"{escape(persona.name)}: {escape(persona.lens)}"
        assert f'<label for="takes-{seat}-body">{label}</label>' in story_page
        assert story_values[f"takes-{seat}-persona_id"] == str(persona.id)
        assert story_values[take_body(seat)] == takes.get(persona.id, "").strip()
        call_label = f'<label for="verdicts-{seat}-ship">{escape(persona.name)}&#39;s call'
        assert call_label in tool_page
        call = {True: "ship", False: "skip", None: ""}[calls.get(persona.id)]
        assert tool_values[f"verdicts-{seat}-ship"] == call


def test_takes_are_matched_to_personas_by_id_not_by_position(editor: Auth, demo_app: Flask) -> None:
    """Entries posted in another order still go to the persona each names; an entry naming
    no panelist is dropped."""
    panel = personas(demo_app)
    fields = {
        key: value for key, value in story_form(demo_app).items() if not key.startswith("takes-")
    }
    for seat, persona in enumerate(reversed(panel)):
        fields[f"takes-{seat}-persona_id"] = str(persona.id)
        fields[take_body(seat)] = f"Signed {persona.name}."
    fields["takes-9-persona_id"] = "999999"
    fields[take_body(9)] = "Nobody on the panel wrote this."
    response = post_story(editor, **fields)
    assert response.status_code == 303  # type: ignore[attr-defined]
    html = demo_app.test_client().get("/news/anthropic-opens-a-paris-office").get_data(as_text=True)
    for persona in panel:
        card = html.split(f'id="take-{persona.slug}"', 1)[1].split("</article>", 1)[0]
        assert f"Signed {persona.name}." in card
    assert "Nobody on the panel" not in html


def test_take_and_verdict_fields_follow_the_base_form_rules(editor: Auth, demo_app: Flask) -> None:
    """Sub-forms refuse control characters like any field, and carry no CSRF token of their
    own: the page has one token, and a take with an escape byte is refused beside it."""
    page = editor.client.get("/editor/stories/new").get_data(as_text=True)
    form = page.split('class="stacked story-form"', 1)[1].split("</form>", 1)[0]
    assert form.count('name="csrf_token"') == 1
    persona_ids = re.findall(r'name="takes-\d+-persona_id" type="hidden" value="(\d+)"', form)
    assert persona_ids == [str(persona.id) for persona in personas(demo_app)]
    before = story_count(demo_app)
    response = post_story(editor, **{take_body(SKEPTIC): "Escape\x1bbyte"})
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert f'id="{take_body(SKEPTIC)}-error">This contains characters we cannot accept.' in html
    assert story_count(demo_app) == before
    verdict = tool_form(
        demo_app,
        csrf_token=editor.token("/editor/tools/new"),
        **{f"verdicts-{SKEPTIC}-body": "Bell\x07"},
    )
    refused = editor.client.post("/editor/tools/new", data=verdict)
    assert refused.status_code == 422
    assert "This contains characters we cannot accept." in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "fields", "messages"),
    [
        (
            "/editor/categories/new",
            {"name": "Funding"},
            ["Another category already has this name.", "Another category already uses"],
        ),
        (
            "/editor/personas/new",
            {"name": "The Skeptic", "lens": "Doubt", "position": "9"},
            ["Another persona already has this name.", "Another persona already uses"],
        ),
        (
            "/editor/tools/new",
            {
                "name": "Mistral AI",
                "tagline": "Open models.",
                "website": "https://m.example",
                "category": "model",
            },
            ["Another tool already uses the slug “mistral-ai”."],
        ),
    ],
)
def test_names_and_slugs_are_checked_against_the_others(
    editor: Auth, path: str, fields: dict[str, str], messages: list[str]
) -> None:
    """A blank slug is made from the name, and a name or slug another item has is refused."""
    data = {**fields, "csrf_token": editor.token("/editor")}
    response = editor.client.post(path, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in messages:
        assert message in html


def test_a_new_persona_takes_the_next_seat_and_lists_its_lines(
    editor: Auth, demo_app: Flask
) -> None:
    """The new-persona form offers the seat after the last; "one per line" becomes a list."""
    page = editor.client.get("/editor/personas/new").get_data(as_text=True)
    assert submitted(page)["position"] == str(len(personas(demo_app)) + 1)
    data = {
        **submitted(page),
        "name": "The Economist",
        "lens": "Money",
        "excited_by": "  Margins \r\n\r\nUnit costs",
    }
    assert editor.client.post("/editor/personas/new", data=data).status_code == 303
    html = demo_app.test_client().get("/panel/the-economist").get_data(as_text=True)
    assert "<li>Margins</li><li>Unit costs</li>" in html
