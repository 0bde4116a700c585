"""Email: composed once, sent over SMTP when `MAIL_URL` is set, else left in the outbox.

`MAIL_URL` names the SMTP server: `smtp://user:pass@host:587?starttls=1`, `smtps://…:465`
or plain `smtp://host:25`. Without it (a developer's `make run`), every message is written
as an `.eml` file under `instance/outbox/` and its path logged, to open in any mail client.

Messages are multipart, plain text and HTML, rendered from `templates/mail/<name>.txt` and
`.html`; every header value is stripped of line breaks, so no field a reader typed (a
display name, an address) can add a header of its own.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app, render_template

# One message handed to a transport; raises on failure (smtplib.SMTPException, OSError).
Send = Callable[[EmailMessage], None]
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server, from MAIL_URL."""

    host: str
    port: int
    username: str
    password: str
    # "smtps": TLS from the first byte; "starttls": plain, then upgraded; "plain": neither.
    security: str


def parse_mail_url(url: str) -> SmtpSettings:
    """Read `smtp://user:pass@host:port[?starttls=1]` or `smtps://…`; ValueError if malformed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("MAIL_URL must look like smtp://user:pass@host:587?starttls=1")
    starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
    if parts.scheme == "smtps":
        security, default_port = "smtps", 465
    else:
        security, default_port = ("starttls", 587) if starttls else ("plain", 25)
    try:
        port = parts.port or default_port
    except ValueError as error:
        raise ValueError(f"MAIL_URL has a bad port: {error}") from None
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        security=security,
    )


def _one_line(value: str) -> str:
    """A header value without line breaks (each becomes a space): no header injection."""
    return " ".join(value.replace("\r", "\n").split("\n")).strip()


def address(email: str, name: str = "") -> str:
    """`Name <email>` for a To or From header, quoted as needed, on one line."""
    return str(Address(display_name=_one_line(name), addr_spec=_one_line(email)))


def compose(
    *,
    to: str,
    subject: str,
    template: str,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> EmailMessage:
    """A multipart message to `to`, its bodies rendered from templates/mail/<template>.txt/.html.

    `headers` adds headers of the caller's own (List-Unsubscribe, for one), each on one line.
    """
    message = EmailMessage()
    sender = current_app.config["MAIL_FROM"]
    message["From"] = _one_line(sender)
    message["To"] = _one_line(to)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "newsweb.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        message[_one_line(name)] = _one_line(value)
    message.set_content(render_template(f"mail/{template}.txt", **context))
    message.add_alternative(render_template(f"mail/{template}.html", **context), subtype="html")
    return message


class Outbox:
    """Messages written as .eml files into a folder, for a developer to open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def connection(self) -> Iterator[Send]:
        """A `send` that writes each message to its own file and logs where."""
        self.folder.mkdir(parents=True, exist_ok=True)

        def send(message: EmailMessage) -> None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            token = str(message["Message-ID"]).strip("<>").partition("@")[0]
            path = self.folder / f"{stamp}-{token}.eml"
            path.write_bytes(bytes(message))
            current_app.logger.info("mail to %s written to %s", message["To"], path)

        yield send


class SmtpRelay:
    """Messages handed to an SMTP server, over one connection per batch."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    @contextmanager
    def connection(self) -> Iterator[Send]:
        """A `send` over one SMTP connection, closed when the block ends."""
        settings = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if settings.security == "smtps":
            client = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        try:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password)

            def send(message: EmailMessage) -> None:
                client.send_message(message)

            yield send
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


def transport(app: Flask | None = None) -> Outbox | SmtpRelay:
    """Where the app's mail goes: the SMTP server of MAIL_URL, else the outbox folder."""
    config = (app or current_app).config
    if url := config.get("MAIL_URL"):
        return SmtpRelay(parse_mail_url(url))
    return Outbox(Path(config["MAIL_OUTBOX"]))


@contextmanager
def sending() -> Iterator[Send]:
    """One connection for a batch of messages: `with sending() as send: send(message)`."""
    with transport().connection() as send:
        yield send


def deliver(message: EmailMessage) -> None:
    """Send one message now."""
    with sending() as send:
        send(message)


def check_settings(app: Flask) -> None:
    """Refuse to start with a MAIL_URL that cannot be read (a clear error, not a late one)."""
    if url := app.config.get("MAIL_URL"):
        parse_mail_url(url)
