"""Mail refused before anything goes (no contact, personal data, a bad contacts file, SMTP
settings); reminders' content; --since; which agency's return a history entry records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from jtaiplan.errors import CannotRun
from jtaiplan.office.mail.send import SmtpSettings, settings_from
from jtaiplan.office.mail.since import to_chase
from jtaiplan.office.packs.provenance import return_label, returned_agency
from jtaiplan.plan.agencies import AgencyIndex
from jtaiplan.planfile.loader import load_plan
from mail_server import Server, free_port, smtp_server
from test_mail import CONTACTS

AS_OF = "2025-07-01"


@pytest.fixture(name="smtp_server")
def _smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with smtp_server(tmp_path, monkeypatch) as server:
        yield server


@pytest.fixture
def here(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return tmp_path


def test_every_agency_needs_a_contact_or_nothing_is_sent(jtai: Invoke, here: Path,
                                                         smtp_server: Server) -> None:
    Path("contacts.yaml").write_text("TVP: {to: a@tvp.example.org}\n", encoding="utf-8")
    result = jtai("pack", "--all", "--email", "--send", "-o", "outbox", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "jtai: refused: no contact in contacts.yaml for BFfC (Brighter Futures for "
        "Children), BWSCP (Berkshire West Safeguarding Children Partnership), KCC (Kent "
        "County Council); nothing was written or sent",
        "    hint: add each to the contacts file, e.g. BFfC: {to: [role-mailbox@example.org]}"]
    assert smtp_server.recorder.received == []
    assert not Path("outbox").exists()


def test_personal_data_in_outgoing_text_is_refused(jtai: Invoke, here: Path,
                                                  smtp_server: Server) -> None:
    plan = Path("plan.yaml")
    before = plan.read_text(encoding="utf-8")
    plan.write_text(before.replace("regarding the impact of their behaviour",
                                   "regarding the impact of their behaviour (ring 07700 "
                                   "900123)"), encoding="utf-8")
    result = jtai("pack", "--all", "--email", "--send", "-o", "outbox", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "jtai: refused: personal data in the outgoing post: BFfC: action 5.1 contains what "
        "looks like a UK phone number (at character 206); TVP: action 5.1 contains what "
        "looks like a UK phone number (at character 206); nothing was written or sent")
    assert smtp_server.recorder.received == []
    assert not Path("outbox").exists()
    Path("contacts.yaml").write_text(CONTACTS.replace("TVP safeguarding lead",
                                                      "DOB 01/02/2015"), encoding="utf-8")
    plan.write_text(before, encoding="utf-8")
    named = jtai("remind", "--as-of", "2025-06-20", "-o", "outbox")
    assert named.exit_code == 1
    assert "TVP: contact name contains what looks like a date of birth" in named.stderr


def test_a_bad_contacts_file_is_located(jtai: Invoke, here: Path) -> None:
    Path("contacts.yaml").write_text("TVP: {to: [not-an-address]}\nNHS: {to: a@b.org}\n",
                                     encoding="utf-8")
    result = jtai("remind", "--as-of", "2025-06-20", "-o", "outbox")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "contacts.yaml:1:12: JTAI001 error: TVP: to: 'not-an-address' is not an email "
        "address [TVP.to[0]]")
    assert result.stderr.splitlines()[2] == \
        "contacts.yaml:2:1: JTAI001 error: unknown agency 'NHS' [NHS]"
    other = jtai("remind", "--as-of", "2025-06-20", "-o", "outbox", "--contacts",
                 "elsewhere.yaml")
    assert other.exit_code == 2
    assert other.stderr.startswith("jtai: elsewhere.yaml: no such file")


def test_reminders_list_what_is_due_and_overdue_per_agency(jtai: Invoke, here: Path,
                                                           smtp_server: Server) -> None:
    result = jtai("remind", "--within", "14", "--as-of", "2025-06-20", "--send", "-o", "out")
    assert result.exit_code == 0, result.stderr
    got = {r.message["X-Jtai-Agency"]: r.message for r in smtp_server.recorder.received}
    assert list(got) == ["BFfC", "TVP", "BWSCP"]  # KCC and RBC: nothing due
    tvp = got["TVP"]
    assert tvp["Subject"] == ("JTAI Reading: Multi-Agency Improvement Plan: Thames Valley "
                              "Police: 2 due by 4 July 2025")
    assert not any(part.get_filename() for part in tvp.walk())
    body = tvp.get_body(("plain",))
    assert body is not None
    lines = body.get_content().splitlines()
    assert [line.split(":")[0] for line in lines if line[:1].isdigit()] == ["5.1", "8.1"]
    assert "Due by 4 July 2025" in lines and "Overdue" not in lines
    bffc = got["BFfC"].get_body(("plain",))
    assert bffc is not None
    text = bffc.get_content().replace("\r\n", "\n")
    overdue = text.split("Overdue\n-------\n", 1)[1].split("Due by", 1)[0]
    assert [line.split(":")[0] for line in overdue.splitlines() if line[:1].isdigit()] == \
        ["2.4", "2.5", "4.1"]
    later = jtai("remind", "--within", "3", "--as-of", "2030-01-01", "-o", "out", "-n")
    assert later.exit_code == 0
    # KCC's one action (2.3) is "underway", no date: never due, never overdue.
    assert [line.rsplit(": ", 1)[1] for line in later.stdout.splitlines()] == \
        ["7 overdue", "2 overdue", "9 overdue"]


def test_history_entries_say_whose_return_they_came_from() -> None:
    plan = load_plan(REAL_PLAN).plan
    index = AgencyIndex.of(plan)
    assert return_label("Thames Valley Police", None) == "Thames Valley Police (return)"
    assert return_label("Thames Valley Police", "Jo") == "Jo (Thames Valley Police return)"
    assert returned_agency("Thames Valley Police (return)", index) == "TVP"
    assert returned_agency("Insp. A Smith (Thames Valley Police return)", index) == "TVP"
    assert returned_agency("Jo Bloggs", index) is None
    assert returned_agency("Nobody (return)", index) is None
    # Nobody has returned anything in the real plan since its updates began.
    assert to_chase(plan, date(2025, 1, 1)) == ["BFfC", "TVP", "BWSCP", "KCC"]


ENV = {"JTAI_SMTP_HOST": "smtp.example.org", "JTAI_SMTP_USER": "robot@example.org",
       "JTAI_SMTP_PASSWORD": "pw", "JTAI_SMTP_FROM": "bm@example.org"}


def test_smtp_settings_from_the_environment_options_first() -> None:
    assert settings_from(ENV) == SmtpSettings("smtp.example.org", 587, "starttls",
                                              "bm@example.org", "robot@example.org", "pw")
    assert settings_from(ENV, host="h.example.org", port=2525, security="TLS",
                         sender="x@example.org") == SmtpSettings(
        "h.example.org", 2525, "tls", "x@example.org", "robot@example.org", "pw")
    assert settings_from({**ENV, "JTAI_SMTP_SECURITY": "tls"}).port == 465
    bare = {"JTAI_SMTP_HOST": "relay", "JTAI_SMTP_SECURITY": "none", "JTAI_SMTP_FROM": "a@b.org"}
    assert settings_from(bare) == SmtpSettings("relay", 25, "none", "a@b.org")
    assert "pw" not in repr(settings_from(ENV))


@pytest.mark.parametrize(("env", "message"), [
    ({}, "--send needs an SMTP server: set JTAI_SMTP_HOST (or --smtp-host)"),
    ({**ENV, "JTAI_SMTP_SECURITY": "none"}, "JTAI_SMTP_PASSWORD is set but JTAI_SMTP_SECURITY "
     "is none: the password would cross the network in clear"),
    ({**ENV, "JTAI_SMTP_SECURITY": "ssl"}, "SMTP security 'ssl' is not one of starttls, tls, "
     "none"),
    ({**ENV, "JTAI_SMTP_PASSWORD": ""}, "an SMTP user (robot@example.org) needs "
     "JTAI_SMTP_PASSWORD in the environment"),
    ({**ENV, "JTAI_SMTP_PORT": "smtp"}, "JTAI_SMTP_PORT: 'smtp' is not a port number"),
    ({"JTAI_SMTP_HOST": "h", "JTAI_SMTP_SECURITY": "none"}, "--send needs a From address: set "
     "JTAI_SMTP_FROM (or --smtp-from)"),
])
def test_smtp_settings_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(CannotRun) as caught:
        settings_from(env)
    assert caught.value.message == message


def test_the_password_is_never_an_option(jtai: Invoke, here: Path) -> None:
    result = jtai("remind", "--send", "-o", "out", "--smtp-password", "x")
    assert result.exit_code == 2
    assert "No such option: --smtp-password" in result.stderr


def test_no_server_nothing_sent(jtai: Invoke, here: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"JTAI_SMTP_HOST": "127.0.0.1", "JTAI_SMTP_PORT": str(free_port()),
                        "JTAI_SMTP_FROM": "bm@example.org",
                        "JTAI_SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JTAI_SMTP_USER", raising=False)
    monkeypatch.delenv("JTAI_SMTP_PASSWORD", raising=False)
    result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("jtai: SMTP 127.0.0.1:")
    assert "could not connect (ConnectionRefusedError" in result.stderr
    assert "nothing sent" in result.stderr


def test_a_wrong_password_sends_nothing(jtai: Invoke, here: Path, smtp_server: Server,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTAI_SMTP_PASSWORD", "wrong")
    result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("jtai: SMTP 127.0.0.1:")
    assert "login as jtai-robot refused: 535" in result.stderr
    assert smtp_server.recorder.received == []


# aiosmtpd warns that AUTH without STARTTLS is unsafe; here the connection is TLS throughout.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_tls_from_the_first_byte(jtai: Invoke, here: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with smtp_server(tmp_path, monkeypatch, implicit_tls=True) as server:
        result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out")
        assert result.exit_code == 0, result.stderr
        assert [r.message["X-Jtai-Agency"] for r in server.recorder.received] == \
            ["BFfC", "TVP", "BWSCP"]
        assert all(r.authenticated for r in server.recorder.received)


def test_json_says_what_became_of_each_message(jtai: Invoke, here: Path,
                                               smtp_server: Server) -> None:
    import json

    smtp_server.recorder.refuse = {"partners@bwscp.example.org", "pa@bffc.example.org"}
    result = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out", "--format", "json")
    assert result.exit_code == 1
    messages = json.loads(result.stdout)["messages"]
    assert [(m["agency"], m["kind"], m["outcome"]) for m in messages] == [
        ("BFfC", "remind", "sent"), ("TVP", "remind", "sent"), ("BWSCP", "remind", "not sent")]
    assert messages[0]["refused"] == ["pa@bffc.example.org: 550 5.1.1 Mailbox unavailable"]
    assert messages[0]["cc"] == ["pa@bffc.example.org"] and messages[1]["attachment"] is None
    assert messages[2]["reason"] == ("every recipient refused: partners@bwscp.example.org: "
                                     "550 5.1.1 Mailbox unavailable")
    assert [m["message_id"] for m in messages[:2]] == \
        [r.message["Message-ID"] for r in smtp_server.recorder.received]
    listed = jtai("remind", "--as-of", "2025-06-20", "--send", "-o", "out", "-f", "json", "-n")
    assert [m["outcome"] for m in json.loads(listed.stdout)["messages"]] == \
        ["already sent", "already sent", "listed"]


def test_chasers_since_the_last_meeting_the_plan_records(jtai: Invoke, here: Path) -> None:
    """`--since last-meeting` reads the plan's meetings as `jtai changes` does."""
    none_yet = jtai("remind", "--chase", "--since", "last-meeting", "--as-of", "2025-07-15",
                    "--dry-run", "-o", "chasers")
    assert none_yet.exit_code == 2
    assert none_yet.stderr.splitlines()[0] == (
        "jtai: --since last-meeting: the plan records no meeting on or before 2025-07-15")
    assert jtai("meeting", "add", "09/07/2025", "--name", "MASA Monitoring Group").exit_code == 0
    chase = jtai("remind", "--chase", "--since", "last-meeting", "--as-of", "2025-07-15",
                 "--dry-run", "-o", "chasers")
    assert chase.exit_code == 0, chase.stderr
    assert [line.split(":")[0] for line in chase.stdout.splitlines()] == \
        ["BFfC", "TVP", "BWSCP", "KCC"]
    assert not Path("chasers").exists()
