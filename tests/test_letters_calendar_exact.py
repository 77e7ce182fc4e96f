"""The letters of `jtai pack --email` and `jtai remind` (text, HTML, subject, Message-ID) and
the .ics of `jtai calendar`, asserted whole, on the real plan with pinned --as-of dates.

The mail tests run on a copy of the real plan with two edits: 2.4 has no complete-by date
(so a letter says "not set"), and 2.5's action has runs of spaces (a letter's text line
collapses them). Objective 2 then gives Brighter Futures for Children a row due on the
as-of day (not overdue), an undated one and an overdue one, each rated for impact.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from jtaiplan.office.calendar import deadlines_calendar
from jtaiplan.office.mail.letters import reminder_letter
from jtaiplan.office.mail.message import MailRefused
from jtaiplan.office.mail.outbox import contacts_for, reminder_mail, write_drafts
from jtaiplan.office.mail.since import returned_since, to_chase
from jtaiplan.plan.query import build_filter, select
from jtaiplan.planfile.contactsfile import load_contacts
from jtaiplan.planfile.loader import load_plan

TITLE = "JTAI Reading: Multi-Agency Improvement Plan"
BFFC = "Brighter Futures for Children"
CONTACTS = """\
TVP: {to: safeguarding@tvp.example.org, name: "Zoë Ångström, TVP safeguarding lead"}
BFfC:
  to: [hub@bffc.example.org, duty@bffc.example.org]
  cc: [pa@bffc.example.org, deputy@bffc.example.org]
BWSCP: {to: partners@bwscp.example.org}
KCC: {to: [kent@kent.example.org]}
RBC: {to: csc@reading.example.org}
"""
STEPS = """\
How to fill in the pack
-----------------------

1. Open {file} and go to the Return sheet.
2. For each action, fill in only what has changed since the last update, in the white \
columns: New progress, New impact, Note, Evidence, New complete-by, Reason for new date.
3. Leave the grey columns as they are, and do not rename, move or add columns.
4. Save the workbook and send it back as an attachment by 14 July 2025.

Please do not name or identify any child or family in your reply.

"""
A2_2 = ("2.2: Multi-agency workshop to socialise and embed practice expectations. Any delay "
        "to be escalated in line with the BWSCP procedure and a log to be kept that is "
        "reported on at the MASH Operational Group and escalated to the Berkshire West MASH "
        "Strategic Oversight Group.")
A2_3 = ("2.3: Peer Review in BFFC CSPoA being undertaken by Kent to assess effectiveness of "
        "CSPoA – this will be informed by all JTAI findings, including a focus on strategy "
        "meetings.")
A2_4 = ("2.4: Checklists to be in place to ensure all professionals involved with a child, or "
        "significant adults involved with the child, are considered at strategy meetings. In "
        "CSPoA, to provide reassurance that Probation is contacted to check their involvement "
        "with an adult, as routine practice. This to be confirmed through a dip sample of cases "
        "that came in over the next 2 months and to feedback to the monitoring group mid May "
        "2025.")
A2_5 = ("2.5: MASH practitioners to ensure that the recommendation for a strategy meeting made "
        "to the Assessment Team is more robust with clear timescales to minimise drift and the "
        "impact of cumulative delays upon a child and family.")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The edited copy of the real plan, with contacts beside it, as the working folder."""
    monkeypatch.chdir(tmp_path)
    text = REAL_PLAN.read_text(encoding="utf-8")
    undated = "        complete_by: 2025-05-15\n"
    spaced = "MASH practitioners to ensure"
    assert text.count(undated) == 1 and text.count(spaced) == 1
    Path("plan.yaml").write_text(text.replace(undated, "").replace(
        spaced, "MASH   practitioners  to ensure"), encoding="utf-8")
    Path("contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    return tmp_path


def draft(path: str) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(Path(path).read_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def html_of(message: EmailMessage) -> tuple[str, str]:
    """The HTML body's <title> line and everything from <body> on."""
    body = message.get_body(("html",))
    assert body is not None
    html = str(body.get_content()).replace("\r\n", "\n")
    title = next(line for line in html.splitlines() if line.startswith("<title>"))
    return title, html[html.index("<body>"):]


def ok(jtai: Invoke, *args: str) -> str:
    result = jtai(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- packs out -------------------------------------------------------------------------------

def test_a_pack_letter_lists_each_action_with_its_date_overdue_and_ratings(
        jtai: Invoke, here: Path) -> None:
    ok(jtai, "pack", "--all", "--email", "-o", "drafts", "--as-of", "2025-06-30",
       "--objective", "2")
    bffc = draft("drafts/BFfC.eml")
    assert bffc["Subject"] == f"{TITLE}: update for {BFFC}, return by 14 July 2025"
    assert text_of(bffc) == (
        f"Dear {BFFC},\n\n"
        f"Please update us on the 3 actions {BFFC} owns in the {TITLE}, by 14 July 2025. "
        "The pack is attached (BFfC.xlsx).\n\n"
        "Each action is listed below as the plan holds it now.\n\n"
        "Your actions\n------------\n\n"
        f"{A2_2}\n    complete by 2025-06-30; progress Green, impact Amber\n\n"
        f"{A2_4}\n    complete by not set; progress Green, impact Amber\n\n"
        f"{A2_5}\n    complete by 2025-05-30, OVERDUE; progress Green, impact Amber\n\n"
        + STEPS.format(file="BFfC.xlsx")
        + "Made by jtai from plan.yaml as of 2025-06-30.\n")
    head = ('<thead><tr><th scope="col">Ref</th><th scope="col">Action</th><th scope="col">'
            'Complete by</th><th scope="col">Progress</th><th scope="col">Impact</th></tr>'
            '</thead>')
    rag = '<td class="rating"><span class="rag rag-{0}">{1}</span></td>'
    green_amber = rag.format("green", "Green") + rag.format("amber", "Amber")
    title, html = html_of(bffc)
    assert title == f"<title>{TITLE}: update for {BFFC}, return by 14 July 2025</title>"
    assert html.splitlines() == (
        "<body>\n"
        f"<h1>{TITLE}: update for {BFFC}</h1>\n"
        f"<p>Dear {BFFC},</p>\n"
        f"<p>Please update us on the 3 actions {BFFC} owns in the {TITLE}, by 14 July 2025. "
        "The pack is attached (BFfC.xlsx).</p>\n"
        "<p>Each action is listed below as the plan holds it now.</p>\n"
        "<h2>Your actions</h2>\n<table>\n"
        f"<caption>Actions owned by {BFFC}</caption>\n{head}\n<tbody>\n"
        f'<tr><th scope="row">2.2</th><td>{A2_2[5:]}</td><td class="date">2025-06-30</td>'
        f"{green_amber}</tr>\n"
        f'<tr><th scope="row">2.4</th><td>{A2_4[5:]}</td><td class="date">not set</td>'
        f"{green_amber}</tr>\n"
        f'<tr><th scope="row">2.5</th><td>MASH   practitioners  to{A2_5[26:]}</td>'
        '<td class="date">2025-05-30 <strong class="overdue">OVERDUE</strong></td>'
        f"{green_amber}</tr>\n"
        "</tbody>\n</table>\n"
        "<h2>How to fill in the pack</h2>\n<ol>\n"
        "<li>Open BFfC.xlsx and go to the Return sheet.</li>\n"
        "<li>For each action, fill in only what has changed since the last update, in the "
        "white columns: New progress, New impact, Note, Evidence, New complete-by, Reason for "
        "new date.</li>\n"
        "<li>Leave the grey columns as they are, and do not rename, move or add columns.</li>\n"
        "<li>Save the workbook and send it back as an attachment by 14 July 2025.</li>\n"
        "</ol>\n"
        "<p>Please do not name or identify any child or family in your reply.</p>\n"
        '<p class="meta">Made by jtai from plan.yaml as of 2025-06-30.</p>\n'
        "</body>\n</html>\n").splitlines()
    kent = draft("drafts/KCC.eml")
    assert text_of(kent) == (
        "Dear Kent County Council,\n\n"
        f"Please update us on the 1 action Kent County Council owns in the {TITLE}, by 14 July "
        "2025. The pack is attached (KCC.xlsx).\n\n"
        "Each action is listed below as the plan holds it now.\n\n"
        "Your actions\n------------\n\n"
        f"{A2_3}\n    complete by underway; progress Green, impact not rated\n\n"
        + STEPS.format(file="KCC.xlsx")
        + "Made by jtai from plan.yaml as of 2025-06-30.\n")
    # The Message-ID is made from the plan's id, the letter and each row's fingerprint.
    assert [draft(f"drafts/{a}.eml")["Message-ID"] for a in ("BFfC", "BWSCP", "KCC")] == [
        "<8c51d641a4257df14c40e5df73c067d5199eb043@jtaiplan.invalid>",
        "<a3b353a26028bd660dea6f7f1cb24a1ae8784c62@jtaiplan.invalid>",
        "<2e922ed4e5a29cffcc2e8db03800884e88911b05@jtaiplan.invalid>"]


def test_a_named_contact_is_greeted_by_name(jtai: Invoke, here: Path) -> None:
    ok(jtai, "pack", "--all", "--email", "-o", "drafts", "--as-of", "2025-06-30",
       "--objective", "8")
    assert text_of(draft("drafts/TVP.eml")).splitlines()[:3] == [
        "Dear Zoë Ångström, TVP safeguarding lead,", "",
        f"Please update us on the 1 action Thames Valley Police owns in the {TITLE}, by "
        "14 July 2025. The pack is attached (TVP.xlsx)."]


def test_a_chaser_says_since_when_and_attaches_the_pack_again(jtai: Invoke,
                                                              here: Path) -> None:
    ok(jtai, "remind", "--chase", "--since", "2025-06-01", "--as-of", "2025-06-30",
       "-o", "chasers")
    kent = draft("chasers/KCC-chase.eml")
    assert kent["Subject"] == (f"Reminder: {TITLE}: update for Kent County Council awaited, "
                               "return by 14 July 2025")
    assert text_of(kent) == (
        "Dear Kent County Council,\n\n"
        "We have not had an update from Kent County Council since 1 June 2025. Please update "
        f"us on the 1 action it owns in the {TITLE}, by 14 July 2025. The pack is attached "
        "again (KCC.xlsx).\n\n"
        "Each action is listed below as the plan holds it now.\n\n"
        "Your actions\n------------\n\n"
        f"{A2_3}\n    complete by underway; progress Green, impact not rated\n\n"
        + STEPS.format(file="KCC.xlsx")
        + "Made by jtai from plan.yaml as of 2025-06-30.\n")
    assert kent["Message-ID"] == "<75b96e7f15e1a34a5de85155d4e77d737e7d1365@jtaiplan.invalid>"
    assert [part.get_filename() for part in kent.walk() if part.get_filename()] == ["KCC.xlsx"]


# --- reminders ---------------------------------------------------------------------------------

def test_a_reminder_lists_the_overdue_then_what_is_due(jtai: Invoke, here: Path) -> None:
    ok(jtai, "remind", "--as-of", "2025-06-20", "-o", "deep/er/out")
    assert sorted(p.name for p in Path("deep/er/out").iterdir()) == [
        "BFfC-remind.eml", "BWSCP-remind.eml", "TVP-remind.eml"]
    bffc = draft("deep/er/out/BFfC-remind.eml")
    assert bffc["Subject"] == f"{TITLE}: {BFFC}: 4 due by 4 July 2025 and 2 overdue"
    a3_1 = ("3.1: Multi-agency practice expectations to be discussed, socialised and embedded "
            "through a workshop to address practice relating to: - Improving the safeguarding "
            "notification processes and develop effective and timely information sharing with "
            "all partners, especially GPs. - Ensure communication and co-ordination at the "
            "earliest opportunity when information becomes known about children in different "
            "households linked to the same adults and associated risks. - Capture the voice of "
            "the child, wishes, feelings and lived experiences as standard by all agencies - "
            "Distribute and socialise the consistent and informed use of DASH forms in all "
            "agencies to provide consistent benchmarking of risk. Health to ensure DASH form is "
            "completed, and risks known by HV and GP around DA to be shared with their service "
            "even if the pregnant mother does not disclose this.")
    a4_1 = ("4.1: Action is taken to consider how well thresholds of need are understood across "
            "the partnership to meet children's needs and minimise risks.")
    a5_1 = ("5.1: Males identified as potential perpetrators of Domestic Abuse must be "
            "considered by front line practitioners as to what involvement and understanding "
            "they have regarding the impact of their behaviour")
    a6_1 = ("6.1: Domestic Abuse needs assessment of the safeguarding partnership to be "
            "informed by relevant data from health, police and Local Authority in order to plan "
            "for the needs of the local population.")
    assert text_of(bffc) == (
        f"Dear {BFFC},\n\n"
        f"A reminder of the actions {BFFC} owns in the {TITLE} that are overdue or due within "
        "14 days, as of 20 June 2025.\n\n"
        "If an action is done or its date has to move, please tell us with your next "
        "update.\n\n"
        "Overdue\n-------\n\n"
        f"{A2_5}\n    complete by 2025-05-30, OVERDUE; progress Green, impact Amber\n\n"
        f"{a4_1}\n    complete by 2025-05-30, OVERDUE; progress Green, impact not rated\n\n"
        "Due by 4 July 2025\n------------------\n\n"
        f"{A2_2}\n    complete by 2025-06-30; progress Green, impact Amber\n\n"
        f"{a3_1}\n    complete by 2025-06-30; progress Green, impact Amber\n\n"
        f"{a5_1}\n    complete by 2025-06-30; progress Green, impact not rated\n\n"
        f"{a6_1}\n    complete by 2025-06-30; progress Amber, impact not rated\n\n"
        "Please do not name or identify any child or family in your reply.\n\n"
        "Made by jtai from plan.yaml as of 2025-06-20.\n")
    title, html = html_of(bffc)
    assert title == f"<title>{TITLE}: {BFFC}: 4 due by 4 July 2025 and 2 overdue</title>"
    assert html.splitlines()[:6] == [
        "<body>", f"<h1>{TITLE}: dates coming up for {BFFC}</h1>", f"<p>Dear {BFFC},</p>",
        f"<p>A reminder of the actions {BFFC} owns in the {TITLE} that are overdue or due "
        "within 14 days, as of 20 June 2025.</p>",
        "<p>If an action is done or its date has to move, please tell us with your next "
        "update.</p>",
        "<h2>Overdue</h2>"]
    assert [line for line in html.splitlines() if line.startswith(("<caption>", "<h2>"))] == [
        "<h2>Overdue</h2>",
        f"<caption>{BFFC}: actions past their complete-by date as of 20 June 2025</caption>",
        "<h2>Due by 4 July 2025</h2>",
        f"<caption>{BFFC}: actions due within 14 days of 20 June 2025</caption>"]
    overdue = [line for line in html.splitlines() if 'class="overdue"' in line]
    assert [line.split("</th>")[0] for line in overdue] == [
        '<tr><th scope="row">2.5', '<tr><th scope="row">4.1']
    assert '<td class="rating"><span class="rag rag-amber">Amber</span></td></tr>' in \
        overdue[0]
    tvp = text_of(draft("deep/er/out/TVP-remind.eml"))
    assert tvp.split("\n\n")[:3] == [
        "Dear Zoë Ångström, TVP safeguarding lead,",
        "A reminder of the actions Thames Valley Police owns in the "
        f"{TITLE} that are overdue or due within 14 days, as of 20 June 2025.",
        "If an action is done or its date has to move, please tell us with your next update."]


def test_a_reminder_counts_what_is_due_on_the_day_and_on_the_last_day(
        jtai: Invoke, here: Path) -> None:
    start = f"{TITLE}: Berkshire West Safeguarding Children Partnership: "
    # 3.2 is due 2025-07-30: on the as-of day itself with --within 0, on the window's last
    # day with --within 30 from 2025-06-30, and outside it with --within 29.
    lines = ok(jtai, "remind", "--within", "0", "--as-of", "2025-07-30", "-n").splitlines()
    assert lines[2] == ("BWSCP: to partners@bwscp.example.org: "
                        f"{start}1 due by 30 July 2025 and 7 overdue")
    lines = ok(jtai, "remind", "--within", "30", "--as-of", "2025-06-30", "-n").splitlines()
    assert lines[2].endswith(f"{start}7 due by 30 July 2025 and 1 overdue")
    lines = ok(jtai, "remind", "--within", "29", "--as-of", "2025-06-30", "-n").splitlines()
    assert lines[2].endswith(f"{start}6 due by 29 July 2025 and 1 overdue")


def test_a_reminder_row_without_a_date_says_not_set(here: Path) -> None:
    plan = load_plan(Path("plan.yaml")).plan
    contact = load_contacts(Path("contacts.yaml"), plan).of("BFfC")
    assert contact is not None
    row, = [r for r in select(plan, build_filter(plan), date(2025, 6, 20))
            if r.action.ref == "2.4"]
    letter = reminder_letter("reading", TITLE, "plan.yaml", "BFfC", BFFC, contact, [row], [],
                             date(2025, 6, 20), 14)
    assert letter.subject == f"{TITLE}: {BFFC}: 1 due by 4 July 2025"
    assert letter.text.split("\n\n")[3:6] == [
        "Due by 4 July 2025\n------------------",
        f"{A2_4}\n    complete by not set; progress Green, impact Amber",
        "Please do not name or identify any child or family in your reply."]


def test_the_dry_run_lists_every_cc_and_what_was_already_sent(jtai: Invoke,
                                                              here: Path) -> None:
    ok(jtai, "remind", "--as-of", "2025-06-20", "-o", "out")
    sent = draft("out/TVP-remind.eml")["Message-ID"]
    Path("out.sent-log.jsonl").write_text(json.dumps({"message_id": sent}) + "\n",
                                          encoding="utf-8")
    listed = jtai("remind", "--as-of", "2025-06-20", "-o", "out", "--send", "--dry-run")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "BFfC: to hub@bffc.example.org, duty@bffc.example.org, cc pa@bffc.example.org, "
        f"deputy@bffc.example.org: {TITLE}: {BFFC}: 4 due by 4 July 2025 and 2 overdue",
        f"TVP: to safeguarding@tvp.example.org: {TITLE}: Thames Valley Police: 2 due by 4 July "
        "2025 (already sent: not again)",
        f"BWSCP: to partners@bwscp.example.org: {TITLE}: Berkshire West Safeguarding Children "
        "Partnership: 6 due by 4 July 2025 and 1 overdue"]


def test_drafts_name_the_sender_when_given(here: Path) -> None:
    loaded = load_plan(Path("plan.yaml"))
    contacts = load_contacts(Path("contacts.yaml"), loaded.plan)
    letters = reminder_mail(loaded, contacts, date(2025, 6, 20), 14)
    written = write_drafts(letters, Path("a/b/c"), sender="bm@example.org")
    assert [p.as_posix() for p in written] == [
        "a/b/c/BFfC-remind.eml", "a/b/c/TVP-remind.eml", "a/b/c/BWSCP-remind.eml"]
    assert [draft(p.as_posix())["From"] for p in written] == ["bm@example.org"] * 3


# --- refusals ----------------------------------------------------------------------------------

def test_a_reminder_to_an_agency_without_a_contact_is_refused(jtai: Invoke,
                                                              here: Path) -> None:
    Path("contacts.yaml").write_text("TVP: {to: a@tvp.example.org}\n", encoding="utf-8")
    result = jtai("remind", "--as-of", "2025-06-20", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jtai: refused: no contact in contacts.yaml for BFfC ({BFFC}), BWSCP (Berkshire West "
        "Safeguarding Children Partnership); nothing was written or sent",
        "    hint: add each to the contacts file, e.g. BFfC: {to: [role-mailbox@example.org]}"]
    assert not Path("out").exists()


def test_an_agency_the_caller_did_not_name_is_listed_by_its_code(here: Path) -> None:
    plan = load_plan(Path("plan.yaml")).plan
    Path("contacts.yaml").write_text("TVP: {to: a@tvp.example.org}\n", encoding="utf-8")
    contacts = load_contacts(Path("contacts.yaml"), plan)
    with pytest.raises(MailRefused) as caught:
        contacts_for(["KCC", "TVP", "RBC"], contacts, {"RBC": "Reading Borough Council"})
    assert caught.value.message == ("no contact in contacts.yaml for KCC (KCC), RBC (Reading "
                                    "Borough Council)")


def test_personal_data_in_a_subject_is_refused_with_its_hint(jtai: Invoke,
                                                             here: Path) -> None:
    plan = Path("plan.yaml")
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "plan_title: Multi-Agency Improvement Plan",
        "plan_title: Plan (ring 07700 900123)"), encoding="utf-8")
    result = jtai("pack", "--all", "--email", "-o", "drafts", "--as-of", "2025-06-30",
                  "--objective", "8")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "jtai: refused: personal data in the outgoing post: TVP: subject contains what looks "
        "like a UK phone number (at character 26); nothing was written or sent",
        "    hint: remove it from the plan (or the contacts file's name:): mail must not "
        "identify a child or family"]
    assert not Path("drafts").exists()


# --- who is chased -----------------------------------------------------------------------------

def test_a_return_applied_on_the_since_day_counts(jtai: Invoke, here: Path) -> None:
    ok(jtai, "update", "8.1", "--note", "Return received", "--by",
       "Jo (Thames Valley Police return)", "--on", "2025-07-10")
    plan = load_plan(Path("plan.yaml")).plan
    assert returned_since(plan, date(2025, 7, 10)) == {"TVP"}
    assert returned_since(plan, date(2025, 7, 11)) == set()
    chased = ok(jtai, "remind", "--chase", "--since", "2025-07-10", "--as-of", "2025-07-15",
                "-n", "-o", "chasers")
    assert [line.split(":")[0] for line in chased.splitlines()] == ["BFfC", "BWSCP", "KCC"]


def test_owners_written_by_alias_are_chased_by_code_and_only_those_asked_for(
        here: Path) -> None:
    plan_file = Path("plan.yaml")
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(text.replace("owners: [TVP]", "owners: [Police]").replace(
        "owners: [TVP, BFfC]", "owners: [Police, BFfC]"), encoding="utf-8")
    plan = load_plan(plan_file).plan
    assert to_chase(plan, date(2025, 1, 1)) == ["BFfC", "TVP", "BWSCP", "KCC"]
    # RBC owns nothing open: asking for it chases nobody more.
    assert to_chase(plan, date(2025, 1, 1), ["RBC", "TVP", "KCC"]) == ["TVP", "KCC"]
    assert to_chase(plan, date(2025, 1, 1), []) == []


# --- calendar ----------------------------------------------------------------------------------

TVP_ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//jtaiplan//jtai calendar//EN
CALSCALE:GREGORIAN
X-WR-CALNAME:JTAI Reading: complete-by dates
BEGIN:VEVENT
SUMMARY:5.1 due: Males identified as potential perpetrators of Domestic Ab
 use must be considered…
DTSTART;VALUE=DATE:20250630
DTEND;VALUE=DATE:20250701
DTSTAMP:20250701T000000Z
UID:jtai-f05ed458736b-5.1@jtaiplan
CATEGORIES:Green
DESCRIPTION:Action 5.1 (objective 5: CUMULATIVE IMPACT)\\nOwners: Thames Va
 lley Police (TVP)\\, Brighter Futures for Children (BFfC)\\nProgress: Green
 \\n\\nMales identified as potential perpetrators of Domestic Abuse must be c
 onsidered by front line practitioners as to what involvement and understan
 ding they have regarding the impact of their behaviour
TRANSP:TRANSPARENT
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:5.1 is due in a week (Thames Valley Police (TVP)\\, Brighter Fu
 tures for Children (BFfC))
TRIGGER:-P7D
END:VALARM
END:VEVENT
BEGIN:VEVENT
SUMMARY:8.1 due: Refresh and update partnership knowledge of MARAC functio
 n and role and their p…
DTSTART;VALUE=DATE:20250630
DTEND;VALUE=DATE:20250701
DTSTAMP:20250701T000000Z
UID:jtai-f05ed458736b-8.1@jtaiplan
CATEGORIES:Green
DESCRIPTION:Action 8.1 (objective 8: MARAC ARRANGEMENTS)\\nOwners: Thames V
 alley Police (TVP)\\nProgress: Green\\n\\nRefresh and update partnership know
 ledge of MARAC function and role and their potential impact for practition
 ers across different agencies.
TRANSP:TRANSPARENT
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:8.1 is due in a week (Thames Valley Police (TVP))
TRIGGER:-P7D
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def test_the_calendar_file_of_one_plan_whole(jtai: Invoke, real_plan: Path,
                                             tmp_path: Path) -> None:
    out = tmp_path / "tvp.ics"
    result = jtai("calendar", "--owner", "TVP", "--plan", str(real_plan), "--as-of",
                  "2025-07-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == TVP_ICS.replace("\n", "\r\n").encode("utf-8")


def unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n", "\n").replace("\n ", "").splitlines()


def test_a_summary_of_exactly_80_characters_is_kept_whole(jtai: Invoke, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    old = ("Refresh and update partnership knowledge of MARAC function and role and their "
           "potential impact for practitioners across different agencies.")
    eighty = "Refresh  and update partnership knowledge of MARAC function and role for the GPs."
    assert len(" ".join(eighty.split())) == 80 and text.count(old) == 1
    plan_copy.write_text(text.replace(old, eighty), encoding="utf-8")
    ics = ok(jtai, "calendar", "--owner", "TVP", "--objective", "8", "--plan", str(plan_copy),
             "--as-of", "2025-07-01")
    assert [line for line in unfolded(ics) if line.startswith("SUMMARY:")] == [
        "SUMMARY:8.1 due: " + " ".join(eighty.split())]
    longer = eighty.replace("GPs", "GP's")
    plan_copy.write_text(text.replace(old, longer), encoding="utf-8")
    ics = ok(jtai, "calendar", "--owner", "TVP", "--objective", "8", "--plan", str(plan_copy),
             "--as-of", "2025-07-01")
    assert [line for line in unfolded(ics) if line.startswith("SUMMARY:")] == [
        "SUMMARY:8.1 due: " + " ".join(longer.split())[:79] + "…"]


def test_undated_rows_are_skipped_and_the_rest_still_written(real_plan: Path) -> None:
    plan = load_plan(real_plan).plan
    rows = select(plan, build_filter(plan), date(2025, 7, 1))
    assert rows[0].action.ref == "1.1" and rows[0].action.due is None
    ics = deadlines_calendar([(None, plan, rows)], date(2025, 7, 1)).decode("utf-8")
    assert [line[8:].split(" ")[0] for line in unfolded(ics) if line.startswith("SUMMARY:")] \
        == ["1.2", "1.3", "2.1", "2.2", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1", "6.1", "6.2",
            "6.3", "7.1", "8.1", "9.1", "10.1", "10.2"]


def test_the_calendar_of_several_plans_names_and_qualifies_each(
        jtai: Invoke, real_plan: Path, tmp_path: Path) -> None:
    """The real plan and its review a year on (same area and type, a new start date)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    text = real_plan.read_text(encoding="utf-8")
    (plans / "reading-jtai.yaml").write_text(text, encoding="utf-8")
    (plans / "reading-review.yaml").write_text(text.replace(
        "  start: 2025-02-24\n  end: 2025-03-10\n", "  start: 2026-02-23\n  end: 2026-03-09\n"),
        encoding="utf-8")
    ics = ok(jtai, "calendar", "--plan", str(plans), "--owner", "TVP", "--objective", "8",
             "--as-of", "2025-07-01")
    action = ("Refresh and update partnership knowledge of MARAC function and role and their "
              "potential impact for practitioners across different agencies.")

    def event(plan_id: str, uid_part: str) -> list[str]:
        return [
            "BEGIN:VEVENT", f"SUMMARY:{plan_id}:8.1 due: {action[:79]}…",
            "DTSTART;VALUE=DATE:20250630", "DTEND;VALUE=DATE:20250701",
            "DTSTAMP:20250701T000000Z", f"UID:jtai-{uid_part}-{plan_id}-8.1@jtaiplan",
            "CATEGORIES:Green",
            f"DESCRIPTION:Action {plan_id}:8.1 (objective 8: MARAC ARRANGEMENTS)\\nOwners: "
            f"Thames Valley Police (TVP)\\nProgress: Green\\n\\n{action}",
            "TRANSP:TRANSPARENT", "BEGIN:VALARM", "ACTION:DISPLAY",
            f"DESCRIPTION:{plan_id}:8.1 is due in a week (Thames Valley Police (TVP))",
            "TRIGGER:-P7D", "END:VALARM", "END:VEVENT"]

    assert unfolded(ics) == [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jtaiplan//jtai calendar//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:2 plans (reading-jtai, reading-review): complete-by dates",
        *event("reading-jtai", "f05ed458736b"), *event("reading-review", "c32e983089fd"),
        "END:VCALENDAR"]


def test_a_single_plans_calendar_file_is_the_same_from_a_folder_of_one(
        jtai: Invoke, real_plan: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    shutil.copyfile(real_plan, one / "plan.yaml")
    ics = ok(jtai, "calendar", "--plan", str(one), "--owner", "TVP", "--as-of", "2025-07-01")
    assert ics.replace("\r\n", "\n") == TVP_ICS
