"""The Excel export: sheets "Actions", "Objectives", "History", "Key", "Plan", "Agencies".

Each sheet is a plain table with its headers in row 1 (frozen, filtered, repeated on every
printed page; with several plans a Plan column first), so people can sort and filter it
and ``jtai import`` can read it back. Refs are text cells, dates are real date cells, RAG
cells carry the word and a fill, and text that Excel would run as a formula (=, +, -, @
first) is stored as text.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from ...plan.model import RAG
from ..cellref import column_letter
from ..plansheet import AGENCY_COLUMNS, AGENCY_SHEET
from ..plansheet import HEADERS as PLAN_HEADERS
from ..plansheet import SHEET as PLAN_SHEET
from ..styles import HEADER_FILL, RAG_FILL, RAG_TEXT
from .package import SheetBody, fill_package
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
from .sheetrows import StyleOf, rows_xml

FORMULA_START = ("=", "+", "-", "@")
DATE_FORMAT = "dd/mm/yyyy"
"""Day-first, as in England; the cell holds a date, so Excel shows it in any locale."""
LINE_POINTS = 15.0
"""One line of 11-point Calibri, Excel's default."""
MAX_ROW_POINTS = 409.0
"""Excel's tallest row."""
TEXT_FORMAT = "@"
"""Excel's "Text" format: a ref typed over later stays text too."""
PLAN_COLUMNS = (Column(PLAN_HEADERS[0], "label", Kind.TEXT, 26),
                Column(PLAN_HEADERS[1], "value", Kind.LONG, 100))
_AGENCY_LOOK: dict[str, tuple[Kind, int]] = {
    "code": (Kind.TEXT, 10), "name": (Kind.LONG, 40), "aliases": (Kind.LONG, 24),
    "note": (Kind.LONG, 40), "succeeded_by": (Kind.TEXT, 12), "succeeded_on": (Kind.DATE, 13),
    "succession_note": (Kind.LONG, 30)}
AGENCY_SHEET_COLUMNS = tuple(Column(header, name, *_AGENCY_LOOK[name])
                             for header, name in AGENCY_COLUMNS)


def _named(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> list[object]:
    """Rows of cells as objects whose attributes are the columns' (what :func:`values`
    reads)."""
    return [SimpleNamespace(**{c.attribute: v for c, v in zip(columns, row, strict=True)})
            for row in rows]


def write(table: ExportTable) -> bytes:
    """The workbook, as a package whose members are stored uncompressed: every package
    export goes through :func:`.stamp.restamp`, which deflates each member as it dates it."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    styles = _CellStyles(first)
    sheets: tuple[tuple[str, Sequence[Column], Sequence[object]], ...] = (
        ("Actions", table.columns(ACTION_COLUMNS), table.actions),
        ("Objectives", table.columns(OBJECTIVE_COLUMNS), table.objectives),
        ("History", table.columns(HISTORY_COLUMNS), table.history),
        ("Key", KEY_COLUMNS, table.key),
        (PLAN_SHEET, PLAN_COLUMNS, _named(PLAN_COLUMNS, table.plan_fields)),
        (AGENCY_SHEET, AGENCY_SHEET_COLUMNS, _named(AGENCY_SHEET_COLUMNS, table.agency_rows)),
    )
    written = []
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        _lay_out(sheet, columns, len(rows))
        _page_setup(sheet, f"{table.heading}: {title} · as of {long_date(table.as_of)}")
        # Before openpyxl saves: the rows' styles must be in the style sheet it writes.
        written.append((sheet, columns, len(rows), _sheet_data(columns, rows, styles)))
    book.remove(first)
    properties = book.properties
    properties.title = f"{table.heading}: {table.shown_title}"
    properties.subject = f"as of {table.as_of.isoformat()}"
    properties.creator = "jtai"
    skeleton = io.BytesIO()
    book.save(skeleton)  # every sheet's settings, and an empty <sheetData/> for its rows
    return fill_package(skeleton.getvalue(), {
        sheet.path.lstrip("/"): SheetBody(f"A1:{column_letter(len(columns))}{count + 1}", body)
        for sheet, columns, count, body in written})


def _lay_out(sheet: Any, columns: Sequence[Column], count: int) -> None:
    """A sheet's settings for ``count`` rows: widths, frozen header, filter, drop-downs."""
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[column_letter(number)].width = column.width
    last = column_letter(len(columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(count + 1, 1)}"
    rag_columns = [column_letter(n) for n, c in enumerate(columns, 1) if c.kind is Kind.RAG]
    if rag_columns and count:
        _rag_choices(sheet, " ".join(f"{c}2:{c}{count + 1}" for c in rag_columns))


def _sheet_data(columns: Sequence[Column], rows: Sequence[object], styles: _CellStyles
                ) -> bytes:
    """The header row and a row per item, as :mod:`.sheetrows` writes them."""
    headers = [column.header for column in columns]
    header_style = styles.header()
    header = rows_xml(iter([(headers, _height(columns, headers))]),
                      [lambda _value: header_style] * len(columns))
    cells = ((cells, _height(columns, cells))
             for cells in (values(row, columns) for row in rows))
    body = rows_xml(cells, [styles.of(column.kind) for column in columns], first=2)
    return "".join(itertools.chain(header, body)).encode("ascii")


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
            if len(value) <= per_line and "\n" not in value:
                continue  # one line, as most cells are: nothing to split and count
            lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line)
                                   for part in value.split("\n")))
    return min(LINE_POINTS * lines + 3, MAX_ROW_POINTS)


class _CellStyles:
    """Each look a cell can have, registered with openpyxl once, for its style id.

    A cell's look follows its column's kind (wrapped or not, a ref's text format) and its
    value: a RAG word's fill and font, a date's format, the quote prefix of text that starts
    like a formula.
    """

    def __init__(self, sheet: Any) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self._sheet = sheet
        self._ids: dict[tuple[Kind, object], int] = {}
        self.top = Alignment(vertical="top")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.rag_fill = {rag: PatternFill("solid", fgColor=RAG_FILL[rag]) for rag in RAG}
        self.rag_font = {rag: Font(bold=True, color=RAG_TEXT[rag]) for rag in RAG}

    def header(self) -> int:
        from openpyxl.styles import Font, PatternFill

        cell = self._cell()
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = self.wrap
        return int(cell.style_id)

    def of(self, kind: Kind) -> StyleOf:
        """The style id of a value in a column of ``kind``."""
        ids = self._ids

        def style_of(value: object) -> int:
            key = (kind, _look(value))
            found = ids.get(key)
            if found is None:
                found = ids[key] = self._register(*key)
            return found

        return style_of

    def _register(self, kind: Kind, look: object) -> int:
        cell = self._cell()
        cell.alignment = self.wrap if kind is Kind.LONG else self.top
        if kind is Kind.REF:
            cell.number_format = TEXT_FORMAT
        if isinstance(look, RAG):
            cell.fill = self.rag_fill[look]
            cell.font = self.rag_font[look]
        elif look is date:
            cell.number_format = DATE_FORMAT
        elif look is str:
            # The quote prefix keeps it text when someone edits the cell in Excel.
            cell.quotePrefix = True
        return int(cell.style_id)

    def _cell(self) -> Any:
        from openpyxl.cell.cell import Cell

        return Cell(self._sheet)  # in no sheet's rows: it only holds a style


def _look(value: object) -> object:
    """What of a value sets its cell's style: its RAG, being a date (``date``), or being
    text that Excel would take for a formula (``str``); None for anything else."""
    if isinstance(value, RAG):
        return value
    if isinstance(value, date):
        return date
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return str
    return None


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
