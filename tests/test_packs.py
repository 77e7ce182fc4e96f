"""`jtai pack` and `jtai apply`: a pack out to TVP, filled in as an owner would with openpyxl,
applied back as the exact changes `jtai update` and `jtai complete` make; every bad return
refused with its cell and the plan left byte-identical."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import REPO, Invoke
from jtaiplan.planfile.writer import unified_diff
from office_client import need, office_text

AS_OF = "2025-07-01"
ON = "2025-07-10"
BY = "Thames Valley Police (return)"
NOTE = "Training delayed until September"
REASON = "MARAC steering group moved"
EVIDENCE = "Briefing slides circulated to all teams"

# Exactly what applying the filled TVP return to plan.yaml must change.
ACTION_8_1 = ("Refresh and update partnership knowledge of MARAC function and role and their "
              "potential impact for practitioners across different agencies.")
EXPECTED_DIFF = f"""\
--- a/plan.yaml
+++ b/plan.yaml
@@ -216,8 +216,16 @@
         owners_as_written: TVP with support from BFfC
         theme: Service Delivery and Design
         plan_type: Operational
-        progress: Green
+        progress: Amber
         impact:
+        updates:
+          - date: {ON}
+            by: {BY}
+            changes:
+              progress:
+                from: Green
+                to: Amber
+            note: {NOTE}
{" "}
   - number: 6
     title: USE OF DATA
@@ -278,12 +286,23 @@
       - ref: "8.1"
         multi_agency: true
         action: {ACTION_8_1}
-        complete_by: 2025-06-30
+        complete_by: 2025-12-31
+        baseline_complete_by: 2025-06-30
         owners: [TVP]
         theme: Learning and Training
         plan_type: Operational
         progress: Green
         impact:
+        evidence: {EVIDENCE}
+        updates:
+          - date: {ON}
+            by: {BY}
+            changes:
+              complete_by:
+                from: 2025-06-30
+                to: 2025-12-31
+            reason: {REASON}
+            evidence: {EVIDENCE}
{" "}
   - number: 9
     title: CHALLENGE AND ESCALATION
"""


@pytest.fixture
def in_tmp(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work beside the copy, so paths print as `plan.yaml` and `tvp.xlsx`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_pack(jtai: Invoke, name: str = "tvp.xlsx", *extra: str) -> Path:
    result = jtai("pack", "--owner", "TVP", "-o", name, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"jtai: wrote {name}: 2 actions for TVP\n"
    return Path(name)


def fill(pack: Path, out: Path, cells: dict[str, object]) -> Path:
    book = load_workbook(pack)
    sheet = book["Return"]
    for name, value in cells.items():
        sheet[name] = value
    book.save(out)
    return out


OWNER_FILLS: dict[str, object] = {
    "H2": "Amber", "J2": NOTE,  # 5.1: progress change with a note
    "L3": datetime(2025, 12, 31), "M3": REASON,  # 8.1: a new date with a reason
    "K3": EVIDENCE,  # 8.1: evidence
}


def test_pack_filled_and_applied_changes_exactly_those_lines(jtai: Invoke, in_tmp: Path) -> None:
    before = Path("plan.yaml").read_text(encoding="utf-8")
    returned = fill(make_pack(jtai), Path("tvp-return.xlsx"), OWNER_FILLS)
    result = jtai("apply", str(returned), "--on", ON)
    assert result.exit_code == 0, result.stderr
    after = Path("plan.yaml").read_text(encoding="utf-8")
    assert unified_diff(before, after, "plan.yaml") == EXPECTED_DIFF
    assert result.stderr.splitlines() == [
        "jtai: tvp-return.xlsx: 5.1: progress Green → Amber, note recorded",
        "jtai: tvp-return.xlsx: 8.1: complete by 2025-06-30 → 2025-12-31, evidence recorded, "
        "reason recorded",
        "jtai: updated plan.yaml: 2 actions updated from 1 return(s)",
    ]


def test_apply_gives_the_same_bytes_as_the_update_commands(jtai: Invoke, in_tmp: Path) -> None:
    shutil.copyfile("plan.yaml", "by-hand.yaml")
    returned = fill(make_pack(jtai), Path("tvp-return.xlsx"), OWNER_FILLS)
    assert jtai("apply", str(returned), "--on", ON).exit_code == 0
    for args in (("5.1", "--progress", "Amber", "--note", NOTE),
                 ("8.1", "--due", "2025-12-31", "--reason", REASON, "--evidence", EVIDENCE)):
        done = jtai("update", *args, "--by", BY, "--on", ON, "--plan", "by-hand.yaml")
        assert done.exit_code == 0, done.stderr
    assert Path("plan.yaml").read_bytes() == Path("by-hand.yaml").read_bytes()


def test_blue_with_evidence_is_what_jtai_complete_records(jtai: Invoke, in_tmp: Path) -> None:
    shutil.copyfile("plan.yaml", "by-hand.yaml")
    returned = fill(make_pack(jtai), Path("r.xlsx"), {"H3": "blue", "K3": EVIDENCE,
                                                      "J3": "Done"})
    assert jtai("apply", str(returned), "--on", ON).exit_code == 0
    done = jtai("complete", "8.1", "--evidence", EVIDENCE, "--note", "Done", "--by", BY,
                "--on", ON, "--plan", "by-hand.yaml")
    assert done.exit_code == 0, done.stderr
    assert Path("plan.yaml").read_bytes() == Path("by-hand.yaml").read_bytes()
    assert "completed_on: 2025-07-10" in Path("plan.yaml").read_text(encoding="utf-8")


def test_dry_run_prints_the_diff_and_writes_nothing(jtai: Invoke, in_tmp: Path) -> None:
    before = Path("plan.yaml").read_bytes()
    returned = fill(make_pack(jtai), Path("r.xlsx"), OWNER_FILLS)
    result = jtai("apply", str(returned), "--on", ON, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == EXPECTED_DIFF
    assert result.stderr.splitlines()[-1] == ("jtai: dry run, nothing written: 2 actions "
                                              "updated from 1 return(s)")
    assert Path("plan.yaml").read_bytes() == before


def test_history_dated_the_day_the_return_was_saved(jtai: Invoke, in_tmp: Path) -> None:
    book = load_workbook(make_pack(jtai))
    book["Return"]["J2"] = NOTE
    book.save("r.xlsx")
    # openpyxl stamps the save time; Excel does the same.
    saved = load_workbook("r.xlsx").properties.modified
    assert jtai("apply", "r.xlsx", "--by", "Insp. A Smith").exit_code == 0
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert (f"          - date: {saved.date().isoformat()}\n"
            "            by: Insp. A Smith (Thames Valley Police return)\n") \
        in text


def test_applying_the_same_return_twice_changes_nothing(jtai: Invoke, in_tmp: Path) -> None:
    returned = fill(make_pack(jtai), Path("r.xlsx"), OWNER_FILLS)
    assert jtai("apply", str(returned), "--on", ON).exit_code == 0
    once = Path("plan.yaml").read_bytes()
    again = jtai("apply", str(returned), "--on", ON)
    assert again.exit_code == 0, again.stderr
    assert Path("plan.yaml").read_bytes() == once
    assert again.stderr.splitlines() == [
        "jtai: r.xlsx: Return!A2: 5.1 already applied",
        "jtai: r.xlsx: Return!A3: 8.1 already applied",
        "jtai: nothing to apply: the returns hold no changes the plan does not already "
        "have; nothing written",
    ]


def test_change_made_after_the_pack_is_a_conflict(jtai: Invoke, in_tmp: Path) -> None:
    returned = fill(make_pack(jtai), Path("r.xlsx"), OWNER_FILLS)
    moved = jtai("update", "5.1", "--progress", "red", "--note", "Escalated", "--by", "Jo",
                 "--on", "2025-07-05")
    assert moved.exit_code == 0
    before = Path("plan.yaml").read_bytes()
    result = jtai("apply", str(returned), "--on", ON)
    assert result.exit_code == 1
    assert Path("plan.yaml").read_bytes() == before
    assert result.stderr.splitlines() == [
        "r.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: progress "
        "Green → Red; 1 new history entry (latest 2025-07-05 by Jo)",
        "    hint: check the row against the plan (`jtai history 5.1`), then --force to "
        "apply it anyway",
        "jtai: refused: 1 row in conflict with changes made since the pack; the plan file "
        "was not changed",
        "    hint: --skip-conflicts applies the other rows; --force applies these too",
    ]
    skipped = jtai("apply", str(returned), "--on", ON, "--skip-conflicts")
    assert skipped.exit_code == 0
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert "complete_by: 2025-12-31" in text and NOTE not in text
    forced = jtai("apply", str(returned), "--on", ON, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "progress: Amber" in Path("plan.yaml").read_text(encoding="utf-8")


def refused(jtai: Invoke, *returns: str) -> list[str]:
    """Apply ``returns``; it must be refused with exit 1 and the plan untouched."""
    before = Path("plan.yaml").read_bytes()
    result = jtai("apply", *returns, "--on", ON)
    assert result.exit_code == 1, result.stderr
    assert Path("plan.yaml").read_bytes() == before
    assert result.stdout == ""
    assert "the plan file was not changed" in result.stderr.splitlines()[-2]
    return result.stderr.splitlines()


def test_bad_cells_are_all_listed_with_sheet_and_cell(jtai: Invoke, in_tmp: Path) -> None:
    returned = fill(make_pack(jtai), Path("r.xlsx"), {
        "H2": "Amberish", "L3": "soon", "J3": "Call Ms Smith on 07700 900123", "I2": "Green"})
    lines = refused(jtai, str(returned))
    assert lines[:-2] == [
        "r.xlsx: Return!H2: New progress: 'Amberish' is not a RAG rating",
        "    hint: choose Blue, Green, Amber or Red from the list",
        "r.xlsx: Return!J3: Note contains what looks like a UK phone number (at character "
        "18)",
        "    hint: plans are shared documents and must not identify a child or family: leave "
        "the detail out",
        "r.xlsx: Return!L3: New complete-by must be a date such as 2026-03-31, 31/03/2026, "
        "31.03.26, 31-03-2026 or 31 March 2026; got 'soon'",
        "    hint: type a date such as 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March "
        "2026",
    ]
    assert lines[-2] == ("jtai: refused: 3 problems in the returns; the plan file was not "
                         "changed")


def test_ref_no_longer_in_the_plan_or_no_longer_owned(jtai: Invoke, in_tmp: Path) -> None:
    returned = fill(make_pack(jtai), Path("r.xlsx"), {"J2": NOTE, "J3": NOTE})
    text = Path("plan.yaml").read_text(encoding="utf-8")
    text = text.replace('ref: "5.1"', 'ref: "5.9"')
    text = text.replace("owners: [TVP]\n        theme: Learning", "owners: [BWSCP]\n        "
                        "theme: Learning")
    Path("plan.yaml").write_text(text, encoding="utf-8")
    assert refused(jtai, str(returned))[:4] == [
        "r.xlsx: Return!A2: 5.1 is not in the plan",
        "    hint: it may have been removed since the pack was made",
        "r.xlsx: Return!A3: 8.1 is not owned by TVP (owners: BWSCP)",
        "    hint: only the owning agency's return may change it",
    ]


def test_a_workbook_that_is_not_a_pack(jtai: Invoke, in_tmp: Path) -> None:
    book = Workbook()
    book.active["A1"] = "Ref"
    book.save("tracker.xlsx")
    assert refused(jtai, "tracker.xlsx")[:2] == [
        "tracker.xlsx: not a jtai update pack (it has no 'Return' sheet or no record of how "
        "it was made)",
        "    hint: send the agency a pack made by `jtai pack` and apply what comes back",
    ]


def test_an_encrypted_workbook_is_listed_not_a_traceback(jtai: Invoke, in_tmp: Path) -> None:
    Path("locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    lines = refused(jtai, "locked.xlsx")
    assert lines[0] == ("locked.xlsx: password-protected (encrypted), so jtai cannot read it")


def test_a_pack_for_another_plan(jtai: Invoke, in_tmp: Path) -> None:
    other = Path("plan.yaml").read_text(encoding="utf-8").replace("area: Reading",
                                                                  "area: Slough")
    Path("other.yaml").write_text(other, encoding="utf-8")
    result = jtai("pack", "--owner", "TVP", "-o", "slough.xlsx", "--as-of", AS_OF,
                  "--plan", "other.yaml")
    assert result.exit_code == 0
    fill(Path("slough.xlsx"), Path("slough.xlsx"), {"J2": NOTE})
    assert refused(jtai, "slough.xlsx")[:2] == [
        "slough.xlsx: a pack for another plan ('JTAI Slough 2025-02-24', made from "
        "other.yaml), not for JTAI Reading 2025-02-24",
        "    hint: apply it to that plan with --plan PATH",
    ]


def test_renamed_and_reordered_columns(jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)
    fill(pack, Path("renamed.xlsx"), {"H1": "Progress update", "H2": "Amber"})
    fill(pack, Path("moved.xlsx"), {"J1": "Evidence", "K1": "Note"})
    assert refused(jtai, "renamed.xlsx", "moved.xlsx")[:-2] == [
        "renamed.xlsx: Return!H1: the column header is 'Progress update' but the pack's is "
        "'New progress'",
        "    hint: the headers are how jtai reads the return: put the original header back",
        "moved.xlsx: Return!J1: column 'Evidence' is here but the pack has 'Note' in this "
        "place: the columns were moved",
        "    hint: put the columns back in the order of the pack (or fill in a fresh copy of "
        "it)",
        "moved.xlsx: Return!K1: column 'Note' is here but the pack has 'Evidence' in this "
        "place: the columns were moved",
        "    hint: put the columns back in the order of the pack (or fill in a fresh copy of "
        "it)",
    ]


def test_row_added_by_hand_and_locked_cell_edited(jtai: Invoke, in_tmp: Path) -> None:
    returned = fill(make_pack(jtai), Path("r.xlsx"), {
        "A4": "8.2", "C4": "A new action", "H4": "Green",
        "E2": "Blue", "J2": NOTE})
    assert refused(jtai, str(returned))[:-2] == [
        "r.xlsx: Return!E2: the locked cell 'Progress' of 5.1 was changed from 'Green' to "
        "'Blue'",
        "    hint: put the original value back; changes go in the white columns (New "
        "progress, New impact, Note, Evidence, New complete-by)",
        "r.xlsx: Return!A4: a row added by hand (ref '8.2'): the pack had rows 2 to 3 only",
        "    hint: new actions are added to the plan with `jtai add`; delete this row",
    ]


def test_pack_sheets_validations_and_protection(jtai: Invoke, in_tmp: Path) -> None:
    book = load_workbook(make_pack(jtai))
    assert book.sheetnames == ["How to fill this in", "Return", "jtai"]
    assert book["jtai"].sheet_state == "hidden"
    sheet = book["Return"]
    assert [c.value for c in sheet[1]] == [
        "Ref", "Objective", "Action", "Complete by", "Progress", "Impact", "Last update",
        "New progress", "New impact", "Note", "Evidence", "New complete-by",
        "Reason for new date"]
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["5.1", "8.1"]
    checks = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert checks == {"H2:H3": ("list", '"Blue,Green,Amber,Red"'),
                      "I2:I3": ("list", '"Blue,Green,Amber,Red"'),
                      "L2:L3": ("date", "36526")}
    colours = {str(c.sqref): [r.formula[0] for r in c.rules] for c in sheet.conditional_formatting}
    words = ['"Blue"', '"Green"', '"Amber"', '"Red"']
    assert colours == {"H2:H3": words, "I2:I3": words}
    assert sheet.protection.sheet is True and not sheet.protection.password
    assert sheet["A2"].protection.locked and sheet["G3"].protection.locked
    assert not any(sheet.cell(2, c).protection.locked for c in range(8, 14))
    assert sheet["L2"].number_format == "DD/MM/YYYY"
    help_text = [c.value for c in book["How to fill this in"]["B"] if c.value]
    assert "15 July 2025" in help_text
    assert "On track" in help_text


def test_libreoffice_opens_the_pack(jtai: Invoke, in_tmp: Path) -> None:
    text = office_text(make_pack(jtai), in_tmp / "pdf")
    for expected in ("Please return by 15 July 2025",
                     "Ref Objective Action Complete by Progress Impact Last update New progress "
                     "New impact Note Evidence",
                     "Reason for new date", "5.1 5. CUMULATIVE IMPACT Males identified as",
                     "8.1 8. MARAC ARRANGEMENTS Refresh and update partnership knowledge",
                     "30/06/2025 Green",
                     "Amber Emerging possibility that action will not be completed on time"):
        assert expected in text
    assert "fingerprint" not in text  # the hidden record is not printed


def test_pack_all_writes_one_per_owning_agency(jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("pack", "--all", "-o", "packs", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in Path("packs").iterdir()) == [
        "BFfC.xlsx", "BWSCP.xlsx", "KCC.xlsx", "TVP.xlsx"]
    refs = [c.value for c in load_workbook("packs/TVP.xlsx")["Return"]["A"]][1:]
    assert refs == ["5.1", "8.1"]  # 1.1 is Blue: left out


def test_pack_as_text_for_an_email(jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("pack", "--owner", "police", "--format", "txt", "--as-of", AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("JTAI Reading: Multi-Agency Improvement Plan: update for Thames "
                        "Valley Police (TVP)")
    assert "8.1 (8. MARAC ARRANGEMENTS)" in lines
    assert lines.count("- New complete-by:") == 2
    md = jtai("pack", "--owner", "TVP", "--format", "md", "--as-of", AS_OF)
    assert md.stdout.splitlines()[0] == ("# JTAI Reading: Multi-Agency Improvement Plan: "
                                         "update for Thames Valley Police (TVP)")
    assert "## 5.1 (5. CUMULATIVE IMPACT)" in md.stdout


def test_apply_a_missing_file_cannot_run(jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("apply", "nowhere.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "jtai: nowhere.xlsx: no such file"


@pytest.mark.parametrize(("args", "message"), [
    (("pack", "-o", "x.xlsx"), "jtai: give --owner AGENCY for one pack, or --all for one per "
                               "agency"),
    (("pack", "--owner", "TVP"), "jtai: a workbook needs -o FILE.xlsx"),
    (("pack", "--owner", "Fire", "-o", "x.xlsx"), "jtai: --owner: unknown agency 'Fire'"),
    (("pack", "--owner", "TVP", "--format", "pdf"), "jtai: --format: 'pdf' is not one of "
                                                    "xlsx, md, txt"),
])
def test_pack_refusals(jtai: Invoke, in_tmp: Path, args: tuple[str, ...], message: str) -> None:
    result = jtai(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message


def resave_with_libreoffice(workbook: Path, work: Path) -> Path:
    """``workbook`` opened and saved as xlsx by LibreOffice, into ``saved/``: as an agency
    on LibreOffice sends a return back."""
    soffice = need("soffice")
    profile = (work / "lo-profile").as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                           "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                           "--outdir", "saved", str(workbook)],
                          capture_output=True, text=True, timeout=180, check=False)
    saved = Path("saved") / workbook.name
    assert done.returncode == 0 and saved.is_file(), done.stderr
    return saved


def test_a_return_saved_by_libreoffice_applies_the_same(jtai: Invoke, in_tmp: Path) -> None:
    """An agency on LibreOffice: the return it saves keeps the drop-downs and the hidden
    record, and applies to exactly the same diff."""
    fill(make_pack(jtai), Path("filled.xlsx"), OWNER_FILLS)
    resave_with_libreoffice(Path("filled.xlsx"), in_tmp)
    book = load_workbook("saved/filled.xlsx")
    assert book["jtai"].sheet_state == "hidden"
    assert {str(v.sqref) for v in book["Return"].data_validations.dataValidation} == {
        "H2:H3", "I2:I3", "L2:L3"}
    before = Path("plan.yaml").read_text(encoding="utf-8")
    result = jtai("apply", "saved/filled.xlsx", "--on", ON)
    assert result.exit_code == 0, result.stderr
    after = Path("plan.yaml").read_text(encoding="utf-8")
    assert unified_diff(before, after, "plan.yaml") == EXPECTED_DIFF


def test_joint_action_updated_by_both_owners_in_one_run(jtai: Invoke, in_tmp: Path) -> None:
    shutil.copyfile("plan.yaml", "by-hand.yaml")
    tvp = fill(make_pack(jtai), Path("tvp-r.xlsx"), {"J2": "Police training booked"})
    assert jtai("pack", "--owner", "BFfC", "-o", "bffc.xlsx", "--as-of", AS_OF).exit_code == 0
    bffc_book = load_workbook("bffc.xlsx")
    row = next(c.row for c in bffc_book["Return"]["A"] if c.value == "5.1")
    bffc = fill(Path("bffc.xlsx"), Path("bffc-r.xlsx"), {f"H{row}": "Amber",
                                                         f"J{row}": "Social work slipping"})
    result = jtai("apply", str(tvp), str(bffc), "--on", ON)
    assert result.exit_code == 0, result.stderr
    for by, args in ((BY, ("--note", "Police training booked")),
                     ("Brighter Futures for Children (return)",
                      ("--progress", "amber", "--note", "Social work slipping"))):
        assert jtai("update", "5.1", *args, "--by", by, "--on", ON,
                    "--plan", "by-hand.yaml").exit_code == 0
    assert Path("plan.yaml").read_bytes() == Path("by-hand.yaml").read_bytes()


def test_damaged_record_and_overlong_note(jtai: Invoke, in_tmp: Path) -> None:
    book = load_workbook(make_pack(jtai))
    book["Return"]["J2"] = "x" * 20_001
    book.save("long.xlsx")
    meta = book["jtai"]
    row = next(c.row for c in meta["A"] if c.value == 2)
    meta.cell(row, 1).value = 10**9  # a record claiming a row far away: no hang
    book.save("far.xlsx")
    assert refused(jtai, "far.xlsx")[0] == ("far.xlsx: Return!A2: a row added by hand (ref "
                                            "'5.1'): the pack had rows 3 to 1000000000 only")
    meta.cell(row + 1, 5).value = "[1, 2]"
    book.save("damaged.xlsx")
    assert refused(jtai, "long.xlsx", "damaged.xlsx")[:-2] == [
        "long.xlsx: Return!J2: Note is longer than 20,000 characters",
        "    hint: shorten it, or keep the detail in a linked document",
        "damaged.xlsx: the pack's record sheet is damaged, so its rows cannot be matched to "
        "the plan",
        "    hint: make a new pack with `jtai pack`",
    ]


def test_a_returned_cell_the_text_policy_refuses_is_a_problem_at_its_cell(
        jtai: Invoke, in_tmp: Path) -> None:
    # openpyxl writes U+2028 and U+0085 without a word; the plan cannot hold them.
    book = load_workbook(make_pack(jtai))
    book["Return"]["J2"] = "Signed off\x85"
    book["Return"]["K2"] = "Line\u2028two"
    book.save("odd.xlsx")
    before = Path("plan.yaml").read_bytes()
    assert refused(jtai, "odd.xlsx")[:4] == [
        "odd.xlsx: Return!J2: Note contains U+0085 (next-line character (NEL)) at character 11",
        "    hint: retype the text, or delete it and paste it again as plain text",
        "odd.xlsx: Return!K2: Evidence contains U+2028 (line separator) at character 5",
        "    hint: retype the text, or delete it and paste it again as plain text",
    ]
    assert Path("plan.yaml").read_bytes() == before


def test_plan_text_that_looks_like_a_formula_stays_text(jtai: Invoke, in_tmp: Path) -> None:
    text = Path("plan.yaml").read_text(encoding="utf-8")
    Path("plan.yaml").write_text(text.replace("action: Refresh and update", "action: "
                                              "=HYPERLINK(1) Refresh and update"),
                                 encoding="utf-8")
    book = load_workbook(make_pack(jtai))
    assert book["Return"]["C3"].data_type == "s"
    assert book["Return"]["C3"].value.startswith("=HYPERLINK(1) Refresh")
    with zipfile.ZipFile("tvp.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet2.xml").decode()
    fill(Path("tvp.xlsx"), Path("r.xlsx"), {"J3": NOTE})
    assert jtai("apply", "r.xlsx", "--on", ON).exit_code == 0


def test_guide_is_linked_and_its_pictures_are_committed_and_small() -> None:
    docs = REPO / "docs"
    guide = (docs / "guide.md").read_text(encoding="utf-8")
    assert "(docs/guide.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    pictures = sorted(p.name for p in docs.glob("guide-*.png"))
    assert pictures == ["guide-pack-help.png", "guide-pack-return.png", "guide-report.png"]
    for name in pictures:
        assert f"]({name})" in guide
        data = (docs / name).read_bytes()
        assert data.startswith(b"\x89PNG") and 10_000 < len(data) < 200_000, name


def test_a_formula_whose_result_was_never_saved_is_refused_not_skipped(
        jtai: Invoke, in_tmp: Path) -> None:
    """openpyxl (like other programs that do not calculate) saves a formula without its
    result: it reads as an empty cell, and must not be taken for one."""
    returned = fill(make_pack(jtai), Path("r.xlsx"), {"H2": '="Am"&"ber"', "J3": NOTE})
    lines = refused(jtai, str(returned))
    assert lines[:-2] == [
        "r.xlsx: Return!H2: New progress of 5.1 holds a formula (=\"Am\"&\"ber\") whose "
        "result was never saved, so jtai cannot tell what it says",
        "    hint: type the value itself, or open the file in Excel and save it again",
    ]


def test_a_formula_with_its_saved_result_is_read_as_that_value(
        jtai: Invoke, in_tmp: Path) -> None:
    """The same formula saved by an office suite carries its result, which is applied."""
    fill(make_pack(jtai), Path("r.xlsx"), {"H2": '="Am"&"ber"'})
    resave_with_libreoffice(Path("r.xlsx"), in_tmp)
    assert load_workbook("saved/r.xlsx")["Return"]["H2"].value == '="Am"&"ber"'
    result = jtai("apply", "saved/r.xlsx", "--on", ON)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "jtai: saved/r.xlsx: 5.1: progress Green → Amber"
