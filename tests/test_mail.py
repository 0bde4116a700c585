"""Mail: MAIL_URL read strictly, messages well formed, sent over SMTP or left in the outbox."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from newsweb import mail
from tests.mailsink import SinkServer


def reset_message(*, to: str, subject: str, name: str) -> EmailMessage:
    """A message from the password-reset templates, with a fixed link (in a request context)."""
    return mail.compose(
        to=to,
        subject=subject,
        template="password_reset",
        name=name,
        link="https://news.example/x",
        minutes=60,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example:25", ("mail.example", 25, "", "", "plain")),
        ("smtp://u:p@mail.example", ("mail.example", 25, "u", "p", "plain")),
        (
            "smtp://u:p%40ss@mail.example:587?starttls=1",
            ("mail.example", 587, "u", "p@ss", "starttls"),
        ),
        ("smtp://mail.example?starttls=1", ("mail.example", 587, "", "", "starttls")),
        ("smtps://u:p@mail.example", ("mail.example", 465, "u", "p", "smtps")),
    ],
)
def test_mail_url_forms(url: str, expected: tuple[object, ...]) -> None:
    """Each documented form of MAIL_URL reads as the server, port, login and security meant."""
    settings = mail.parse_mail_url(url)
    assert (
        settings.host,
        settings.port,
        settings.username,
        settings.password,
        settings.security,
    ) == expected


@pytest.mark.parametrize(
    "url", ["http://mail.example", "smtp://", "mail.example:25", "smtp://h:99999"]
)
def test_a_bad_mail_url_stops_the_app_with_a_clear_error(
    make_app: Callable[..., Flask], url: str
) -> None:
    """A MAIL_URL that cannot be read is refused when the app starts, not at the first send."""
    with pytest.raises(ValueError, match="MAIL_URL"):
        make_app(MAIL_URL=url)


def test_a_message_is_multipart_with_every_header(app: Flask) -> None:
    """Plain text and HTML, Date, Message-ID, From, To and Subject."""
    with app.test_request_context():
        message = mail.compose(
            to=mail.address("reader@example.com", "Ríona Reader"),
            subject="Choose a new newsweb password",
            template="password_reset",
            name="Ríona",
            link="https://news.example/password/reset/abc",
            minutes=60,
        )
    parsed = message_from_bytes(bytes(message), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in parsed.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    for name in ("Date", "Message-ID", "From", "To", "Subject"):
        assert parsed[name], name
    assert parsed["To"].addresses[0].display_name == "Ríona Reader"
    text = parsed.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "https://news.example/password/reset/abc" in text


@pytest.mark.parametrize(
    "injected", ["Mallory\r\nBcc: victim@example.com", "Mallory\nX-Evil: 1", "Mallory\rCc: a@b.c"]
)
def test_no_field_can_add_a_header(app: Flask, injected: str) -> None:
    """A name or subject with line breaks stays one header: no Bcc, Cc or X- header appears."""
    with app.test_request_context():
        message = reset_message(
            to=mail.address("reader@example.com", injected),
            subject=f"Hello {injected}",
            name=injected,
        )
    raw = bytes(message)
    parsed = message_from_bytes(raw, policy=policy.default)
    for header in ("Bcc", "Cc", "X-Evil"):
        assert parsed[header] is None, header
    head = raw.partition(b"\n\n")[0]  # the headers: a body may say anything
    assert [line for line in head.split(b"\n") if line.startswith((b"Bcc", b"Cc", b"X-Evil"))] == []
    assert "Mallory" in parsed["Subject"]


def test_without_mail_url_messages_land_in_the_outbox(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """A developer's `make run`: each message an .eml file, its path in the log."""
    with app.test_request_context(), caplog.at_level(logging.INFO):
        message = reset_message(to="reader@example.com", subject="Outbox test", name="")
        mail.deliver(message)
    files = list(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    assert len(files) == 1
    assert str(files[0]) in caplog.text
    stored = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert stored["Subject"] == "Outbox test"


def test_a_batch_goes_over_one_smtp_connection(
    make_app: Callable[..., Flask], smtp_server: SinkServer
) -> None:
    """Three messages in one `sending()` block: one connection, three deliveries, with AUTH."""
    app = make_app(MAIL_URL=smtp_server.url, MAIL_FROM="newsweb <news@newsweb.test>")
    with app.test_request_context(), mail.sending() as send:
        for n in range(3):
            send(reset_message(to=f"reader{n}@example.com", subject=f"Batch {n}", name=""))
    assert [r.recipients for r in smtp_server.sink.messages] == [
        [f"reader{n}@example.com"] for n in range(3)
    ]
    assert smtp_server.sink.connections == 1
    assert smtp_server.sink.messages[0].message["From"] == "newsweb <news@newsweb.test>"


def test_a_refusing_server_is_an_error_not_a_silent_loss(
    mail_app: Flask, smtp_server: SinkServer
) -> None:
    """The server answers 451: sending raises for the caller to handle, nothing is delivered."""
    smtp_server.sink.refusing = True
    with mail_app.test_request_context(), pytest.raises(smtplib.SMTPDataError):
        mail.deliver(reset_message(to="reader@example.com", subject="x", name=""))
    assert smtp_server.sink.messages == []
