"""Password reset, through a real SMTP server: the link works once, for an hour, and only
while the password it replaces is current; the form never tells who has an account."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Auth, create_user, csrf_token_in
from tests.mailsink import SinkServer

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://[^\s\"<>]+/password/reset/[A-Za-z0-9_.\-]+")


def ask_for_link(client: FlaskClient, email: str, **environ: str) -> str:
    """Post the "Forgot password?" form; the page's text."""
    token = csrf_token_in(client.get("/password/forgot").text)
    answer = client.post(
        "/password/forgot", data={"csrf_token": token, "email": email}, environ_base=environ
    )
    assert answer.status_code == 200, answer.status_code
    answer.close()  # as a WSGI server does once the answer is out: the message goes then
    return answer.text


def emailed_link(smtp_server: SinkServer, email: str) -> str:
    """The reset link in the last message sent to `email` (plain-text part)."""
    messages = smtp_server.sink.to(email)
    assert messages, f"no message to {email}"
    body = messages[-1].get_body(preferencelist=("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, "no reset link in the message"
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def set_password(client: FlaskClient, link: str, password: str = NEW_PASSWORD) -> int:
    """Open the link and post a new password; the answer's status."""
    page = client.get(link)
    if page.status_code != 200:
        return page.status_code
    data = {"csrf_token": csrf_token_in(page.text), "password": password}
    return client.post(link, data=data).status_code


def signed_in_name(client: FlaskClient) -> bool:
    """Whether the client's session is signed in (the account page answers)."""
    return client.get("/account").status_code == 200


def test_the_form_answers_the_same_for_known_and_unknown_addresses(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """Same status and page either way; a message goes only to the account's address."""
    create_user(mail_app, "known@example.com", name="Kim Known")
    known = ask_for_link(mail_app.test_client(), "known@example.com")
    unknown = ask_for_link(mail_app.test_client(), "nobody@example.com")
    assert known.replace("known@example.com", "ADDRESS") == unknown.replace(
        "nobody@example.com", "ADDRESS"
    )
    assert [r.recipients for r in smtp_server.sink.messages] == [["known@example.com"]]
    message = smtp_server.sink.messages[0].message
    assert message["To"].addresses[0].display_name == "Kim Known"
    assert message.get_content_type() == "multipart/alternative"


def test_the_link_sets_a_new_password_once_and_signs_in(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """The link works, signs this browser in, and the old password stops working; reusing the
    link gets the "no longer works" page."""
    create_user(mail_app, "reader@example.com")
    client = mail_app.test_client()
    ask_for_link(client, "reader@example.com")
    link = emailed_link(smtp_server, "reader@example.com")
    page = client.get(link)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "private" in page.headers["Cache-Control"]
    assert set_password(client, link) == 303
    assert signed_in_name(client)
    again = mail_app.test_client().get(link)
    assert again.status_code == 400
    assert "no longer works" in again.text
    assert Auth(mail_app.test_client()).sign_in("reader@example.com").status_code == 422
    fresh = Auth(mail_app.test_client())
    assert fresh.sign_in("reader@example.com", NEW_PASSWORD).status_code == 303


def test_using_the_link_ends_every_other_session(mail_app: Flask, smtp_server: SinkServer) -> None:
    """A session signed in elsewhere (with the old password) is signed out by the reset."""
    create_user(mail_app, "reader@example.com")
    elsewhere = Auth(mail_app.test_client())
    elsewhere.sign_in("reader@example.com", remember="y")
    assert signed_in_name(elsewhere.client)
    client = mail_app.test_client()
    ask_for_link(client, "reader@example.com")
    assert set_password(client, emailed_link(smtp_server, "reader@example.com")) == 303
    assert not signed_in_name(elsewhere.client)
    assert signed_in_name(client)


def test_a_link_dies_when_the_password_changes_another_way(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """Ask for a link, then change the password on the account page: the link is dead."""
    create_user(mail_app, "reader@example.com")
    ask_for_link(mail_app.test_client(), "reader@example.com")
    link = emailed_link(smtp_server, "reader@example.com")
    member = Auth(mail_app.test_client())
    member.sign_in("reader@example.com")
    data = {
        "csrf_token": member.token("/account"),
        "current_password": PASSWORD,
        "new_password": "another fine passphrase",
    }
    assert member.client.post("/account/password", data=data).status_code == 303
    assert mail_app.test_client().get(link).status_code == 400


def test_an_expired_link_is_refused(
    make_app: Callable[..., Flask], smtp_server: SinkServer, demo_newsroom: None
) -> None:
    """Past PASSWORD_RESET_SECONDS the link gets the "no longer works" page."""
    app = make_app(MAIL_URL=smtp_server.url, PASSWORD_RESET_SECONDS=1)
    create_user(app, "reader@example.com")
    ask_for_link(app.test_client(), "reader@example.com")
    link = emailed_link(smtp_server, "reader@example.com")
    time.sleep(2.1)
    assert set_password(app.test_client(), link) == 400


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJ1c2VyIjoxfQ.forged.signature", "a" * 300],
)
def test_forged_links_are_refused(mail_app: Flask, token: str) -> None:
    """Anything not issued by this app gets the same 400 page, never a 500."""
    answer = mail_app.test_client().get(f"/password/reset/{token}")
    assert answer.status_code == 400
    assert "Send me a new link" in answer.text


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """A common password gets a 422 with the reason; the link stays good for a better one."""
    create_user(mail_app, "reader@example.com")
    client = mail_app.test_client()
    ask_for_link(client, "reader@example.com")
    link = emailed_link(smtp_server, "reader@example.com")
    assert set_password(client, link, "password") == 422
    assert set_password(client, link) == 303


def test_requests_are_throttled_per_address_and_per_client(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """One address, asked for from many clients, gets 3 messages an hour; one client asking
    for many addresses is slowed too."""
    create_user(mail_app, "reader@example.com")
    statuses = []
    for n in range(5):
        client = mail_app.test_client()
        token = csrf_token_in(client.get("/password/forgot").text)
        answer = client.post(
            "/password/forgot",
            data={"csrf_token": token, "email": "reader@example.com"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"},
        )
        answer.close()
        statuses.append(answer.status_code)
    assert statuses == [200, 200, 200, 429, 429]
    assert len(smtp_server.sink.to("reader@example.com")) == 3
    client = mail_app.test_client()
    token = csrf_token_in(client.get("/password/forgot").text)
    answers = [
        client.post(
            "/password/forgot", data={"csrf_token": token, "email": f"someone{n}@example.com"}
        ).status_code
        for n in range(7)
    ]
    assert answers[:5] == [200] * 5
    assert 429 in answers[5:]


def test_sign_in_takes_as_long_for_an_unknown_address(make_app: Callable[..., Flask]) -> None:
    """With a slow hash, an unknown address is checked against a stand-in: the median times
    of unknown and known addresses stay within a bound of each other (without the stand-in,
    an unknown address answers in a few percent of the time). The two are tried in turn, so
    that whatever else the machine does weighs on both alike."""
    # Each attempt comes from an address of its own, so that throttling never answers first
    # (RATELIMIT_ENABLED=False would switch the shared limiter off for later tests too).
    app = make_app(PASSWORD_HASH_METHOD="pbkdf2:sha256:100000")
    create_user(app, "known@example.com")
    times: dict[str, list[float]] = {"known@example.com": [], "nobody@example.com": []}
    for attempt in range(16):
        for email, taken in times.items():
            client = Auth(app.test_client())
            data = {"csrf_token": client.token(), "email": email, "password": "not the password"}
            address = {"REMOTE_ADDR": f"10.1.{attempt}.{len(taken) + 1}"}
            started = time.perf_counter()
            assert client.client.post("/login", data=data, environ_base=address).status_code == 422
            if attempt:  # the first round warms up (the stand-in hash is made once)
                taken.append(time.perf_counter() - started)
    known, unknown = (statistics.median(taken) for taken in times.values())
    assert known > 0.005, "the hash is too fast for this test to mean anything"
    assert abs(known - unknown) < 0.4 * known, (known, unknown)
