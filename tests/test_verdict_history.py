"""Verdict history: a changed call is recorded with the save and shows on every surface."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsweb.extensions import db
from newsweb.models import Persona, Tool, User, Verdict, VerdictChange
from tests.conftest import Auth, htmx

ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "Capacity complaints stopped for a full quarter; moving to ship."


def tool_form(app: Flask, slug: str, **changes: str) -> dict[str, str]:
    """The tool's edit form as stored, with `changes` (by field name) applied."""
    with app.app_context():
        tool = db.session.scalars(
            select(Tool).options(joinedload(Tool.category)).where(Tool.slug == slug)
        ).one()
        panel = list(db.session.scalars(select(Persona).order_by(*Persona.panel_order())))
        verdicts = {
            v.persona_id: v
            for v in db.session.scalars(select(Verdict).where(Verdict.tool_id == tool.id))
        }
        data = {
            "name": tool.name,
            "slug": tool.slug,
            "tagline": tool.tagline,
            "description": tool.description,
            "website": tool.website,
            "category": tool.category.slug,
            "pricing": tool.pricing,
        }
        if tool.published_at is not None:
            data["published_at"] = "y"  # the "On the site now" box, ticked
        for seat, persona in enumerate(panel):
            verdict = verdicts.get(persona.id)
            data[f"verdicts-{seat}-persona_id"] = str(persona.id)
            data[f"verdicts-{seat}-ship"] = ("ship" if verdict.ship else "skip") if verdict else ""
            data[f"verdicts-{seat}-body"] = verdict.body if verdict else ""
    data.update(changes)
    return data


def changes_on(app: Flask, slug: str) -> list[VerdictChange]:
    """The verdict changes recorded on a tool, oldest first."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(VerdictChange)
                .join(VerdictChange.tool)
                .where(Tool.slug == slug)
                .order_by(VerdictChange.changed_at, VerdictChange.id)
            )
        )


def titles(app: Flask, path: str) -> list[str]:
    """The entry titles of the Atom feed at `path`."""
    response = app.test_client().get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.data)  # noqa: S314 - our own output, under test
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.findall(f"{ATOM}entry")]


# The Skeptic sits second on the demo panel and calls Anthropic a skip.
SKEPTIC = 1


def save_skeptic_on_anthropic(app: Flask, editor: Auth, **fields: str) -> int:
    """Post Anthropic's form with the Skeptic's verdict fields changed; the status code."""
    changes = {f"verdicts-{SKEPTIC}-{name}": value for name, value in fields.items()}
    data = tool_form(app, "anthropic", csrf_token=editor.token("/editor"), **changes)
    return editor.client.post("/editor/tools/anthropic/edit", data=data).status_code


def test_a_flip_is_recorded_and_shows_everywhere(editor: Auth, demo_app: Flask) -> None:
    """An editor flips the Skeptic to ship: the change is stored with its note and editor,
    and the tool page, the persona page and all three feeds show it."""
    before = len(changes_on(demo_app, "anthropic"))
    assert save_skeptic_on_anthropic(demo_app, editor, ship="ship", change_note=NOTE) == 303

    recorded = changes_on(demo_app, "anthropic")
    assert len(recorded) == before + 1
    flip = recorded[-1]
    assert (flip.from_ship, flip.to_ship, flip.reason) == (False, True, NOTE)
    with demo_app.app_context():
        editor_row = db.session.get(User, flip.editor_id)
        assert editor_row is not None
        assert editor_row.email == "editor@example.com"

    reader = demo_app.test_client()
    tool_page = reader.get("/tools/anthropic").get_data(as_text=True)
    timeline = tool_page.split('id="verdict-history"')[1].split("</section>")[0]
    assert f'id="verdict-change-{flip.id}"' in timeline
    assert NOTE in timeline
    persona_page = reader.get("/panel/the-skeptic").get_data(as_text=True)
    flips = persona_page.split('id="flips"')[1].split("</section>")[0]
    assert "Anthropic" in flips
    assert NOTE in flips
    title = "The Skeptic on Anthropic: Skip → Ship"
    for feed in (
        "/feeds/verdicts.atom",
        "/feeds/tools/anthropic/verdicts.atom",
        "/feeds/panel/the-skeptic/verdicts.atom",
    ):
        assert titles(demo_app, feed)[0] == title, feed
    assert title not in titles(demo_app, "/feeds/panel/the-founder/verdicts.atom")


def test_editing_a_take_under_the_same_call_is_no_change(editor: Auth, demo_app: Flask) -> None:
    """Rewording a take without changing the call records no verdict change."""
    before = len(changes_on(demo_app, "anthropic"))
    assert save_skeptic_on_anthropic(demo_app, editor, body="Still a skip, shorter.") == 303
    assert len(changes_on(demo_app, "anthropic")) == before


def test_first_call_and_withdrawal_are_recorded(editor: Auth, demo_app: Flask) -> None:
    """A new tool's verdicts are first calls; clearing a call records its withdrawal, with
    the take as the reason when no note is given."""
    data = tool_form(demo_app, "anthropic", csrf_token=editor.token("/editor"))
    data.update(name="Lumen Labs", slug="lumen-labs", website="https://lumen.example")
    assert editor.client.post("/editor/tools/new", data=data).status_code == 303
    first = changes_on(demo_app, "lumen-labs")
    assert [c.from_ship for c in first] == [None] * 4
    assert all(c.reason for c in first)

    data = tool_form(
        demo_app, "lumen-labs", csrf_token=editor.token("/editor"), **{"verdicts-0-ship": ""}
    )
    assert editor.client.post("/editor/tools/lumen-labs/edit", data=data).status_code == 303
    withdrawn = changes_on(demo_app, "lumen-labs")[-1]
    assert (withdrawn.from_ship, withdrawn.to_ship) == (True, None)
    page = demo_app.test_client().get("/tools/lumen-labs").get_data(as_text=True)
    assert "No call" in page


def test_a_refused_form_records_nothing(editor: Auth, demo_app: Flask) -> None:
    """A save refused for a missing take writes no change: it is one transaction."""
    before = len(changes_on(demo_app, "anthropic"))
    assert save_skeptic_on_anthropic(demo_app, editor, ship="ship", body="") == 422
    assert len(changes_on(demo_app, "anthropic")) == before


def test_demo_history_has_flips_with_dates(demo_app: Flask) -> None:
    """The demo newsroom has a few dated flips, each after the first call it replaced."""
    with demo_app.app_context():
        rows = list(db.session.scalars(select(VerdictChange)))
    flips = [row for row in rows if row.is_flip]
    assert len(flips) >= 4
    firsts = {(r.tool_id, r.persona_id): r.changed_at for r in rows if r.from_ship is None}
    assert all(flip.changed_at > firsts[(flip.tool_id, flip.persona_id)] for flip in flips)


def test_unknown_slugs_have_no_verdict_feed(demo_app: Flask) -> None:
    """A verdict feed for a tool or panelist that does not exist is a 404."""
    client = demo_app.test_client()
    assert client.get("/feeds/tools/no-such-tool/verdicts.atom").status_code == 404
    assert client.get("/feeds/panel/nobody/verdicts.atom").status_code == 404


def test_bookmarked_tool_says_its_verdict_changed_since_saved(
    editor: Auth, demo_app: Flask, member: str
) -> None:
    """A member who saved Anthropic sees no note until a panelist's call on it changes;
    then /bookmarks and the sidebar both say so, and only for that tool."""
    reader = Auth(demo_app.test_client())
    reader.sign_in(member)
    for tool in ("anthropic", "openai"):
        saved = reader.client.post(
            f"/bookmarks/tools/{tool}", data={"csrf_token": reader.token("/bookmarks")}
        )
        assert saved.status_code == 303
    note = "Verdict changed since you saved"
    assert note not in reader.client.get("/bookmarks").get_data(as_text=True)

    assert save_skeptic_on_anthropic(demo_app, editor, ship="ship", change_note=NOTE) == 303

    page = reader.client.get("/bookmarks").get_data(as_text=True)
    assert page.count(note) == 1
    assert "/tools/anthropic#verdict-history" in page
    sidebar = reader.client.get("/bookmarks/sidebar", headers=htmx()).get_data(as_text=True)
    assert sidebar.count(note) == 1
