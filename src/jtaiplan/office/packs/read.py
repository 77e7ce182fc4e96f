"""Reading a returned pack: every filled row, parsed and located (``Return!H7``).

Nothing is dropped silently: a cell that cannot be read, a header that moved, a row added by
hand or a locked cell edited anyway is a :class:`Problem` naming the sheet and cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ...errors import CannotRun
from ...plan.dates import ACCEPTED_FORMS, BadDate, parse_date
from ...plan.model import RAG
from ...plan.textpolicy import normalise_breaks, trim
from ...planfile.edit import check_text
from ...planfile.textfile import display_path
from ..opening import open_workbook, saved_at, sheets_with_formulas
from .content import given_text
from .layout import (
    COLUMNS,
    FIRST_ROW,
    GIVEN,
    HEADER_ROW,
    HEADERS,
    META_ROWS_HEADER,
    META_SHEET,
    PACK_KIND,
    PACK_VERSION,
    RETURN_SHEET,
    cell_name,
    column_letter,
)


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    """``Return!H7``, or empty when the whole file is at fault."""
    message: str
    hint: str = ""

    def line(self) -> str:
        return f"{self.file}: {self.where + ': ' if self.where else ''}{self.message}"


@dataclass(frozen=True)
class ReturnRow:
    row: int
    ref: str
    fingerprint: str
    state: dict[str, Any]
    progress: RAG | None = None
    impact: RAG | None = None
    note: str | None = None
    evidence: str | None = None
    due: date | None = None
    reason: str | None = None

    @property
    def filled(self) -> bool:
        return any(v is not None for v in (self.progress, self.impact, self.note,
                                           self.evidence, self.due, self.reason))


@dataclass
class Return:
    path: Path
    meta: dict[str, str] = field(default_factory=dict)
    rows: list[ReturnRow] = field(default_factory=list)
    modified: date | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return display_path(self.path)

    def problem(self, where: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.name, where, message, hint))


def read_return(path: Path) -> Return:
    """The return at ``path``; problems are collected in it, never raised (except CannotRun
    for a file that is not a safe workbook at all)."""
    found = Return(path)
    book = open_workbook(path, read_only=True)
    try:
        found.modified = _modified(path)
        if RETURN_SHEET not in book.sheetnames or META_SHEET not in book.sheetnames:
            found.problem("", "not a jtai update pack (it has no 'Return' sheet or no "
                              "record of how it was made)",
                          "send the agency a pack made by `jtai pack` and apply what "
                          "comes back")
            return found
        meta_rows = _read_meta(book[META_SHEET], found)
        if found.problems:
            return found
        sheet = [list(r) for r in book[RETURN_SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    if _check_headers(sheet, found):
        _read_rows(sheet, meta_rows, found, _unsaved_formulas(path, sheet))
    return found


def _unsaved_formulas(path: Path, values: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Cells holding a formula whose result was never saved, by (row, column), 1-based.

    Excel saves a formula's result with it; a file written by a program that does not
    calculate leaves only the formula, which reads as an empty cell: it must not be taken
    for one.
    """
    if not sheets_with_formulas(path):
        return {}
    book = open_workbook(path, read_only=True, data_only=False)
    try:
        formulas = [list(r) for r in book[RETURN_SHEET].iter_rows(values_only=True)]
    finally:
        book.close()
    return {(r, c): text
            for r, row in enumerate(formulas, 1) for c, text in enumerate(row, 1)
            if isinstance(text, str) and text.startswith("=")
            and (r > len(values) or c > len(values[r - 1]) or values[r - 1][c - 1] is None)}


def read_return_meta(path: Path) -> dict[str, str]:
    """Only the hidden record's key/value lines (empty when the file is not a pack or
    cannot be opened: :func:`read_return` then says why)."""
    if not path.is_file():
        return {}
    try:
        book = open_workbook(path, read_only=True)
    except CannotRun:
        return {}
    try:
        if META_SHEET not in book.sheetnames:
            return {}
        meta: dict[str, str] = {}
        for line in book[META_SHEET].iter_rows(values_only=True, max_col=2):
            if not line or line[0] in (None, "row"):
                break
            meta[str(line[0])] = "" if line[1] is None else str(line[1])
        return meta
    finally:
        book.close()


def _modified(path: Path) -> date:
    """The day the return was last saved, in England: Excel records it in the file; a file
    that does not say is dated by the file system."""
    stamp = saved_at(path) or datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    try:
        from zoneinfo import ZoneInfo

        return stamp.astimezone(ZoneInfo("Europe/London")).date()
    except Exception:  # no tz database: UTC is at most an hour out
        return stamp.date()


def _read_meta(sheet: Any, found: Return) -> dict[int, dict[str, Any]]:
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    meta: dict[str, str] = {}
    index = 0
    while index < len(lines) and lines[index] and lines[index][0] not in (None, "row"):
        key, value = (lines[index] + [None, None])[:2]
        meta[str(key)] = "" if value is None else str(value)
        index += 1
    found.meta = meta
    if meta.get("kind") != PACK_KIND:
        found.problem("", "not a jtai update pack (its record sheet is missing or damaged)",
                      "apply only workbooks made by `jtai pack`")
        return {}
    if meta.get("version") != PACK_VERSION:
        found.problem("", f"a version {meta.get('version')} pack, which this jtai cannot "
                          f"read (it reads version {PACK_VERSION})",
                      "make a new pack with this version of jtai")
        return {}
    while index < len(lines) and (not lines[index] or lines[index][0] != "row"):
        index += 1
    rows: dict[int, dict[str, Any]] = {}
    try:
        for line in lines[index + 1:]:
            if not line or line[0] is None:
                continue
            record = dict(zip(META_ROWS_HEADER, line, strict=False))
            state, given = json.loads(str(record["state"])), json.loads(str(record["given"]))
            if not isinstance(state, dict) or not isinstance(given, dict):
                raise ValueError("not a record")
            rows[int(record["row"])] = {
                "ref": str(record["ref"]), "fingerprint": str(record["fingerprint"]),
                "state": state, "given": given}
    except (ValueError, TypeError, KeyError):
        found.problem("", "the pack's record sheet is damaged, so its rows cannot be "
                          "matched to the plan", "make a new pack with `jtai pack`")
        return {}
    return rows


def _check_headers(sheet: list[list[Any]], found: Return) -> bool:
    header = sheet[HEADER_ROW - 1] if len(sheet) >= HEADER_ROW else []
    header = [given_text(v) for v in header] + [""] * len(HEADERS)
    ok = True
    for index, expected in enumerate(HEADERS):
        seen = header[index]
        if seen == expected:
            continue
        ok = False
        where = f"{RETURN_SHEET}!{column_letter(index)}{HEADER_ROW}"
        if seen in HEADERS:
            found.problem(where, f"column '{seen}' is here but the pack has '{expected}' in "
                                 "this place: the columns were moved",
                          "put the columns back in the order of the pack (or fill in a "
                          "fresh copy of it)")
        else:
            found.problem(where, f"the column header is '{seen}' but the pack's is "
                                 f"'{expected}'",
                          "the headers are how jtai reads the return: put the original "
                          "header back")
    # Named at its own header cell, wherever it stands past the pack's columns.
    extra = [(i, v) for i, v in enumerate(header) if i >= len(HEADERS) and v]
    if extra:
        column, seen = extra[0]
        found.problem(f"{RETURN_SHEET}!{column_letter(column)}{HEADER_ROW}",
                      f"a column added by hand ('{seen}'), which jtai would not read",
                      "remove it and put what it says in Note")
        ok = False
    return ok


def _read_rows(sheet: list[list[Any]], meta_rows: dict[int, dict[str, Any]],
               found: Return, unsaved: dict[tuple[int, int], str]) -> None:
    # The record's row numbers come from the file too: only those and the sheet's own rows
    # are visited, however large a number it claims.
    numbers = set(range(FIRST_ROW, len(sheet) + 1)) | {n for n in meta_rows if n >= FIRST_ROW}
    for number in sorted(numbers):
        cells = sheet[number - 1] if number - 1 < len(sheet) else []
        cells = list(cells) + [None] * (len(COLUMNS) - len(cells))
        values = {column.key: cells[i] for i, column in enumerate(COLUMNS)}
        record = meta_rows.get(number)
        if record is None:
            if any(_blank(v) is not None for v in cells):
                found.problem(f"{RETURN_SHEET}!A{number}",
                              f"a row added by hand (ref '{given_text(values['ref'])}'): "
                              "the pack had rows "
                              f"{min(meta_rows, default=FIRST_ROW)} to "
                              f"{max(meta_rows, default=FIRST_ROW)} only",
                              "new actions are added to the plan with `jtai add`; delete "
                              "this row")
            continue
        if not _given_intact(values, record, number, found):
            continue
        row = _parse_filled(values, record, number, found, unsaved)
        if row is not None:
            found.rows.append(row)


def _given_intact(values: dict[str, Any], record: dict[str, Any], number: int,
                  found: Return) -> bool:
    intact = True
    for column in GIVEN:
        was = str(record["given"].get(column.key, ""))
        now = given_text(values[column.key])
        if now != was:
            intact = False
            found.problem(cell_name(column.key, number),
                          f"the locked cell '{column.header}' of {record['ref']} was changed "
                          f"from '{_short(was)}' to '{_short(now)}'",
                          "put the original value back; changes go in the white columns "
                          "(New progress, New impact, Note, Evidence, New complete-by)")
    return intact


def _parse_filled(values: dict[str, Any], record: dict[str, Any], number: int,
                  found: Return, unsaved: dict[tuple[int, int], str]) -> ReturnRow | None:
    before = len(found.problems)
    parsed: dict[str, Any] = {}
    for index, column in enumerate(COLUMNS, 1):
        if column.given:
            continue
        value = _blank(values[column.key])
        where = cell_name(column.key, number)
        formula = unsaved.get((number, index))
        if formula is not None:
            found.problem(where, f"{column.header} of {record['ref']} holds a formula "
                                 f"({_short(formula, 40)}) whose result was never saved, so "
                                 "jtai cannot tell what it says",
                          "type the value itself, or open the file in Excel and save it "
                          "again")
            parsed[column.key] = None
        elif value is None:
            parsed[column.key] = None
        elif column.kind == "rag":
            parsed[column.key] = _rag(value, where, column.header, found)
        elif column.kind == "date":
            parsed[column.key] = _date(value, where, column.header, found)
        else:
            parsed[column.key] = _text(value, where, column.header, found)
    if len(found.problems) > before:
        return None
    return ReturnRow(number, record["ref"], record["fingerprint"], record["state"],
                     progress=parsed["new_progress"], impact=parsed["new_impact"],
                     note=parsed["note"], evidence=parsed["evidence"],
                     due=parsed["new_complete_by"], reason=parsed["reason"])


def _blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _rag(value: Any, where: str, header: str, found: Return) -> RAG | None:
    try:
        return RAG.parse(str(value))
    except ValueError:
        found.problem(where, f"{header}: '{_short(given_text(value))}' is not a RAG rating",
                      "choose Blue, Green, Amber or Red from the list")
        return None


def _date(value: Any, where: str, header: str, found: Return) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value, header)
        except BadDate as exc:
            found.problem(where, str(exc), f"type a date such as {ACCEPTED_FORMS}")
            return None
    found.problem(where, f"{header}: '{_short(given_text(value))}' is not a date",
                  f"type a date such as {ACCEPTED_FORMS}")
    return None


def _text(value: Any, where: str, header: str, found: Return) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # The plan's text policy, through check_text: a cell says its line breaks as CRLF or
    # CR (_x000D_) too, the one normalisation before the policy judges the text.
    text = (value.isoformat()[:10] if isinstance(value, date)
            else trim(normalise_breaks(str(value))))
    try:
        check_text(text, header)
    except CannotRun as exc:
        found.problem(where, exc.message, exc.hint)
        return None
    return text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
