"""A real SMTP server for tests (aiosmtpd), keeping every message it accepts.

Nothing is mocked: the app speaks SMTP over a socket to this server, which parses what it
receives as a mail server would.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = "newsweb"
PASSWORD = "sink-password"


@dataclass
class Received:
    """One accepted message: who it was for, and the message as parsed."""

    recipients: list[str]
    message: EmailMessage
    connection: int


@dataclass
class Sink:
    """The messages the server accepted, and how many connections brought them."""

    messages: list[Received] = field(default_factory=list)
    # Set to make the server refuse every message with a 451 (a mail server in trouble).
    refusing: bool = False
    # Seconds to take over each message (a slow server, to stop a sender part way through).
    delay: float = 0.0
    # Connections greeted so far (each EHLO or HELO starts one): numbers, never reused.
    opened: int = 0

    @property
    def connections(self) -> int:
        """How many SMTP connections delivered the messages."""
        return len({received.connection for received in self.messages})

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to `address`."""
        return [r.message for r in self.messages if address in r.recipients]

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        """Count a new connection's greeting, and answer it as aiosmtpd would."""
        self.opened += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server: Any, session: Any, envelope: Any, hostname: str) -> str:
        """Count a new connection's (old-style) greeting."""
        self.opened += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message (aiosmtpd calls this for each one)."""
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refusing:
            return "451 Try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(list(envelope.rcpt_tos), message, self.opened))
        return "250 Message accepted"


def _authenticate(
    _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USERNAME.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SinkServer:
    """An SMTP server on 127.0.0.1 that requires AUTH (plain text, as on a private network)."""

    def __init__(self) -> None:
        self.sink = Sink()
        self.port = free_port()
        self.controller = Controller(
            self.sink,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticate,
            auth_require_tls=False,
            auth_required=True,
        )

    @property
    def url(self) -> str:
        """MAIL_URL for this server."""
        return f"smtp://{USERNAME}:{PASSWORD}@127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen."""
        self.controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self.controller.stop()
