"""Packs, reminders and chasers by email (issue 24), against a real SMTP server on
127.0.0.1 (STARTTLS with a certificate made here, AUTH): each agency gets exactly its own
pack, which `jtai apply` takes back once filled in; a refused recipient is reported and the
rest delivered; a rerun sends nothing twice; drafts parse into the same parts and their
HTML passes the report's accessibility checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

import test_report as report_checks
from conftest import Invoke
from mail_server import SENDER, Server, smtp_server
from test_packs import OWNER_FILLS, fill

AS_OF = "2025-07-01"
TITLE = "JTAI Reading: Multi-Agency Improvement Plan"
# Each agency's open actions, as `jtai pack --owner X --format txt` lists them.
PACKS = {"BFfC": ["2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"], "TVP": ["5.1", "8.1"],
         "BWSCP": ["1.2", "1.3", "2.3", "3.2", "6.2", "6.3", "7.1", "9.1", "10.1", "10.2"],
         "KCC": ["2.3"]}
CONTACTS = """\
TVP: {to: safeguarding@tvp.example.org, name: "Zoë Ångström, TVP safeguarding lead"}
children's social care:
  to: [hub@bffc.example.org, duty@bffc.example.org]
  cc: [pa@bffc.example.org]
bw: {to: partners@bwscp.example.org}
Kent: {to: [kent@kent.example.org]}
RBC: {to: csc@reading.example.org}
"""
RECIPIENTS = {"TVP": ["safeguarding@tvp.example.org"],
              "BFfC": ["hub@bffc.example.org", "duty@bffc.example.org", "pa@bffc.example.org"],
              "BWSCP": ["partners@bwscp.example.org"], "KCC": ["kent@kent.example.org"]}


@pytest.fixture(name="smtp_server")
def _smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with smtp_server(tmp_path, monkeypatch) as server:
        yield server


@pytest.fixture
def here(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return tmp_path


def parse(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(message: EmailMessage) -> list[tuple[str, str | None, bytes]]:
    """(content type, file name, decoded payload) of each leaf part, in order."""
    out = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        out.append((part.get_content_type(), part.get_filename(), payload))
    return out


def send_packs(jtai: Invoke, *extra: str) -> tuple[int, list[str]]:
    result = jtai("pack", "--all", "--email", "--send", "-o", "outbox", "--as-of", AS_OF,
                  *extra)
    return result.exit_code, result.stderr.splitlines()


# --- packs out ----------------------------------------------------------------------------

def test_every_agency_receives_exactly_its_own_pack(jtai: Invoke, here: Path,
                                                   smtp_server: Server) -> None:
    code, lines = send_packs(jtai)
    assert code == 0, lines
    received = smtp_server.recorder.received
    assert [r.message["X-Jtai-Agency"] for r in received] == ["BFfC", "TVP", "BWSCP", "KCC"]
    from jtaiplan.office.packs.read import read_return_meta

    for item in received:
        message = item.message
        agency = message["X-Jtai-Agency"]
        assert item.authenticated and item.mail_from == SENDER
        assert item.rcpt_tos == RECIPIENTS[agency]
        assert message["From"] == SENDER and message["X-Unsent"] is None
        assert message["Subject"] == (f"{TITLE}: update for {_name(agency)}, return by "
                                      "15 July 2025")
        (kind, name, data), = [p for p in parts(message) if p[1]]
        assert (kind, name) == ("application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet", f"{agency}.xlsx")
        # The very workbook written beside it, and its hidden record names this agency.
        assert data == (here / "outbox" / f"{agency}.xlsx").read_bytes()
        copy = here / f"got-{agency}.xlsx"
        copy.write_bytes(data)
        assert read_return_meta(copy)["agency"] == agency
        text = message.get_body(("plain",))
        assert text is not None
        refs = [line.split(":")[0] for line in text.get_content().splitlines()
                if line[:1].isdigit() and ": " in line and not line.startswith(("1. ", "2. ",
                                                                                 "3. ", "4. "))]
        assert refs == PACKS[agency]
        from jtaiplan.office.packs.read import read_return

        assert [row.ref for row in read_return(copy).rows] == PACKS[agency]
    assert lines[-4:] == [f"jtai: {a}: sent to {', '.join(RECIPIENTS[a])}: {TITLE}: update "
                          f"for {_name(a)}, return by 15 July 2025" for a in PACKS]
    log = [json.loads(line) for line in
           (here / "outbox.sent-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["agency"], e["to"]) for e in log] == [(a, RECIPIENTS[a]) for a in PACKS]
    assert [e["message_id"] for e in log] == [r.message["Message-ID"] for r in received]


def test_the_attachment_comes_back_through_apply_and_stops_the_chaser(
        jtai: Invoke, here: Path, smtp_server: Server) -> None:
    assert send_packs(jtai)[0] == 0
    tvp = next(r.message for r in smtp_server.recorder.received
               if r.message["X-Jtai-Agency"] == "TVP")
    data = next(d for _k, n, d in parts(tvp) if n)
    Path("tvp-mail.xlsx").write_bytes(data)
    returned = fill(Path("tvp-mail.xlsx"), Path("tvp-return.xlsx"), OWNER_FILLS)
    applied = jtai("apply", str(returned), "--on", "2025-07-10", "--by", "Jo Bloggs")
    assert applied.exit_code == 0, applied.stderr
    assert applied.stderr.splitlines()[-1] == \
        "jtai: updated plan.yaml: 2 actions updated from 1 return(s)"
    assert "by: Jo Bloggs (Thames Valley Police return)\n" in \
        Path("plan.yaml").read_text(encoding="utf-8")
    chase = jtai("remind", "--chase", "--since", "2025-07-01", "--as-of", "2025-07-15",
                 "-o", "chasers")
    assert chase.exit_code == 0, chase.stderr
    assert sorted(p.name for p in Path("chasers").iterdir()) == \
        ["BFfC-chase.eml", "BWSCP-chase.eml", "KCC-chase.eml"]
    again = jtai("remind", "--chase", "--since", "11/07/2025", "--as-of", "2025-07-15",
                 "--dry-run", "-o", "chasers")
    assert [line.split(":")[0] for line in again.stdout.splitlines()] == \
        ["BFfC", "TVP", "BWSCP", "KCC"]


def test_a_refused_recipient_is_reported_and_the_rest_delivered(
        jtai: Invoke, here: Path, smtp_server: Server) -> None:
    smtp_server.recorder.refuse = {"kent@kent.example.org", "duty@bffc.example.org"}
    code, lines = send_packs(jtai)
    assert code == 1
    assert [r.message["X-Jtai-Agency"] for r in smtp_server.recorder.received] == \
        ["BFfC", "TVP", "BWSCP"]
    assert smtp_server.recorder.received[0].rcpt_tos == ["hub@bffc.example.org",
                                                         "pa@bffc.example.org"]
    assert lines.index("jtai: BFfC: but the server refused duty@bffc.example.org: 550 5.1.1 "
                       "Mailbox unavailable") == 1 + lines.index(
        f"jtai: BFfC: sent to hub@bffc.example.org, pa@bffc.example.org: {TITLE}: update for "
        "Brighter Futures for Children, return by 15 July 2025")
    assert "jtai: KCC: NOT sent: every recipient refused: kent@kent.example.org: 550 5.1.1 "\
        "Mailbox unavailable" in lines
    assert lines[-1] == ("jtai: 3 of 4 messages sent; not sent: KCC. Fix the cause and run "
                         "again: the sent-log (outbox.sent-log.jsonl) keeps the others "
                         "from going twice")
    # The address fixed, the rerun sends KCC's only.
    smtp_server.recorder.refuse = set()
    code, lines = send_packs(jtai)
    assert code == 0, lines
    assert [r.message["X-Jtai-Agency"] for r in smtp_server.recorder.received] == \
        ["BFfC", "TVP", "BWSCP", "KCC"]
    assert [line.split(": ")[1] for line in lines if "already sent" in line] == \
        ["BFfC", "TVP", "BWSCP"]


def test_a_second_run_sends_nothing_already_sent(jtai: Invoke, here: Path,
                                                smtp_server: Server) -> None:
    assert send_packs(jtai)[0] == 0
    code, lines = send_packs(jtai)
    assert code == 0, lines
    assert len(smtp_server.recorder.received) == 4
    assert [line.split(" (")[0] for line in lines if "already sent" in line] == \
        [f"jtai: {a}: already sent" for a in PACKS]
    listed = jtai("pack", "--all", "--email", "--send", "-o", "outbox", "--as-of", AS_OF,
                  "--dry-run")
    assert listed.stdout.count("(already sent: not again)") == 4


def test_dry_run_lists_and_sends_and_writes_nothing(jtai: Invoke, here: Path,
                                                   smtp_server: Server) -> None:
    result = jtai("pack", "--all", "--email", "--send", "-o", "outbox", "--as-of", AS_OF,
                  "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "TVP: to safeguarding@tvp.example.org: " + TITLE + ": update for Thames Valley "
        "Police, return by 15 July 2025 [TVP.xlsx attached]")
    assert result.stdout.splitlines()[0].startswith(
        "BFfC: to hub@bffc.example.org, duty@bffc.example.org, cc pa@bffc.example.org: ")
    assert smtp_server.recorder.received == []
    assert not Path("outbox").exists() and not Path("outbox.sent-log.jsonl").exists()


# --- drafts ---------------------------------------------------------------------------------

def test_drafts_parse_into_the_parts_that_are_sent(jtai: Invoke, here: Path,
                                                   smtp_server: Server) -> None:
    plan = Path("plan.yaml")
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "plan_title: Multi-Agency Improvement Plan", "plan_title: Plan d’amélioration"),
        encoding="utf-8")
    drafted = jtai("pack", "--all", "--email", "-o", "drafts", "--as-of", AS_OF)
    assert drafted.exit_code == 0, drafted.stderr
    assert smtp_server.recorder.received == []
    assert sorted(p.name for p in Path("drafts").iterdir()) == \
        ["BFfC.eml", "BFfC.xlsx", "BWSCP.eml", "BWSCP.xlsx", "KCC.eml", "KCC.xlsx",
         "TVP.eml", "TVP.xlsx"]
    raw = Path("drafts/TVP.eml").read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # RFC 2047 words, CRLF: mail as it travels
    draft = parse(raw)
    assert draft["X-Unsent"] == "1" and draft["From"] is None
    assert draft["Subject"] == ("JTAI Reading: Plan d’amélioration: update for Thames Valley "
                                "Police, return by 15 July 2025")
    assert draft["To"] == '"Zoë Ångström, TVP safeguarding lead" ' \
                          "<safeguarding@tvp.example.org>"
    assert [kind for kind, _n, _d in parts(draft)] == [
        "text/plain", "text/html",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    again = jtai("pack", "--all", "--email", "-o", "drafts", "--as-of", AS_OF)
    assert again.exit_code == 0
    assert parse(Path("drafts/TVP.eml").read_bytes())["Message-ID"] == draft["Message-ID"]
    assert send_packs(jtai)[0] == 0
    sent = next(r.message for r in smtp_server.recorder.received
                if r.message["X-Jtai-Agency"] == "TVP")
    assert sent["Message-ID"] == draft["Message-ID"]
    assert [(k, n) for k, n, _d in parts(sent)] == [(k, n) for k, n, _d in parts(draft)]
    assert [d for _k, n, d in parts(sent) if not n] == [d for _k, n, d in parts(draft)
                                                        if not n]


def test_the_html_body_passes_the_reports_accessibility_checks(jtai: Invoke,
                                                               here: Path) -> None:
    assert jtai("pack", "--all", "--email", "-o", "drafts", "--as-of", AS_OF).exit_code == 0
    assert jtai("remind", "--as-of", "2025-06-20", "-o", "drafts").exit_code == 0
    for name in ("BFfC.eml", "TVP.eml", "BFfC-remind.eml"):
        body = parse(Path("drafts", name).read_bytes()).get_body(("html",))
        assert body is not None
        html = body.get_content()
        report_checks.test_html_is_self_contained(html)
        report_checks.test_tables_have_captions_and_header_scopes(html)
        report_checks.test_headings_in_order(html)
        report_checks.test_every_rag_tag_carries_its_word(html)
        rules = report_checks.css_rules(html)
        for word in ("blue", "green", "amber", "red", "none"):
            rule = rules[f".rag-{word}"]
            assert report_checks.contrast(rule["color"], rule["background"]) >= 4.5
    html = parse(Path("drafts/TVP.eml").read_bytes()).get_body(("html",))
    assert html is not None
    assert "<h2>How to fill in the pack</h2>" in html.get_content()


def _name(code: str) -> str:
    return {"BFfC": "Brighter Futures for Children", "TVP": "Thames Valley Police",
            "BWSCP": "Berkshire West Safeguarding Children Partnership",
            "KCC": "Kent County Council"}[code]
