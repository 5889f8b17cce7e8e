"""A local SMTP sink for the email tests: aiosmtpd on 127.0.0.1, a port fixed at creation (so a test can start it
after the appliance tried and failed to reach it), every accepted message parsed, optional AUTH and refusals."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.sink.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.sink.messages.append(parsed)
        self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK: queued"


class SmtpSink:
    def __init__(self, *, credentials: tuple[str, str] | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.credentials = credentials
        self.refuse: set[str] = set()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str | None, list[str]]] = []
        self.logins: list[tuple[str, str]] = []
        self._controller: Controller | None = None

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login, password = data.login.decode(), data.password.decode()
            self.logins.append((login, password))
            if (login, password) == self.credentials:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> SmtpSink:
        kwargs: dict[str, Any] = {"server_hostname": "sink.test"}
        if self.credentials is not None:
            # Plain text AUTH on loopback only: the sink has no certificate, and nothing leaves the machine.
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def wait_for(self, count: int, *, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} email(s); got {len(self.messages)}"
                )
            time.sleep(0.02)
        return self.messages
