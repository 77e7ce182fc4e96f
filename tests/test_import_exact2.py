"""Exact import of Excel, Word and CSV plans, second part: the raw workbook XML the streaming
reader meets (shared and inline strings, number kinds, dates, merged ranges, sizes), the
document's key and stray rows, CSV delimiters, fills and the office files' own checks."""

from __future__ import annotations

import signal
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.styles import Color, GradientFill, PatternFill

from conftest import REAL_PLAN, Invoke
from jtaiplan.errors import CannotRun
from jtaiplan.office.export.rows import DOCX_MARKER_RUNS, MULTI_AGENCY_PREFIX
from jtaiplan.office.intake import grid as grid_module
from jtaiplan.office.intake import xlsxgrid
from jtaiplan.office.intake.agencynames import (
    Registry,
    _add_aliases,
    _rename_everywhere,
    spelt_out,
)
from jtaiplan.office.intake.columns import objective_fields
from jtaiplan.office.intake.grid import Cell, Grid, fill_colour, read_grids
from jtaiplan.office.intake.layouts import extract
from jtaiplan.office.intake.raw import Extract
from jtaiplan.office.intake.values import flag_of, html_blocks, numbered_items
from jtaiplan.office.opening import open_document, open_workbook, saved_at, sheets_with_formulas
from jtaiplan.office.plansheet import agency_sheet_rows, plan_sheet_rows
from jtaiplan.office.styles import _rgb
from jtaiplan.plan.model import Agency
from jtaiplan.planfile.loader import load_plan

# --- workbooks written part by part ---------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

STYLES = (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC000"/></patternFill></fill>'
    '</fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="46" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")
"""Style 0 plain, 1 an amber fill, 2 a date, 3 a duration ([h]:mm:ss); no style 4."""


def _workbook(path: Path, sheets: list[tuple[str, str, str]], shared: list[str] | None = None,
              *, date1904: bool = False) -> Path:
    """A workbook of these sheets (name, state, the worksheet XML), written by hand."""
    types = [f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
             f'ContentType="{_TYPE}.worksheet+xml"/>' for n in range(1, len(sheets) + 1)]
    rels = [f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1)]
    entries = [f'<sheet name="{name}" sheetId="{n}" state="{state}" r:id="rId{n}"/>'
               for n, (name, state, _xml) in enumerate(sheets, 1)]
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("[Content_Types].xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_TYPE}.sharedStrings+xml"/>{"".join(types)}</Types>'))
        book.writestr("_rels/.rels", (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<workbookPr date1904="{int(date1904)}"/><sheets>{"".join(entries)}</sheets>'
            "</workbook>"))
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{_PKG}/relationships">{"".join(rels)}'
            f'<Relationship Id="rIdS" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdT" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"))
        book.writestr("xl/styles.xml", STYLES)
        strings = "".join(f"<si><t>{s}</t></si>" for s in shared or [])
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{strings}</sst>')
        for n, (_name, _state, xml) in enumerate(sheets, 1):
            book.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    return path


def _sheet(rows: str, merged: list[str] | None = None, doctype: str = "") -> str:
    merges = (f'<mergeCells count="{len(merged)}">'
              + "".join(f'<mergeCell ref="{ref}"/>' for ref in merged) + "</mergeCells>"
              if merged else "")
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="{_MAIN}">'
            f"<sheetData>{rows}</sheetData>{merges}</worksheet>")


def _one(path: Path, rows: str, merged: list[str] | None = None, name: str = "Sheet") -> Path:
    return _workbook(path, [(name, "visible", _sheet(rows, merged))])


def _cells(grid: Grid) -> list[list[tuple[str, str, Any, str, str | None]]]:
    """Each cell's text, place, value, the value's type and fill."""
    return [[(c.text, c.where, c.value, type(c.value).__name__, c.fill) for c in row]
            for row in grid.rows]


def _texts(grid: Grid) -> list[list[str]]:
    return [[c.text for c in row] for row in grid.rows]


def test_every_kind_of_cell_value_reads_as_excel_wrote_it(tmp_path: Path) -> None:
    rows = (
        '<row r="1">'
        '<c r="A1" t="s"><v>1</v></c>'
        '<c r="B1" t="inlineStr"><is><t>plain</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>lead </t><r><t>bold</t></r><r><rPr/><t> tail</t></r>'
        "</is></c>"
        '<c r="D1" t="inlineStr"><is><r><t>one run</t></r></is></c>'
        '<c r="E1" t="inlineStr"><is><t/></is></c>'
        '<c r="F1" t="inlineStr"/>'
        '<c r="G1" t="inlineStr"><is><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></is></c>'
        '<c r="H1" t="inlineStr"><is><r><rPr/></r><r><t>after an empty run</t></r></is></c>'
        '<c r="I1" t="inlineStr"><is><t>text and </t><r><t>one run</t></r></is></c>'
        "</row>"
        '<row r="2">'
        '<c r="A2" t="n"><v>7</v></c>'
        '<c r="B2"><v>2.5</v></c>'
        '<c r="C2"><v>1E3</v></c>'
        '<c r="D2"><v>2e-1</v></c>'
        '<c r="E2" s="2"><v>45659</v></c>'
        '<c r="F2" s="3"><v>0.125</v></c>'
        '<c r="G2" t="b"><v>1</v></c>'
        '<c r="H2" t="d"><v>2025-03-04T05:06:07</v></c>'
        '<c r="I2" t="e"><v>#N/A</v></c>'
        '<c r="J2" t="str"><v>a formula\'s text</v></c>'
        '<c r="K2" s="1"/>'
        '<c r="L2" s="4"><v>12</v></c>'
        '<c r="M2" t="b"><v>0</v></c>'
        "</row>")
    [grid] = read_grids(_workbook(tmp_path / "kinds.xlsx", [("Sheet", "visible", _sheet(rows))],
                                  ["first", "second"]))
    assert _cells(grid) == [
        [("second", "Sheet!A1", "second", "str", None),
         ("plain", "Sheet!B1", "plain", "str", None),
         ("lead bold tail", "Sheet!C1", "lead bold tail", "str", None),
         ("one run", "Sheet!D1", "one run", "str", None),
         ("", "Sheet!E1", "", "str", None),
         ("", "Sheet!F1", None, "NoneType", None),
         ("漢字", "Sheet!G1", "漢字", "str", None),
         ("after an empty run", "Sheet!H1", "after an empty run", "str", None),
         ("text and one run", "Sheet!I1", "text and one run", "str", None),
         ("", "Sheet!J1", None, "NoneType", None),
         ("", "Sheet!K1", None, "NoneType", None),
         ("", "Sheet!L1", None, "NoneType", None),
         ("", "Sheet!M1", None, "NoneType", None)],
        [("7", "Sheet!A2", 7, "int", None),
         ("2.5", "Sheet!B2", 2.5, "float", None),
         ("1000", "Sheet!C2", 1000.0, "float", None),
         ("0.2", "Sheet!D2", 0.2, "float", None),
         ("2025-01-02", "Sheet!E2", datetime(2025, 1, 2), "datetime", None),
         ("3:00:00", "Sheet!F2", timedelta(hours=3), "timedelta", None),
         ("True", "Sheet!G2", True, "bool", None),
         ("2025-03-04 05:06:07", "Sheet!H2", datetime(2025, 3, 4, 5, 6, 7), "datetime", None),
         ("#N/A", "Sheet!I2", "#N/A", "str", None),
         ("a formula's text", "Sheet!J2", "a formula's text", "str", None),
         ("", "Sheet!K2", None, "NoneType", "FFFFC000"),
         ("12", "Sheet!L2", 12, "int", None),
         ("False", "Sheet!M2", False, "bool", None)]]


def test_dates_of_a_1904_workbook_count_from_1904(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "mac.xlsx", [("Sheet", "visible", _sheet(
        '<row r="1"><c r="A1" s="2"><v>1</v></c><c r="B1" s="2"><v>44197</v></c></row>'))],
        date1904=True)
    [grid] = read_grids(path)
    assert [c.value for c in grid.rows[0]] == [datetime(1904, 1, 2), datetime(2025, 1, 2)]


def test_a_date_serial_past_the_calendar_is_an_error_value_with_a_warning(
        tmp_path: Path) -> None:
    path = _one(tmp_path / "far.xlsx",
                '<row r="1"><c r="A1" s="2"><v>99999999</v></c><c r="B1"><v>3</v></c></row>')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [grid] = read_grids(path)
    assert _texts(grid) == [["#VALUE!", "3"]]
    assert [(str(w.message), w.category, Path(w.filename).name) for w in caught] == [
        ("Cell A1 is marked as a date but the serial value 99999999 is outside the limits "
         "for dates. The cell will be treated as an error.", UserWarning, "xlsxgrid.py")]
    import linecache
    assert "value_of(cell" in linecache.getline(caught[0].filename, caught[0].lineno)


def test_rows_and_cells_without_a_reference_follow_the_ones_before(tmp_path: Path) -> None:
    rows = ('<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="2.0"><c><v>2</v></c><c><v>3</v></c></row>'
            '<row><extLst/><c><v>4</v></c><c r="C3"><v>5</v></c><c><v>6</v></c></row>'
            '<row r="5"><c><v>7</v></c></row>'
            '<row r="6"><c r="AX6"><v>8</v></c></row>'
            '<row r="7"><c r="A7"><v>9</v></c><c r="A7"><v>10</v></c></row>')
    [grid] = read_grids(_one(tmp_path / "bare.xlsx", rows))
    blank = [""] * 45
    assert _texts(grid) == [
        ["1", "", "", "", *blank, ""],
        ["2", "3", "", "", *blank, ""],
        ["4", "", "5", "6", *blank, ""],
        ["", "", "", "", *blank, ""],
        ["7", "", "", "", *blank, ""],
        ["", "", "", "", *blank, "8"],
        ["10", "", "", "", *blank, ""]]


def test_a_row_number_that_is_not_whole_refuses_the_workbook(tmp_path: Path) -> None:
    path = _one(tmp_path / "half.xlsx", '<row r="2.5"><c><v>1</v></c></row>')
    with pytest.raises(CannotRun) as caught:
        read_grids(path)
    assert caught.value.message == (f"{path}: Excel workbook could not be read (ValueError: "
                                    "2.5 is not a valid row number)")
    assert caught.value.hint == "open it in Excel and save it again"


def test_merged_ranges_are_reported_once_across_and_repeated_down(tmp_path: Path) -> None:
    across = _sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c>'
                    '<c r="C1"><v>3</v></c></row>', ["A1:B1"])
    down = _sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
                  '<row r="2"><c r="A2"><v>4</v></c></row>', ["A1:A2"])
    both = _sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
                  '<row r="2"><c r="A2"><v>4</v></c><c r="B2"><v>5</v></c></row>',
                  ["A1:A2", "B1:B2"])
    grids = read_grids(_workbook(tmp_path / "merged.xlsx", [
        ("Across", "visible", across), ("Down", "visible", down), ("Both", "visible", both)]))
    assert [(g.name, _texts(g)) for g in grids] == [
        ("Across", [["1", "", "3"]]),
        ("Down", [["1", "2"], ["1", ""]]),
        ("Both", [["1", "2"], ["1", "2"]])]


def test_hidden_sheets_are_read_only_when_they_hold_more_than_a_row(tmp_path: Path) -> None:
    grids = read_grids(_workbook(tmp_path / "hidden.xlsx", [
        ("Shown", "visible", _sheet("")),
        ("Blank", "hidden", _sheet("")),
        ("Header", "hidden", _sheet('<row r="1"><c r="A1"><v>1</v></c></row>')),
        ("Lists", "hidden", _sheet('<row r="1"><c r="A1"><v>1</v></c></row>'
                                   '<row r="2"><c r="A2"><v>2</v></c></row>'))]))
    assert [(g.name, _texts(g)) for g in grids] == [("Shown", []), ("Lists", [["1"], ["2"]])]


def test_an_entity_a_sheet_declares_is_never_expanded(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE worksheet [<!ENTITY big "EXPANDED">]>'
    xml = _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>before&big;after</t></is></c>'
                 "</row>", doctype=doctype)
    [grid] = read_grids(_workbook(tmp_path / "entity.xlsx", [("Sheet", "visible", xml)]))
    assert _texts(grid) == [["before"]]


def test_a_sheet_nested_deeper_than_excel_writes_is_refused(tmp_path: Path) -> None:
    path = _one(tmp_path / "deep.xlsx",
                '<row r="1"><c r="A1">' + "<x>" * 300 + "</x>" * 300 + "</c></row>")
    with pytest.raises(CannotRun) as caught:
        read_grids(path)
    assert caught.value.message.startswith(
        f"{path}: Excel workbook could not be read (XMLSyntaxError: Excessive depth in "
        "document: 256")


def test_a_sheet_at_the_cell_limit_is_read_and_one_past_it_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxgrid, "MAX_CELLS", 6)
    at = _one(tmp_path / "at.xlsx", '<row r="2"><c r="C2"><v>1</v></c></row>')
    assert _texts(read_grids(at)[0]) == [["", "", ""], ["", "", "1"]]
    past = _one(tmp_path / "past.xlsx", '<row r="7"><c r="A7"><v>1</v></c></row>', name="Big")
    with pytest.raises(CannotRun) as caught:
        read_grids(past)
    assert caught.value.message == (f"{past}: sheet 'Big' spans 7 rows and 1 columns (A7); "
                                    "no plan has so many cells")
    assert caught.value.hint == "delete the unused rows and columns and save again"


def test_a_sheet_of_the_most_rows_is_read_and_one_more_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxgrid, "MAX_ROWS", 3)
    monkeypatch.setattr(xlsxgrid, "MAX_CELLS", 5)
    at = _one(tmp_path / "at.xlsx", '<row r="3"><c r="A3"><v>1</v></c></row>')
    assert _texts(read_grids(at)[0]) == [[""], [""], ["1"]]
    wide = _one(tmp_path / "wide.xlsx", '<row r="3"><c r="B3"><v>1</v></c></row>', name="W")
    with pytest.raises(CannotRun) as caught:
        read_grids(wide)
    assert caught.value.message == (f"{wide}: sheet 'W' spans 3 rows and 2 columns (B3); "
                                    "no plan has so many cells")
    past = _one(tmp_path / "past.xlsx", '<row r="4"><c r="A4"><v>1</v></c></row>',
                name="Long")
    with pytest.raises(CannotRun) as caught:
        read_grids(past)
    assert caught.value.message == f"{past}: sheet 'Long' has 4 rows; no plan has so many"
    assert caught.value.hint == "delete the blank rows and save again"


def test_merged_ranges_up_to_the_limit_are_read_and_more_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxgrid, "MAX_CELLS", 20)
    row = '<row r="1"><c r="A1"><v>1</v></c></row>'
    at = _one(tmp_path / "at.xlsx", row, ["A1:A2", "C1:C2"])
    assert _texts(read_grids(at)[0]) == [["1"]]
    past = _one(tmp_path / "past.xlsx", row, ["A1:A2", "C1:C2", "E1:E2"], name="M")
    with pytest.raises(CannotRun) as caught:
        read_grids(past)
    assert caught.value.message == f"{past}: sheet 'M' has 3 merged ranges; no plan has so many"
    assert caught.value.hint == "delete the unused rows and columns and save again"


# --- the document around the actions: title rows, the key, rows outside any table ----------

@contextmanager
def _deadline(seconds: int = 5) -> Iterator[None]:
    """Fails a reading that never ends (a layout going back a row forever) instead of
    hanging the run."""
    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"still reading after {seconds} s")

    if not hasattr(signal, "SIGALRM"):  # Windows: no alarm; a hang is then the job's timeout
        yield
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    del book[book.sheetnames[0]]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _extract(path: Path) -> Extract:
    with _deadline():
        return extract(read_grids(path), {})


def _notes(out: Extract) -> list[tuple[str, str, bool]]:
    return [(n.where, n.message, n.gap) for n in out.notes]


def _pairs(out: Extract) -> list[tuple[str, str, str, str]]:
    return [(a.text, a.where, b.text, b.where) for a, b in out.head.rag_key]


def test_a_trackers_title_rows_give_the_area_for_priority_action_and_its_lines(
        tmp_path: Path) -> None:
    out = _extract(_book(tmp_path / "tracker.xlsx", {"Actions": [
        ["Area for priority action:  Strategy meetings"],
        ["Left", None, "Right"],
        ["Multi-Agency Improvement Plan"],
        ["Ref", "Action", "Owners", "Progress"],
        ["1.1", "Hold the meetings", "TVP", "Green"]]}))
    assert out.layout == "flat tracker"
    assert out.head.area_for_priority_action == Cell("Strategy meetings", "Actions!A1",
                                                     "Area for priority action:  Strategy "
                                                     "meetings")
    assert [(c.text, c.where) for c in out.head.lines] == [
        ("Multi-Agency Improvement Plan", "Actions!A3")]
    assert _notes(out) == [
        ("Actions!A2", "'Left' above the header was not understood; not imported", True),
        ("Actions!C2", "'Right' above the header was not understood; not imported", True)]


def test_a_key_sheet_reads_its_colours_and_names_the_rows_it_does_not_understand(
        tmp_path: Path) -> None:
    out = _extract(_book(tmp_path / "tracker.xlsx", {
        "Actions": [["Ref", "Action", "Owners", "Progress"],
                    ["1.1", "Hold the meetings", "TVP", "Green"]],
        "Key": [["RAG key"],
                ["Rating", "Meaning"],
                ["Blue", "Completed"],
                ["RAG", "Meaning"],
                ["Colour", "What it means"],
                ["Rating", "Meaning", "Extra"],
                [None, "Something", "else"],
                ["Other"],
                ["amber", "Late"]]}))
    assert _pairs(out) == [("Blue", "Key!A3", "Completed", "Key!B3"),
                           ("amber", "Key!A9", "Late", "Key!B9")]
    assert [n for n in _notes(out) if n[0].startswith("Key!")] == [
        ("Key!A6", "'Rating' in the key was not understood; not imported", True),
        ("Key!B7", "'Something' in the key was not understood; not imported", True),
        ("Key!A8", "'Other' in the key was not understood; not imported", True)]


def test_rows_beside_the_objective_tables_are_the_key_on_a_key_sheet_and_gaps_elsewhere(
        tmp_path: Path) -> None:
    out = _extract(_book(tmp_path / "tables.xlsx", {
        "Tables": [["Objective 1: Voice of the child", "Risk: High"],
                   ["Accountable lead: TVP"],
                   ["Ref", "Action", "Owners", "Progress"],
                   ["1.1", "Hold the meetings", "TVP", "Green"],
                   ["KEY"],
                   ["Blue", "Completed"],
                   ["Stray", "words", "here"],
                   ["Green", "On track"],
                   ["Amber"]],
        "Key": [["Objective 2: Strategy"],
                ["Red", "Not started"],
                ["Blue"],
                ["Amber", "Late"],
                ["Green", "On track", "and more"]]}))
    assert out.layout == "objective tables"
    assert _pairs(out) == [("Blue", "Tables!A6", "Completed", "Tables!B6"),
                           ("Red", "Key!A2", "Not started", "Key!B2"),
                           ("Amber", "Key!A4", "Late", "Key!B4")]
    gone = "is in no objective's table and was not understood; not imported"
    assert _notes(out) == [
        ("Tables!A7", f"'Stray' {gone}", True),
        ("Tables!B7", f"'words' {gone}", True),
        ("Tables!C7", f"'here' {gone}", True),
        ("Tables!A8", f"'Green' {gone}", True),
        ("Tables!B8", f"'On track' {gone}", True),
        ("Tables!A9", f"'Amber' {gone}", True),
        ("Key!A3", f"'Blue' {gone}", True),
        ("Key!A5", f"'Green' {gone}", True),
        ("Key!B5", f"'On track' {gone}", True),
        ("Key!C5", f"'and more' {gone}", True)]
    assert [len(o.actions) for o in out.objectives.values()] == [1, 0]


# --- agencies met in the rows ---------------------------------------------------------------

def test_a_name_spelt_out_is_found_by_its_initials_without_its_small_words() -> None:
    assert spelt_out("run by Brighter Futures for Children", "BFC") == \
        "Brighter Futures for Children"


def test_a_code_met_alone_is_named_by_a_later_pair_though_other_agencies_come_first() -> None:
    registry = Registry([Agency(code="RBC", name="Reading Borough Council")])
    assert registry.code_for("TVP", "Actions!F2") == "TVP"
    assert registry.code_for("Thames Valley Police (TVP)", "Actions!F3") == "TVP"
    assert registry.code_for("Thames Valley Police", "Actions!F4") == "TVP"
    assert registry.agencies == [{"code": "RBC", "name": "Reading Borough Council"},
                                 {"code": "TVP", "name": "Thames Valley Police"}]
    assert registry.where == {"TVP": "Actions!F2"}


def test_a_given_agency_named_by_its_code_keeps_that_name_when_a_pair_spells_it_out() -> None:
    registry = Registry([Agency(code="TVP", name="TVP")])
    assert registry.code_for("Thames Valley Police (TVP)", "Actions!F3") == "TVP"
    assert registry.agencies == [{"code": "TVP", "name": "TVP"}]
    assert registry.resolve("thames valley police") == "TVP"


def test_an_alias_is_added_once_after_the_agencys_name_and_aliases() -> None:
    agency: dict[str, Any] = {"note": "the force", "code": "TVP",
                              "name": "Thames Valley Police", "aliases": ["The police"],
                              "succeeded_by": "TVP2"}
    _add_aliases(agency, ["the Police", "thames valley police", "tvp", "Constabulary"])
    assert list(agency.items()) == [
        ("code", "TVP"), ("name", "Thames Valley Police"),
        ("aliases", ["The police", "Constabulary"]), ("note", "the force"),
        ("succeeded_by", "TVP2")]
    _add_aliases(agency, ["CONSTABULARY"])
    assert agency["aliases"] == ["The police", "Constabulary"]


def test_renamed_owners_keep_how_the_source_wrote_them_after_them_or_where_it_was() -> None:
    data: dict[str, Any] = {"objectives": [
        {"number": 1, "lead": "BFFC", "actions": [
            {"ref": "1.1", "owners": ["BFFC", "TVP", "BFfC"], "theme": "Voice"},
            {"ref": "1.2", "owners": ["TVP"]},
            {"ref": "1.3", "owners_as_written": "Brighter Futures", "owners": ["BFFC"],
             "theme": "Voice"},
            {"ref": "1.4"}]},
        {"number": 2, "lead": "TVP"}]}
    _rename_everywhere(data, {"BFFC": "BFfC"})
    assert data == {"objectives": [
        {"number": 1, "lead": "BFfC", "actions": [
            {"ref": "1.1", "owners": ["BFfC", "TVP"], "owners_as_written": "BFFC, TVP, BFfC",
             "theme": "Voice"},
            {"ref": "1.2", "owners": ["TVP"]},
            {"ref": "1.3", "owners_as_written": "Brighter Futures", "owners": ["BFfC"],
             "theme": "Voice"},
            {"ref": "1.4"}]},
        {"number": 2, "lead": "TVP"}]}
    assert [list(a) for a in data["objectives"][0]["actions"]] == [
        ["ref", "owners", "owners_as_written", "theme"], ["ref", "owners"],
        ["ref", "owners_as_written", "owners", "theme"], ["ref"]]
    empty: dict[str, Any] = {}
    _rename_everywhere(empty, {"BFFC": "BFfC"})
    assert empty == {}


# --- CSV and TSV ------------------------------------------------------------------------------

_TIE = "h1;h2,h3\n" + "x;y\np,q\n" * 14 + "x;y\n"
"""30 records: 16 split in two by ';' (the header and 15), 15 by ','; the 31st and later
records, split by ',', come after them."""


@pytest.mark.parametrize(("text", "delimiter"), [
    ("one\ntwo\n", ","),
    ("a;b\n1;2;3\n4;5;6\n", ";"),
    ("a;b\n1;2\n", ";"),
    ("h1;h2,h3\nx;y\np,q\n", ","),
    (_TIE, ";"),
    (_TIE + "p,q\n" * 5, ";"),
    ("a,x;b;c\n1;2\n3;4\n", ","),
    ("a;b\n1;2;3\n4;5;6\np,q\nr,s\nt,u\n", ","),
    ("h1\th2\th3\n" + "\t".join(["x" * 50_000] * 3) + "\n", "\t"),
])
def test_the_delimiter_is_the_one_splitting_most_of_the_first_thirty_records_alike(
        text: str, delimiter: str) -> None:
    assert grid_module._delimiter(text) == delimiter


def test_a_tsv_file_splits_at_tabs_only(tmp_path: Path) -> None:
    source = tmp_path / "plan.tsv"
    source.write_text("Ref,No\tAction\n1,1\tHold\n", encoding="utf-8")
    [grid] = read_grids(source)
    assert [[(c.text, c.where) for c in row] for row in grid.rows] == [
        [("Ref,No", "A1"), ("Action", "B1")], [("1,1", "A2"), ("Hold", "B2")]]


def test_a_csv_of_the_most_rows_is_read_and_one_more_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grid_module, "MAX_ROWS", 3)
    at = tmp_path / "at.csv"
    at.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    assert _texts(read_grids(at)[0]) == [["a", "b"], ["1", "2"], ["3", "4"]]
    past = tmp_path / "past.csv"
    past.write_text("a,b\n1,2\n3,4\n5,6\n", encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        read_grids(past)
    assert caught.value.message == f"{past}: more than 3 rows; no plan has so many"


def test_a_field_past_the_csv_limit_is_refused_with_the_readers_reason(tmp_path: Path) -> None:
    source = tmp_path / "huge.tsv"
    source.write_text("a\tb\n" + "x" * 140_000 + "\n", encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        read_grids(source)
    assert caught.value.message == (f"{source}: not readable as CSV (field larger than field "
                                    "limit (131072))")


# --- Word -------------------------------------------------------------------------------------

def _document(*, ours: bool = False) -> Any:
    document = docx.Document()
    if ours:
        document.core_properties.author = "jtai"
        document.core_properties.identifier = DOCX_MARKER_RUNS
    return document


def _shade(cell: Any, fill: str | None) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    if fill is not None:
        shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def test_a_word_documents_paragraphs_and_shaded_cells_read_with_their_places(
        tmp_path: Path) -> None:
    document = _document()
    document.add_paragraph("Joint Targeted Area Inspection: Reading")
    document.add_paragraph("Multi-Agency Improvement Plan")
    table = document.add_table(rows=1, cols=4)
    for cell, fill in zip(table.rows[0].cells, ["FFC000", "auto", None, "AUTO"], strict=True):
        cell.text = "x"
        _shade(cell, fill)
    path = tmp_path / "plan.docx"
    document.save(str(path))
    [grid] = read_grids(path)
    assert (grid.name, grid.positional) == ("plan.docx", False)
    assert [[(c.text, c.where, c.fill, c.marked) for c in row] for row in grid.rows] == [
        [("Joint Targeted Area Inspection: Reading", "paragraph 1", None, None)],
        [("Multi-Agency Improvement Plan", "paragraph 2", None, None)],
        [("x", "table 1, row 1, column 1", "FFC000", None),
         ("x", "table 1, row 1, column 2", None, None),
         ("x", "table 1, row 1, column 3", None, None),
         ("x", "table 1, row 1, column 4", None, None)],
        []]


def test_in_a_jtai_export_only_the_bold_marker_run_marks_a_cell(tmp_path: Path) -> None:
    document = _document(ours=True)
    table = document.add_table(rows=1, cols=4)
    marker, bold, plain, bare = table.rows[0].cells
    marker.paragraphs[0].add_run(MULTI_AGENCY_PREFIX).bold = True
    marker.paragraphs[0].add_run("Hold the meetings")
    bold.paragraphs[0].add_run("Hold").bold = True
    plain.paragraphs[0].add_run(MULTI_AGENCY_PREFIX + "Hold the meetings")
    bare._tc.remove(bare.paragraphs[0]._p)
    path = tmp_path / "export.docx"
    document.save(str(path))
    [grid] = read_grids(path)
    assert [(c.text, c.marked) for c in grid.rows[0]] == [
        ("MULTI-AGENCY: Hold the meetings", True), ("Hold", False),
        ("MULTI-AGENCY: Hold the meetings", False), ("", False)]


# --- fills ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fill", "colour"), [
    (None, None),
    (PatternFill(), None),
    (PatternFill(fill_type="none", fgColor="FFC000"), None),
    (PatternFill("solid", fgColor="FFC000"), "00FFC000"),
    (PatternFill("solid", fgColor=Color(theme=5)), "theme 5"),
    (PatternFill("solid", fgColor=Color(indexed=0)), "00000000"),
    (PatternFill("solid", fgColor=Color(indexed=10)), "00FF0000"),
    (PatternFill("solid", fgColor=Color(indexed=63)), "00333333"),
    (PatternFill("solid", fgColor=Color(indexed=64)), None),
])
def test_a_fill_is_its_solid_colour_a_theme_or_nothing(fill: Any, colour: str | None) -> None:
    assert fill_colour(fill) == colour


def test_a_cell_with_a_gradient_fill_does_not_stop_the_import(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Ref"
    sheet["A1"].fill = GradientFill(stop=("FF0000", "0000FF"))
    book.save(tmp_path / "gradient.xlsx")
    [grid] = read_grids(tmp_path / "gradient.xlsx")
    assert [(c.text, c.fill) for c in grid.rows[0]] == [("Ref", None)]


# --- opening office files ---------------------------------------------------------------------

def test_a_workbook_opens_read_only_with_the_values_excel_saved(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "=1+1"
    book.save(tmp_path / "formula.xlsx")
    opened = open_workbook(tmp_path / "formula.xlsx")
    try:
        assert opened.read_only is True
        assert [[c.value for c in row] for row in opened.active.iter_rows()] == [[None]]
    finally:
        opened.close()


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def test_a_workbook_openpyxl_cannot_open_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = _zip(tmp_path / "broken.xlsx", {"xl/workbook.xml": "<workbook/>"})
    with pytest.raises(CannotRun) as caught:
        open_workbook(path)
    assert caught.value.message == (f"{path}: Excel workbook could not be read (KeyError: "
                                    "\"There is no item named '[Content_Types].xml' in the "
                                    "archive\")")
    assert caught.value.hint == "open it in Excel and save it again"


def test_a_document_python_docx_cannot_open_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = _zip(tmp_path / "broken.docx", {"word/document.xml": "<document/>"})
    with pytest.raises(CannotRun) as caught:
        open_document(path)
    assert caught.value.message == (f"{path}: Word document could not be read (KeyError: "
                                    "\"There is no item named '[Content_Types].xml' in the "
                                    "archive\")")
    assert caught.value.hint == "open it in Word and save it again"


_CORE = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
         'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/">{}'
         "</cp:coreProperties>")


@pytest.mark.parametrize(("core", "when"), [
    ("<dcterms:modified>2025-03-01T10:00:00Z</dcterms:modified>",
     datetime(2025, 3, 1, 10, tzinfo=UTC)),
    ("<dcterms:modified> 2025-03-01T10:00:00 </dcterms:modified>",
     datetime(2025, 3, 1, 10, tzinfo=UTC)),
    ('<modified x="1">2025-03-01T10:00:00+01:00</modified>',
     datetime(2025, 3, 1, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("<dcterms:created>2025-03-01T10:00:00Z</dcterms:created>", None),
    ("<dcterms:modified>last Tuesday</dcterms:modified>", None),
    (None, None),
])
def test_when_an_office_file_says_it_was_saved(tmp_path: Path, core: str | None,
                                               when: datetime | None) -> None:
    parts = {"word/document.xml": "<document/>"}
    if core is not None:
        parts["docProps/core.xml"] = _CORE.format(core)
    saved = saved_at(_zip(tmp_path / "plan.docx", parts))
    assert saved == when
    assert (saved.utcoffset() if saved else None) == (when.utcoffset() if when else None)


def test_only_worksheet_parts_with_a_formula_are_read_for_formulas(tmp_path: Path) -> None:
    path = _zip(tmp_path / "book.xlsx", {
        "xl/workbook.xml": "<workbook/>",
        "xl/worksheets/sheet1.xml": '<worksheet><c><f t="shared"/></c></worksheet>',
        "xl/worksheets/sheet2.xml": "<worksheet><c><v>1</v></c></worksheet>",
        "xl/worksheets/sheet3.xml": "<worksheet><c><f>1+1</f></c></worksheet>",
        "xl/worksheets/_rels/sheet1.xml.rels": '<Relationships><f a="1"/></Relationships>',
        "customXml/item1.xml": '<item><f a="1"/></item>'})
    assert sheets_with_formulas(path) == {"xl/worksheets/sheet1.xml",
                                          "xl/worksheets/sheet3.xml"}


# --- values in cells --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "flag"), [
    ("Yes.", True), ("  Multi   agency ", True), ("x.", True), ("No.", False), ("", None)])
def test_a_multi_agency_answer_reads_past_its_spacing_and_full_stop(
        text: str, flag: bool | None) -> None:
    assert flag_of(Cell(text, "Actions!H2")) is flag


@pytest.mark.parametrize(("text", "blocks"), [
    ("plain   text\n here", ["plain text here"]),
    ("   ", []),
    ("<p>One <i>two</i> three</p><p>Four</p>", ["One two three", "Four"]),
])
def test_html_reads_as_one_item_per_block_with_inline_tags_kept_in_theirs(
        text: str, blocks: list[str]) -> None:
    assert html_blocks(text) == blocks


def test_numbered_items_count_on_from_the_item_before() -> None:
    assert numbered_items("2. x 1. y 2. z") == ["y", "z"]


@pytest.mark.parametrize(("headers", "fields"), [
    (["No.", "Objective", "Accountable lead"], ["number", "title", "lead"]),
    (["Objective", "Accountable lead"], ["number", "lead"]),
    (["No.", "Objective", "Title"], ["number", "number", "title"]),
])
def test_objective_is_the_title_only_beside_another_number_column_and_no_title(
        headers: list[str], fields: list[str | None]) -> None:
    assert objective_fields(headers) == fields


def test_a_hex_colour_reads_as_its_red_green_and_blue() -> None:
    assert _rgb("A1B2C3") == (0xA1, 0xB2, 0xC3)
    assert _rgb("19F0AF") == (0x19, 0xF0, 0xAF)


# --- the export's "Plan" and "Agencies" sheets ----------------------------------------------

def _plan_without(tmp_path: Path, **changes: Any) -> Any:
    data = yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data["inspection"][key] = value
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_plan(path).plan


PLAN_LABELS = [
    "Inspection type", "Inspection name", "Area inspected", "Inspection start",
    "Inspection end", "Plan title", "Area for priority action", "Summary heading",
    "Summary introduction", *["Summary area"] * 10, "Characteristics of good",
    *["Theme"] * 4, "Plan type", "Plan type", "Complete-by word", "Complete-by word",
    "Risk level: moderate", "Risk level: high"]


def test_the_plan_sheet_rows_are_every_plan_field_in_order() -> None:
    rows = plan_sheet_rows(load_plan(REAL_PLAN).plan)
    assert [label for label, _ in rows] == PLAN_LABELS
    assert rows[:6] == (("Inspection type", "JTAI"),
                        ("Inspection name", "Joint Targeted Area Inspection"),
                        ("Area inspected", "Reading"),
                        ("Inspection start", date(2025, 2, 24)),
                        ("Inspection end", date(2025, 3, 10)),
                        ("Plan title", "Multi-Agency Improvement Plan"))
    assert rows[-6:] == (
        ("Plan type", "Operational"), ("Plan type", "Strategic"),
        ("Complete-by word", "In place"), ("Complete-by word", "underway"),
        ("Risk level: moderate", "Moderate risk: Activity is necessary"),
        ("Risk level: high", "High risk: Urgent activity required"))


def test_the_plan_sheet_leaves_out_fields_the_plan_has_not_or_left_empty(
        tmp_path: Path) -> None:
    plan = _plan_without(tmp_path, summary_of_change=None, plan_title="")
    assert [label for label, _ in plan_sheet_rows(plan)] == [
        label for label in PLAN_LABELS
        if label not in ("Plan title", "Summary heading", "Summary introduction",
                         "Summary area")]


def test_the_agencies_sheet_writes_aliases_joined_and_none_for_no_aliases() -> None:
    rows = agency_sheet_rows(load_plan(REAL_PLAN).plan)
    assert [(row[0], row[1], row[2], row[4], row[5]) for row in rows] == [
        ("BFfC", "Brighter Futures for Children", "BFFC; CSC; Children's Social Care", "RBC",
         date(2025, 10, 1)),
        ("TVP", "Thames Valley Police", "Police", None, None),
        ("BWSCP", "Berkshire West Safeguarding Children Partnership", "Partnership; BW", None,
         None),
        ("KCC", "Kent County Council", "Kent CC; Kent", None, None),
        ("RBC", "Reading Borough Council", None, None, None)]


# --- the plan file written ------------------------------------------------------------------

@pytest.mark.parametrize(("extra", "code"), [("", 0), (",Colour", 1)])
def test_an_imported_plan_writes_refs_double_quoted_and_owners_on_one_line(
        jtai: Invoke, tmp_path: Path, extra: str, code: int) -> None:
    """Both writers: the fast one for a plan read whole, ruamel's when gaps are noted (an
    unknown column here)."""
    source = tmp_path / "plan.csv"
    source.write_bytes(f"Objective,Objective title,Ref,Action,Owners,Progress{extra}\r\n"
                       f"1,Voice,1.10,Hold the meetings,TVP and BFfC,Green{extra}\r\n"
                       .encode())
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(source), "-o", str(out), "--area", "Reading", "--inspected",
                  "24/02/2025 to 10/03/2025", "--keep-going")
    assert result.exit_code == code, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text[text.index("objectives:"):].splitlines() == [
        "objectives:",
        "  - number: 1",
        "    title: Voice",
        "    actions:",
        '      - ref: "1.10"',
        "        multi_agency: false",
        "        action: Hold the meetings",
        "        owners: [TVP, BFfC]",
        "        owners_as_written: TVP and BFfC",
        "        progress: Green",
        "        impact:"]
