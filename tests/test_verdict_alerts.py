"""Verdict alerts: a member opts in on /bookmarks, and `flask bookmarks alerts` emails the
changes on tools they saved, once each. Mail goes to a real SMTP server (tests/mailsink.py)."""

from __future__ import annotations

from email.message import EmailMessage

from flask import Flask
from sqlalchemy import func, select, update

from newsweb.extensions import db
from newsweb.models import User, VerdictAlertSend
from tests.conftest import Auth, create_user, htmx, signed_in
from tests.mailsink import SinkServer
from tests.test_verdict_history import save_skeptic_on_anthropic

OPT_IN = "Email me when the panel\N{RIGHT SINGLE QUOTATION MARK}s verdict on a tool I saved changes"


def reader(app: Flask, email: str, *, verified: bool = True) -> Auth:
    """A signed-in member, with a verified address unless told otherwise."""
    user_id = create_user(app, email)
    with app.app_context():
        db.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(email_verified_at=func.now() if verified else None)
        )
        db.session.commit()
    auth = Auth(app.test_client())
    assert auth.sign_in(email).status_code == 303
    return auth


def save_tool(member: Auth, slug: str) -> None:
    """Bookmark a tool."""
    token = member.token("/bookmarks")
    assert (
        member.client.post(f"/bookmarks/tools/{slug}", data={"csrf_token": token}).status_code
        == 303
    )


def opt_in(member: Auth, *, on: bool = True) -> None:
    """Switch verdict alerts on (or off) with the form on /bookmarks."""
    data = {"csrf_token": member.token("/bookmarks")}
    if on:
        data["verdict_alerts"] = "y"
    assert member.client.post("/bookmarks/alerts", data=data).status_code == 303


def flip_skeptic_on_anthropic(app: Flask) -> None:
    """An editor moves the Skeptic's call on Anthropic from skip to ship."""
    editor = signed_in(app, "editor@example.com", role="editor", name="Eddie Editor")
    assert save_skeptic_on_anthropic(app, editor, ship="ship", change_note="Capacity held.") == 303


def run_alerts(app: Flask) -> str:
    """Run `flask bookmarks alerts`; its output."""
    result = app.test_cli_runner().invoke(args=["bookmarks", "alerts"])
    assert result.exit_code == 0, result.output
    return result.output


def text_of(message: EmailMessage) -> str:
    """The plain-text body of a message."""
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_opt_in_form_works_with_and_without_htmx(mail_app: Flask) -> None:
    """The checkbox on /bookmarks switches alerts on and off, as a form or an htmx swap."""
    member = reader(mail_app, "mia@example.com")
    page = member.client.get("/bookmarks").get_data(as_text=True)
    assert OPT_IN in page
    opt_in(member)
    with mail_app.app_context():
        assert db.session.scalar(select(User.verdict_alerts).where(User.email == "mia@example.com"))
    swapped = member.client.post(
        "/bookmarks/alerts", data={"csrf_token": member.token("/bookmarks")}, headers=htmx()
    )
    html = swapped.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="verdict-alerts"' in html
    assert "Off." in html
    assert member.client.get("/bookmarks").get_data(as_text=True).count("checked") == 0


def test_alerts_go_once_to_opted_in_verified_members_who_saved_the_tool(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """Only a verified member who opted in and saved the tool before the change is emailed,
    once: a second run sends nothing."""
    keen = reader(mail_app, "keen@example.com")
    unverified = reader(mail_app, "unverified@example.com", verified=False)
    quiet = reader(mail_app, "quiet@example.com")
    elsewhere = reader(mail_app, "elsewhere@example.com")
    for member in (keen, unverified, quiet):
        save_tool(member, "anthropic")
    save_tool(elsewhere, "openai")
    for member in (keen, unverified, elsewhere):
        opt_in(member)

    assert run_alerts(mail_app) == "Verdict alerts: 0 sent, 0 failed.\n"
    flip_skeptic_on_anthropic(mail_app)
    assert run_alerts(mail_app) == "Verdict alerts: 1 sent, 0 failed.\n"

    messages = smtp_server.sink.to("keen@example.com")
    assert len(messages) == 1
    assert messages[0]["Subject"] == "newsweb: the panel changed its verdict on Anthropic"
    body = text_of(messages[0])
    assert "Anthropic: The Skeptic, Skip → Ship" in body
    assert "Capacity held." in body
    assert len(smtp_server.sink.messages) == 1
    assert run_alerts(mail_app) == "Verdict alerts: 0 sent, 0 failed.\n"
    with mail_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VerdictAlertSend)) == 1
