"""Sending through SMTP, as set by the environment (``JTAI_SMTP_*``) and options.

The password comes only from ``JTAI_SMTP_PASSWORD``: never an option (it would sit in
shell history and CI logs) nor a file in the repository.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import CannotRun
from ...plan.contacts import valid_address
from .message import Letter, to_email
from .sentlog import SentLog

if TYPE_CHECKING:
    import smtplib

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT = 30


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def settings_from(env: Mapping[str, str], *, host: str | None = None,
                  port: int | None = None, security: str | None = None,
                  user: str | None = None, sender: str | None = None) -> SmtpSettings:
    """Options first, then ``JTAI_SMTP_HOST``, ``_PORT``, ``_SECURITY``, ``_USER``,
    ``_FROM``; the password only from ``JTAI_SMTP_PASSWORD``."""
    host = host or env.get("JTAI_SMTP_HOST", "").strip()
    if not host:
        raise CannotRun("--send needs an SMTP server: set JTAI_SMTP_HOST (or --smtp-host)",
                        hint="also JTAI_SMTP_FROM, and JTAI_SMTP_USER with "
                             "JTAI_SMTP_PASSWORD if the server asks for a login")
    chosen = (security or env.get("JTAI_SMTP_SECURITY", "") or "starttls").strip().lower()
    if chosen not in SECURITIES:
        raise CannotRun(f"SMTP security '{chosen}' is not one of starttls, tls, none")
    if port is None:
        written = env.get("JTAI_SMTP_PORT", "").strip()
        if written and not (written.isascii() and written.isdigit()):
            raise CannotRun(f"JTAI_SMTP_PORT: '{written}' is not a port number")
        port = int(written) if written else DEFAULT_PORTS[chosen]
    if not 0 < port < 65536:
        raise CannotRun(f"SMTP port {port} is not a port number (1 to 65535)")
    user = user or env.get("JTAI_SMTP_USER", "").strip() or None
    password = env.get("JTAI_SMTP_PASSWORD") or None
    if password and chosen == "none":
        raise CannotRun("JTAI_SMTP_PASSWORD is set but JTAI_SMTP_SECURITY is none: the "
                        "password would cross the network in clear",
                        hint="use starttls (the default) or tls")
    if password and not user:
        raise CannotRun("JTAI_SMTP_PASSWORD is set without JTAI_SMTP_USER (or --smtp-user)")
    if user and not password:
        raise CannotRun(f"an SMTP user ({user}) needs JTAI_SMTP_PASSWORD in the environment",
                        hint="the password is never an option or a file: set it as a "
                             "secret of the job that runs jtai")
    sender = sender or env.get("JTAI_SMTP_FROM", "").strip() or (
        user if user and valid_address(user) else "")
    if not sender or not valid_address(sender):
        raise CannotRun(f"the From address '{sender}' is not an email address" if sender
                        else "--send needs a From address: set JTAI_SMTP_FROM (or "
                             "--smtp-from)")
    return SmtpSettings(host, port, chosen, sender, user, password)


@dataclass(frozen=True)
class Sent:
    letter: Letter
    accepted: list[str]
    refused: list[str]
    """The recipients the server refused, each with its reply, when some were."""


@dataclass
class BatchResult:
    sent: list[Sent] = field(default_factory=list)
    failed: list[tuple[Letter, str]] = field(default_factory=list)
    already: list[Letter] = field(default_factory=list)
    """In the sent-log from an earlier run: not sent again."""


def send_batch(letters: Sequence[Letter], settings: SmtpSettings, log: SentLog, *,
               context: ssl.SSLContext | None = None,
               clock: Callable[[], float] = time.time) -> BatchResult:
    """Send each letter not in the log; record each as it is accepted. A message refused
    (every recipient, or the server) is reported and the rest still go; a connection
    lost leaves the rest unsent, each reported."""
    import smtplib

    result = BatchResult()
    todo: list[Letter] = []
    for letter in letters:
        (result.already if log.has(letter) else todo).append(letter)
    if not todo:
        return result
    server = _connect(settings, context or ssl.create_default_context())
    try:
        for number, letter in enumerate(todo):
            message = to_email(letter, sender=settings.sender, sent_at=clock())
            try:
                refused = server.send_message(message, settings.sender,
                                              list(letter.recipients))
            except smtplib.SMTPRecipientsRefused as exc:
                result.failed.append((letter, "every recipient refused: " + _refusals(
                    exc.recipients)))
                continue
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                result.failed.append((letter, f"refused by the server: {exc.smtp_code} "
                                              f"{_text(exc.smtp_error)}"))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                reason = f"not sent: the connection failed ({type(exc).__name__}: {exc})"
                result.failed += [(rest, reason) for rest in todo[number:]]
                break
            accepted = [a for a in letter.recipients if a not in refused]
            log.record(letter, accepted)
            result.sent.append(Sent(letter, accepted, [_refusals({a: refused[a]})
                                                       for a in refused]))
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return result


def _connect(settings: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    import smtplib

    where = f"{settings.host}:{settings.port}"
    try:
        server: smtplib.SMTP
        if settings.security == "tls":
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT,
                                      context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
            if settings.security == "starttls":
                server.starttls(context=context)
        if settings.user and settings.password:
            server.login(settings.user, settings.password)
    except smtplib.SMTPAuthenticationError as exc:
        raise CannotRun(f"SMTP {where}: login as {settings.user} refused: {exc.smtp_code} "
                        f"{_text(exc.smtp_error)}; nothing sent",
                        hint="check JTAI_SMTP_USER and JTAI_SMTP_PASSWORD") from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise CannotRun(f"SMTP {where}: could not connect ({type(exc).__name__}: {exc}); "
                        "nothing sent", hint="check JTAI_SMTP_HOST, JTAI_SMTP_PORT and "
                        "JTAI_SMTP_SECURITY") from None
    return server


def _refusals(recipients: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{address}: {code} {_text(reply)}"
                     for address, (code, reply) in recipients.items())


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
