"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), with STARTTLS on a
certificate made in the test (trustme) and AUTH; it records what it accepts."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "jtai-robot"
PASSWORD = "correct horse battery staple"
SENDER = "business.manager@reading.example.org"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    authenticated: bool

    @property
    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.raw)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """aiosmtpd handler: refuses the addresses in ``refuse``, keeps every message."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content,
                                      bool(session.authenticated)))
        return "250 Message accepted for delivery"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    # handled=False: the server itself answers 535 to a wrong password.
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    # Controller(port=0) fails its own start-up probe: pick a free port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    recorder: Recorder
    port: int


@contextmanager
def smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *,
                implicit_tls: bool = False) -> Iterator[Server]:
    """STARTTLS required (or, ``implicit_tls``, TLS from the first byte), AUTH required
    (over TLS only); JTAI_SMTP_* set to use it."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    # The client's default context trusts this CA only: OpenSSL reads SSL_CERT_FILE.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    recorder = Recorder()
    port = free_port()
    # aiosmtpd counts only STARTTLS as TLS for AUTH: over implicit TLS it must be told
    # that AUTH is fine (the whole connection is encrypted).
    tls: dict[str, Any] = {"ssl_context": context, "auth_require_tls": False} \
        if implicit_tls else {"tls_context": context, "require_starttls": True,
                              "auth_require_tls": True}
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **tls,
                            authenticator=_authenticate, auth_required=True)
    controller.start()
    for name, value in {"JTAI_SMTP_HOST": "127.0.0.1", "JTAI_SMTP_PORT": str(port),
                        "JTAI_SMTP_USER": USER, "JTAI_SMTP_PASSWORD": PASSWORD,
                        "JTAI_SMTP_FROM": SENDER}.items():
        monkeypatch.setenv(name, value)
    if implicit_tls:
        monkeypatch.setenv("JTAI_SMTP_SECURITY", "tls")
    else:
        monkeypatch.delenv("JTAI_SMTP_SECURITY", raising=False)
    try:
        yield Server(recorder, port)
    finally:
        controller.stop()
