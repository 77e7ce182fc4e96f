"""Mail, exactly (issue 25): the bytes of a message as the SMTP server on 127.0.0.1 receives
it, how jtai connects (TLS checked against the trusted certificates, a 30-second timeout,
a login only with a user and a password), what it says when a server refuses or drops a
message part-way through a batch, the SMTP settings' every refusal and hint, and the
sent-log's lines, UTF-8 whatever the machine's locale."""

from __future__ import annotations

import json
import locale
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Invoke
from jtaiplan.errors import CannotRun
from jtaiplan.office.mail import sentlog
from jtaiplan.office.mail.message import Letter, to_email
from jtaiplan.office.mail.send import SmtpSettings, _connect, _text, send_batch, settings_from
from jtaiplan.office.mail.sentlog import SentLog
from jtaiplan.plan.contacts import Contact
from mail_server import PASSWORD, SENDER, USER, Recorder, Server, free_port, smtp_server
from test_mail import CONTACTS

SENT_AT = 1751362200.0  # 2025-07-01 09:30:00 UTC
CONNECT_HINT = "    hint: check JTAI_SMTP_HOST, JTAI_SMTP_PORT and JTAI_SMTP_SECURITY"


@pytest.fixture(name="smtp_server")
def _smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with smtp_server(tmp_path, monkeypatch) as server:
        yield server


@pytest.fixture
def here(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return tmp_path


@dataclass
class Answering(Recorder):
    """Answers DATA for the agencies in ``data_replies`` with that reply, byte for byte
    (to a 421 the client hangs up, as for a server shutting down); keeps the rest as
    Recorder does."""

    data_replies: dict[str, bytes] = field(default_factory=dict)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> Any:
        raw = envelope.original_content or envelope.content
        agency = BytesParser(policy=policy.default).parsebytes(raw)["X-Jtai-Agency"]
        if agency in self.data_replies:
            return self.data_replies[agency]
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def plain_server(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> Iterator[int]:
    """A relay on 127.0.0.1 with neither TLS nor login (JTAI_SMTP_SECURITY=none)."""
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"JTAI_SMTP_HOST": "127.0.0.1", "JTAI_SMTP_PORT": str(port),
                        "JTAI_SMTP_FROM": SENDER, "JTAI_SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JTAI_SMTP_USER", raising=False)
    monkeypatch.delenv("JTAI_SMTP_PASSWORD", raising=False)
    try:
        yield port
    finally:
        controller.stop()


def a_letter(*, subject: str = "Reading plan: 2 due by 4 July 2025") -> Letter:
    contact = Contact("TVP", ("lead@tvp.example.org", "duty@tvp.example.org"),
                      ("pa@tvp.example.org", "log@tvp.example.org"), "TVP safeguarding lead")
    return Letter("remind", "jtai-reading", "TVP", "Thames Valley Police", contact, subject,
                  "Two actions are due.\n", "<p>Two actions are due.</p>\n", "2025-07-04",
                  ("TVP.xlsx", b"PK\x03\x04 workbook"), "5.1 abc\n8.1 def\n")


def starttls_settings(server: Server) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", server.port, "starttls", SENDER, USER, PASSWORD)


# --- the message, as sent and as a draft --------------------------------------------------

MESSAGE_ID = "<2c08e7b3ca835f8502cc0566b27309cde289a83f@jtaiplan.invalid>"
BOUNDARY = "jtai-2c08e7b3ca835f8502cc0566"  # the Message-ID's first 24 hex digits
TO_CC_SUBJECT_ID = (
    "To: TVP safeguarding lead <lead@tvp.example.org>, duty@tvp.example.org\r\n"
    "Cc: pa@tvp.example.org, log@tvp.example.org\r\n"
    "Subject: Reading plan: 2 due by 4 July 2025\r\n"
    f"Message-ID: {MESSAGE_ID}\r\n")
PARTS = (
    "MIME-Version: 1.0\r\n"
    f'Content-Type: multipart/mixed; boundary="{BOUNDARY}-0"\r\n'
    "\r\n"
    f"--{BOUNDARY}-0\r\n"
    "Content-Type: multipart/alternative;\r\n"
    f' boundary="{BOUNDARY}-1"\r\n'
    "\r\n"
    f"--{BOUNDARY}-1\r\n"
    'Content-Type: text/plain; charset="utf-8"\r\n'
    "Content-Transfer-Encoding: 7bit\r\n"
    "\r\n"
    "Two actions are due.\r\n"
    "\r\n"
    f"--{BOUNDARY}-1\r\n"
    'Content-Type: text/html; charset="utf-8"\r\n'
    "Content-Transfer-Encoding: 7bit\r\n"
    "MIME-Version: 1.0\r\n"
    "\r\n"
    "<p>Two actions are due.</p>\r\n"
    "\r\n"
    f"--{BOUNDARY}-1--\r\n"
    "\r\n"
    f"--{BOUNDARY}-0\r\n"
    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    'Content-Disposition: attachment; filename="TVP.xlsx"\r\n'
    "MIME-Version: 1.0\r\n"
    "\r\n"
    "UEsDBCB3b3JrYm9vaw==\r\n"  # PK\x03\x04 workbook
    "\r\n"
    f"--{BOUNDARY}-0--\r\n")


def test_the_server_receives_exactly_this_message(tmp_path: Path,
                                                  smtp_server: Server) -> None:
    log = SentLog(tmp_path / "out.sent-log.jsonl")
    result = send_batch([a_letter()], starttls_settings(smtp_server), log,
                        clock=lambda: SENT_AT)
    assert (result.failed, result.already) == ([], [])
    assert [(s.accepted, s.refused) for s in result.sent] == [(
        ["lead@tvp.example.org", "duty@tvp.example.org", "pa@tvp.example.org",
         "log@tvp.example.org"], [])]
    received, = smtp_server.recorder.received
    assert (received.mail_from, received.authenticated) == (SENDER, True)
    assert received.rcpt_tos == ["lead@tvp.example.org", "duty@tvp.example.org",
                                 "pa@tvp.example.org", "log@tvp.example.org"]
    assert received.raw.decode("ascii") == (
        "From: business.manager@reading.example.org\r\n" + TO_CC_SUBJECT_ID
        + "Date: Tue, 01 Jul 2025 09:30:00 +0000\r\n"
        "X-Jtai-Agency: TVP\r\n" + PARTS)


def test_a_draft_has_no_sender_nor_date_and_is_marked_unsent() -> None:
    assert to_email(a_letter()).as_bytes().decode("ascii") == (
        TO_CC_SUBJECT_ID + "X-Unsent: 1\r\nX-Jtai-Agency: TVP\r\n" + PARTS)


def test_the_date_sent_is_in_utc_whatever_the_machines_time_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        with monkeypatch.context() as zone:
            zone.setenv("TZ", "EST+5")
            time.tzset()
            message = to_email(a_letter(), sender=SENDER, sent_at=SENT_AT)
    finally:
        time.tzset()
    assert b"\r\nDate: Tue, 01 Jul 2025 09:30:00 +0000\r\n" in message.as_bytes()


# --- connecting -----------------------------------------------------------------------------

def test_starttls_is_tls_that_times_out_after_30_seconds(smtp_server: Server) -> None:
    server = _connect(starttls_settings(smtp_server), ssl.create_default_context())
    try:
        assert isinstance(server.sock, ssl.SSLSocket)
        assert server.sock.gettimeout() == 30
    finally:
        server.quit()


# aiosmtpd warns that AUTH without STARTTLS is unsafe; here the connection is TLS throughout.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_tls_from_the_first_byte_times_out_after_30_seconds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path, monkeypatch, implicit_tls=True) as tls:
        settings = SmtpSettings("127.0.0.1", tls.port, "tls", SENDER, USER, PASSWORD)
        server = _connect(settings, ssl.create_default_context())
        try:
            assert isinstance(server.sock, ssl.SSLSocket)
            assert server.sock.gettimeout() == 30
        finally:
            server.quit()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("implicit_tls", [False, True])
def test_a_certificate_the_machine_does_not_trust_sends_nothing(
        jtai: Invoke, here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        implicit_tls: bool) -> None:
    with smtp_server(tmp_path, monkeypatch, implicit_tls=implicit_tls) as server:
        # Another authority than the one that signed the server's certificate.
        stranger = tmp_path / "stranger-ca.pem"
        trustme.CA().cert_pem.write_to_path(str(stranger))
        monkeypatch.setenv("SSL_CERT_FILE", str(stranger))
        result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
        assert result.exit_code == 2
        first, hint = result.stderr.splitlines()
        assert first.startswith(
            f"jtai: SMTP 127.0.0.1:{server.port}: could not connect (SSLCertVerificationError: "
            "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ")
        assert first.endswith("); nothing sent")
        assert hint == CONNECT_HINT
        assert server.recorder.received == []
    assert not Path("out.sent-log.jsonl").exists()


def test_a_context_given_is_the_one_that_checks_the_certificate(
        tmp_path: Path, smtp_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    trusting = ssl.create_default_context(cafile=str(tmp_path / "test-ca.pem"))
    stranger = tmp_path / "stranger-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    monkeypatch.setenv("SSL_CERT_FILE", str(stranger))
    result = send_batch([a_letter()], starttls_settings(smtp_server),
                        SentLog(tmp_path / "out.sent-log.jsonl"), context=trusting)
    assert [s.letter.agency for s in result.sent] == ["TVP"]
    assert len(smtp_server.recorder.received) == 1


def test_no_server_is_reported_exactly(jtai: Invoke, here: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens on it
    for name, value in {"JTAI_SMTP_HOST": "127.0.0.1", "JTAI_SMTP_PORT": str(port),
                        "JTAI_SMTP_FROM": SENDER, "JTAI_SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(name, value)
    result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"jtai: SMTP 127.0.0.1:{port}: could not connect (ConnectionRefusedError: [Errno 111] "
        "Connection refused); nothing sent", CONNECT_HINT]


def test_a_wrong_password_is_reported_exactly(jtai: Invoke, here: Path, smtp_server: Server,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTAI_SMTP_PASSWORD", "wrong")
    result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"jtai: SMTP 127.0.0.1:{smtp_server.port}: login as jtai-robot refused: 535 5.7.8 "
        "Authentication credentials invalid; nothing sent",
        "    hint: check JTAI_SMTP_USER and JTAI_SMTP_PASSWORD"]
    assert smtp_server.recorder.received == []


def test_a_user_without_a_password_does_not_log_in(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    with plain_server(monkeypatch, recorder) as port:
        settings = SmtpSettings("127.0.0.1", port, "none", SENDER, "jtai-robot", None)
        result = send_batch([a_letter()], settings, SentLog(tmp_path / "log.jsonl"))
    assert (len(result.sent), result.failed) == (1, [])
    assert [(r.mail_from, r.authenticated) for r in recorder.received] == [(SENDER, False)]


# --- what became of each message ------------------------------------------------------------

REMIND = ("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
SUBJECT = "JTAI Reading: Multi-Agency Improvement Plan: "


def sent_log(folder: Path) -> list[tuple[str, list[str]]]:
    path = folder / "out.sent-log.jsonl"
    return [(entry["agency"], entry["to"]) for entry in
            map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def test_a_message_the_server_refuses_is_reported_and_the_rest_still_go(
        jtai: Invoke, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reply that is not UTF-8 (Latin-1) is still reported, the odd byte replaced.
    recorder = Answering(data_replies={"TVP": b"554 5.6.0 Refus\xe9 par le filtre"})
    with plain_server(monkeypatch, recorder):
        result = jtai(*REMIND)
    assert result.exit_code == 1
    assert [r.message["X-Jtai-Agency"] for r in recorder.received] == ["BFfC", "BWSCP"]
    assert result.stderr.splitlines() == [
        "jtai: BFfC: sent to hub@bffc.example.org, duty@bffc.example.org, pa@bffc.example.org: "
        + SUBJECT + "Brighter Futures for Children: 4 due by 4 July 2025 and 3 overdue",
        "jtai: BWSCP: sent to partners@bwscp.example.org: " + SUBJECT
        + "Berkshire West Safeguarding Children Partnership: 6 due by 4 July 2025 and 1 overdue",
        "jtai: TVP: NOT sent: refused by the server: 554 5.6.0 Refus\ufffd par le filtre",
        "jtai: 2 of 3 messages sent; not sent: TVP. Fix the cause and run again: the sent-log "
        "(out.sent-log.jsonl) keeps the others from going twice"]
    assert sent_log(here) == [
        ("BFfC", ["hub@bffc.example.org", "duty@bffc.example.org", "pa@bffc.example.org"]),
        ("BWSCP", ["partners@bwscp.example.org"])]


def test_a_lost_connection_leaves_the_rest_unsent_each_reported(
        jtai: Invoke, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BFfC: every recipient refused; TVP: the server answers 421 and closes; BWSCP is
    then not sent, for the connection is gone."""
    recorder = Answering(refuse={"hub@bffc.example.org", "duty@bffc.example.org",
                                 "pa@bffc.example.org"},
                         data_replies={"TVP": b"421 4.3.2 Service shutting down"})
    with plain_server(monkeypatch, recorder):
        result = jtai(*REMIND)
    assert result.exit_code == 1
    assert recorder.received == []
    refused = "550 5.1.1 Mailbox unavailable"
    assert result.stderr.splitlines() == [
        f"jtai: BFfC: NOT sent: every recipient refused: hub@bffc.example.org: {refused}; "
        f"duty@bffc.example.org: {refused}; pa@bffc.example.org: {refused}",
        "jtai: TVP: NOT sent: refused by the server: 421 4.3.2 Service shutting down",
        "jtai: BWSCP: NOT sent: not sent: the connection failed (SMTPServerDisconnected: "
        "please run connect() first)",
        "jtai: 0 of 3 messages sent; not sent: BFfC, TVP, BWSCP. Fix the cause and run again: "
        "the sent-log (out.sent-log.jsonl) keeps the others from going twice"]
    assert not (here / "out.sent-log.jsonl").exists()


def test_a_reply_is_read_as_text_whether_bytes_or_str() -> None:
    assert _text(b"550 5.1.1 Bo\xc3\xaete inconnue") == "550 5.1.1 Bo\u00eete inconnue"
    assert _text(b"550 Bo\xeete") == "550 Bo\ufffdte"
    assert _text("421 4.3.2 Service shutting down") == "421 4.3.2 Service shutting down"


# --- the SMTP settings ----------------------------------------------------------------------

ENV = {"JTAI_SMTP_HOST": "smtp.example.org", "JTAI_SMTP_USER": "robot@example.org",
       "JTAI_SMTP_PASSWORD": "pw", "JTAI_SMTP_FROM": "bm@example.org"}


@pytest.mark.parametrize(("env", "options", "message", "hint"), [
    ({}, {}, "--send needs an SMTP server: set JTAI_SMTP_HOST (or --smtp-host)",
     "also JTAI_SMTP_FROM, and JTAI_SMTP_USER with JTAI_SMTP_PASSWORD if the server asks "
     "for a login"),
    ({**ENV, "JTAI_SMTP_SECURITY": "none"}, {}, "JTAI_SMTP_PASSWORD is set but "
     "JTAI_SMTP_SECURITY is none: the password would cross the network in clear",
     "use starttls (the default) or tls"),
    ({"JTAI_SMTP_HOST": "h", "JTAI_SMTP_PASSWORD": "pw", "JTAI_SMTP_FROM": "bm@example.org"},
     {}, "JTAI_SMTP_PASSWORD is set without JTAI_SMTP_USER (or --smtp-user)", ""),
    ({**ENV, "JTAI_SMTP_PASSWORD": ""}, {}, "an SMTP user (robot@example.org) needs "
     "JTAI_SMTP_PASSWORD in the environment", "the password is never an option or a file: "
     "set it as a secret of the job that runs jtai"),
    ({**ENV, "JTAI_SMTP_PORT": "0"}, {}, "SMTP port 0 is not a port number (1 to 65535)", ""),
    (ENV, {"port": 65536}, "SMTP port 65536 is not a port number (1 to 65535)", ""),
    ({**ENV, "JTAI_SMTP_FROM": "business manager"}, {},
     "the From address 'business manager' is not an email address", ""),
    # A login name that is not an address cannot stand in for the From address.
    ({**ENV, "JTAI_SMTP_USER": "jtai-robot", "JTAI_SMTP_FROM": ""}, {},
     "--send needs a From address: set JTAI_SMTP_FROM (or --smtp-from)", ""),
], ids=["no host", "password in clear", "password without user", "user without password",
        "port 0", "port 65536", "From not an address", "login not an address"])
def test_smtp_settings_refused_with_their_hints(env: dict[str, str], options: dict[str, Any],
                                                message: str, hint: str) -> None:
    with pytest.raises(CannotRun) as caught:
        settings_from(env, **options)
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_ports_1_to_65535_are_ports() -> None:
    assert settings_from({**ENV, "JTAI_SMTP_PORT": "1"}).port == 1
    assert settings_from(ENV, port=65535).port == 65535


def test_a_login_that_is_an_address_is_the_from_address_when_none_is_set() -> None:
    assert settings_from({**ENV, "JTAI_SMTP_FROM": ""}) == SmtpSettings(
        "smtp.example.org", 587, "starttls", "robot@example.org", "robot@example.org", "pw")


# --- the sent-log ---------------------------------------------------------------------------

@contextmanager
def ascii_locale() -> Iterator[None]:
    """Text files default to ASCII, as on a machine whose locale is not UTF-8."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


class Frozen(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Frozen:
        return cls.fromtimestamp(SENT_AT, tz)


def test_each_message_sent_is_one_utf8_json_line_whatever_the_locale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentlog, "datetime", Frozen)
    letter = a_letter(subject="Zoë's plan: 2 due by 4 July 2025")
    path = tmp_path / "out.sent-log.jsonl"
    with ascii_locale():
        log = SentLog(path)
        log.record(letter, ["lead@tvp.example.org", "pa@tvp.example.org"])
        assert log.has(letter)
        assert SentLog(path).has(letter)
    assert path.read_bytes().decode("utf-8") == (
        '{"message_id": "<dd55529beda9275189de71b47eb2fae0abd0ec87@jtaiplan.invalid>", '
        '"agency": "TVP", "kind": "remind", "to": ["lead@tvp.example.org", '
        '"pa@tvp.example.org"], "subject": "Zoë\'s plan: 2 due by 4 July 2025", '
        '"sent_at": "2025-07-01T09:30:00+00:00"}\n')
    assert letter.message_id == json.loads(path.read_text(encoding="utf-8"))["message_id"]


def test_blank_lines_in_the_sent_log_are_passed_over(tmp_path: Path) -> None:
    first, second = a_letter(), a_letter(subject="Another")
    path = tmp_path / "out.sent-log.jsonl"
    path.write_text(f'{{"message_id": "{first.message_id}"}}\n\n   \n'
                    f'{{"message_id": "{second.message_id}"}}\n', encoding="utf-8")
    log = SentLog(path)
    assert (log.has(first), log.has(second)) == (True, True)


def test_a_damaged_sent_log_is_located_by_its_line(jtai: Invoke, here: Path) -> None:
    path = (here / "out").resolve().parent / "out.sent-log.jsonl"
    path.write_text('{"message_id": "<x@jtaiplan.invalid>"}\n\n{"agency": "TVP"}\n',
                    encoding="utf-8")
    result = jtai(*REMIND)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"jtai: {path.as_posix()}:3: not a sent-log line",
        "    hint: the file is written by jtai; restore it from backup, or move it away to "
        "send everything again"]


# --- every address of To and Cc reaches the reader ------------------------------------------


def addresses_read_back(letter: Letter) -> tuple[list[str], list[str], str]:
    back = BytesParser(policy=policy.default).parsebytes(to_email(letter).as_bytes())
    return ([a.addr_spec for a in back["To"].addresses],
            [a.addr_spec for a in back["Cc"].addresses] if back["Cc"] else [],
            back["To"].addresses[0].display_name)


def test_a_non_ascii_name_with_a_comma_keeps_every_address_of_the_to_line() -> None:
    """Python folds the comma after such a name into an encoded word ("=?utf-8?q?=2C?="),
    which mail readers take as part of a name: reply-all lost duty@."""
    letter = a_letter()
    contact = Contact("TVP", ("lead@tvp.example.org", "duty@tvp.example.org"),
                      ("pa@tvp.example.org",), "Zoë Ångström, safeguarding lead")
    letter = Letter(letter.kind, letter.plan_id, letter.agency, letter.agency_name, contact,
                    letter.subject, letter.text, letter.html, letter.dated)
    assert addresses_read_back(letter) == (
        ["lead@tvp.example.org", "duty@tvp.example.org"], ["pa@tvp.example.org"],
        "Zoë Ångström, safeguarding lead")


NAME_TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ,.;:()\"'<>@[]éÅöß—’“中 ")),
                    min_size=1, max_size=60).map(str.strip).filter(bool)


@settings(max_examples=300, deadline=None)
@given(name=NAME_TEXT, lengths=st.lists(st.integers(1, 30), min_size=1, max_size=4))
def test_every_address_of_to_and_cc_reads_back_whatever_the_name(
        name: str, lengths: list[int]) -> None:
    to = tuple(f"{'x' * n}{i}@example.org" for i, n in enumerate(lengths))
    contact = Contact("TVP", to, ("pa@tvp.example.org",), name)
    letter = Letter("remind", "jtai-reading", "TVP", "Thames Valley Police", contact,
                    "Reading plan", "Text.\n", "<p>Text.</p>\n", "2025-07-04")
    got_to, got_cc, _ = addresses_read_back(letter)
    assert (got_to, got_cc) == (list(to), ["pa@tvp.example.org"])
