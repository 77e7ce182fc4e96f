"""Agency packs, said exactly: the text pack line by line, and what `jtai apply` makes of a
return an agency lead filled (or damaged) in Excel: the plan lines, the messages with their
Return!H2-style cells, the exit codes; and the day a return was saved, in England.

Each return is built here with openpyxl from a pack `jtai pack` made; a few are then changed
in their XML, as another program than openpyxl would have saved them.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import REAL_PLAN, Invoke
from jtaiplan.office.packs.read import read_return, read_return_meta

AS_OF = "2025-07-01"
ON = "2025-07-10"
BY = "Thames Valley Police (return)"
NOTE = "Training delayed until September"
ACTION_5_1 = ("Males identified as potential perpetrators of Domestic Abuse must be "
              "considered by front line practitioners as to what involvement and understanding "
              "they have regarding the impact of their behaviour")
ACTION_8_1 = ("Refresh and update partnership knowledge of MARAC function and role and their "
              "potential impact for practitioners across different agencies.")
REFUSED_HINT = ("    hint: fix them in the workbook (or ask the agency to) and apply it again; "
                "nothing was applied")
LOCKED_HINT = ("    hint: put the original value back; changes go in the white columns (New "
               "progress, New impact, Note, Evidence, New complete-by)")


@pytest.fixture
def in_tmp(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work beside a copy of plan.yaml, so that paths print as `plan.yaml`, `r.xlsx`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_pack(jtai: Invoke, name: str = "pack.xlsx", as_of: str = AS_OF) -> Path:
    """TVP's pack: row 2 is 5.1, row 3 is 8.1."""
    made = jtai("pack", "--owner", "TVP", "-o", name, "--as-of", as_of)
    assert made.exit_code == 0, made.stderr
    return Path(name)


def filled(pack: Path, out: str, cells: dict[str, object],
           change: Callable[[Worksheet, Worksheet], None] | None = None) -> str:
    """``pack`` with ``cells`` of its Return sheet filled, and ``change`` made to the Return
    sheet and the hidden record, saved as ``out``."""
    book = load_workbook(pack)
    for name, value in cells.items():
        book["Return"][name] = value
    if change is not None:
        change(book["Return"], book["jtai"])
    book.save(out)
    return out


def record_line(meta: Worksheet, key: object) -> int:
    """The row of the hidden record whose first cell is ``key``."""
    return next(int(c.row) for c in meta["A"] if c.value == key)


def set_meta(key: str, value: object) -> Callable[[Worksheet, Worksheet], None]:
    def change(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.cell(record_line(meta, key), 2).value = value
    return change


def rewritten(path: str, part: str, edit: Callable[[str], str]) -> None:
    """``path`` with one XML part rewritten, as another program would have saved it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[part].decode("utf-8")
    changed = edit(text)
    assert changed != text
    parts[part] = changed.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def applied(jtai: Invoke, *args: str) -> list[str]:
    result = jtai("apply", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return result.stderr.splitlines()


def refused(jtai: Invoke, *args: str) -> list[str]:
    """``jtai apply`` refused with exit 1, the plan byte-identical."""
    before = Path("plan.yaml").read_bytes()
    result = jtai("apply", *args)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert Path("plan.yaml").read_bytes() == before
    return result.stderr.splitlines()


def edit_plan(old: str, new: str) -> None:
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    Path("plan.yaml").write_text(text.replace(old, new), encoding="utf-8")


def update(jtai: Invoke, *args: str) -> None:
    done = jtai("update", *args)
    assert done.exit_code == 0, done.stderr


# The text pack, for an email body.

LONG_TITLE = "CUMULATIVE IMPACT ON CHILDREN OF REPEATED EXPOSURE TO DOMESTIC ABUSE AT HOME"
RAG_KEY = [
    "- Blue: Completed",
    "- Green: On track",
    "- Amber: Emerging possibility that action will not be completed on time, attention "
    "needed",
    "- Red: Highly likely action will not be completed on time, urgent action needed",
]
ASKED = ["- New progress:", "- New impact:", "- Note:", "- Evidence:", "- New complete-by:",
         "- Reason for new date:"]
PLEASE = ("Please reply by 15 July 2025. For each action below, answer only what has changed "
          "since the last update; leave the rest blank. Do not name or identify any child or "
          "family.")


@pytest.fixture
def text_plan(jtai: Invoke, in_tmp: Path) -> None:
    """5.1 under a heading longer than a line, with no date, no impact, no update yet and
    spaces and stars in its text; 8.1 rated and updated."""
    edit_plan("title: CUMULATIVE IMPACT\n", f"title: {LONG_TITLE}\n")
    edit_plan("action: Males identified as", "action: Males *identified*  as")
    edit_plan("complete_by: 2025-06-30\n        owners: [TVP, BFfC]",
              "complete_by:\n        owners: [TVP, BFfC]")
    update(jtai, "8.1", "--impact", "amber", "--note", "Briefings  booked", "--by", "Jo", "--on",
           "2025-06-20")


def test_the_text_pack_in_plain_text_line_by_line(jtai: Invoke, text_plan: None) -> None:
    result = jtai("pack", "--owner", "TVP", "--format", "txt", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    heading = f"5.1 (5. {LONG_TITLE})"
    assert len(heading) > 78
    assert result.stdout == "\n".join([
        "JTAI Reading: Multi-Agency Improvement Plan: update for Thames Valley Police (TVP)",
        "=" * 78,
        "",
        PLEASE,
        "",
        "RAG key:",
        "",
        *RAG_KEY,
        "",
        heading,
        "-" * 78,
        "",
        ACTION_5_1.replace("identified", "*identified*"),  # the two spaces said as one
        "",
        "- Complete by: not set",
        "- Progress: Green",
        "- Impact: not rated",
        "- Last update: none yet",
        "",
        "Your update:",
        "",
        *ASKED,
        "",
        "8.1 (8. MARAC ARRANGEMENTS)",
        "-" * 27,
        "",
        ACTION_8_1,
        "",
        "- Complete by: 2025-06-30",
        "- Progress: Green",
        "- Impact: Amber",
        "- Last update: 2025-06-20 Jo: Briefings booked",
        "",
        "Your update:",
        "",
        *ASKED,
        "",
        "(Made by jtai from plan.yaml as of 2025-07-01.)",
    ]) + "\n"


def test_the_text_pack_in_markdown_line_by_line(jtai: Invoke, text_plan: None) -> None:
    result = jtai("pack", "--owner", "TVP", "--format", "md", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "\n".join([
        "# JTAI Reading: Multi-Agency Improvement Plan: update for Thames Valley Police (TVP)",
        "",
        PLEASE,
        "",
        "**RAG key**",
        "",
        *RAG_KEY,
        "",
        f"## 5.1 (5. {LONG_TITLE})",
        "",
        ACTION_5_1.replace("identified as", "\\*identified\\*  as"),  # escaped, spaces kept
        "",
        "- Complete by: not set",
        "- Progress: Green",
        "- Impact: not rated",
        "- Last update: none yet",
        "",
        "**Your update:**",
        "",
        *ASKED,
        "",
        "## 8.1 (8. MARAC ARRANGEMENTS)",
        "",
        ACTION_8_1,
        "",
        "- Complete by: 2025-06-30",
        "- Progress: Green",
        "- Impact: Amber",
        "- Last update: 2025-06-20 Jo: Briefings  booked",
        "",
        "**Your update:**",
        "",
        *ASKED,
        "",
        "(Made by jtai from plan.yaml as of 2025-07-01.)",
    ]) + "\n"


# What a filled return changes, and what `jtai apply` says.

def test_a_new_impact_and_typed_values_in_text_cells_are_applied_as_said(
        jtai: Invoke, in_tmp: Path) -> None:
    """New impact is applied; a date typed in Evidence is its day, and a whole number saved
    as 12.0 (as some programs write it) is the note '12'."""
    returned = filled(make_pack(jtai), "r.xlsx", {"I2": "Amber", "K3": datetime(2025, 7, 1),
                                                  "J3": 12})
    rewritten(returned, "xl/worksheets/sheet2.xml",
              lambda xml: re.sub(r'(<c r="J3"[^>]*><v>)12(</v>)', r"\g<1>12.0\g<2>", xml))
    assert applied(jtai, returned, "--on", ON) == [
        "jtai: r.xlsx: 5.1: impact — → Amber",
        "jtai: r.xlsx: 8.1: evidence recorded, note recorded",
        "jtai: updated plan.yaml: 2 actions updated from 1 return(s)",
    ]
    text = Path("plan.yaml").read_text(encoding="utf-8")
    assert ("        progress: Green\n"
            "        impact: Amber\n"
            "        updates:\n"
            f"          - date: {ON}\n"
            f"            by: {BY}\n"
            "            changes:\n"
            "              impact:\n"
            "                from:\n"
            "                to: Amber\n") in text
    assert ("        evidence: '2025-07-01'\n"
            "        updates:\n"
            f"          - date: {ON}\n"
            f"            by: {BY}\n"
            "            note: '12'\n"
            "            evidence: '2025-07-01'\n") in text


def test_a_row_that_changes_nothing_is_said_and_the_next_still_applied(
        jtai: Invoke, in_tmp: Path) -> None:
    returned = filled(make_pack(jtai), "r.xlsx", {"H2": "Green", "J3": NOTE})
    assert applied(jtai, returned, "--on", ON) == [
        "jtai: r.xlsx: Return!A2: 5.1: nothing to change",
        "jtai: r.xlsx: 8.1: note recorded",
        "jtai: updated plan.yaml: 1 action updated from 1 return(s)",
    ]


def test_a_formula_with_its_saved_result_in_the_last_row_and_column_is_read(
        jtai: Invoke, in_tmp: Path) -> None:
    """Reason (the last column) of 8.1 (the last row) holds a formula whose result was saved
    with it, as Excel saves one: its result is the reason."""
    returned = filled(make_pack(jtai), "r.xlsx", {"L3": datetime(2025, 12, 31),
                                                  "M3": '="Steering group "&"moved"'})
    rewritten(returned, "xl/worksheets/sheet2.xml",
              lambda xml: re.sub(r'<c r="M3"([^>]*)><f>(.*?)</f><v\s*(?:/>|></v>)',
                                 r'<c r="M3"\1 t="str"><f>\2</f><v>Steering group moved</v>',
                                 xml))
    assert applied(jtai, returned, "--on", ON) == [
        "jtai: r.xlsx: 8.1: complete by 2025-06-30 → 2025-12-31, reason recorded",
        "jtai: updated plan.yaml: 1 action updated from 1 return(s)",
    ]
    assert "            reason: Steering group moved\n" in \
        Path("plan.yaml").read_text(encoding="utf-8")


# Conflicts: what changed in the plan since the pack was made.

CONFLICT_HINT = ("    hint: --skip-conflicts applies the other rows; --force applies these "
                 "too")


def test_a_conflict_says_each_change_and_how_many_entries_came_since(
        jtai: Invoke, in_tmp: Path) -> None:
    # Before the pack: 5.1 rated Amber by hand, 8.1 updated once.
    edit_plan("progress: Green\n        impact:\n\n  - number: 6",
              "progress: Green\n        impact: Amber\n\n  - number: 6")
    update(jtai, "8.1", "--note", "Before the pack", "--by", "Jo", "--on", "2025-06-20")
    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE, "J3": NOTE})
    # Since: 5.1's rating cleared by hand (no history entry); 8.1 moved and noted.
    edit_plan("progress: Green\n        impact: Amber\n\n  - number: 6",
              "progress: Green\n        impact:\n\n  - number: 6")
    update(jtai, "8.1", "--due", "2025-09-30", "--impact", "red", "--reason", "Moved", "--by",
           "Jo", "--on", "2025-07-05")
    update(jtai, "8.1", "--note", "Still moved", "--by", "Al", "--on", "2025-07-06")
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: impact Amber → —",
        "    hint: check the row against the plan (`jtai history 5.1`), then --force to "
        "apply it anyway",
        "r.xlsx: Return!A3: 8.1 changed in the plan since the pack was made: complete by "
        "2025-06-30 → 2025-09-30; impact — → Red; 2 new history entries (latest 2025-07-06 "
        "by Al)",
        "    hint: check the row against the plan (`jtai history 8.1`), then --force to "
        "apply it anyway",
        "jtai: refused: 2 rows in conflict with changes made since the pack; the plan file "
        "was not changed",
        CONFLICT_HINT,
    ]


def test_a_conflict_with_history_taken_out_says_it_was_rewritten(
        jtai: Invoke, in_tmp: Path) -> None:
    update(jtai, "8.1", "--note", "Before the pack", "--by", "Jo", "--on", "2025-06-20")
    returned = filled(make_pack(jtai), "r.xlsx", {"J3": NOTE})
    text = Path("plan.yaml").read_text(encoding="utf-8")
    entry = ("        updates:\n          - date: 2025-06-20\n            by: Jo\n"
             "            note: Before the pack\n")
    assert entry in text
    Path("plan.yaml").write_text(text.replace(entry, ""), encoding="utf-8")
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: Return!A3: 8.1 changed in the plan since the pack was made: its history was "
        "rewritten",
        "    hint: check the row against the plan (`jtai history 8.1`), then --force to "
        "apply it anyway",
        "jtai: refused: 1 row in conflict with changes made since the pack; the plan file "
        "was not changed",
        CONFLICT_HINT,
    ]


def test_an_entry_alike_in_part_is_a_conflict_not_already_applied(
        jtai: Invoke, in_tmp: Path) -> None:
    """Already applied means an entry since the pack with the same day, author, note,
    evidence and reason: the same day alone, or the same note by someone else, is not it."""
    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE, "J3": NOTE})
    update(jtai, "5.1", "--note", "Escalated", "--by", "Jo", "--on", ON)
    update(jtai, "8.1", "--note", NOTE, "--by", "Jo", "--on", "2025-07-05")
    assert refused(jtai, returned, "--on", ON)[::2] == [
        "r.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: 1 new history "
        f"entry (latest {ON} by Jo)",
        "r.xlsx: Return!A3: 8.1 changed in the plan since the pack was made: 1 new history "
        "entry (latest 2025-07-05 by Jo)",
        "jtai: refused: 2 rows in conflict with changes made since the pack; the plan file "
        "was not changed",
    ]


def test_an_entry_from_before_the_pack_is_not_taken_for_this_return(
        jtai: Invoke, in_tmp: Path) -> None:
    """The same note by the same agency on the same day, applied before this pack was made,
    does not make this return's row already applied."""
    first = filled(make_pack(jtai, "first.xlsx"), "first-r.xlsx", {"J2": NOTE})
    assert applied(jtai, first, "--on", ON)[0] == "jtai: first-r.xlsx: 5.1: note recorded"
    again = filled(make_pack(jtai, "second.xlsx", "2025-07-11"), "second-r.xlsx", {"J2": NOTE})
    update(jtai, "5.1", "--note", "Escalated", "--by", "Jo", "--on", "2025-07-12")
    assert refused(jtai, again, "--on", ON)[0] == (
        "second-r.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: 1 new "
        "history entry (latest 2025-07-12 by Jo)")


def test_a_record_without_its_agency_is_not_taken_for_one(jtai: Invoke, in_tmp: Path) -> None:
    """A record that names no agency is refused, even where the plan knows an agency by an
    unusual alias."""
    edit_plan("aliases: [Police]", "aliases: [Police, XXXX]")

    def no_agency(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.delete_rows(record_line(meta, "agency"))

    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE}, no_agency)
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: the pack is for agency 'None', which the plan does not list",
        "jtai: refused: 1 problem in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_rows_of_actions_the_agency_does_not_own_are_each_listed(
        jtai: Invoke, in_tmp: Path) -> None:
    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE, "J3": NOTE})
    written = "\n        owners_as_written: TVP with support"
    edit_plan(f"owners: [TVP, BFfC]{written}", f"owners: [BWSCP, KCC]{written}")
    edit_plan("owners: [TVP]\n        theme: Learning", "owners: [BWSCP]\n        theme: Learning")
    hint = "    hint: only the owning agency's return may change it"
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: Return!A2: 5.1 is not owned by TVP (owners: BWSCP, KCC)", hint,
        "r.xlsx: Return!A3: 8.1 is not owned by TVP (owners: BWSCP)", hint,
        "jtai: refused: 2 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_row_sent_back_twice_is_applied_once_and_said(jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)
    first = filled(pack, "r1.xlsx", {"J2": NOTE})
    second = filled(pack, "r2.xlsx", {"J2": NOTE, "J3": NOTE})
    assert applied(jtai, first, second, "--on", ON) == [
        "jtai: r2.xlsx: Return!A2: 5.1 appears twice; applied once",
        "jtai: r1.xlsx: 5.1: note recorded",
        "jtai: r2.xlsx: 8.1: note recorded",
        "jtai: updated plan.yaml: 2 actions updated from 2 return(s)",
    ]
    assert Path("plan.yaml").read_text(encoding="utf-8").count(f"note: {NOTE}\n") == 2


def test_a_conflict_skipped_then_forced_is_said_with_its_reason(
        jtai: Invoke, in_tmp: Path) -> None:
    returned = filled(make_pack(jtai), "r.xlsx", {"H2": "Amber", "J2": NOTE, "J3": NOTE})
    update(jtai, "5.1", "--progress", "red", "--by", "Jo", "--on", "2025-07-05")
    conflict = ("jtai: r.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: "
                "progress Green → Red; 1 new history entry (latest 2025-07-05 by Jo)")
    assert applied(jtai, returned, "--on", ON, "--skip-conflicts") == [
        f"{conflict} (skipped: --skip-conflicts)",
        "jtai: r.xlsx: 8.1: note recorded",
        "jtai: updated plan.yaml: 1 action updated from 1 return(s)",
    ]
    assert applied(jtai, returned, "--on", ON, "--force") == [
        f"{conflict} (applied: --force)",
        "jtai: r.xlsx: Return!A3: 8.1 already applied",
        "jtai: r.xlsx: 5.1: progress Red → Amber, note recorded",
        "jtai: updated plan.yaml: 1 action updated from 1 return(s)",
    ]


def test_a_missing_or_unreadable_return_says_what_to_do(jtai: Invoke, in_tmp: Path) -> None:
    missing = jtai("apply", "nowhere.xlsx", "--on", ON)
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        "jtai: nowhere.xlsx: no such file",
        "    hint: give the returned workbooks' paths",
    ]
    Path("locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert refused(jtai, "locked.xlsx", "--on", ON)[:2] == [
        "locked.xlsx: password-protected (encrypted), so jtai cannot read it",
        "    hint: open it, remove the password (File > Info > Protect), save, and try again",
    ]


def test_a_pack_whose_record_sheet_was_deleted_is_not_a_pack(jtai: Invoke, in_tmp: Path) -> None:
    def deleted(_sheet: Worksheet, meta: Worksheet) -> None:
        book = meta.parent
        book.remove(meta)

    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE}, deleted)
    assert refused(jtai, returned, "--on", ON)[:2] == [
        "r.xlsx: not a jtai update pack (it has no 'Return' sheet or no record of how it was "
        "made)",
        "    hint: send the agency a pack made by `jtai pack` and apply what comes back",
    ]


def test_the_record_s_key_value_lines_exactly(jtai: Invoke, in_tmp: Path) -> None:
    """read_return_meta: the lines before the rows, a blank value as '' (here with no blank
    line before the rows' header)."""
    def reflowed(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.delete_rows(record_line(meta, "row") - 1)
        meta.cell(record_line(meta, "plan"), 2).value = None

    returned = Path(filled(make_pack(jtai), "r.xlsx", {}, reflowed))
    assert read_return_meta(returned) == {
        "kind": "jtai update pack", "version": "1", "plan": "",
        "plan_id": "JTAI Reading 2025-02-24", "agency": "TVP",
        "agency_name": "Thames Valley Police", "as_of": "2025-07-01", "return_by": "2025-07-15"}
    assert read_return_meta(Path("nowhere.xlsx")) == {}


# Returns refused as a whole: every one is listed, whatever came before it.

def test_every_return_for_another_plan_or_agency_is_listed(jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)
    bad = filled(pack, "bad.xlsx", {"H2": "Amberish"})

    def slough(_sheet: Worksheet, meta: Worksheet) -> None:
        set_meta("plan_id", "JTAI Slough 2025-02-24")(_sheet, meta)
        set_meta("plan", None)(_sheet, meta)  # the file it came from, left blank

    other = filled(pack, "slough.xlsx", {"J2": NOTE}, slough)
    fire = filled(pack, "fire.xlsx", {"J2": NOTE}, set_meta("agency", "Fire"))
    ambulance = filled(pack, "ambulance.xlsx", {"J2": NOTE}, set_meta("agency", "Ambulance"))
    assert refused(jtai, bad, other, fire, ambulance, "--on", ON) == [
        "bad.xlsx: Return!H2: New progress: 'Amberish' is not a RAG rating",
        "    hint: choose Blue, Green, Amber or Red from the list",
        "slough.xlsx: a pack for another plan ('JTAI Slough 2025-02-24', made from ), not for "
        "JTAI Reading 2025-02-24",
        "    hint: apply it to that plan with --plan PATH",
        "fire.xlsx: the pack is for agency 'Fire', which the plan does not list",
        "ambulance.xlsx: the pack is for agency 'Ambulance', which the plan does not list",
        "jtai: refused: 4 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_record_of_another_kind_or_version_is_refused_with_its_reason(
        jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)
    kind = filled(pack, "kind.xlsx", {"J2": NOTE}, set_meta("kind", "budget tracker"))
    version = filled(pack, "v2.xlsx", {"J2": NOTE}, set_meta("version", 2))
    assert refused(jtai, kind, version, "--on", ON) == [
        "kind.xlsx: not a jtai update pack (its record sheet is missing or damaged)",
        "    hint: apply only workbooks made by `jtai pack`",
        "v2.xlsx: a version 2 pack, which this jtai cannot read (it reads version 1)",
        "    hint: make a new pack with this version of jtai",
        "jtai: refused: 2 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_record_with_no_rows_part_makes_every_row_one_added_by_hand(
        jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)

    def no_header(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.delete_rows(record_line(meta, "row"))

    def key_values_only(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.delete_rows(record_line(meta, "return_by") + 1, 10)

    cut = filled(pack, "cut.xlsx", {"J2": NOTE}, no_header)
    short = filled(pack, "short.xlsx", {"J2": NOTE}, key_values_only)
    added = ["a row added by hand (ref '5.1'): the pack had rows 2 to 2 only",
             "a row added by hand (ref '8.1'): the pack had rows 2 to 2 only"]
    hint = ("    hint: new actions are added to the plan with `jtai add`; delete this row")
    assert refused(jtai, cut, short, "--on", ON) == [
        f"cut.xlsx: Return!A2: {added[0]}", hint, f"cut.xlsx: Return!A3: {added[1]}", hint,
        f"short.xlsx: Return!A2: {added[0]}", hint, f"short.xlsx: Return!A3: {added[1]}", hint,
        "jtai: refused: 4 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_record_reflowed_by_hand_is_still_read(jtai: Invoke, in_tmp: Path) -> None:
    """The record's blank line taken out, a comment line before its rows, a sixth column
    and a locked cell's entry missing where the cell is empty: the rows still match."""
    def reflowed(_sheet: Worksheet, meta: Worksheet) -> None:
        meta.delete_rows(record_line(meta, "row") - 1)
        header = record_line(meta, "row")
        meta.insert_rows(header + 1)
        meta.cell(header + 1, 2).value = "rows as sent on 1 July"
        meta["F1"] = "checked"
        line = record_line(meta, 2)
        given = meta.cell(line, 5).value
        assert '"impact": "", ' in given
        meta.cell(line, 5).value = given.replace('"impact": "", ', "")

    returned = filled(make_pack(jtai), "r.xlsx", {"J2": NOTE, "J3": NOTE}, reflowed)
    assert applied(jtai, returned, "--on", ON) == [
        "jtai: r.xlsx: 5.1: note recorded",
        "jtai: r.xlsx: 8.1: note recorded",
        "jtai: updated plan.yaml: 2 actions updated from 1 return(s)",
    ]


def test_rows_added_by_hand_are_each_named_and_a_blank_looking_row_is_not(
        jtai: Invoke, in_tmp: Path) -> None:
    returned = filled(make_pack(jtai), "r.xlsx", {"A4": "8.2", "J4": "New", "A5": "8.3",
                                                  "A7": "   ", "J2": NOTE})
    hint = ("    hint: new actions are added to the plan with `jtai add`; delete this row")
    assert refused(jtai, returned, "--on", ON)[:-2] == [
        "r.xlsx: Return!A4: a row added by hand (ref '8.2'): the pack had rows 2 to 3 only",
        hint,
        "r.xlsx: Return!A5: a row added by hand (ref '8.3'): the pack had rows 2 to 3 only",
        hint,
    ]


def test_a_return_sheet_cut_to_its_headers_or_emptied(jtai: Invoke, in_tmp: Path) -> None:
    pack = make_pack(jtai)

    def headers_only(sheet: Worksheet, _meta: Worksheet) -> None:
        sheet.delete_rows(2, 2)

    def emptied(sheet: Worksheet, _meta: Worksheet) -> None:
        sheet.delete_rows(1, 3)

    cut = filled(pack, "cut.xlsx", {}, headers_only)
    lines = refused(jtai, cut, "--on", ON)
    assert lines[::2][:-1] == [
        "cut.xlsx: Return!A2: the locked cell 'Ref' of 5.1 was changed from '5.1' to ''",
        "cut.xlsx: Return!B2: the locked cell 'Objective' of 5.1 was changed from "
        "'5. CUMULATIVE IMPACT' to ''",
        "cut.xlsx: Return!C2: the locked cell 'Action' of 5.1 was changed from "
        f"'{ACTION_5_1[:59]}…' to ''",
        "cut.xlsx: Return!D2: the locked cell 'Complete by' of 5.1 was changed from "
        "'2025-06-30' to ''",
        "cut.xlsx: Return!E2: the locked cell 'Progress' of 5.1 was changed from 'Green' to ''",
        "cut.xlsx: Return!A3: the locked cell 'Ref' of 8.1 was changed from '8.1' to ''",
        "cut.xlsx: Return!B3: the locked cell 'Objective' of 8.1 was changed from "
        "'8. MARAC ARRANGEMENTS' to ''",
        "cut.xlsx: Return!C3: the locked cell 'Action' of 8.1 was changed from "
        f"'{ACTION_8_1[:59]}…' to ''",
        "cut.xlsx: Return!D3: the locked cell 'Complete by' of 8.1 was changed from "
        "'2025-06-30' to ''",
        "cut.xlsx: Return!E3: the locked cell 'Progress' of 8.1 was changed from 'Green' to ''",
    ]
    assert set(lines[1:-2:2]) == {LOCKED_HINT}
    assert lines[-2] == "jtai: refused: 10 problems in the returns; the plan file was not changed"
    # Emptied in Excel (its rows kept, with their heights), or with no rows at all.
    emptied_in_excel = filled(pack, "empty.xlsx", {}, emptied)
    no_rows = filled(pack, "no-rows.xlsx", {}, emptied)
    rewritten(no_rows, "xl/worksheets/sheet2.xml",
              lambda xml: re.sub(r"<sheetData>.*?</sheetData>", "<sheetData/>", xml))
    for name in (emptied_in_excel, no_rows):
        lines = refused(jtai, name, "--on", ON)
        assert lines[:2] == [
            f"{name}: Return!A1: the column header is '' but the pack's is 'Ref'",
            "    hint: the headers are how jtai reads the return: put the original header back",
        ]
        assert lines[24] == (f"{name}: Return!M1: the column header is '' but the pack's is "
                             "'Reason for new date'")
        assert lines[-2] == ("jtai: refused: 13 problems in the returns; the plan file was not "
                             "changed")


def test_a_header_problem_stops_the_rows_being_read(jtai: Invoke, in_tmp: Path) -> None:
    """Behind a renamed or an added column the rows are not read at all: their bad cells
    are not listed as well."""
    pack = make_pack(jtai)
    renamed = filled(pack, "renamed.xlsx", {"H1": "Progress update", "H2": "Amberish"})
    added = filled(pack, "added.xlsx", {"N1": "Comments", "H2": "Amberish"})
    assert refused(jtai, renamed, added, "--on", ON) == [
        "renamed.xlsx: Return!H1: the column header is 'Progress update' but the pack's is "
        "'New progress'",
        "    hint: the headers are how jtai reads the return: put the original header back",
        "added.xlsx: Return!N1: a column added by hand ('Comments'), which jtai would not read",
        "    hint: remove it and put what it says in Note",
        "jtai: refused: 2 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_locked_cell_changed_stops_its_row_being_read(jtai: Invoke, in_tmp: Path) -> None:
    """Locked cells changed are quoted up to 60 characters, spaces run together; the row's
    own bad cells are not listed as well."""
    sixty = "Train  all front-line staff in domestic abuse awareness now!"
    assert len(" ".join(sixty.split())) == 59 and len(sixty) == 60
    sixty = sixty.replace("now!", "now!!")
    sixty_one = "x" * 61
    returned = filled(make_pack(jtai), "r.xlsx", {"C2": sixty, "H2": "Amberish",
                                                  "C3": sixty_one})
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: Return!C2: the locked cell 'Action' of 5.1 was changed from "
        f"'{ACTION_5_1[:59]}…' to 'Train all front-line staff in domestic abuse awareness "
        "now!!'",
        LOCKED_HINT,
        "r.xlsx: Return!C3: the locked cell 'Action' of 8.1 was changed from "
        f"'{ACTION_8_1[:59]}…' to '{'x' * 59}…'",
        LOCKED_HINT,
        "jtai: refused: 2 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


def test_a_number_in_the_date_column_and_a_long_unsaved_formula(
        jtai: Invoke, in_tmp: Path) -> None:
    def general(sheet: Worksheet, _meta: Worksheet) -> None:
        sheet["L2"].number_format = "General"

    formula = '="Training "&"delayed "&"until "&"September"'
    returned = filled(make_pack(jtai), "r.xlsx", {"L2": 45000, "J3": formula}, general)
    assert refused(jtai, returned, "--on", ON) == [
        "r.xlsx: Return!L2: New complete-by: '45000' is not a date",
        "    hint: type a date such as 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March "
        "2026",
        "r.xlsx: Return!J3: Note of 8.1 holds a formula "
        f"({formula[:39]}…) whose result was never saved, so jtai cannot tell what it says",
        "    hint: type the value itself, or open the file in Excel and save it again",
        "jtai: refused: 2 problems in the returns; the plan file was not changed",
        REFUSED_HINT,
    ]


# The day a return was saved: Excel's own record of it, in England.

@pytest.fixture
def far_east(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's clock set to UTC+14, so that a day said in its own time zone, or a
    time taken for its own, is another day than England's."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def saved_at(pack: Path, out: str, stamp: str) -> Path:
    """``pack`` as a workbook whose properties say it was saved at ``stamp`` (UTC), its file
    dated 1 January 2020."""
    filled(pack, out, {"J2": NOTE})
    modified = re.compile(r"<dcterms:modified [^>]*>[^<]*</dcterms:modified>")
    rewritten(out, "docProps/core.xml", lambda xml: modified.sub(
        lambda m: re.sub(r">[^<]*<", f">{stamp}<", m.group(0)), xml))
    moment = datetime(2020, 1, 1, 12, 0).timestamp()
    os.utime(out, (moment, moment))
    return Path(out)


def test_a_return_is_dated_the_day_excel_saved_it_in_england(
        jtai: Invoke, in_tmp: Path, far_east: None) -> None:
    pack = make_pack(jtai)
    # 23:30 UTC on 9 July is 00:30 on 10 July in London (BST); noon is 13:00 the same day.
    late = saved_at(pack, "late.xlsx", "2025-07-09T23:30:00Z")
    noon = saved_at(pack, "noon.xlsx", "2025-07-09T12:00:00Z")
    assert read_return(late).modified == date(2025, 7, 10)
    assert read_return(noon).modified == date(2025, 7, 9)
    # Winter: London is on UTC.
    assert read_return(saved_at(pack, "winter.xlsx", "2025-01-09T23:30:00Z")).modified == \
        date(2025, 1, 9)
    shutil.copyfile(late, "r.xlsx")
    assert applied(jtai, "r.xlsx")[0] == "jtai: r.xlsx: 5.1: note recorded"
    assert ("          - date: 2025-07-10\n"
            f"            by: {BY}\n"
            f"            note: {NOTE}\n") in Path("plan.yaml").read_text(encoding="utf-8")



def test_a_return_whose_file_does_not_say_when_it_was_saved_is_dated_by_the_file(
        jtai: Invoke, in_tmp: Path) -> None:
    """openpyxl fills a missing record with the time of reading: not a day to date by."""
    pack = make_pack(jtai)
    out = saved_at(pack, "unsaid.xlsx", "2025-07-09T12:00:00Z")
    rewritten(str(out), "docProps/core.xml", lambda xml: re.sub(
        r"<dcterms:modified [^>]*>[^<]*</dcterms:modified>", "", xml))
    moment = datetime(2020, 1, 1, 12, 0).timestamp()
    os.utime(out, (moment, moment))
    assert read_return(out).modified == date(2020, 1, 1)


# Several plans (test_portfolio's three): the hint of a refusal.

# test_portfolio's texts, imported by name so that its own imports stay its concern.
PORTFOLIO: Any = importlib.import_module("test_portfolio")


def snapshot(folder: Path) -> dict[str, bytes]:
    result: dict[str, bytes] = PORTFOLIO.snapshot(folder)
    return result


@pytest.fixture
def plans_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """test_portfolio's three plans in plans/, and the work beside them."""
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copyfile(REAL_PLAN, plans / "reading-jtai.yaml")
    (plans / "agencies.yaml").write_text(PORTFOLIO.SHARED, encoding="utf-8")
    (plans / "wok.yaml").write_text(PORTFOLIO.small_plan(
        "Wokingham", PORTFOLIO.WOKINGHAM, plan_id="wokingham-ilacs"), encoding="utf-8")
    (plans / "wberks-cspr.yaml").write_text(PORTFOLIO.small_plan(
        "West Berkshire", PORTFOLIO.WEST_BERKS), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("plans")


def test_across_plans_a_conflict_in_one_keeps_its_own_hint_and_in_two_the_general_one(
        jtai: Invoke, plans_here: Path) -> None:
    """One plan in conflict: the conflict's own hint; two plans refused: the hint for all."""
    made = jtai("pack", "--plan", "plans", "--owner", "TVP", "-o", "tvp.xlsx", "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    update(jtai, "--plan", "plans", "wokingham-ilacs:1.1", "--progress", "green", "--by",
           "B Lead", "--on", "2025-07-03")
    returned = filled(Path("tvp.xlsx"), "ret.xlsx", {"H2": "Amber", "H5": "Red"})
    before = snapshot(plans_here)
    conflict = [
        "ret.xlsx: Return!A5: 1.1 changed in the plan since the pack was made: progress "
        "Amber → Green; 1 new history entry (latest 2025-07-03 by B Lead)",
        "    hint: check the row against the plan (`jtai history 1.1`), then --force to "
        "apply it anyway",
    ]
    skipped = "jtai: skipped plans/agencies.yaml: not a jtai plan (no top-level objectives:)"
    result = jtai("apply", "--plan", "plans", returned, "--on", ON)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        skipped,
        *conflict,
        "jtai: refused: 1 problem in the returns across 3 plans; no plan file was changed",
        CONFLICT_HINT,
    ]
    assert snapshot(plans_here) == before
    update(jtai, "--plan", "plans", "reading-jtai:5.1", "--progress", "red", "--by",
           "B Lead", "--on", "2025-07-04")
    assert snapshot(plans_here) != before
    before = snapshot(plans_here)
    result = jtai("apply", "--plan", "plans", returned, "--on", ON)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        skipped,
        "ret.xlsx: Return!A2: 5.1 changed in the plan since the pack was made: progress "
        "Green → Red; 1 new history entry (latest 2025-07-04 by B Lead)",
        "    hint: check the row against the plan (`jtai history 5.1`), then --force to "
        "apply it anyway",
        *conflict,
        "jtai: refused: 2 problems in the returns across 3 plans; no plan file was changed",
        "    hint: fix them in the workbooks (or ask the agencies to) and apply them again; "
        "nothing was applied to any plan",
    ]
    assert snapshot(plans_here) == before


# Making the pack.

def test_a_pack_for_an_unknown_agency_lists_the_known_ones(jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("pack", "--owner", "Fire", "-o", "x.xlsx")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "jtai: --owner: unknown agency 'Fire'",
        "    hint: known agencies: BFfC (Brighter Futures for Children), TVP (Thames Valley "
        "Police), BWSCP (Berkshire West Safeguarding Children Partnership), KCC (Kent County "
        "Council), RBC (Reading Borough Council)",
    ]
    assert not Path("x.xlsx").exists()


def test_the_pack_opens_on_its_return_sheet(jtai: Invoke, in_tmp: Path) -> None:
    assert load_workbook(make_pack(jtai)).active.title == "Return"


def test_the_help_sheet_says_what_to_do_word_for_word(jtai: Invoke, in_tmp: Path) -> None:
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert [(row[0].value, row[1].value) for row in sheet.iter_rows(max_col=2)] == [
        ("JTAI Reading: Multi-Agency Improvement Plan", None),
        ("Update for Thames Valley Police (TVP)", None),
        (None, None),
        ("Please return by", "15 July 2025"),
        ("What to do", "Open the 'Return' sheet. Each row is one action your agency owns. "
                       "Fill in only the white columns on the right; leave a row blank if "
                       "nothing has changed."),
        ("New progress", "Pick Blue, Green, Amber or Red from the list. Choose Blue only when "
                         "the action is complete, and say how you know in Evidence."),
        ("New impact", "Pick a rating for the difference the action is making to children."),
        ("Note", "What has happened since the last update, in a sentence or two. Do not name "
                 "or identify any child or family."),
        ("Evidence", "What shows the progress or completion: a report, an audit, minutes."),
        ("New complete-by", "Only if the date has to move: type the new date (for example "
                            "31/03/2026) and give the reason in the next column."),
        ("Then", "Save the file (keep it as .xlsx, keep the name) and email it back. Please "
                 "do not add, remove or re-order rows or columns: the plan is updated from "
                 "them automatically."),
        (None, None),
        ("RAG key", None),
        ("Blue", "Completed"),
        ("Green", "On track"),
        ("Amber", "Emerging possibility that action will not be completed on time, attention "
                  "needed"),
        ("Red", "Highly likely action will not be completed on time, urgent action needed"),
    ]
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (16, 90)
    assert all(sheet.cell(r, 1).font.b for r in range(1, 18))
    assert not any(sheet.cell(r, 2).font.b for r in range(1, 18))
    assert sheet["A1"].font.sz == 14
    assert [(sheet.cell(r, 1).fill.fgColor.rgb, sheet.cell(r, 1).font.color.rgb)
            for r in range(14, 18)] == [("009DC3E6", "001F3864"), ("00A9D08E", "00375623"),
                                        ("00FFD966", "007F6000"), ("00F4B084", "00843C0C")]


def test_a_rag_word_the_plan_does_not_explain_has_no_text_on_the_help_sheet(
        jtai: Invoke, in_tmp: Path) -> None:
    edit_plan("  Red: Highly likely action will not be completed on time, urgent action needed\n",
              "")
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(14, 18)] == [
        ("Blue", "Completed"), ("Green", "On track"),
        ("Amber", "Emerging possibility that action will not be completed on time, attention "
                  "needed"),
        ("Red", None)]


# Packs across several plans (test_portfolio's three): the refusals, exactly.

SKIPPED = "jtai: skipped plans/agencies.yaml: not a jtai plan (no top-level objectives:)"


@pytest.mark.parametrize(("args", "said"), [
    (("--owner", "Fire", "-o", "x.xlsx"), [
        "jtai: --owner: no plan knows the agency 'Fire'",
        "    hint: known agencies: BFfC (Brighter Futures for Children), TVP (Thames Valley "
        "Police), BWSCP (Berkshire West Safeguarding Children Partnership), KCC (Kent County "
        "Council), RBC (Reading Borough Council)"]),
    (("--owner", "KCC", "-o", "k.xlsx", "--progress", "red"), [
        "jtai: KCC owns no action these filters select in any plan (completed ones are left out "
        "unless --progress blue is given)",
        "    hint: `jtai status --plan ... --owner KCC` lists what it owns"]),
    (("--all", "-o", "out", "--impact", "red"), [
        "jtai: no agency owns an action these filters select in any plan, so no pack was made",
        "    hint: loosen the filters (see `jtai status`)"]),
])
def test_a_pack_across_plans_refused_says_why(jtai: Invoke, plans_here: Path,
                                              args: tuple[str, ...], said: list[str]) -> None:
    result = jtai("pack", "--plan", "plans", *args, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [SKIPPED, *said]
    assert sorted(p.name for p in Path().iterdir()) == ["plans"]


def test_a_plan_the_filters_cannot_apply_to_does_not_end_the_others(
        jtai: Invoke, plans_here: Path) -> None:
    """wberks-cspr has no objective 2; wokingham-ilacs, read after it, has (2.3 is CCG's)."""
    result = jtai("pack", "--plan", "plans", "--all", "-o", "out", "--objective", "2",
                  "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        SKIPPED,
        "jtai: wrote out/BFfC.xlsx: 3 actions for BFfC",
        "jtai: wrote out/BWSCP.xlsx: 1 action for BWSCP",
        "jtai: wrote out/KCC.xlsx: 1 action for KCC",
        "jtai: wrote out/CCG.xlsx: 1 action for CCG",
    ]
