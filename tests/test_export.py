"""``jtai export``: workbooks, Word documents and CSV files of the plan, read back cell by cell.

The real plan.yaml (as of 2025-07-01) and synthetic plans with history, refs past .9 and
text that spreadsheets would take for formulas. Reading back uses openpyxl and python-docx
directly, as ``jtai import`` and a person opening the file would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from conftest import REAL_PLAN, Invoke
from helpers_plans import make_plan_with_counts
from jtaiplan.office.export.docx import HEADERS
from jtaiplan.office.export.formats import FORMATS
from jtaiplan.office.export.rows import ACTION_COLUMNS, inspection_dates, ordinal
from jtaiplan.office.styles import RAG_FILL
from jtaiplan.plan.asof import recorded_on
from jtaiplan.plan.model import RAG, Plan
from jtaiplan.planfile.loader import load_plan

AS_OF = "2025-07-01"
ACTION_HEADERS = ["Objective", "Objective title", "Ref", "Action", "Complete by",
                  "Baseline complete by", "Owners", "Owner names", "Theme", "Plan type",
                  "Progress", "Impact", "Overdue", "Latest update", "Latest update date",
                  "Owners as written", "Multi-agency", "Completed on", "Evidence",
                  "Impact evidence"]
"""Spelt out, not imported: ``jtai import`` recognises exactly these."""


def export(jtai: Invoke, plan: Path, out: Path, *args: str) -> Any:
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(out), *args)
    return result


def real_model() -> Plan:
    return load_plan(REAL_PLAN).plan


def sheet_rows(path: Path, name: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


@pytest.fixture
def workbook(jtai: Invoke, tmp_path: Path) -> Path:
    out = tmp_path / "plan.xlsx"
    result = export(jtai, REAL_PLAN, out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def weird_plan(tmp_path: Path) -> Path:
    """The real plan with text Excel would run as formulas, and one action not multi-agency
    (so that its text, not MULTI-AGENCY:, comes first in its cell)."""
    text = REAL_PLAN.read_text(encoding="utf-8")
    text = text.replace("title: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN",
                        """title: '=HYPERLINK("http://evil.example","click")'""", 1)
    text = text.replace("multi_agency: true\n        action: ABE Interviewing",
                        "multi_agency: false\n        action: +44 118 937 3641 ABE "
                        "Interviewing", 1)
    text = re.sub(r"multi_agency: true\n        action: (All partners.*)",
                  lambda m: "multi_agency: false\n        action: "
                  + json.dumps("@partners " + m.group(1)), text, count=1)
    text = text.replace("multi_agency: true\n        action: Undertake",
                        "multi_agency: false\n        action: -5 days Undertake", 1)
    path = tmp_path / "weird.yaml"
    path.write_text(text, encoding="utf-8")
    load_plan(path)  # still a valid plan
    return path


# -- xlsx ------------------------------------------------------------------------------------


def test_xlsx_has_the_five_sheets_and_the_headers_the_importer_reads(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Actions", "Objectives", "History", "Key", "Plan",
                               "Agencies"]
    assert [c.header for c in ACTION_COLUMNS] == ACTION_HEADERS
    assert list(sheet_rows(workbook, "Actions")[0]) == ACTION_HEADERS
    assert list(sheet_rows(workbook, "Objectives")[0]) == [
        "Number", "Title", "Lead", "Risk", "Characteristics of good"]
    assert list(sheet_rows(workbook, "History")[0]) == [
        "Ref", "Date", "By", "Changes", "Note", "Evidence", "Impact evidence", "Reason"]
    assert list(sheet_rows(workbook, "Key")[0]) == ["Rating", "Meaning"]
    assert list(sheet_rows(workbook, "Plan")[0]) == ["Field", "Value"]


def test_xlsx_actions_rows_of_the_real_plan(workbook: Path) -> None:
    rows = sheet_rows(workbook, "Actions")[1:]
    assert [row[2] for row in rows] == [a.ref for a in real_model().actions()]
    assert rows[0] == (
        1, "VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN", "1.1",
        "MULTI-AGENCY: ABE Interviewing with police is in place – to upskill social workers "
        "and police officers when undertaking Sect 47 enquiries.",
        "In place", None, "TVP, BFfC", "Thames Valley Police; Brighter Futures for Children",
        "Service Delivery and Design", "Operational", "Blue", None, "No", None, None,
        "Police and CSC", "Yes", None, None, None)
    by_ref = {row[2]: row for row in rows}
    assert by_ref["1.2"][4] == datetime(2025, 6, 30)  # a real date cell
    assert by_ref["1.2"][12] == "Yes"  # due 30 June, Amber: overdue on 1 July
    assert by_ref["1.3"][12] == "No"
    assert by_ref["2.1"][10:12] == ("Blue", "Amber")
    assert by_ref["2.3"][4] == "underway"
    assert by_ref["2.3"][6] == "BWSCP, KCC"


def test_xlsx_cells_are_typed_styled_and_laid_out(workbook: Path) -> None:
    sheet = openpyxl.load_workbook(workbook)["Actions"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:T21"
    refs = [sheet.cell(row=r, column=3) for r in range(2, 22)]
    assert all(cell.data_type == "s" and cell.number_format == "@" for cell in refs)
    due = sheet["E3"]
    assert (due.value, due.is_date, due.number_format) == (datetime(2025, 6, 30), True,
                                                           "dd/mm/yyyy")
    assert sheet["E2"].value == "In place" and sheet["E2"].data_type == "s"
    progress, impact = sheet["K5"], sheet["L5"]  # 2.1: Blue, Amber
    assert (progress.value, progress.fill.fgColor.rgb) == ("Blue", "00" + RAG_FILL[RAG.BLUE])
    assert (impact.value, impact.fill.fgColor.rgb) == ("Amber", "00" + RAG_FILL[RAG.AMBER])
    assert progress.font.bold
    assert sheet["L2"].value is None and sheet["L2"].fill.fill_type is None
    assert sheet["D2"].alignment.wrap_text and not sheet["C2"].alignment.wrap_text
    assert sheet.column_dimensions["D"].width == 60
    assert sheet.column_dimensions["C"].width == 7
    assert sheet["A1"].font.bold
    assert sheet.print_title_rows == "$1:$1"
    (choices,) = sheet.data_validations.dataValidation
    assert (choices.formula1, str(choices.sqref)) == ('"Blue,Green,Amber,Red"', "K2:K21 L2:L21")
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    assert [(r.formula, r.dxf.fill.bgColor.rgb) for r in rules] == [
        ([f'"{rag.value}"'], "00" + RAG_FILL[rag]) for rag in RAG] * 2  # progress, impact
    assert "as of 1 July 2025" in sheet.oddHeader.center.text


def test_xlsx_objectives_and_key_sheets(workbook: Path) -> None:
    plan = real_model()
    objectives = sheet_rows(workbook, "Objectives")[1:]
    assert len(objectives) == 10
    assert objectives[1] == (
        2, "STRATEGY MEETINGS", "BFfC", "High risk: Urgent activity required",
        plan.objectives[1].characteristics_of_good)
    key = sheet_rows(workbook, "Key")[1:]
    assert key == [("Blue", "Completed"), ("Green", "On track"),
                   ("Amber", plan.rag_key[RAG.AMBER]), ("Red", plan.rag_key[RAG.RED])]
    sheet = openpyxl.load_workbook(workbook)["Key"]
    assert [sheet.cell(row=r, column=1).fill.fgColor.rgb for r in range(2, 6)] == [
        "00" + RAG_FILL[rag] for rag in RAG]
    assert sheet_rows(workbook, "History") == [
        ("Ref", "Date", "By", "Changes", "Note", "Evidence", "Impact evidence", "Reason")]


def test_xlsx_text_that_looks_like_a_formula_is_stored_as_text(
        jtai: Invoke, weird_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "weird.xlsx"
    assert export(jtai, weird_plan, out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Actions"]
    expected = {
        "B2": '=HYPERLINK("http://evil.example","click")',
        "D2": "+44 118 937 3641 ABE Interviewing with police is in place – to upskill social "
              "workers and police officers when undertaking Sect 47 enquiries.",
        "D3": "@partners All partners across the Reading partnership can evidence that they "
              "collectively listen to the voices of children who have been exposed to domestic "
              "abuse, and understand their lived experiences, and then act on that evidence.",
        "D4": "-5 days Undertake a multi-agency audit of domestic abuse that includes hearing "
              "the voice and understanding the experience of children",
    }
    for where, text in expected.items():
        cell = sheet[where]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), where
    # In the file itself: a shared string, never a <f> formula element.
    import zipfile

    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    objectives = openpyxl.load_workbook(out)["Objectives"]
    assert objectives["B2"].data_type == "s"
    assert objectives["B2"].value.startswith("=HYPERLINK")


def test_xlsx_of_a_plan_with_history_refs_past_9_and_tricky_text(
        jtai: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(make_plan_with_counts([12, 3, 11], seed=7), encoding="utf-8")
    # --as-of pinned: the plan as its history records it on that day (issue 23).
    plan = recorded_on(load_plan(path).plan, date.fromisoformat(AS_OF)).plan
    out = tmp_path / "big.xlsx"
    assert export(jtai, path, out).exit_code == 0
    rows = sheet_rows(out, "Actions")[1:]
    actions = plan.actions()
    assert [row[2] for row in rows] == [a.ref for a in actions]
    assert "1.10" in [row[2] for row in rows] and "3.11" in [row[2] for row in rows]
    for row, action in zip(rows, actions, strict=True):
        prefix = "MULTI-AGENCY: " if action.multi_agency else ""
        assert row[3] == prefix + action.action
        due = action.complete_by
        assert row[4] == (datetime.combine(due, datetime.min.time())
                          if isinstance(due, date) else due)
        baseline = action.baseline_complete_by
        assert row[5] == (datetime.combine(baseline, datetime.min.time()) if baseline else None)
        assert row[10] == action.progress.value
        assert row[11] == (action.impact.value if action.impact else None)
        latest = action.latest_update
        assert row[13] == ((latest.note or None) if latest else None)
    history = sheet_rows(out, "History")[1:]
    updates = [(a.ref, u) for a in actions for u in a.updates]
    assert len(history) == len(updates) > 10
    for row, (ref, update) in zip(history, updates, strict=True):
        assert row[0] == ref
        assert row[1] == datetime.combine(update.date, datetime.min.time())
        assert row[2] == update.by
        assert row[4] == (update.note or None)
        assert row[7] == (update.reason or None)
    changed = next(row for row, (_r, u) in zip(history, updates, strict=True) if u.changes)
    assert "→" in changed[3]


# -- docx ------------------------------------------------------------------------------------


def unique_cells(row: Any) -> list[str]:
    """Cell texts of a row, a merged cell once (python-docx repeats it per grid column)."""
    seen: list[Any] = []
    texts = []
    for cell in row.cells:
        if cell._tc not in seen:
            seen.append(cell._tc)
            texts.append(cell.text)
    return texts


def shading(cell: Any) -> str | None:
    from docx.oxml.ns import qn

    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.fixture
def document(jtai: Invoke, tmp_path: Path) -> Any:
    out = tmp_path / "plan.docx"
    result = export(jtai, REAL_PLAN, out)
    assert result.exit_code == 0, result.stderr
    return docx.Document(str(out))


def test_docx_title_lines_as_of_and_area_for_priority_action(document: Any) -> None:
    paragraphs = [p.text for p in document.paragraphs if p.text]
    plan = real_model()
    assert paragraphs[:5] == [
        "Joint Targeted Area Inspection: Reading", "24th February - 10th March 2025",
        "Multi-Agency Improvement Plan", "Area for priority action:",
        plan.area_for_priority_action]
    # On every page, in the page header, where the importer never takes it for plan text.
    assert [p.text for p in document.sections[0].header.paragraphs] == [
        "Joint Targeted Area Inspection: Reading · Multi-Agency Improvement Plan · position "
        "as of 1 July 2025"]
    assert paragraphs[-1] == "KEY"
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_docx_has_one_table_per_objective_in_the_seed_shape(document: Any) -> None:
    plan = real_model()
    tables = document.tables
    assert len(tables) == 1 + len(plan.objectives) + 1  # summary, objectives, key
    assert unique_cells(tables[0].rows[0]) == ["Improvement Objectives - SUMMARY",
                                               "Characteristics of good:"]
    summary = unique_cells(tables[0].rows[1])
    assert summary[0].splitlines()[0] == "SUMMARY OF CHANGE REQUIRED"
    assert summary[0].splitlines()[-1].startswith("10. Strategic governance arrangements")
    assert summary[1] == plan.characteristics_of_good
    for table, objective in zip(tables[1:-1], plan.objectives, strict=True):
        rows = table.rows
        assert unique_cells(rows[0]) == [
            f"Improvement Objective {objective.number}: {objective.title}",
            plan.risk_levels[objective.risk], "Characteristics of good:"]
        assert unique_cells(rows[1]) == [f"Accountable lead: {objective.lead}",
                                         objective.characteristics_of_good]
        assert unique_cells(rows[2]) == list(HEADERS)
        assert [unique_cells(r)[0] for r in rows[3:]] == [a.ref for a in objective.actions]
    first = unique_cells(tables[1].rows[3])
    assert first == ["1.1", "MULTI-AGENCY: ABE Interviewing with police is in place – to "
                     "upskill social workers and police officers when undertaking Sect 47 "
                     "enquiries.", "In place", "Police and CSC", "Service Delivery and Design",
                     "Operational", "Blue", ""]
    assert unique_cells(tables[1].rows[4])[2] == "30.06.2025"
    assert unique_cells(tables[2].rows[3])[3] == "BFFC with partners"
    assert unique_cells(tables[1].rows[0])[0] == "Improvement Objective 1: VOICE AND " \
                                                 "EXPERIENCE OF INDIVIDUAL CHILDREN"


def test_docx_rag_cells_are_shaded_and_worded(document: Any) -> None:
    row = document.tables[2].rows[3]  # 2.1: Blue, Amber
    progress, impact = row.cells[6], row.cells[7]
    assert (progress.text, shading(progress)) == ("Blue", RAG_FILL[RAG.BLUE])
    assert (impact.text, shading(impact)) == ("Amber", RAG_FILL[RAG.AMBER])
    unrated = document.tables[1].rows[3].cells[7]
    assert (unrated.text, shading(unrated)) == ("", None)
    key = document.tables[-1]
    assert [(r.cells[0].text, shading(r.cells[0])) for r in key.rows] == [
        (rag.value, RAG_FILL[rag]) for rag in RAG]
    assert key.rows[1].cells[1].text == "On track"


def test_docx_with_filters_says_so_and_keeps_only_their_objectives(
        jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "tvp.docx"
    result = export(jtai, REAL_PLAN, out, "--owner", "TVP")
    assert result.exit_code == 0, result.stderr
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text.endswith(
        "position as of 1 July 2025 · only actions where owners: TVP")
    titles = [unique_cells(t.rows[0])[0] for t in document.tables[1:-1]]
    assert titles == ["Improvement Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN",
                      "Improvement Objective 5: CUMULATIVE IMPACT",
                      "Improvement Objective 8: MARAC ARRANGEMENTS"]
    refs = [unique_cells(r)[0] for t in document.tables[1:-1] for r in t.rows[3:]]
    assert refs == ["1.1", "5.1", "8.1"]


def test_inspection_dates_are_written_as_the_partnership_writes_them() -> None:
    assert inspection_dates(date(2025, 2, 24), date(2025, 3, 10)) == \
        "24th February - 10th March 2025"
    assert inspection_dates(date(2024, 12, 2), date(2025, 1, 3)) == \
        "2nd December 2024 - 3rd January 2025"
    assert [ordinal(d) for d in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


# -- csv -------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_crlf_and_the_actions_columns(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    assert export(jtai, REAL_PLAN, out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfObjective,Objective title,Ref,Action,")
    assert data.count(b"\r\n") == 21 and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ACTION_HEADERS
    assert rows[1] == [
        "1", "VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN", "1.1",
        "MULTI-AGENCY: ABE Interviewing with police is in place – to upskill social workers "
        "and police officers when undertaking Sect 47 enquiries.", "In place", "",
        "TVP, BFfC", "Thames Valley Police; Brighter Futures for Children",
        "Service Delivery and Design", "Operational", "Blue", "", "No", "", "",
        "Police and CSC", "Yes", "", "", ""]
    assert rows[2][4] == "2025-06-30" and rows[2][12] == "Yes"


def test_csv_is_formula_safe(jtai: Invoke, weird_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "weird.csv"
    assert export(jtai, weird_plan, out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][1] == """'=HYPERLINK("http://evil.example","click")"""
    assert rows[1][3].startswith("'+44 118")
    assert rows[2][3].startswith("'@partners All partners across")
    assert rows[3][3].startswith("'-5 days")
    assert rows[4][3].startswith("MULTI-AGENCY: ")  # untouched


# -- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan.xlsx", "plan.docx", "plan.csv"])
def test_an_existing_file_is_refused_without_force(jtai: Invoke, tmp_path: Path,
                                                   name: str) -> None:
    out = tmp_path / name
    out.write_bytes(b"someone's edited tracker")
    result = export(jtai, REAL_PLAN, out)
    assert result.exit_code == 2
    assert result.stderr == (f"jtai: {out.as_posix()} already exists; nothing was written\n"
                             "    hint: add --force to replace it, or choose another file "
                             "name\n")
    assert out.read_bytes() == b"someone's edited tracker"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
    forced = export(jtai, REAL_PLAN, out, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr.startswith(f"jtai: replaced {out.as_posix()} (")
    assert out.read_bytes() != b"someone's edited tracker"


def test_dry_run_says_what_would_be_written_and_writes_nothing(
        jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = export(jtai, REAL_PLAN, out, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"jtai: dry run, nothing written: would write {out.as_posix()} (an Excel workbook: "
        "sheets Actions, Objectives, History, Key, Plan and Agencies): 20 actions in 10 "
        "objectives, "
        "0 history entries, ")
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"old")
    refused = export(jtai, REAL_PLAN, out, "--dry-run")
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    replacing = export(jtai, REAL_PLAN, out, "--dry-run", "--force")
    assert replacing.exit_code == 0
    assert "would replace" in replacing.stderr and out.read_bytes() == b"old"


def test_the_format_comes_from_the_file_name_or_must_match_it(jtai: Invoke,
                                                               tmp_path: Path) -> None:
    assert export(jtai, REAL_PLAN, tmp_path / "a.DOCX").exit_code == 0
    assert docx.Document(str(tmp_path / "a.DOCX")).tables
    mismatch = export(jtai, REAL_PLAN, tmp_path / "b.csv", "--format", "xlsx")
    assert mismatch.exit_code == 2
    assert mismatch.stderr.splitlines()[0] == (
        "jtai: --format xlsx writes a .xlsx file, but the file name ends '.csv'")
    unknown = export(jtai, REAL_PLAN, tmp_path / "c.pdf")
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines() == [
        "jtai: cannot tell the format from a file name ending '.pdf'",
        "    hint: name a file ending in .xlsx, .docx, .csv, or give --format"]
    bad = export(jtai, REAL_PLAN, tmp_path / "d.xlsx", "--format", "pdf")
    assert bad.exit_code == 2
    assert bad.stderr == "jtai: --format: 'pdf' is not one of xlsx, docx, csv\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.DOCX"]
    assert set(FORMATS) == {"xlsx", "docx", "csv"}


def test_filters_are_those_of_status(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "risk.xlsx"
    result = export(jtai, REAL_PLAN, out, "--progress", "amber,red", "--objective", "1,6")
    assert result.exit_code == 0, result.stderr
    assert [row[2] for row in sheet_rows(out, "Actions")[1:]] == ["1.2", "1.3", "6.1", "6.2",
                                                                 "6.3"]
    assert [row[0] for row in sheet_rows(out, "Objectives")[1:]] == [1, 6]
    status = jtai("status", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "--overdue",
                  "--format", "csv")
    overdue = [line.split(",")[0] for line in status.stdout.splitlines()[1:]]
    out2 = tmp_path / "overdue.csv"
    assert export(jtai, REAL_PLAN, out2, "--overdue").exit_code == 0
    rows = list(csv.reader(io.StringIO(out2.read_text(encoding="utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == overdue and len(overdue) == 15


def test_no_match_still_writes_and_says_so(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    result = export(jtai, REAL_PLAN, out, "--progress", "red")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == "jtai: no actions match these filters"
    assert out.read_bytes().decode("utf-8-sig") == ",".join(ACTION_HEADERS) + "\r\n"


def test_bad_filter_bad_plan_and_bad_place_are_refused(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    unknown = export(jtai, REAL_PLAN, out, "--owner", "NHS")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("jtai: --owner: unknown agency 'NHS'\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nobjectives: [\n", encoding="utf-8")
    assert export(jtai, broken, out).exit_code == 1
    nowhere = export(jtai, REAL_PLAN, tmp_path / "no" / "such" / "x.xlsx")
    assert nowhere.exit_code == 2
    assert nowhere.stderr.startswith(f"jtai: cannot write {(tmp_path / 'no' / 'such').as_posix()}")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert export(jtai, REAL_PLAN, folder).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "folder.xlsx"]
    missing = jtai("export", "--plan", str(REAL_PLAN))
    assert missing.exit_code == 2 and "--output" in missing.stderr


def test_help_teaches_with_examples(jtai: Invoke) -> None:
    result = jtai("export", "--help")
    assert result.exit_code == 0
    for text in ("jtai export -o board-pack.docx --as-of 2025-07-01", "--force", "--dry-run",
                 "--owner", "--overdue", "xlsx|docx|csv"):
        assert text in result.stdout


def test_status_does_not_import_the_office_libraries() -> None:
    code = (
        "import sys\n"
        "from jtaiplan.cli.main import main\n"
        f"sys.argv = ['jtai', 'status', '--plan', {str(REAL_PLAN)!r}, '--as-of', '{AS_OF}']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openpyxl', 'docx', 'lxml', 'icalendar'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stderr
    assert "1.1" in done.stdout


def test_a_sparse_plan_exports_without_inventing_anything(jtai: Invoke, tmp_path: Path) -> None:
    """No area for priority action, summary, characteristics or RAG key wording, and an
    objective with no actions yet: the export leaves out what the plan does not say."""
    plan = tmp_path / "plan.yaml"
    assert jtai("init", str(plan), "--area", "Ynys Môn").exit_code == 0
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    drop = ("area_for_priority_action:", "characteristics_of_good: Write", "rag_key:",
            "  Blue:", "  Green:", "  Amber:", "  Red:")
    text = "".join(line for line in lines if not line.startswith(drop))
    text = text.replace("lint:\n", "  - number: 2\n    title: NOT STARTED\n    risk: moderate\n"
                                   "    lead: LA\n    actions: []\nlint:\n", 1)
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "sparse.docx"
    result = export(jtai, plan, out)
    assert result.exit_code == 0, result.stderr
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.text] == [
        "Joint Targeted Area Inspection: Ynys Môn", inspection_dates(
            load_plan(plan).plan.inspection.start, load_plan(plan).plan.inspection.end),
        "Multi-Agency Improvement Plan", "KEY"]
    titles = [unique_cells(t.rows[0])[0] for t in document.tables[:-1]]
    assert titles == ["Improvement Objective 1: AN EXAMPLE OBJECTIVE",
                      "Improvement Objective 2: NOT STARTED"]
    assert len(document.tables[1].rows) == 3  # title, lead, header: no actions yet
    assert unique_cells(document.tables[1].rows[1]) == ["Accountable lead: LA", ""]
    assert [(r.cells[0].text, r.cells[1].text) for r in document.tables[-1].rows] == [
        ("Blue", ""), ("Green", ""), ("Amber", ""), ("Red", "")]
    workbook = tmp_path / "sparse.xlsx"
    assert export(jtai, plan, workbook).exit_code == 0
    assert [row[0] for row in sheet_rows(workbook, "Objectives")[1:]] == [1, 2]
    assert sheet_rows(workbook, "Objectives")[2][4] is None


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".csv"])
def test_source_date_epoch_makes_exports_byte_identical(jtai: Invoke, tmp_path: Path,
                                                        suffix: str) -> None:
    import zipfile

    epoch = {"SOURCE_DATE_EPOCH": "1751328000"}  # 2025-07-01 00:00 UTC
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    for out in (first, second):
        result = jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(out),
                      env=epoch)
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    if suffix != ".csv":
        with zipfile.ZipFile(first) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2025, 7, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode()
        assert core.count("2025-07-01T00:00:00Z") == 2  # created and modified
        opened = (openpyxl.load_workbook(first).properties if suffix == ".xlsx"
                  else docx.Document(str(first)).core_properties)
        assert opened.created == datetime(2025, 7, 1) or opened.created.replace(
            tzinfo=None) == datetime(2025, 7, 1)
