"""A workbook's sheets as grids, each sheet read in one streaming pass.

Loading a workbook in full makes an openpyxl Cell, with its style, for every cell: three
seconds for a 10,000-action export, twice the import's whole budget. Here openpyxl opens the
workbook read-only (names, visibility, shared strings, styles) and its own sheet parser,
the one a full load uses, streams each sheet's cells as plain values and style ids. The
grid is then what the full load gave: the same values, every row from 1 to the last used
one and every column to the last used one, merged ranges reported once across and repeated
down, a fill looked up only per style, not per cell. Unlike the full load, a merged range
counts only as far as the sheet has cells, and a sheet's size is bounded before any grid
cell is made (:data:`MAX_CELLS`, :data:`~.grid.MAX_ROWS`): a few kilobytes cannot ask for
all of Excel's seventeen thousand million cells. No ``<dimension>`` is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from warnings import warn

from ...errors import CannotRun
from ..cellref import column_letter
from .grid import MAX_ROWS, Cell, Grid, fill_colour, text_of

MAX_CELLS = 2_000_000
"""Cells one sheet may span (its last row times its last column, merged ranges clipped to
them): a 10,000-action export spans 200,000. A sheet past it is refused before any is made."""


class TooLarge(CannotRun):
    """A sheet whose extent no plan needs (exit 2)."""

Position = tuple[int, int]
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is"
_TEXT, _RUN, _MERGE = f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}mergeCell"


def read_xlsx(path: Path, formulas: set[str]) -> list[Grid]:
    """Every visible sheet, and every hidden one with more than a row, as a grid.

    ``formulas``: the sheet parts (``xl/worksheets/sheet1.xml``) that hold a formula; a
    formula cell whose result was never saved is read a second time, as its formula."""
    from ..opening import open_workbook

    book = open_workbook(path, read_only=True)
    grids = []
    try:
        with _unreadable(path):
            for sheet in book.worksheets:
                cells, merged = _parse(book, sheet)
                if len(merged) > MAX_CELLS // 10:
                    raise TooLarge(f"sheet '{sheet.title}' has {len(merged):,} merged ranges; "
                                   "no plan has so many")
                grid = _grid(book, sheet.title, cells, merged,
                             _formula_cells(book, sheet) if sheet._worksheet_path in formulas
                             else None)
                if sheet.sheet_state != "visible" and grid.rows_used <= 1:
                    continue
                if grid.rows_used > MAX_ROWS:
                    raise CannotRun(f"{path}: sheet '{sheet.title}' has {grid.rows_used} rows; "
                                    "no plan has so many",
                                    hint="delete the blank rows and save again")
                grids.append(grid.grid)
    finally:
        book.close()
    return grids


@contextmanager
def _unreadable(path: Path) -> Iterator[None]:
    # A read-only workbook parses its sheets only now: a damaged one is refused as the full
    # load refused it, when it opened the file.
    try:
        yield
    except TooLarge as exc:
        raise CannotRun(f"{path}: {exc.message}",
                        hint="delete the unused rows and columns and save again") from None
    except CannotRun:
        raise
    except Exception as exc:  # openpyxl and lxml raise many kinds for a damaged sheet
        raise CannotRun(f"{path}: Excel workbook could not be read ({type(exc).__name__}: "
                        f"{exc})", hint="open it in Excel and save it again") from None


def _parse(book: Any, sheet: Any) -> tuple[dict[Position, tuple[Any, int]], list[str]]:
    """Each cell's value and style id by position, and the merged ranges (``A1:B3``).

    openpyxl's own sheet parser builds an object per inline string and costs as much as
    the rest of the import together; this reads the same XML with lxml, by openpyxl's
    rules (``WorkSheetParser.parse_cell``), and tests/test_xlsxgrid.py compares the two.
    """
    from lxml import etree

    value_of = _Values(book, sheet)
    columns = _Columns()
    cells: dict[Position, tuple[Any, int]] = {}
    merged: list[str] = []
    number = 0
    with sheet._get_source() as source:
        # No entities, no network: the sheet is a stranger's file.
        for _event, element in etree.iterparse(
                source, events=("end",), tag=(_ROW, _MERGE), resolve_entities=False,
                no_network=True, huge_tree=False):
            if element.tag == _MERGE:
                merged.append(element.get("ref"))
                continue
            at = element.get("r")
            number = _row_number(at) if at is not None else number + 1
            column = 0
            for cell in element.iterchildren(_CELL):
                where = cell.get("r")
                if where:
                    row, column = columns.split(where)
                else:
                    row, column = number, column + 1
                style = cell.get("s")
                style_id = int(style) if style else 0
                kind = cell.get("t")
                if kind == "inlineStr":  # as jtai's export writes text: the common case
                    text = cell.find(_INLINE)
                    value = None if text is None else _inline_text(text)
                else:
                    value = value_of(cell, kind or "n", style_id, where)
                cells[row, column] = (value, style_id)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:  # rows already read: free them
                del element.getparent()[0]
    return cells, merged


class _Columns:
    """``AB12`` -> (12, 28), each column's letters converted once."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}

    def split(self, where: str) -> Position:
        letters = where.rstrip("0123456789")
        column = self._known.get(letters)
        if column is None:
            from openpyxl.utils.cell import coordinate_to_tuple

            row, column = coordinate_to_tuple(where)  # its errors for a bad reference
            self._known[letters] = column
            return row, column
        return int(where[len(letters):]), column


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


class _Values:
    """A ``<c>`` element's value, as openpyxl's parser reads it with ``data_only``."""

    def __init__(self, book: Any, sheet: Any) -> None:
        self.strings = sheet._shared_strings
        self.epoch = book.epoch
        self.dates = book._date_formats
        self.durations = book._timedelta_formats

    def __call__(self, cell: Any, kind: str, style_id: int, where: str | None) -> Any:
        value = cell.findtext(_VALUE) or None
        if value is None:
            return None
        if kind == "n":
            number = _cast_number(value)
            if style_id in self.dates:
                from openpyxl.utils.datetime import from_excel

                try:
                    return from_excel(number, self.epoch,
                                      timedelta=style_id in self.durations)
                except (OverflowError, ValueError):
                    warn(f"Cell {where} is marked as a date but the serial value {number} is "
                         "outside the limits for dates. The cell will be treated as an error.",
                         stacklevel=2)
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(value)
        return value  # "str" (a formula's text result), "e" (an error such as #N/A)


def _inline_text(element: Any) -> str:
    """An inline string's text: its plain text, then its runs' (openpyxl's ``Text``)."""
    if len(element) == 1:
        only = element[0]
        if only.tag == _TEXT:  # plain text alone, as most are
            return only.text or ""
    parts = []
    plain = element.find(_TEXT)
    if plain is not None and plain.text is not None:
        parts.append(plain.text)
    for run in element.iterchildren(_RUN):
        text = run.find(_TEXT)
        if text is not None and text.text is not None:
            parts.append(text.text)
    return "".join(parts)


def _cast_number(text: str) -> int | float:
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _formula_cells(book: Any, sheet: Any) -> set[Position]:
    """Where the sheet holds a formula: openpyxl's own parser, which reads formulas, on the
    few sheets that have one."""
    from openpyxl.worksheet._reader import WorkSheetParser

    found = set()
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=False,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for _number, row in parser.parse():
            for cell in row:
                value = cell["value"]
                if isinstance(value, str) and value.startswith("="):
                    found.add((cell["row"], cell["column"]))
    return found


class _Read:
    def __init__(self, grid: Grid, rows_used: int) -> None:
        self.grid, self.rows_used = grid, rows_used


def _grid(book: Any, title: str, cells: dict[Position, tuple[Any, int]], merged: list[str],
          formulas: set[Position] | None) -> _Read:
    from openpyxl.worksheet.cell_range import CellRange

    # A merged range's value is in its top-left cell. Across a row it is reported once;
    # down a column it holds for every row it spans (a shared owner or theme), so it repeats.
    # Each range is first clipped to the cells the sheet really has: a few bytes can merge
    # J1:XFD1048576, and expanding that is seventeen thousand million cells.
    if not cells:
        return _Read(Grid(title), 1)
    last_row = max(r for r, _c in cells)
    last_col = max(c for _r, c in cells)
    if last_row * last_col > MAX_CELLS and last_row <= MAX_ROWS:
        raise TooLarge(f"sheet '{title}' spans {last_row:,} rows and {last_col:,} columns "
                       f"({column_letter(last_col)}{last_row}); no plan has so many cells")
    beside: set[Position] = set()
    below: dict[Position, Position] = {}
    for ref in merged:
        span = CellRange(ref)
        for row in range(span.min_row, min(span.max_row, last_row) + 1):
            for col in range(span.min_col, min(span.max_col, last_col) + 1):
                if col != span.min_col:
                    beside.add((row, col))
                elif row != span.min_row:
                    below[(row, col)] = (span.min_row, span.min_col)
    if last_row > MAX_ROWS:
        return _Read(Grid(title), last_row)  # refused by the caller, rows never built
    fills = _Fills(book)
    heads = [f"{title}!{column_letter(c)}" for c in range(1, last_col + 1)]
    merges = bool(beside or below)
    empty: tuple[Any, int] = (None, 0)
    rows = []
    for row in range(1, last_row + 1):
        row_cells = []
        for col, head in enumerate(heads, start=1):
            at = (row, col)
            if merges and at in beside:
                row_cells.append(Cell("", f"{head}{row}"))
                continue
            source = below.get(at, at) if merges else at
            value, style = cells.get(source, empty)
            no_value = value is None and formulas is not None and source in formulas
            row_cells.append(Cell("" if value is None else text_of(value), f"{head}{row}",
                                  value, fills.of(style), no_value))
        rows.append(row_cells)
    return _Read(Grid(title, rows), last_row)


class _Fills:
    """A style id's fill colour, looked up once per style."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self._known: dict[int, str | None] = {0: self._lookup(0)}

    def of(self, style: int) -> str | None:
        known = self._known
        if style not in known:
            known[style] = self._lookup(style)
        return known[style]

    def _lookup(self, style: int) -> str | None:
        fills = self._book._fills
        styles = self._book._cell_styles
        return fill_colour(fills[styles[style].fillId]) if style < len(styles) else None
