"""Exact import of a jtai export's "Plan" and "Agencies" sheets read back (the round trip
export -> import): unknown and repeated rows, their places and messages."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import REAL_PLAN, Invoke
from jtaiplan.office.intake.agencynames import Registry, spelt_out
from jtaiplan.office.intake.grid import read_grids

AS_OF = "2025-07-01"


def _exported(jtai: Invoke, tmp_path: Path) -> Path:
    exported = tmp_path / "export.xlsx"
    result = jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    return exported


def _with_plan_sheet(jtai: Invoke, tmp_path: Path, rows: list[list[Any]]) -> Path:
    """An export whose "Plan" sheet holds only these rows under its header."""
    exported = _exported(jtai, tmp_path)
    book = openpyxl.load_workbook(exported)
    del book["Plan"]
    sheet = book.create_sheet("Plan")
    sheet.append(["Field", "Value"])
    for row in rows:
        sheet.append(row)
    book.save(exported)
    return exported


def _import(jtai: Invoke, source: Path, *options: str) -> tuple[Any, dict[str, Any] | None]:
    out = source.with_suffix(".yaml")
    result = jtai("import", str(source), "-o", str(out), "--keep-going", *options)
    data = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, data


PLAN_ROWS: list[list[Any]] = [
    ["Area  inspected", "Reading"],
    ["Inspection start", "24/02/2025"],
    ["Favourite colour", "Blue"],
    [None, "a value with no label"],
    ["Plan title", "Multi-Agency Improvement Plan", "a third cell"],
    ["Theme", None],
    ["Inspection end", datetime(2025, 3, 10)],
    ["Area inspected", "Wokingham"],
    ["Theme", "Information Sharing"],
    ["Theme: Extra", "Early help"],
    ["A note  the partnership added to this sheet later", "shortened to 40 characters"],
    ["Forty characters exactly, in this label.", "kept whole"],
]


def test_plan_sheet_rows_jtai_does_not_know_are_gaps_at_their_first_cell(
        jtai: Invoke, tmp_path: Path) -> None:
    result, data = _import(jtai, _with_plan_sheet(jtai, tmp_path, PLAN_ROWS))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[2:9] == [
        "  Plan!A4: cannot read: 'Favourite colour' in sheet 'Plan' is not a plan field jtai "
        "knows; not imported",
        "  Plan!B5: cannot read: 'a value with no label' in sheet 'Plan' is not a plan field "
        "jtai knows; not imported",
        "  Plan!A6: cannot read: 'Plan title' in sheet 'Plan' is not a plan field jtai knows; "
        "not imported",
        "  Plan!B9: cannot read: Area inspected is given twice (first at Plan!B2); this one "
        "was not used",
        "  Plan!A11: cannot read: 'Theme: Extra' in sheet 'Plan' is not a plan field jtai "
        "knows; not imported",
        "  Plan!A12: cannot read: 'A note the partnership added to this sh…' in sheet "
        "'Plan' is not a plan field jtai knows; not imported",
        "  Plan!A13: cannot read: 'Forty characters exactly, in this label.' in sheet 'Plan' "
        "is not a plan field jtai knows; not imported"]
    assert data is not None
    assert data["inspection"] == {"type": "JTAI", "area": "Reading",
                                  "start": datetime(2025, 2, 24).date(),
                                  "end": datetime(2025, 3, 10).date()}
    assert data["themes"][0] == "Information Sharing"


def test_agencies_sheet_rows_read_back_with_their_gaps_at_their_cells(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = _exported(jtai, tmp_path)
    book = openpyxl.load_workbook(exported)
    sheet = book["Agencies"]
    sheet["F2"] = datetime(2025, 10, 1, 9, 30)  # a date cell with a time: its day is kept
    sheet.append(["XYZ"])
    sheet.append(["ABC", "A Body", None, None, None, "next spring"])
    book.save(exported)
    result, data = _import(jtai, exported)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[2:4] == [
        "  Agencies!A7: cannot read: agency 'XYZ' is not valid (name: Field required); not "
        "imported",
        "  Agencies!F8: cannot read: agency 'ABC' is not valid (succeeded_on: Value error, "
        "'next spring' is not a date: write it as 2026-03-31, 31/03/2026, 31.03.26, "
        "31-03-2026 or 31 March 2026); not imported"]
    assert data is not None
    assert data["agencies"] == yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))["agencies"]


def test_a_sheet_with_no_action_column_names_its_best_header_row_and_the_maps_to_try(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = _exported(jtai, tmp_path)
    book = openpyxl.load_workbook(exported)
    tie = book.create_sheet("Tie")
    tie.append(["Ref", "Owners", "Colour"])
    tie.append(["Ref", "RAG", "Size", "Shape"])
    book.create_sheet("Many").append(["Ref", "RAG", "Size", "Shape"])
    book.create_sheet("Known").append(["Ref", "Owners"])
    book.create_sheet("One").append(["Ref", "Colour"])
    book.save(exported)
    result, _ = _import(jtai, exported)
    reads = ("no column holds the actions (jtai reads Action, Actions, What will be done, "
             "Action description); the row here has Ref (ref), ")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[2:6] == [
        f"  Tie!A1: cannot read: sheet 'Tie': {reads}Owners (owners); if 'Colour' holds the "
        "actions, import again with --map \"Colour=action\"; nothing was imported from it",
        f"  Many!A1: cannot read: sheet 'Many': {reads}RAG (progress); if one of 'Size', "
        "'Shape' holds the actions, import again with --map \"Size=action\"; nothing was "
        "imported from it",
        f"  Known!A1: cannot read: sheet 'Known': {reads}Owners (owners); nothing was imported "
        "from it",
        "  One: cannot read: sheet 'One' has no header row naming an Action column and two "
        "others (such as Ref, Owners, RAG), and no sheet of objectives (a number column and "
        "Title, Accountable lead, Risk or Characteristics of good); nothing was imported from "
        "it"]


@pytest.mark.parametrize(("text", "code", "name"), [
    ("run by Brighter Futures for Children", "BFFC", "Brighter Futures for Children"),
    ("the Police", "P", "Police"),
    ("Thames Valley Police", "TVP", "Thames Valley Police"),
    ("Valley Police", "VP", "Valley Police"),
    ("new Police", "NP", None),
    ("Thames Valley police", "TVP", "Thames Valley police"),
    ("(2025)", "TVP", None),
    ("", "TVP", None),
])
def test_the_name_spelt_out_before_a_code_is_found_by_its_initials(
        text: str, code: str, name: str | None) -> None:
    assert spelt_out(text, code) == name


def test_a_code_met_alone_gets_its_name_when_written_out_later() -> None:
    registry = Registry([])
    assert registry.code_for("TVP", "Actions!F2") == "TVP"
    assert registry.code_for("Thames Valley Police (TVP)", "Actions!F3") == "TVP"
    assert registry.agencies == [{"code": "TVP", "name": "Thames Valley Police"}]
    assert registry.where == {"TVP": "Actions!F2"}


def test_a_name_with_its_code_met_first_is_created_where_it_was_met() -> None:
    registry = Registry([])
    assert registry.code_for("Thames Valley Police (TVP)", "Actions!F3") == "TVP"
    assert registry.agencies == [{"code": "TVP", "name": "Thames Valley Police"}]
    assert registry.where == {"TVP": "Actions!F3"}


def test_a_portfolio_exports_plan_id_column_is_refused_with_what_to_do(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = _exported(jtai, tmp_path)
    book = openpyxl.load_workbook(exported)
    book["Actions"]["P1"] = "Plan ID"
    book.save(exported)
    result, _ = _import(jtai, exported)
    assert result.exit_code == 1
    assert "  Actions!P1: cannot read: column 'Plan ID': this is an export of several plans; " \
           "a plan file holds one: export one plan (jtai export --plan FILE) and import that" \
           in result.stderr.splitlines()


def _with_shared_strings(path: Path) -> Path:
    """The workbook rewritten with its text in a shared-strings table, as Excel and Calc
    save it (openpyxl writes inline strings)."""
    shared = path.with_name("shared.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(shared, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b't="inlineStr"><is><t>Ref</t></is>', b't="s"><v>0</v>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>"))
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>'))
            target.writestr(info, data)
        target.writestr("xl/sharedStrings.xml", (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'count="1" uniqueCount="1"><si><t>Ref</t></si></sst>'))
    return shared


def test_a_formula_without_a_value_is_found_beside_shared_strings(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tracker"
    sheet.append(["Ref", "=1+1"])
    book.save(tmp_path / "book.xlsx")
    shared = _with_shared_strings(tmp_path / "book.xlsx")
    assert b"<t>Ref</t></is>" not in zipfile.ZipFile(shared).read("xl/worksheets/sheet1.xml")
    grids = read_grids(shared)
    assert [[(c.text, c.where, c.formula_without_value) for c in row]
            for grid in grids for row in grid.rows] == [
        [("Ref", "Tracker!A1", False), ("", "Tracker!B1", True)]]


def test_an_objectives_sheet_names_its_unknown_column_and_rows_without_a_number(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = _exported(jtai, tmp_path)
    book = openpyxl.load_workbook(exported)
    sheet = book["Objectives"]
    sheet.cell(1, sheet.max_column + 1, "Colour")
    sheet.insert_rows(2)
    sheet["B2"] = "A  heading row the partnership added above objective one"
    book.save(exported)
    result, data = _import(jtai, exported)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[2:4] == [
        "  Objectives!F1: cannot read: column 'Colour' in Objectives is not a field jtai "
        "knows; nothing was imported from it",
        "  Objectives!B2: cannot read: 'A heading row the partnership added abo…' has no "
        "objective number; not imported"]
    assert data is not None
    fields = ("number", "title", "lead", "risk", "characteristics_of_good")
    real = yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))
    assert [[o.get(f) for f in fields] for o in data["objectives"]] == [
        [o.get(f) for f in fields] for o in real["objectives"]]


@pytest.mark.parametrize("text", [
    "Field,Value\r\nArea inspected,Reading\r\nTheme\r\n",
    "Code,Name,Aliases\r\nTVP,Thames Valley Police\r\nXYZ\r\n",
])
def test_a_csv_of_plan_or_agency_rows_shorter_than_its_header_is_no_plan(
        jtai: Invoke, tmp_path: Path, text: str) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes(text.encode("utf-8"))
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"jtai: {source}: no plan found: no objective tables (\"Objective 1: ...\" rows) and "
        "no header row naming an Action column and two others (such as Ref, Owners, RAG)")


def test_a_csv_of_objectives_reads_past_short_and_blank_rows(jtai: Invoke,
                                                             tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes(b"Title,Lead,Number\r\nVoice,TVP\r\n\r\nStrategy,BFfC,2\r\n")
    result, data = _import(jtai, source, "--area", "Reading", "--inspected",
                           "24/02/2025 to 10/03/2025")
    assert result.exit_code == 1
    assert "  A2: cannot read: 'Voice' has no objective number; not imported" \
        in result.stderr.splitlines()
    assert data is not None
    assert data["objectives"] == [
        {"number": 2, "title": "Strategy", "lead": "BFfC", "actions": []}]


@pytest.mark.parametrize(("text", "code", "first"), [
    ("Number,Title\r\n2,Strategy\r\n", 0, "plan.csv: flat tracker; 1 objective(s), 0 action(s)"),
    ("Title,Lead\r\nStrategy,BFfC\r\n", 2, "jtai: {source}: no plan found: no objective "
     "tables (\"Objective 1: ...\" rows) and no header row naming an Action column and two "
     "others (such as Ref, Owners, RAG)"),
    ("Number,Title,Progress\r\n2,Strategy,Green\r\n", 2, "jtai: {source}: no plan found: no "
     "objective tables (\"Objective 1: ...\" rows) and no header row naming an Action column "
     "and two others (such as Ref, Owners, RAG)"),
])
def test_a_sheet_of_objectives_needs_a_number_and_another_field_and_no_action_field(
        jtai: Invoke, tmp_path: Path, text: str, code: int, first: str) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes(text.encode("utf-8"))
    result, _ = _import(jtai, source, "--area", "Reading", "--inspected",
                        "24/02/2025 to 10/03/2025")
    assert result.exit_code == code
    assert result.stderr.splitlines()[0] == first.format(source=source)
