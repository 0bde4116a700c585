"""Verified addresses and changing the address: real mail through the SMTP sink."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from newsweb.accounts.verification import SALT, VERIFY_DAYS
from newsweb.extensions import db
from newsweb.models import User
from tests.conftest import PASSWORD, Auth, create_user, csrf_token_in
from tests.mailsink import SinkServer

VERIFY_LINK = re.compile(r"https?://[^\s/]+(/account/verify/[A-Za-z0-9._-]+)")


def register(client: FlaskClient, email: str = "nina@example.com") -> int:
    """Post the registration form; returns the status."""
    data = {
        "csrf_token": csrf_token_in(client.get("/register").get_data(as_text=True)),
        "email": email,
        "display_name": "Nina New",
        "password": PASSWORD,
    }
    return client.post("/register", data=data).status_code


def verify_path(message: EmailMessage) -> str:
    """The verification link's path, from the plain-text part (the HTML part has it too)."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None, "no plain-text part"
    assert html is not None, "no HTML part"
    found = VERIFY_LINK.search(text.get_content())
    assert found, text.get_content()
    assert found.group(1) in html.get_content()
    return found.group(1)


def user_named(app: Flask, email: str) -> User:
    """The account with `email`, detached with its columns loaded."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        db.session.expunge(user)
        return user


def verified(app: Flask, email: str) -> bool:
    """Whether the account with `email` has a verified address."""
    return user_named(app, email).email_verified_at is not None


def test_registration_mails_a_link_that_verifies_the_address(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """One multipart message to the new address; its link marks it verified, and says so."""
    client = mail_app.test_client()
    assert register(client, "Nina@Example.com") == 303
    messages = smtp_server.sink.to("nina@example.com")
    assert len(messages) == 1
    assert messages[0].is_multipart()
    assert "Nina New" in messages[0]["To"]
    assert not verified(mail_app, "nina@example.com")
    account = client.get("/account").get_data(as_text=True)
    assert "Not verified yet" in account
    assert "send the link again" in account

    path = verify_path(messages[0])
    opened = client.get(path)  # a GET only asks (mail scanners open links too)
    assert opened.status_code == 200
    assert "Confirm nina@example.com" in opened.get_data(as_text=True)
    assert not verified(mail_app, "nina@example.com")
    response = client.post(path)
    assert response.status_code == 200
    assert "nina@example.com is verified" in response.get_data(as_text=True)
    assert response.cache_control.no_store
    assert verified(mail_app, "nina@example.com")
    assert "Verified." in client.get("/account").get_data(as_text=True)

    # Confirmed again (or by anyone else, with no cookie set): nothing changes, it says so.
    again = mail_app.test_client().post(path)
    assert again.status_code == 200
    assert "nina@example.com was already verified" in again.get_data(as_text=True)
    assert "Set-Cookie" not in again.headers
    assert verified(mail_app, "nina@example.com")


def test_the_account_works_before_the_address_is_verified(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """Registration signs in at once; signing out and in again works, unverified."""
    client = mail_app.test_client()
    register(client)
    auth = Auth(client)
    auth.sign_out()
    assert auth.sign_in("nina@example.com").status_code == 303
    assert client.get("/account").status_code == 200


def test_bad_expired_and_stale_links_are_400_pages(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """A forged, cut-short, expired or superseded link says what to do, and verifies nothing."""
    user_id = create_user(mail_app, "mia@example.com")
    key = mail_app.config["SECRET_KEY"]
    client = mail_app.test_client()

    class SignedLongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - (VERIFY_DAYS * 24 * 3600 + 60)

    class LongAgo(URLSafeTimedSerializer):
        default_signer = SignedLongAgo

    forged = URLSafeTimedSerializer("another-key", salt=SALT).dumps(
        {"user": user_id, "email": "mia@example.com"}
    )
    other_salt = URLSafeTimedSerializer(key, salt="newsweb.password-reset").dumps(
        {"user": user_id, "email": "mia@example.com"}
    )
    expired = LongAgo(key, salt=SALT).dumps({"user": user_id, "email": "mia@example.com"})
    stale = URLSafeTimedSerializer(key, salt=SALT).dumps(
        {"user": user_id, "email": "old-mia@example.com"}
    )
    wrong_shape = URLSafeTimedSerializer(key, salt=SALT).dumps(["mia@example.com"])
    cases = {
        forged: "not one we sent",
        other_salt: "not one we sent",
        "garbage": "not one we sent",
        "nul\x00byte": "",
        expired[:-3]: "not one we sent",
        expired: "has expired",
        stale: "no longer on the account",
        wrong_shape: "not one we sent",
    }
    for token, words in cases.items():
        for response in (
            client.get(f"/account/verify/{token}"),
            client.post(f"/account/verify/{token}"),
        ):
            assert response.status_code == 400, token
            assert words in response.get_data(as_text=True), token
    assert not verified(mail_app, "mia@example.com")


def test_send_the_link_again(mail_app: Flask, smtp_server: SinkServer) -> None:
    """From the account page: a fresh link goes out, and it works."""
    create_user(mail_app, "mia@example.com")
    client = mail_app.test_client()
    Auth(client).sign_in("mia@example.com")
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    response = client.post("/account/verify", data={"csrf_token": token})
    assert response.status_code == 303
    (message,) = smtp_server.sink.to("mia@example.com")
    client.post(verify_path(message))
    assert verified(mail_app, "mia@example.com")
    # Once verified, asking again sends nothing.
    client.post("/account/verify", data={"csrf_token": token})
    assert len(smtp_server.sink.to("mia@example.com")) == 1


def change_email(client: FlaskClient, email: str, password: str = PASSWORD) -> tuple[int, str]:
    """Post the change-of-address form; returns status and page."""
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    data = {"csrf_token": token, "email": email, "password": password}
    response = client.post("/account/email", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_changing_the_address_needs_the_password(mail_app: Flask, smtp_server: SinkServer) -> None:
    """A wrong password is a 422 beside the field; nothing changes and nothing is sent."""
    create_user(mail_app, "mia@example.com")
    client = mail_app.test_client()
    Auth(client).sign_in("mia@example.com")
    status, page = change_email(client, "mia.new@example.com", "not my password")
    assert status == 422
    assert "That is not your password." in page
    assert user_named(mail_app, "mia@example.com").email == "mia@example.com"
    assert smtp_server.sink.messages == []


def test_a_new_address_is_unverified_gets_a_link_and_the_old_one_is_told(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """The new address must be verified afresh; the old address gets a notice, no link."""
    create_user(mail_app, "mia@example.com", name="Mia Member")
    client = mail_app.test_client()
    Auth(client).sign_in("mia@example.com")
    token = csrf_token_in(client.get("/account").get_data(as_text=True))
    client.post("/account/verify", data={"csrf_token": token})
    (first_link,) = smtp_server.sink.to("mia@example.com")
    client.post(verify_path(first_link))
    assert verified(mail_app, "mia@example.com")

    status, _ = change_email(client, "  Mia.New@Example.COM ")
    assert status == 303
    user = user_named(mail_app, "mia.new@example.com")
    assert user.email_verified_at is None
    (link,) = smtp_server.sink.to("mia.new@example.com")
    notices = smtp_server.sink.to("mia@example.com")[1:]
    assert len(notices) == 1
    notice = notices[0].get_body(("plain",))
    assert notice is not None
    assert "mia.new@example.com" in notice.get_content()
    assert not VERIFY_LINK.search(notice.get_content())
    assert "Not verified yet" in client.get("/account").get_data(as_text=True)

    # The link sent to the old address is stale now; the new one works.
    assert client.post(verify_path(first_link)).status_code == 400
    assert client.post(verify_path(link)).status_code == 200
    assert verified(mail_app, "mia.new@example.com")


def test_an_address_in_use_or_malformed_is_refused(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """Taken (in any case), one's own, or not an address: 422 with the reason beside it."""
    create_user(mail_app, "mia@example.com")
    create_user(mail_app, "taken@example.com")
    client = mail_app.test_client()
    Auth(client).sign_in("mia@example.com")
    for email, words in [
        ("TAKEN@example.com", "Another account uses this address."),
        ("Mia@Example.com", "That is already your address."),
        ("not an address", "does not look like an email address"),
        ("a" * 250 + "@example.com", "at most 254"),
    ]:
        status, page = change_email(client, email)
        assert status == 422, email
        assert words in page, email
    assert user_named(mail_app, "mia@example.com").email == "mia@example.com"
    assert smtp_server.sink.messages == []


def test_a_mail_server_in_trouble_does_not_break_registration(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """With the server refusing, the account is still made; the link can be asked for later."""
    smtp_server.sink.refusing = True
    client = mail_app.test_client()
    assert register(client) == 303
    assert user_named(mail_app, "nina@example.com").email_verified_at is None
    assert "Not verified yet" in client.get("/account").get_data(as_text=True)
