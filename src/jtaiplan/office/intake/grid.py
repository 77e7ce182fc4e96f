"""Any source file as one grid: rows of cells, each cell knowing where it came from.

Word documents, workbooks, CSV/TSV and Word's "plain text" all become :class:`Grid` objects
(one per sheet; one for a whole document), so the layouts and values code never sees a file
format. Merged cells, which python-docx and openpyxl report repeatedly (or as empty), are
reported once.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...errors import CannotRun
from ...plan.textpolicy import normalise_breaks, trim
from ...views.formats import FORMULA_GUARD as GUARDED
from ..cellref import column_letter
from ..opening import MAX_MEMBER_BYTES, check_office_file, sheets_with_formulas

READABLE = (".docx", ".xlsx", ".csv", ".tsv", ".txt")
MAX_TEXT_BYTES = MAX_MEMBER_BYTES
"""A CSV or text file larger than this is not a plan: refused before it is read."""
MAX_ROWS = 100_000
"""Rows read from one sheet; a sheet with more (a million formatted blank rows) is refused."""


@dataclass(frozen=True)
class Cell:
    text: str
    """The cell's text, whitespace-trimmed ('' for an empty cell)."""
    where: str
    """Where a person finds it: ``Actions!C7``, ``table 3, row 4, column 2``, ``line 12``."""
    value: Any = None
    """The typed value when the source has one (a number or date from Excel)."""
    fill: str | None = None
    """The cell's fill colour (RGB hex or ARGB), when the source has one."""
    formula_without_value: bool = False
    """A formula whose result was never saved: the text is empty but was not meant to be."""
    marked: bool | None = None
    """In a Word document jtai exported: whether the cell starts with jtai's own
    "MULTI-AGENCY: " run (None elsewhere, where the words themselves are the marker)."""
    paragraphs: tuple[str, ...] | None = None
    """A Word cell's paragraphs, each with its own line breaks (``text`` joins both kinds of
    break alike); None for other sources."""


@dataclass
class Grid:
    name: str
    """The sheet's name, or the file's name for documents and text files."""
    rows: list[list[Cell]] = field(default_factory=list)
    positional: bool = True
    """Whether a cell's column is its position (sheets, CSV). False for Word tables and
    Word's plain text, where a merged cell is one cell and rows may have different counts."""
    said: list[tuple[str, str]] = field(default_factory=list)
    """What reading the file guessed (where, message): the encoding of a text file."""


def read_grids(path: Path) -> list[Grid]:
    """The file's grids, or CannotRun (exit 2) for a file that cannot be opened."""
    suffix = path.suffix.lower()
    if suffix in (".docx", ".xlsx") or suffix in (".doc", ".xls", ".xlsm"):
        check_office_file(path, READABLE)
    elif suffix not in READABLE:
        raise CannotRun(f"{path}: jtai imports {', '.join(READABLE)} files, not "
                        f"'{suffix or path.name}'",
                        hint="save the plan from Word as .docx or from Excel as .xlsx")
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".docx":
        return [_read_docx(path)]
    said: list[tuple[str, str]] = []
    text = decode(_read_bytes(path), path, said)
    if suffix == ".txt":
        grid = Grid(path.name, [_line_cells(line.split("\t"), n)
                                for n, line in enumerate(text.splitlines(), start=1)],
                    positional=False)
    else:
        grid = _read_delimited(text, path, tab=suffix == ".tsv")
    grid.said = said
    return [grid]


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise CannotRun(f"{path}: no such file" if not path.exists()
                            else f"{path}: is a folder, not a file")
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise CannotRun(f"{path}: {path.stat().st_size // (1024 * 1024)} MB, far more than "
                            "any plan needs; refused")
        return path.read_bytes()
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror or exc})") from None


class BadEncoding(CannotRun):
    """A text file that is neither UTF-8 nor Windows-1252 throughout (exit 1: the input has
    a problem, at a line and byte the message names)."""

    exit_code = 1


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
"""A UTF-8 encoded non-ASCII character (roughly): Windows-1252 text almost never has one."""


def decode(raw: bytes, path: Path, said: list[tuple[str, str]] | None = None) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, as Excel on Windows saves CSV, when
    the whole file reads as that and none of it as UTF-8 (``said`` is told so). A file that
    is UTF-8 but for a few bytes is refused at the first: guessing would turn every
    "children’s" into "childrenâ€™s"."""
    if b"\x00" in raw[:4096]:
        raise CannotRun(f"{path}: not a text file (it holds binary data)",
                        hint="export the sheet from Excel as CSV UTF-8, or import the .xlsx")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first = exc.start
    if not _UTF8_SEQUENCE.search(raw):
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if said is not None:
                said.append(("", "read as Windows-1252 (the file is not UTF-8); save it "
                                 "from Excel as \"CSV UTF-8\" to be sure of every character"))
            return text
    line = raw.count(b"\n", 0, first) + 1
    column = first - (raw.rfind(b"\n", 0, first) + 1)
    raise BadEncoding(f"{path}: line {line}: byte {column + 1} (offset {first} in the file, "
                      f"0x{raw[first]:02X}) is not UTF-8, though the rest of the file is",
                      hint="retype the character on that line, or save the file from Excel "
                           "as \"CSV UTF-8\"")


def _line_cells(values: list[str], line: int, prefix: str = "line") -> list[Cell]:
    return [Cell(trim(v), f"{prefix} {line}, field {c}") for c, v in enumerate(values, 1)]


def _read_delimited(text: str, path: Path, *, tab: bool) -> Grid:
    delimiter = "\t" if tab else _delimiter(text)
    rows = []
    try:
        for n, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if n > MAX_ROWS:
                raise CannotRun(f"{path}: more than {MAX_ROWS} rows; no plan has so many")
            rows.append([Cell(unquote(trim(normalise_breaks(v))), f"{column_letter(c)}{n}")
                         for c, v in enumerate(values, 1)])
    except csv.Error as exc:
        raise CannotRun(f"{path}: not readable as CSV ({exc})") from None
    return Grid(path.name, rows)


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the header row and the first records
    into the same number of fields (more than one) most often. Counting characters would be
    fooled by the commas (or pasted tabs) inside a quoted action's text."""
    best, best_score = ",", (False, 0, 0)
    for candidate in (",", ";", "\t"):
        # The first records, not lines: a quoted cell may hold line breaks and tabs.
        try:
            counts = [len(r) for r in itertools.islice(
                csv.reader(io.StringIO(text), delimiter=candidate), 30) if r]
        except csv.Error:
            continue
        widths = [c for c in counts if c > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        score = (counts[0] == mode, widths.count(mode), mode)
        if score > best_score:
            best, best_score = candidate, score
    return best


def unquote(text: str) -> str:
    """Text the CSV export made formula-safe read back as written: one leading ``'`` comes
    off only before a character the export guards (``'=x`` -> ``=x``, ``''x`` -> ``'x``),
    so a user's own ``'Tis`` stays ``'Tis``. The export's side is
    :func:`jtaiplan.views.formats.csv_cell`."""
    return text[1:] if text[:1] == "'" and text[1:2] in GUARDED else text


def _read_xlsx(path: Path) -> list[Grid]:
    from .xlsxgrid import read_xlsx

    # The size check in opening has already refused sheets no plan needs.
    return read_xlsx(path, sheets_with_formulas(path))


def text_of(value: Any) -> str:
    """A cell's text, as the layouts read it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # A workbook's text cell is text: no quote to take off (the export writes none).
    return trim(normalise_breaks(str(value)))


def fill_colour(fill: Any) -> str | None:
    """RGB hex of a solid fill; ``theme N`` for a theme colour, which needs the workbook's
    theme to resolve and is reported rather than guessed."""
    if fill is None or getattr(fill, "fill_type", None) in (None, "none"):
        return None
    # A gradient (fill_type "linear" or "path") has stops, not one colour: read as no fill.
    color: Any = getattr(fill, "fgColor", None)
    kind = getattr(color, "type", None)
    if kind == "rgb" and isinstance(color.rgb, str):
        return str(color.rgb)
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = color.indexed
        return str(COLOR_INDEX[index]) if 0 <= index < 64 else None
    if kind == "theme":
        return f"theme {color.theme}"
    return None


def _read_docx(path: Path) -> Grid:
    from ..opening import open_document

    document = open_document(path)
    from ..export.rows import DOCX_MARKER_RUNS

    properties = document.core_properties
    # A jtai export: the marker's bold run decides. An export from before that run wrote
    # the words and the text together; there, as in a partnership's own document, the
    # words decide.
    ours = properties.author == "jtai" and properties.identifier == DOCX_MARKER_RUNS
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    rows: list[list[Cell]] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            rows.append([Cell(trim(block.text), f"paragraph {len(rows) + 1}")])
        elif isinstance(block, Table):
            tables += 1
            for r, row in enumerate(block.rows, 1):
                elements: list[Any] = []
                cells: list[Cell] = []
                for cell in row.cells:
                    elements.append(cell._tc)
                    if any(cell._tc is seen for seen in elements[:-1]):
                        continue  # a horizontally merged cell, reported once per grid column
                    # A vertically merged cell repeats down its rows: it holds for each.
                    cells.append(Cell(trim(normalise_breaks(cell.text)),
                                      f"table {tables}, row {r}, column {len(cells) + 1}",
                                      fill=_docx_shading(cell),
                                      marked=_marked(cell) if ours else None,
                                      paragraphs=tuple(normalise_breaks(p.text)
                                                       for p in cell.paragraphs)))
                rows.append(cells)
            rows.append([])
    return Grid(path.name, rows, positional=False)


def _marked(cell: Any) -> bool:
    """Whether a cell starts with the bold marker run a jtai Word export writes."""
    from ..export.rows import MULTI_AGENCY_PREFIX

    runs = cell.paragraphs[0].runs if cell.paragraphs else []
    return bool(runs) and runs[0].text == MULTI_AGENCY_PREFIX and bool(runs[0].bold)


def _docx_shading(cell: Any) -> str | None:
    from docx.oxml.ns import qn

    props = cell._tc.tcPr
    if props is None:
        return None
    shading = props.find(qn("w:shd"))
    if shading is None:
        return None
    fill = shading.get(qn("w:fill"))
    return fill if fill and fill.lower() != "auto" else None
