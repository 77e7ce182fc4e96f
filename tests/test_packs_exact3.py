"""Agency packs, said exactly (third part): the last-update text of an update that says
nothing but its ratings or only a reason, a plan with no plan title, the fingerprint of a
state in other than ASCII, a single plan's pack refusals word for word, and the BOM only
the plain-text file gets.

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


def test_a_state_with_accented_evidence_is_fingerprinted_from_its_utf8_text(
        jtai: Invoke, in_tmp: Path) -> None:
    """The record's fingerprint hashes the state's JSON as written, accents kept (not
    escaped as \\u00e9): a pack made by another version would otherwise not match."""
    update(jtai, "8.1", "--evidence", "Audit réussi", "--by", "Jo", "--on", "2025-06-20")
    meta = load_workbook(make_pack(jtai))["jtai"]
    assert [(meta.cell(r, 2).value, meta.cell(r, 3).value) for r in (11, 12)] == [
        ("5.1", "cfbf55bf045cefa0"), ("8.1", "379066c95b58162a")]


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
