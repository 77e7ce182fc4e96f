"""Agency packs, said exactly (third part): the last-update text of an update that says
nothing but its ratings or only a reason, a plan with no plan title, the record's JSON and
fingerprint with accents, where a help text wraps, a single plan's pack refusals word for
word, and the BOM only the plain-text file gets.

Every workbook is read back with openpyxl from a pack `jtai pack` made here.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

import test_packs_exact as exact
from conftest import Invoke
from test_packs_exact import AS_OF, edit_plan, make_pack, update

# test_packs_exact's fixture: work beside a copy of plan.yaml.
in_tmp = exact.in_tmp


def test_an_update_with_only_ratings_reads_updated_and_one_with_only_a_reason_its_reason(
        jtai: Invoke, in_tmp: Path) -> None:
    """5.1: only a new progress, so no note, reason or evidence; 8.1: only a new date and its
    reason."""
    update(jtai, "5.1", "--progress", "amber", "--by", "Jo", "--on", "2025-06-20")
    update(jtai, "8.1", "--due", "31/12/2025", "--reason", "Trainer ill", "--by", "Al",
           "--on", "2025-06-21")
    sheet = load_workbook(make_pack(jtai))["Return"]
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 7).value) for r in (2, 3)] == [
        ("5.1", "2025-06-20 Jo: updated"), ("8.1", "2025-06-21 Al: Trainer ill")]


def test_a_plan_without_a_plan_title_is_called_an_improvement_plan(
        jtai: Invoke, in_tmp: Path) -> None:
    edit_plan("  plan_title: Multi-Agency Improvement Plan\n", "")
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert sheet["A1"].value == "JTAI Reading: improvement plan"


def test_the_record_keeps_accents_and_sorts_keys_and_fingerprints_the_utf8_text(
        jtai: Invoke, in_tmp: Path) -> None:
    """The record's state and given texts are JSON with sorted keys and accents kept (not
    escaped as \\u00e9), and the fingerprint hashes the state's text so written: a record
    written otherwise would not match the plan's action."""
    update(jtai, "8.1", "--evidence", "Audit réussi", "--note", "Réunion tenue", "--by", "Jo",
           "--on", "2025-06-20")
    meta = load_workbook(make_pack(jtai))["jtai"]
    assert (meta.cell(11, 2).value, meta.cell(11, 3).value) == ("5.1", "cfbf55bf045cefa0")
    assert [c.value for c in meta[12]] == [
        3, "8.1", "379066c95b58162a",
        '{"complete_by": "2025-06-30", "evidence": "Audit réussi", "impact": null, '
        '"impact_evidence": null, "progress": "Green", "updates": 1}',
        '{"action": "Refresh and update partnership knowledge of MARAC function and role and '
        'their potential impact for practitioners across different agencies.", '
        '"complete_by": "2025-06-30", "impact": "", "last_update": "2025-06-20 Jo: Réunion '
        'tenue", "objective": "8. MARAC ARRANGEMENTS", "progress": "Green", "ref": "8.1"}']


def test_a_help_text_of_exactly_88_characters_fits_one_line(
        jtai: Invoke, in_tmp: Path) -> None:
    """Column B is 90 wide and wraps at 88 characters: Red's key text made exactly 88 long
    keeps its row one line tall (15 points and 3)."""
    red = "Highly likely action will not be completed on time, urgent action needed"
    edit_plan(f"  Red: {red}\n", f"  Red: {red} by the partners\n")
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert (len(sheet["B17"].value), sheet.row_dimensions[17].height) == (88, 18.0)


def test_a_pack_of_one_plan_no_agency_can_take_says_why(jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("pack", "--all", "-o", "out", "--impact", "red", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "jtai: no agency owns an action these filters select, so no pack was made",
        "    hint: loosen the filters (see `jtai status`)"]
    assert sorted(p.name for p in Path().iterdir()) == ["plan.yaml"]


def test_a_pack_for_an_agency_owning_nothing_selected_says_so(
        jtai: Invoke, in_tmp: Path) -> None:
    result = jtai("pack", "--owner", "KCC", "-o", "k.xlsx", "--progress", "red",
                  "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "jtai: KCC owns no action these filters select (completed ones are left out unless "
        "--progress blue is given)",
        "    hint: `jtai status --owner KCC` lists what it owns"]
    assert not Path("k.xlsx").exists()


def test_only_the_plain_text_pack_file_starts_with_a_byte_order_mark(
        jtai: Invoke, in_tmp: Path) -> None:
    """So Notepad and Outlook read it as UTF-8; Markdown is read by tools that need none."""
    for name, fmt in (("p.txt", "txt"), ("p.md", "md")):
        made = jtai("pack", "--owner", "TVP", "--format", fmt, "-o", name, "--as-of", AS_OF)
        assert made.exit_code == 0, made.stderr
    assert Path("p.txt").read_bytes()[:12] == b"\xef\xbb\xbfJTAI Read"
    assert Path("p.md").read_bytes()[:9] == b"# JTAI Re"
