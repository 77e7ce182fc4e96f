"""A sheet's rows as SpreadsheetML text, byte for byte what openpyxl's own cell writer emits.

openpyxl spends about 11 µs on each styled cell (a Cell object, its style looked up, an
lxml element); a 10,000-action export has 300,000 of them, which made the export four
times slower than writing the same values unstyled. Here a cell is one formatted string.
openpyxl still writes everything else in the workbook (styles, column widths, drop-downs,
page setup) and gives each style its id; :mod:`.xlsx` puts these rows into its sheets.

The rules below are openpyxl 3.1's (``Cell._bind_value``, ``cell._writer``), kept to the
byte so that a file is the same whichever writes it: tests/test_xlsx_rows.py compares the
two on every kind of value. No user text can become markup: ``&``, ``<`` and ``>`` are
escaped, and so is every character outside ASCII, as a character reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from enum import Enum

from ...plan.textpolicy import describe
from ..cellref import column_letter

MAX_TEXT = 32767
"""Excel's longest cell text; openpyxl cuts longer text to this."""
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold, even as a character reference: control characters but tab, LF
and CR, lone surrogates, U+FFFE and U+FFFF (openpyxl's ILLEGAL_CHARACTERS_RE has only the
controls, and writes the others as references no reader accepts)."""
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                         "#N/A"))
"""Text openpyxl stores as an Excel error value, as it does for any cell set to one."""
_EPOCH = datetime(1899, 12, 30)
"""Day 0 of Excel's (Windows) date serials."""

StyleOf = Callable[[object], int]
"""A column's style id for a value in it (``s="..."``)."""


class IllegalText(ValueError):
    """Text with a control character no spreadsheet can hold (openpyxl raises the same)."""


def excel_serial(day: date) -> int:
    """A date as Excel's day number (1900 date system, with its phantom 29 February 1900)."""
    days = (datetime(day.year, day.month, day.day) - _EPOCH).days
    return days - 1 if 0 < days <= 60 else days


def _escape(text: str) -> str:
    # lxml's serialisation of text in an ASCII document: markup characters and CR escaped,
    # everything past ASCII as a decimal character reference.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if not text.isascii():
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return text


def _number(value: float) -> str:
    return "%.16g" % value  # openpyxl's safe_string  # noqa: UP031


def cell_xml(ref: str, style: int, value: object) -> str:
    """One ``<c>`` element. Text is always text, never a formula: the export sets openpyxl's
    cells to text too when they start with ``=`` (and marks them with a quote prefix, a
    matter of style)."""
    head = f'<c r="{ref}" s="{style}"'
    if value is None or value == "":
        return head + ' t="n"></c>'
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        text = value[:MAX_TEXT]
        if found := ILLEGAL.search(text):
            raise IllegalText(f"contains {describe(found.group(0))}, which no workbook can "
                              "hold")
        if text in ERROR_CODES:
            return f'{head} t="e"><v>{_escape(text)}</v></c>'
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'{head} t="n"><v>{_number(value)}</v></c>'
    if isinstance(value, date) and not isinstance(value, datetime):
        return f'{head} t="n"><v>{excel_serial(value)}</v></c>'
    raise TypeError(f"no spreadsheet cell for {type(value).__name__} {value!r}")


def rows_xml(rows: Iterator[tuple[Sequence[object], float]], styles: Sequence[StyleOf],
             first: int = 1) -> Iterator[str]:
    """``<row>`` elements, numbered from ``first``: each row's cells (one per column, every
    one written, as openpyxl writes a styled empty cell) and its height in points."""
    letters = [column_letter(n) for n in range(1, len(styles) + 1)]
    for number, (cells, height) in enumerate(rows, start=first):
        parts = [f'<row r="{number}" ht="{_number(height)}" customHeight="1">']
        for letter, style_of, value in zip(letters, styles, cells, strict=True):
            parts.append(cell_xml(f"{letter}{number}", style_of(value), value))
        parts.append("</row>")
        yield "".join(parts)
