"""Agency packs, said exactly (continued): the Return sheet as an agency lead sees it in Excel
(widths, colours, borders, locks, the lists and date checks with their messages, the colours
a picked rating takes, the frozen header, the protection), the hidden record line by line, and
returns applied across several plans (each row to its own plan's file, every refusal listed).

Every workbook is read back with openpyxl from a pack `jtai pack` made here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

import test_packs_exact as exact
from conftest import Invoke
from test_packs_exact import AS_OF, make_pack

# test_packs_exact's fixtures: work beside a copy of plan.yaml, or beside test_portfolio's plans.
in_tmp = exact.in_tmp
plans_here = exact.plans_here

WIDTHS = {"A": 7, "B": 24, "C": 50, "D": 13, "E": 10, "F": 10, "G": 32, "H": 13, "I": 12,
          "J": 36, "K": 36, "L": 15, "M": 30}
HEADERS = ["Ref", "Objective", "Action", "Complete by", "Progress", "Impact", "Last update",
           "New progress", "New impact", "Note", "Evidence", "New complete-by",
           "Reason for new date"]
GREY_LINE = ("thin", "00A6A6A6")
# (fill pattern, fill colour) of the header, of a given cell, of a Green rating, of a white cell
HEADER_FILL = ("solid", "00D9E1F2")
GIVEN_FILL = ("solid", "00F2F2F2")
GREEN_FILL = ("solid", "00A9D08E")
NO_FILL = (None, "00000000")
# Each RAG word's (fill, text) colour, as the plan's key and the given ratings show them.
RAG_COLOURS = [("Blue", "009DC3E6", "001F3864"), ("Green", "00A9D08E", "00375623"),
               ("Amber", "00FFD966", "007F6000"), ("Red", "00F4B084", "00843C0C")]


def return_sheet(jtai: Invoke) -> Worksheet:
    sheet: Worksheet = load_workbook(make_pack(jtai))["Return"]
    return sheet


def look(cell: Any) -> tuple[object, ...]:
    """How a cell looks: bold, text colour (None: the theme's), fill, the four borders, wrap,
    vertical alignment, locked, number format."""
    colour = cell.font.color
    colour = colour.rgb if colour is not None and colour.type == "rgb" else None
    sides = {(side.style, side.color.rgb if side.color is not None else None)
             for side in (cell.border.left, cell.border.right, cell.border.top,
                          cell.border.bottom)}
    return (bool(cell.font.b), colour, (cell.fill.patternType, cell.fill.fgColor.rgb), sides,
            cell.alignment.wrap_text, cell.alignment.vertical, cell.protection.locked,
            cell.number_format)


# The Return sheet.

def test_the_return_sheet_s_header_row_is_bold_on_blue_grey_in_fixed_widths(
        jtai: Invoke, in_tmp: Path) -> None:
    sheet = return_sheet(jtai)
    assert {k: d.width for k, d in sheet.column_dimensions.items()} == WIDTHS
    assert [c.value for c in sheet[1]] == HEADERS
    assert [look(c) for c in sheet[1]] == [
        (True, None, HEADER_FILL, {GREY_LINE}, True, "top", True, "General")] * 13
    assert sheet.row_dimensions[1].height == 30


def test_the_given_cells_are_grey_and_locked_the_white_ones_open(
        jtai: Invoke, in_tmp: Path) -> None:
    """TVP's 5.1 and 8.1: due 30/06/2025, Green, no impact, no update yet."""
    sheet = return_sheet(jtai)
    given = (False, None, GIVEN_FILL, {GREY_LINE}, True, "top", True, "General")
    dated = (*given[:-1], "DD/MM/YYYY")
    green = (True, "00375623", GREEN_FILL, {GREY_LINE}, True, "top", True, "General")
    white = (False, None, NO_FILL, {GREY_LINE}, True, "top", False, "General")
    white_date = (*white[:-1], "DD/MM/YYYY")
    for row in (2, 3):
        assert [look(c) for c in sheet[row]] == [
            given, given, given, dated, green, given, given,
            white, white, white, white, white_date, white]
    assert sheet["D2"].value.date().isoformat() == "2025-06-30"
    assert [c.value for c in sheet[2]][4:] == ["Green", *[None] * 8]


def test_each_row_is_as_tall_as_its_longest_given_text(jtai: Invoke, in_tmp: Path) -> None:
    """5.1's action (198 characters) wraps to 5 lines of 48 (its width, 50, less 2), 8.1's
    (139) to 3; 15 points a line and 3 more. Nothing else given is longer than a line."""
    sheet = return_sheet(jtai)
    assert [sheet.row_dimensions[r].height for r in (2, 3)] == [78.0, 48.0]


def test_the_white_columns_take_a_rating_from_the_list_or_a_date_and_say_what_is_wrong(
        jtai: Invoke, in_tmp: Path) -> None:
    sheet = return_sheet(jtai)
    rating = ("list", None, '"Blue,Green,Amber,Red"', True, True, "Not a RAG rating",
              "Choose Blue, Green, Amber or Red.")
    assert [(str(v.sqref), v.type, v.operator, v.formula1, v.allowBlank, v.showErrorMessage,
             v.errorTitle, v.error) for v in sheet.data_validations.dataValidation] == [
        ("H2:H3", *rating),
        ("I2:I3", *rating),
        ("L2:L3", "date", "greaterThan", "36526", True, True, "Not a date",
         "Type a date such as 31/03/2026."),
    ]


def test_a_rating_picked_from_the_list_takes_its_colour(jtai: Invoke, in_tmp: Path) -> None:
    sheet = return_sheet(jtai)
    rules = [(str(c.sqref), r.type, r.operator, r.formula, r.dxf.fill.bgColor.rgb,
              r.dxf.font.color.rgb) for c in sheet.conditional_formatting for r in c.rules]
    assert rules == [(span, "cellIs", "equal", [f'"{word}"'], fill, text)
                     for span in ("H2:H3", "I2:I3") for word, fill, text in RAG_COLOURS]


def test_the_return_sheet_is_protected_frozen_and_printed_with_its_header(
        jtai: Invoke, in_tmp: Path) -> None:
    """No password; columns and rows may still be widened; the header repeats on each page,
    the sheet printed landscape on A4, one page wide."""
    sheet = return_sheet(jtai)
    protection = sheet.protection
    assert (protection.sheet, protection.password, protection.formatColumns,
            protection.formatRows) == (True, None, False, False)
    assert sheet.freeze_panes == "B2"
    assert sheet.print_title_rows == "$1:$1"
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight,
            sheet.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, 1, 0, True)


# The hidden record.

def test_the_hidden_record_of_a_one_plan_pack_line_by_line(jtai: Invoke, in_tmp: Path) -> None:
    meta = load_workbook(make_pack(jtai))["jtai"]
    lines = [tuple(c.value for c in row) for row in meta.iter_rows()]
    state = ('{"complete_by": "2025-06-30", "evidence": null, "impact": null, '
             '"impact_evidence": null, "progress": "Green", "updates": 0}')
    assert [line[:2] for line in lines[:10]] == [
        ("kind", "jtai update pack"), ("version", "1"), ("plan", "plan.yaml"),
        ("plan_id", "JTAI Reading 2025-02-24"), ("agency", "TVP"),
        ("agency_name", "Thames Valley Police"), ("as_of", "2025-07-01"),
        ("return_by", "2025-07-15"), (None, None), ("row", "ref")]
    assert lines[9] == ("row", "ref", "fingerprint", "state", "given")
    assert [line[:4] for line in lines[10:]] == [
        (2, "5.1", "cfbf55bf045cefa0", state), (3, "8.1", "cfbf55bf045cefa0", state)]
    assert json.loads(str(lines[11][4])) == {
        "action": "Refresh and update partnership knowledge of MARAC function and role and "
                  "their potential impact for practitioners across different agencies.",
        "complete_by": "2025-06-30", "impact": "", "last_update": "",
        "objective": "8. MARAC ARRANGEMENTS", "progress": "Green", "ref": "8.1"}
    assert (meta.sheet_state, meta.protection.sheet) == ("hidden", True)


# A pack across several plans (test_portfolio's three, Wokingham's file named wök.yaml).

PLANS_RECORD = (
    '[{"id": "reading-jtai", "file": "reading-jtai.yaml", "plan_id": "JTAI Reading 2025-02-24"}, '
    '{"id": "wberks-cspr", "file": "wberks-cspr.yaml", "plan_id": '
    '"ILACS West Berkshire 2025-01-13"}, '
    '{"id": "wokingham-ilacs", "file": "wök.yaml", "plan_id": "ILACS Wokingham 2025-01-13"}]')
TVP_ACROSS = ["reading-jtai:5.1", "reading-jtai:8.1", "wberks-cspr:1.2", "wokingham-ilacs:1.1"]


@pytest.fixture
def accented(plans_here: Path) -> Path:
    (plans_here / "wok.yaml").rename(plans_here / "wök.yaml")
    return plans_here


def across(jtai: Invoke, name: str = "tvp.xlsx") -> Path:
    made = jtai("pack", "--plan", "plans", "--owner", "TVP", "-o", name, "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    return Path(name)


def test_a_pack_across_plans_records_each_plan_by_its_id_file_and_inspection(
        jtai: Invoke, accented: Path) -> None:
    meta = load_workbook(across(jtai))["jtai"]
    lines = [(row[0], row[1]) for row in meta.iter_rows(max_col=2, values_only=True)]
    assert lines[:11] == [
        ("kind", "jtai update pack"), ("version", "1"),
        ("plan", "reading-jtai.yaml, wberks-cspr.yaml, wök.yaml"), ("plan_id", None),
        ("agency", "TVP"), ("agency_name", "Thames Valley Police"), ("as_of", "2025-07-01"),
        ("return_by", "2025-07-15"), ("plans", PLANS_RECORD), (None, None), ("row", "ref")]
    assert lines[11:] == list(enumerate(TVP_ACROSS, start=2))


def test_a_pack_across_plans_is_titled_by_them_with_the_first_plan_s_rag_key(
        jtai: Invoke, accented: Path) -> None:
    book = load_workbook(across(jtai))
    help_sheet = book["How to fill this in"]
    assert [help_sheet.cell(r, 1).value for r in (1, 2)] == [
        "3 plans: reading-jtai, wberks-cspr, wokingham-ilacs",
        "Update for Thames Valley Police (TVP)"]
    assert [(help_sheet.cell(r, 1).value, help_sheet.cell(r, 2).value) for r in (14, 15)] == [
        ("Blue", "Completed"), ("Green", "On track")]
    assert [(row[0], row[1]) for row in book["Return"].iter_rows(
        min_row=2, max_col=2, values_only=True)] == [
        ("reading-jtai:5.1", "5. CUMULATIVE IMPACT"),
        ("reading-jtai:8.1", "8. MARAC ARRANGEMENTS"),
        ("wberks-cspr:1.2", "1. OBJECTIVE 1"), ("wokingham-ilacs:1.1", "1. OBJECTIVE 1")]


# Returns applied across several plans (`jtai apply --plan plans`).

SKIPPED = exact.SKIPPED
ACROSS_HINT = ("    hint: fix them in the workbooks (or ask the agencies to) and apply them again; "
               "nothing was applied to any plan")


def one_plan_return(jtai: Invoke, change: Any = None) -> str:
    """TVP's pack of plans/reading-jtai.yaml alone, 5.1 filled Amber, its record changed."""
    made = jtai("pack", "--plan", "plans/reading-jtai.yaml", "--owner", "TVP", "-o", "one.xlsx",
                "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    return exact.filled(Path("one.xlsx"), "ret.xlsx", {"H2": "Amber"}, change)


def refused_across(jtai: Invoke, plans: Path, *returns: str) -> list[str]:
    """`jtai apply --plan plans` refused with exit 1, every plan file byte-identical."""
    before = exact.snapshot(plans)
    result = jtai("apply", "--plan", "plans", *returns, "--on", exact.ON)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert exact.snapshot(plans) == before
    lines: list[str] = result.stderr.splitlines()
    return lines


def test_a_one_plan_pack_for_a_plan_not_read_is_refused_naming_it(
        jtai: Invoke, plans_here: Path) -> None:
    returned = one_plan_return(jtai, exact.set_meta("plan_id", "JTAI Slough 2025-02-24"))
    assert refused_across(jtai, plans_here, returned) == [
        SKIPPED,
        "ret.xlsx: a pack for the plan 'JTAI Slough 2025-02-24' (made from reading-jtai.yaml), "
        "which none of the 3 plans read is",
        "    hint: apply it with --plan naming that plan's file",
        "jtai: refused: 1 problem in the returns across 3 plans; no plan file was changed",
        ACROSS_HINT,
    ]


def test_a_one_plan_pack_whose_record_names_no_plan_is_refused_as_for_plan_blank(
        jtai: Invoke, plans_here: Path) -> None:
    def unnamed(_sheet: Any, meta: Any) -> None:
        meta.cell(exact.record_line(meta, "plan_id"), 1).value = "made_for"

    returned = one_plan_return(jtai, unnamed)
    assert refused_across(jtai, plans_here, returned)[1] == (
        "ret.xlsx: a pack for the plan '' (made from reading-jtai.yaml), which none of the 3 "
        "plans read is")


def test_a_one_plan_pack_two_plans_could_take_is_refused_saying_several(
        jtai: Invoke, plans_here: Path) -> None:
    """A second copy of Reading's plan: two of the 4 plans read are its inspection."""
    shutil.copyfile(plans_here / "reading-jtai.yaml", plans_here / "reading-copy.yaml")
    returned = one_plan_return(jtai)
    assert refused_across(jtai, plans_here, returned) == [
        SKIPPED,
        "ret.xlsx: a pack for the plan 'JTAI Reading 2025-02-24' (made from reading-jtai.yaml), "
        "which several of the 4 plans read are",
        "    hint: apply it with --plan naming that plan's file",
        "jtai: refused: 1 problem in the returns across 4 plans; no plan file was changed",
        ACROSS_HINT,
    ]


def several_plan_return(jtai: Invoke, change: Any) -> str:
    """TVP's pack across the three plans, 5.1 filled Amber, its record changed."""
    return exact.filled(across(jtai), "ret.xlsx", {"H2": "Amber"}, change)


def test_a_several_plan_pack_whose_record_of_its_plans_is_damaged_is_refused(
        jtai: Invoke, plans_here: Path) -> None:
    returned = several_plan_return(jtai, exact.set_meta("plans", "[reading-jtai"))
    assert refused_across(jtai, plans_here, returned) == [
        SKIPPED,
        "ret.xlsx: the pack's record of its plans is damaged",
        "    hint: make a new pack with `jtai pack`",
        "jtai: refused: 1 problem in the returns across 3 plans; no plan file was changed",
        ACROSS_HINT,
    ]


def test_a_row_of_a_plan_the_record_does_not_name_is_refused_without_its_file(
        jtai: Invoke, plans_here: Path) -> None:
    """wokingham-ilacs taken out of the record: its row 5 names no file, Reading's row 2 is
    not applied either."""
    def forget_wokingham(_sheet: Any, meta: Any) -> None:
        cell = meta.cell(exact.record_line(meta, "plans"), 2)
        cell.value = json.dumps(json.loads(cell.value)[:2])

    returned = several_plan_return(jtai, forget_wokingham)
    assert refused_across(jtai, plans_here, returned) == [
        SKIPPED,
        "ret.xlsx: Return!A5: wokingham-ilacs:1.1: the plan 'wokingham-ilacs' is not among the "
        "plans read",
        "    hint: add its file or folder with --plan",
        "jtai: refused: 1 problem in the returns across 3 plans; no plan file was changed",
        ACROSS_HINT,
    ]


def test_a_record_naming_another_inspection_or_no_file_is_refused_in_that_plan(
        jtai: Invoke, plans_here: Path) -> None:
    """West Berkshire's entry says another inspection; Wokingham's keeps only its id."""
    def elsewhere(_sheet: Any, meta: Any) -> None:
        cell = meta.cell(exact.record_line(meta, "plans"), 2)
        plans = json.loads(cell.value)
        plans[1]["plan_id"] = "ILACS West Berkshire 2024-01-15"
        plans[2] = {"id": "wokingham-ilacs"}
        cell.value = json.dumps(plans)

    returned = exact.filled(across(jtai), "ret.xlsx", {"H4": "Amber", "H5": "Red"}, elsewhere)
    assert refused_across(jtai, plans_here, returned) == [
        SKIPPED,
        "ret.xlsx: a pack for another plan ('ILACS West Berkshire 2024-01-15', made from "
        "wberks-cspr.yaml), not for ILACS West Berkshire 2025-01-13",
        "    hint: apply it to that plan with --plan PATH",
        "ret.xlsx: a pack for another plan ('', made from ), not for ILACS Wokingham 2025-01-13",
        "    hint: apply it to that plan with --plan PATH",
        "jtai: refused: 2 problems in the returns across 3 plans; no plan file was changed",
        ACROSS_HINT,
    ]


def test_rows_of_one_plan_from_two_returns_are_each_said_with_their_return(
        jtai: Invoke, plans_here: Path) -> None:
    pack = across(jtai)
    first = exact.filled(pack, "r1.xlsx", {"J2": exact.NOTE})
    second = exact.filled(pack, "r2.xlsx", {"J3": "Minutes agreed"})
    assert exact.applied(jtai, "--plan", "plans", first, second, "--on", exact.ON) == [
        SKIPPED,
        "jtai: reading-jtai: r1.xlsx: 5.1: note recorded",
        "jtai: reading-jtai: r2.xlsx: 8.1: note recorded",
        "jtai: updated plans/reading-jtai.yaml: 2 actions updated from 2 return(s)",
    ]


def test_a_return_across_plans_is_dated_the_day_it_was_saved(
        jtai: Invoke, plans_here: Path) -> None:
    """No --on: the day the workbook says it was saved (9 July), not today."""
    saved = exact.saved_at(across(jtai), "saved.xlsx", "2025-07-09T12:00:00Z")
    assert exact.applied(jtai, "--plan", "plans", str(saved)) == [
        SKIPPED,
        "jtai: reading-jtai: saved.xlsx: 5.1: note recorded",
        "jtai: updated plans/reading-jtai.yaml: 1 action updated from 1 return(s)",
    ]
    assert ("          - date: 2025-07-09\n"
            f"            by: {exact.BY}\n"
            f"            note: {exact.NOTE}\n") in (plans_here / "reading-jtai.yaml").read_text(
                encoding="utf-8")


# The help sheet.

def test_the_help_sheet_s_rows_are_aligned_to_the_top_and_as_tall_as_their_text(
        jtai: Invoke, in_tmp: Path) -> None:
    """Texts wrap at 88 characters (column B is 90 wide, less 2): 15 points a line and 3 more;
    the title's row is 20 points. Red's key text, made 89 characters long, takes two lines."""
    red = "Highly likely action will not be completed on time, urgent action needed"
    exact.edit_plan(f"  Red: {red}\n", f"  Red: {red} by a partnership\n")
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert len(sheet["B17"].value) == 89
    assert [(sheet.cell(r, 1).alignment.vertical, sheet.cell(r, 1).alignment.wrap_text,
             sheet.cell(r, 2).alignment.vertical, sheet.cell(r, 2).alignment.wrap_text)
            for r in range(1, 18)] == [("top", None, "top", True)] * 17
    assert [sheet.row_dimensions[r].height for r in range(1, 18)] == [
        20.0, 18.0, 18.0, 18.0, 33.0, 33.0, 18.0, 33.0, 18.0, 33.0, 33.0, 18.0, 18.0,
        18.0, 18.0, 18.0, 33.0]


def test_only_the_help_sheet_s_title_is_large_and_only_its_rag_words_coloured(
        jtai: Invoke, in_tmp: Path) -> None:
    """A1 is 14-point; the other labels keep the size of their font (none said: the
    workbook's 11), the texts the workbook's 11. The RAG words' labels are coloured, their
    texts not."""
    sheet = load_workbook(make_pack(jtai))["How to fill this in"]
    assert [(sheet.cell(r, 1).font.sz, sheet.cell(r, 2).font.sz) for r in (1, 2)] == [
        (14, 11), (None, 11)]
    assert [look(sheet.cell(r, c))[:3] for r in range(13, 18) for c in (1, 2)] == [
        (True, None, NO_FILL), (False, None, NO_FILL),
        *[cell for _word, fill, text in RAG_COLOURS
          for cell in ((True, text, ("solid", fill)), (False, None, NO_FILL))]]
