"""The update pack as an Excel workbook: instructions, the Return sheet, the hidden record.

Given columns are locked and the sheet protected without a password: that prevents slips,
not tampering, and the reader checks the locked cells again.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from ...plan.model import RAG
from ..styles import HEADER_FILL, RAG_FILL, RAG_TEXT
from .content import Pack
from .layout import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    HELP_SHEET,
    META_ROWS_HEADER,
    META_SHEET,
    PACK_KIND,
    PACK_VERSION,
    RETURN_SHEET,
    column_letter,
)

if TYPE_CHECKING:
    from openpyxl import Workbook

DATE_FORMAT = "DD/MM/YYYY"
RAG_CHOICES = '"Blue,Green,Amber,Red"'
_RAG_WORDS = frozenset(str(r) for r in RAG)


def pack_workbook(pack: Pack) -> bytes:
    """The pack as .xlsx bytes, for an atomic write."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    _help_sheet(book, pack)
    _return_sheet(book, pack)
    _meta_sheet(book, pack)
    book.active = 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _help_sheet(book: Workbook, pack: Pack) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = book.active
    sheet.title = HELP_SHEET
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    when = _long_date(pack.return_by)
    lines: list[tuple[str, str]] = [
        (pack.plan_title, ""),
        (f"Update for {pack.agency_name} ({pack.agency})", ""),
        ("", ""),
        ("Please return by", when),
        ("What to do", f"Open the '{RETURN_SHEET}' sheet. Each row is one action your agency "
                       "owns. Fill in only the white columns on the right; leave a row blank "
                       "if nothing has changed."),
        ("New progress", "Pick Blue, Green, Amber or Red from the list. Choose Blue only when "
                         "the action is complete, and say how you know in Evidence."),
        ("New impact", "Pick a rating for the difference the action is making to children."),
        ("Note", "What has happened since the last update, in a sentence or two. Do not name "
                 "or identify any child or family."),
        ("Evidence", "What shows the progress or completion: a report, an audit, minutes."),
        ("New complete-by", "Only if the date has to move: type the new date (for example "
                            "31/03/2026) and give the reason in the next column."),
        ("Then", "Save the file (keep it as .xlsx, keep the name) and email it back. Please "
                 "do not add, remove or re-order rows or columns: the plan is updated "
                 "from them automatically."),
        ("", ""),
        ("RAG key", ""),
    ]
    for rag in RAG:
        lines.append((str(rag), pack.rag_key.get(str(rag), "")))
    for number, (label, text) in enumerate(lines, start=1):
        sheet.cell(number, 1, label).font = Font(bold=True)
        sheet.cell(number, 1).alignment = Alignment(vertical="top")
        cell = sheet.cell(number, 2, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if label in _RAG_WORDS:
            rag = RAG(label)
            sheet.cell(number, 1).fill = PatternFill("solid", fgColor=RAG_FILL[rag])
            sheet.cell(number, 1).font = Font(bold=True, color=RAG_TEXT[rag])
        sheet.row_dimensions[number].height = _height([(text, 90)])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.row_dimensions[1].height = 20
    _fit_to_page_width(sheet)


def _return_sheet(book: Workbook, pack: Pack) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(RETURN_SHEET)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    given_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, column in enumerate(COLUMNS):
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(HEADER_ROW, index + 1, column.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = FIRST_ROW + len(pack.rows) - 1
    for number, row in enumerate(pack.rows, start=FIRST_ROW):
        values: dict[str, Any] = {"ref": row.ref, "objective": row.objective,
                                  "action": row.action, "complete_by": row.complete_by,
                                  "progress": str(row.progress),
                                  "impact": str(row.impact) if row.impact else None,
                                  "last_update": row.last_update}
        for index, column in enumerate(COLUMNS):
            cell = sheet.cell(number, index + 1)
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if not column.given:
                cell.protection = Protection(locked=False)
                if column.kind == "date":
                    cell.number_format = DATE_FORMAT
                continue
            _put(cell, values[column.key])
            cell.fill = given_fill
            rating = values[column.key] if column.kind == "rag" else None
            if rating:
                cell.fill = PatternFill("solid", fgColor=RAG_FILL[RAG(rating)])
                cell.font = Font(color=RAG_TEXT[RAG(rating)], bold=True)
            if isinstance(values[column.key], date):
                cell.number_format = DATE_FORMAT
        sheet.row_dimensions[number].height = _height(
            [(str(values[c.key] or ""), c.width) for c in COLUMNS if c.given])
    if pack.rows:
        for index, column in enumerate(COLUMNS):
            if column.given:
                continue
            span = f"{column_letter(index)}{FIRST_ROW}:{column_letter(index)}{last}"
            if column.kind == "rag":
                check = DataValidation(type="list", formula1=RAG_CHOICES, allow_blank=True,
                                       showErrorMessage=True, errorTitle="Not a RAG rating",
                                       error="Choose Blue, Green, Amber or Red.")
            elif column.kind == "date":
                check = DataValidation(type="date", operator="greaterThan", formula1="36526",
                                       allow_blank=True, showErrorMessage=True,
                                       errorTitle="Not a date",
                                       error="Type a date such as 31/03/2026.")
            else:
                continue
            check.add(span)
            sheet.add_data_validation(check)
            if column.kind == "rag":
                _colour_ratings(sheet, span)
    sheet.freeze_panes = f"B{FIRST_ROW}"
    # No password: this stops slips, not people; the return is checked cell by cell anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.row_dimensions[HEADER_ROW].height = 30
    _fit_to_page_width(sheet)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _colour_ratings(sheet: Any, span: str) -> None:
    """A rating picked in the list takes its colour, as the given ratings have."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for rag in RAG:
        sheet.conditional_formatting.add(span, CellIsRule(
            operator="equal", formula=[f'"{rag}"'],
            fill=PatternFill(bgColor=RAG_FILL[rag]), font=Font(color=RAG_TEXT[rag])))


def _meta_sheet(book: Workbook, pack: Pack) -> None:
    sheet = book.create_sheet(META_SHEET)
    header = {"kind": PACK_KIND, "version": PACK_VERSION, "plan": pack.plan_file,
              "plan_id": pack.plan_id, "agency": pack.agency, "agency_name": pack.agency_name,
              "as_of": pack.as_of.isoformat(), "return_by": pack.return_by.isoformat()}
    if pack.plans:
        # Several plans: each by its id, file and inspection; the rows' refs are qualified.
        header["plans"] = json.dumps([{"id": p.id, "file": p.file, "plan_id": p.key}
                                      for p in pack.plans], ensure_ascii=False)
    line = 1
    for key, value in header.items():
        sheet.cell(line, 1, key)
        _put(sheet.cell(line, 2), value)
        line += 1
    line += 1
    for index, name in enumerate(META_ROWS_HEADER, start=1):
        sheet.cell(line, index, name)
    for number, row in enumerate(pack.rows, start=FIRST_ROW):
        line += 1
        record = (number, row.ref, row.fingerprint,
                  json.dumps(row.state, ensure_ascii=False, sort_keys=True),
                  json.dumps(row.given(), ensure_ascii=False, sort_keys=True))
        for index, item in enumerate(record, start=1):
            _put(sheet.cell(line, index), item)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


def _put(cell: Any, value: object) -> None:
    """Text stays text: openpyxl would store '=...' as a formula, which Excel would run."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _fit_to_page_width(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _height(cells: list[tuple[str, int]]) -> float:
    """Row height in points for wrapped text: neither Excel nor LibreOffice grows a row
    written by openpyxl, so long actions would be cut off or overprinted."""
    lines = max((max(1, -(-len(text) // max(width - 2, 1))) for text, width in cells),
                default=1)
    return 15.0 * lines + 3


def _long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"
