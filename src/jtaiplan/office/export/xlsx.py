"""The Excel export: sheets "Actions", "Objectives", "History" and "Key".

Each sheet is a plain table with its headers in row 1 (frozen, filtered, repeated on every
printed page; with several plans a Plan column first), so people can sort and filter it
and ``jtai import`` can read it back. Refs are text cells, dates are real date cells, RAG
cells carry the word and a fill, and text that Excel would run as a formula (=, +, -, @
first) is stored as text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from ...plan.model import RAG
from ..styles import HEADER_FILL, RAG_FILL, RAG_TEXT
from .rows import (
    ACTION_COLUMNS,
    HISTORY_COLUMNS,
    KEY_COLUMNS,
    OBJECTIVE_COLUMNS,
    Column,
    ExportTable,
    Kind,
    long_date,
    values,
)

FORMULA_START = ("=", "+", "-", "@")
DATE_FORMAT = "dd/mm/yyyy"
"""Day-first, as in England; the cell holds a date, so Excel shows it in any locale."""
LINE_POINTS = 15.0
"""One line of 11-point Calibri, Excel's default."""
MAX_ROW_POINTS = 409.0
"""Excel's tallest row."""
TEXT_FORMAT = "@"
"""Excel's "Text" format: a ref typed over later stays text too."""


def write(table: ExportTable) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    sheets: tuple[tuple[str, Sequence[Column], Sequence[object]], ...] = (
        ("Actions", table.columns(ACTION_COLUMNS), table.actions),
        ("Objectives", table.columns(OBJECTIVE_COLUMNS), table.objectives),
        ("History", table.columns(HISTORY_COLUMNS), table.history),
        ("Key", KEY_COLUMNS, table.key),
    )
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        _fill_sheet(sheet, columns, rows)
        _page_setup(sheet, f"{table.heading}: {title} · as of {long_date(table.as_of)}")
    book.remove(first)
    properties = book.properties
    properties.title = f"{table.heading}: {table.plan_title}"
    properties.subject = f"as of {table.as_of.isoformat()}"
    properties.creator = "jtai"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet: Any, columns: Sequence[Column], rows: Sequence[object]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    header_align = Alignment(wrap_text=True, vertical="top")
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = header_align
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.row_dimensions[1].height = _height(columns, [c.header for c in columns])
    styles = _CellStyles()
    for row_number, row in enumerate(rows, start=2):
        cells = values(row, columns)
        for number, (column, value) in enumerate(zip(columns, cells, strict=True), start=1):
            _put(sheet.cell(row=row_number, column=number), column.kind, value, styles)
        sheet.row_dimensions[row_number].height = _height(columns, cells)
    last = get_column_letter(len(columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"
    rag_columns = [get_column_letter(n) for n, c in enumerate(columns, 1) if c.kind is Kind.RAG]
    if rag_columns and rows:
        _rag_choices(sheet, " ".join(f"{c}2:{c}{len(rows) + 1}" for c in rag_columns))


def _rag_choices(sheet: Any, ranges: str) -> None:
    """A drop-down of the four words, and a fill that follows the word when someone changes
    it in Excel: a tracker sent round the agencies comes back still readable."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    words = [rag.value for rag in RAG]
    choices = DataValidation(type="list", formula1='"' + ",".join(words) + '"',
                             allow_blank=True, showErrorMessage=True,
                             errorTitle="RAG rating", error="Blue, Green, Amber or Red")
    for cells in ranges.split():
        choices.add(cells)
    sheet.add_data_validation(choices)
    for cells in ranges.split():
        for rag in RAG:
            sheet.conditional_formatting.add(cells, CellIsRule(
                operator="equal", formula=[f'"{rag.value}"'],
                fill=PatternFill("solid", bgColor=RAG_FILL[rag]),
                font=Font(bold=True, color=RAG_TEXT[rag])))


def _height(columns: Sequence[Column], cells: Sequence[object]) -> float:
    """Points for a row whose wrapped text fits: neither Excel nor LibreOffice sizes the
    rows of a written file, so without this long actions overlap the next row."""
    lines = 1
    for column, value in zip(columns, cells, strict=True):
        if isinstance(value, str) and value:
            # A width counts "0"s of the default font; text averages a little narrower,
            # and loses a little at each line's last word.
            per_line = max(column.width * 1.05 - 2, 1)
            lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line)
                                   for part in value.split("\n")))
    return min(LINE_POINTS * lines + 3, MAX_ROW_POINTS)


class _CellStyles:
    """Style objects made once and shared: openpyxl then writes each style once."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.top = Alignment(vertical="top")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.rag_fill = {rag: PatternFill("solid", fgColor=RAG_FILL[rag]) for rag in RAG}
        self.rag_font = {rag: Font(bold=True, color=RAG_TEXT[rag]) for rag in RAG}


def _put(cell: Any, kind: Kind, value: object, styles: _CellStyles) -> None:
    cell.alignment = styles.wrap if kind is Kind.LONG else styles.top
    if kind is Kind.REF:
        cell.number_format = TEXT_FORMAT
    if value is None or value == "":
        return
    if isinstance(value, RAG):
        cell.value = value.value
        cell.fill = styles.rag_fill[value]
        cell.font = styles.rag_font[value]
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.value = value
        if value.startswith(FORMULA_START):
            # openpyxl takes "=..." for a formula; a string cell is shown and kept as typed,
            # and the quote prefix keeps it text when someone edits the cell in Excel.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def _page_setup(sheet: Any, header: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    # Excel refuses a header over 255 characters; "&" starts a header code.
    sheet.oddHeader.center.text = header[:200].replace("&", "&&")
    sheet.oddFooter.right.text = "Page &P of &N"
