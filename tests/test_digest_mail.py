"""The weekly digest by email: opt-in, `flask digest send`, and one-click unsubscribe.

Mail goes to a real SMTP server (tests/mailsink.py) over real sockets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage

from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user
from markupsafe import escape
from sqlalchemy import func, select, update

from newsweb.digest.weeks import IsoWeek, this_week
from newsweb.extensions import db
from newsweb.models import DigestSend, Story, User
from newsweb.web import personal
from tests.conftest import Auth, create_user, csrf_token_in, htmx
from tests.mailsink import SinkServer, free_port

UNSUBSCRIBE = re.compile(r"<https?://[^/>]+(/digest/unsubscribe/[A-Za-z0-9._-]+)>")
SUBSCRIBE_BUTTON = "Email me this digest every week"
STOP_BUTTON = "Stop emailing me"


def member(app: Flask, email: str, *, verified: bool = True, subscribed: bool = True) -> int:
    """An account with the digest settings asked for; returns its id."""
    user_id = create_user(app, email)
    with app.app_context():
        values = {
            "digest_subscribed": subscribed,
            "email_verified_at": func.now() if verified else None,
        }
        db.session.execute(update(User).where(User.id == user_id).values(**values))
        db.session.commit()
    return user_id


def newest_week(app: Flask) -> IsoWeek:
    """The week of the newest story in the demo newsroom (a week that has ended)."""
    with app.app_context():
        newest = db.session.scalar(select(func.max(Story.published_at)).where(Story.visible()))
    assert newest is not None
    return IsoWeek.containing(newest)


def send(app: Flask, *args: str) -> tuple[int, str]:
    """Run `flask digest send ARGS`; returns the exit code and the output."""
    result = app.test_cli_runner().invoke(args=["digest", "send", *args])
    return result.exit_code, result.output


def sends_recorded(app: Flask, week: IsoWeek) -> int:
    """How many members are recorded as sent `week`'s digest."""
    with app.app_context():
        query = select(func.count()).select_from(DigestSend).where(DigestSend.week == str(week))
        return int(db.session.scalar(query) or 0)


def subscribed(app: Flask, user_id: int) -> bool:
    """Whether member `user_id` wants the digest."""
    with app.app_context():
        return bool(db.session.get(User, user_id).digest_subscribed)  # type: ignore[union-attr]


def unsubscribe_path(message: EmailMessage) -> str:
    """The path of the message's List-Unsubscribe URL."""
    found = UNSUBSCRIBE.fullmatch(str(message["List-Unsubscribe"]))
    assert found, message["List-Unsubscribe"]
    return found.group(1)


def test_only_verified_subscribers_get_the_digest(mail_app: Flask, smtp_server: SinkServer) -> None:
    """Subscribed and verified: one multipart message with RFC 8058 headers; no one else."""
    week = newest_week(mail_app)
    member(mail_app, "reader@example.com")
    member(mail_app, "unverified@example.com", verified=False)
    member(mail_app, "uninterested@example.com", subscribed=False)
    code, output = send(mail_app, "--week", str(week))
    assert code == 0, output
    assert f"{week}: 1 sent, 0 skipped (already sent), 0 failed." in output
    assert [r.recipients for r in smtp_server.sink.messages] == [["reader@example.com"]]
    (message,) = smtp_server.sink.to("reader@example.com")
    assert message.is_multipart()
    assert week.date_range in str(message["Subject"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(message)
    with mail_app.app_context():
        title = db.session.scalars(
            select(Story.title).where(Story.visible()).order_by(Story.published_at.desc())
        ).first()
    for kind, shown in (("plain", str(title)), ("html", str(escape(title)))):
        body = message.get_body((kind,))
        assert body is not None
        assert path in body.get_content()
        assert shown in body.get_content()


def test_a_rerun_sends_nothing_twice(mail_app: Flask, smtp_server: SinkServer) -> None:
    """Members already sent the week are skipped; a member who joined since gets it."""
    week = newest_week(mail_app)
    member(mail_app, "one@example.com")
    member(mail_app, "two@example.com")
    assert "2 sent, 0 skipped" in send(mail_app, "--week", str(week))[1]
    assert "0 sent, 2 skipped" in send(mail_app, "--week", str(week))[1]
    member(mail_app, "three@example.com")
    assert "1 sent, 2 skipped" in send(mail_app, "--week", str(week))[1]
    assert sorted(r.recipients[0] for r in smtp_server.sink.messages) == [
        "one@example.com",
        "three@example.com",
        "two@example.com",
    ]
    assert sends_recorded(mail_app, week) == 3


def test_after_a_failure_halfway_the_rerun_sends_exactly_the_rest(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """The server accepts three, then answers 451: the rerun sends the other four, once."""
    week = newest_week(mail_app)
    emails = [f"member{n}@example.com" for n in range(7)]
    for email in emails:
        member(mail_app, email)
    sink = smtp_server.sink
    accept = sink.handle_DATA

    async def accept_three(server: object, session: object, envelope: object) -> str:
        sink.refusing = len(sink.messages) >= 3
        return await accept(server, session, envelope)

    sink.handle_DATA = accept_three  # type: ignore[method-assign]
    code, output = send(mail_app, "--week", str(week), "--batch-size", "2")
    assert code == 1
    assert "3 sent, 0 skipped (already sent), 4 failed." in output
    assert sends_recorded(mail_app, week) == 3

    sink.handle_DATA = accept  # type: ignore[method-assign]
    sink.refusing = False
    code, output = send(mail_app, "--week", str(week), "--batch-size", "2")
    assert code == 0, output
    assert "4 sent, 3 skipped (already sent), 0 failed." in output
    assert sorted(r.recipients[0] for r in sink.messages) == sorted(emails)
    assert sends_recorded(mail_app, week) == 7


def test_with_no_server_nothing_is_recorded_and_a_rerun_sends_all(
    make_app: Callable[..., Flask], smtp_server: SinkServer, demo_newsroom: None
) -> None:
    """A server that cannot be reached fails every message; with it back, all go once."""
    down = make_app(MAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    week = newest_week(down)
    for n in range(3):
        member(down, f"member{n}@example.com")
    code, output = send(down, "--week", str(week))
    assert code == 1
    assert "0 sent, 0 skipped (already sent), 3 failed." in output
    up = make_app(MAIL_URL=smtp_server.url)
    assert "3 sent, 0 skipped" in send(up, "--week", str(week))[1]
    assert len(smtp_server.sink.messages) == 3


def test_one_connection_per_batch(mail_app: Flask, smtp_server: SinkServer) -> None:
    """Five members in batches of two: three SMTP connections."""
    week = newest_week(mail_app)
    for n in range(5):
        member(mail_app, f"member{n}@example.com")
    assert "5 sent" in send(mail_app, "--week", str(week), "--batch-size", "2")[1]
    assert smtp_server.sink.connections == 3
    assert len(smtp_server.sink.messages) == 5


def test_the_week_defaults_to_the_last_complete_one_and_is_checked(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """No --week: last week. A quiet week sends nothing. A malformed or unfinished week:
    a usage error."""
    member(mail_app, "reader@example.com")
    code, output = send(mail_app)
    assert code == 0, output
    assert output.startswith(f"{this_week().previous}: ")
    code, output = send(mail_app, "--week", "2026-W02")
    assert code == 0, output
    assert output == "2026-W02: nothing was published that week; no digest sent.\n"
    assert sends_recorded(mail_app, IsoWeek(2026, 2)) == 0
    for bad in ("2026-48", "2026-W54", str(this_week()), "9999-W01"):
        code, output = send(mail_app, "--week", bad)
        assert code == 2, bad
        assert "Invalid value for '--week'" in output


def test_one_click_unsubscribe_needs_no_session_and_no_csrf_token(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """A mail client's POST unsubscribes; a GET (a link scanner) only shows the button."""
    week = newest_week(mail_app)
    user_id = member(mail_app, "reader@example.com")
    send(mail_app, "--week", str(week))
    path = unsubscribe_path(smtp_server.sink.to("reader@example.com")[0])

    scanner = mail_app.test_client()
    page = scanner.get(path)
    assert page.status_code == 200
    assert f'action="{path}"' in page.get_data(as_text=True)
    assert page.cache_control.no_store
    assert subscribed(mail_app, user_id)

    mail_client = mail_app.test_client(use_cookies=False)
    response = mail_client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True)
    assert not subscribed(mail_app, user_id)
    # Again: still fine, still unsubscribed.
    assert mail_client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200

    for bad in (
        path[:-4],
        "/digest/unsubscribe/nonsense",
        path.replace("unsubscribe/", "unsubscribe/x"),
    ):
        assert mail_client.post(bad, data={"List-Unsubscribe": "One-Click"}).status_code == 400
        assert scanner.get(bad).status_code == 400


def opt_in(client: FlaskClient, page: str, *, subscribe: bool, **headers: str) -> tuple[int, str]:
    """Post the opt-in form as `page` shows it; returns status and body."""
    data = {"csrf_token": csrf_token_in(client.get(page).get_data(as_text=True)), "next": page}
    if subscribe:
        data["subscribed"] = "y"
    response = client.post("/digest/subscription", data=data, headers=headers)
    return response.status_code, response.get_data(as_text=True)


def test_opt_in_from_the_account_page(mail_app: Flask) -> None:
    """The checkbox form: ticked subscribes, unticked unsubscribes; the page shows which."""
    user_id = member(mail_app, "reader@example.com", subscribed=False)
    client = mail_app.test_client()
    Auth(client).sign_in("reader@example.com")
    assert 'name="subscribed" value="y">' in client.get("/account").get_data(as_text=True)
    status, _ = opt_in(client, "/account", subscribe=True)
    assert status == 303
    assert subscribed(mail_app, user_id)
    assert 'name="subscribed" value="y" checked>' in client.get("/account").get_data(as_text=True)
    # The same POST again changes nothing; the unticked form unsubscribes.
    assert opt_in(client, "/account", subscribe=True)[0] == 303
    assert subscribed(mail_app, user_id)
    assert opt_in(client, "/account", subscribe=False)[0] == 303
    assert not subscribed(mail_app, user_id)


def test_opt_in_from_the_digest_page(mail_app: Flask) -> None:
    """A member sees their own state on /digest and changes it there, with or without htmx."""
    user_id = member(mail_app, "reader@example.com", subscribed=False)
    client = mail_app.test_client()
    Auth(client).sign_in("reader@example.com")
    assert SUBSCRIBE_BUTTON in client.get("/digest").get_data(as_text=True)

    status, fragment = opt_in(client, "/digest", subscribe=True, **htmx())
    assert status == 200
    assert "<html" not in fragment
    assert STOP_BUTTON in fragment
    assert subscribed(mail_app, user_id)
    page = client.get("/digest").get_data(as_text=True)
    assert STOP_BUTTON in page
    assert SUBSCRIBE_BUTTON not in page

    response = client.post(
        "/digest/subscription",
        data={"csrf_token": csrf_token_in(page), "next": "/digest"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/digest"
    assert not subscribed(mail_app, user_id)


def test_the_anonymous_digest_page_holds_no_ones_state(mail_app: Flask) -> None:
    """Anonymous readers get a sign-in link in the part; a member's copy made from that
    page (the shared-cache path) shows the member's own state."""
    user_id = member(mail_app, "reader@example.com", subscribed=True)
    anonymous = mail_app.test_client().get("/digest")
    page = anonymous.get_data(as_text=True)
    assert anonymous.status_code == 200
    assert "<!--personal digest_optin " in page
    assert STOP_BUTTON not in page
    assert SUBSCRIBE_BUTTON not in page
    assert "to get this digest by email every week" in page
    assert 'name="csrf_token"' not in page

    with mail_app.test_request_context("/digest"):
        login_user(db.session.get(User, user_id))
        made = personal.personalize(page)
    assert made is not None
    assert STOP_BUTTON in made
    assert "to get this digest by email every week" not in made


def test_an_anonymous_opt_in_goes_to_sign_in(mail_app: Flask) -> None:
    """Without an account there is nothing to subscribe: sign in first."""
    client = mail_app.test_client()
    token = Auth(client).token()
    response = client.post("/digest/subscription", data={"csrf_token": token, "subscribed": "y"})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/login?next=")


def test_the_mail_has_the_pages_sections_and_what_changed(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """A week's mail lists the same verdict changes as its page (here the demo's Hugging Face
    flip), under the same heading, and none of the verdicts that stood unchanged."""
    week = IsoWeek(2026, 40)  # the Skeptic moved Hugging Face from skip to ship on 2 October
    member(mail_app, "reader@example.com")
    code, output = send(mail_app, "--week", str(week))
    assert code == 0, output
    (message,) = smtp_server.sink.to("reader@example.com")
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert "WHAT CHANGED IN THE VERDICTS (1)" in plain.get_content()
    assert "* Hugging Face, The Skeptic: Skip → Ship" in plain.get_content()
    assert "What changed in the verdicts (1)" in html.get_content()
    assert "The Skeptic: <strong>Skip → Ship</strong>" in html.get_content()
    page = mail_app.test_client().get(f"/digest/{week}").get_data(as_text=True)
    assert page.count('class="verdict-change"') == 1
    assert 'href="/tools/hugging-face">Hugging Face</a>' in page
