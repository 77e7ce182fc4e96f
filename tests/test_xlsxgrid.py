"""``office/intake/xlsxgrid.py`` streams a workbook's sheets with its own reading of the XML;
the grids must be exactly those a full openpyxl load gave (how ``jtai import`` read
workbooks before issue 15, kept here as the reference): every value, type, fill,
location, merged range and formula without a saved value.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Color, PatternFill

from conftest import REAL_PLAN, Invoke
from jtaiplan.office.intake.grid import Cell, fill_colour, read_grids, text_of
from office_client import convert_to


def reference_grids(path: Path) -> list[tuple[str, list[list[tuple[Any, ...]]]]]:
    """The grids as the full load made them (grid.py before issue 15)."""
    book = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path, data_only=False)
    grids = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible" and sheet.max_row <= 1:
            continue
        formula_sheet = formulas[sheet.title]
        beside, below = set(), {}
        for span in sheet.merged_cells.ranges:
            for row in range(span.min_row, span.max_row + 1):
                for col in range(span.min_col, span.max_col + 1):
                    if col != span.min_col:
                        beside.add((row, col))
                    elif row != span.min_row:
                        below[(row, col)] = (span.min_row, span.min_col)
        rows = []
        for cells in sheet.iter_rows():
            out = []
            for cell in cells:
                where = f"{sheet.title}!{cell.coordinate}"
                if (cell.row, cell.column) in beside:
                    out.append(("", where, None, None, False))
                    continue
                source = sheet.cell(*below[(cell.row, cell.column)]) \
                    if (cell.row, cell.column) in below else cell
                formula = formula_sheet.cell(source.row, source.column).value
                no_value = source.value is None and isinstance(formula, str) \
                    and formula.startswith("=")
                out.append((text_of(source.value), where, source.value,
                            fill_colour(source.fill), no_value))
            rows.append(out)
        grids.append((sheet.title, rows))
    return grids


def streamed(path: Path) -> list[tuple[str, list[list[tuple[Any, ...]]]]]:
    def flat(cell: Cell) -> tuple[Any, ...]:
        return (cell.text, cell.where, cell.value, cell.fill, cell.formula_without_value)

    return [(grid.name, [[flat(c) for c in row] for row in grid.rows])
            for grid in read_grids(path)]


def tricky_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Ref", "Action", "Due", "Done", "RAG", "Count", "Note"])
    sheet.append(["1.1", "  padded text  ", date(2025, 6, 30), True, "Amber", 3, "#N/A"])
    sheet.append([1.1, "=1+1", datetime(2025, 7, 1, 9, 30), False, None, 2.5, None])
    sheet.append(["1.10", CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")]),
                  "30/06/2025", None, None, -4, "line one\nline two"])
    sheet["E3"].fill = PatternFill("solid", fgColor="FFC000")
    sheet["E4"].fill = PatternFill("solid", fgColor=Color(theme=5))
    sheet["E5"].fill = PatternFill("solid", fgColor=Color(indexed=10))
    sheet["G9"] = "far corner"
    sheet.merge_cells("A6:C6")
    sheet.merge_cells("D6:D8")
    sheet["D6"] = "shared owner"
    hidden = book.create_sheet("Lists")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "only a header"
    kept = book.create_sheet("Kept")
    kept.sheet_state = "hidden"
    kept.append(["a", "b"])
    kept.append(["c", None])
    book.create_sheet("Empty")
    book.save(path)
    return path


def test_a_tricky_workbook_reads_as_the_full_load_read_it(tmp_path: Path) -> None:
    book = tricky_workbook(tmp_path / "tricky.xlsx")
    assert streamed(book) == reference_grids(book)
    names = [name for name, _rows in streamed(book)]
    assert names == ["Tracker", "Kept", "Empty"]


def test_cells_without_their_reference_are_placed_in_order(tmp_path: Path) -> None:
    book = tricky_workbook(tmp_path / "tricky.xlsx")
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(bare, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":  # "Kept": no r on cells or rows
                data = re.sub(rb'<(c|row) r="[A-Z]*[0-9]+"', rb"<\1", data)
            target.writestr(info, data)
    assert b' r="' not in zipfile.ZipFile(bare).read("xl/worksheets/sheet3.xml")
    assert streamed(bare) == reference_grids(bare)


def test_an_export_reads_as_the_full_load_read_it(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", "2025-07-01", "-o",
                str(out)).exit_code == 0
    assert streamed(out) == reference_grids(out)


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_reads_as_the_full_load_read_it(
        tmp_path: Path) -> None:
    """Calc writes shared strings, its own styles and cached formula results."""
    source = tricky_workbook(tmp_path / "tricky.xlsx")
    saved = convert_to(source, tmp_path / "calc", "xlsx")
    assert b"sharedStrings" in zipfile.ZipFile(saved).read("[Content_Types].xml")
    assert streamed(saved) == reference_grids(saved)


def test_a_damaged_sheet_is_refused_as_before(jtai: Invoke, tmp_path: Path) -> None:
    book = tricky_workbook(tmp_path / "tricky.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    result = jtai("import", str(broken), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2
    assert "Excel workbook could not be read" in result.stderr
