"""Recognising how a plan is laid out, and reading its rows into raw objectives and actions.

Two layouts: **objective tables** (the seed's: per objective a title row with risk and
"Characteristics of good:", an "Accountable lead:" row, a header row and one row per action)
and **flat trackers** (one row per action with an objective number; perhaps a second sheet of
objectives). The document's title lines, summary and RAG key are read in both. Values stay
cells here: :mod:`.build` reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .columns import IGNORE, action_field, objective_field
from .grid import Cell, Grid
from .values import looks_like_ref

_OBJECTIVE_TITLE = re.compile(
    r"(?:improvement\s+)?(?:objective|priority)\s+(\d{1,6})\s*[:.\-–]\s*(.*)\Z",
    re.IGNORECASE | re.DOTALL)
_LEAD = re.compile(r"accountable\s+lead\s*:\s*(.*)\Z", re.IGNORECASE | re.DOTALL)
_CHARACTERISTICS = re.compile(r"characteristics\s+of\s+good\s*:?\s*(.*)\Z",
                              re.IGNORECASE | re.DOTALL)
_RISK = re.compile(r"\brisk\b", re.IGNORECASE)
_KEY = re.compile(r"(?:rag\s+)?key\s*:?\Z", re.IGNORECASE)
_RAG_WORD = re.compile(r"(blue|green|amber|red)\Z", re.IGNORECASE)
_SUMMARY = re.compile(r".*\bsummary\b", re.IGNORECASE)
_AREA_FOR_PRIORITY = re.compile(r"areas?\s+for\s+priority\s+action\s*:?\s*(.*)\Z",
                                re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Note:
    where: str
    message: str
    gap: bool = False
    """True: something could not be read (exit 1); False: a guess worth checking."""


@dataclass
class RawAction:
    cells: dict[str, Cell]
    where: str


@dataclass
class RawObjective:
    number: int
    where: str
    title: Cell | None = None
    risk: Cell | None = None
    lead: Cell | None = None
    characteristics: Cell | None = None
    actions: list[RawAction] = field(default_factory=list)


@dataclass
class Head:
    """What a document says about itself: title lines, summary, RAG key."""

    lines: list[Cell] = field(default_factory=list)
    area_for_priority_action: Cell | None = None
    summary: Cell | None = None
    characteristics: Cell | None = None
    rag_key: list[tuple[Cell, Cell]] = field(default_factory=list)


@dataclass
class Extract:
    layout: str
    head: Head = field(default_factory=Head)
    objectives: dict[int, RawObjective] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    columns_seen: set[str] = field(default_factory=set)

    def objective(self, number: int, where: str) -> RawObjective:
        if number not in self.objectives:
            self.objectives[number] = RawObjective(number, where)
        return self.objectives[number]


def filled(row: list[Cell]) -> list[Cell]:
    return [cell for cell in row if cell.text]


def extract(grids: list[Grid], maps: dict[str, str]) -> Extract:
    if any(_OBJECTIVE_TITLE.match(filled(row)[0].text) and _is_objective_title(filled(row))
           for grid in grids for row in grid.rows if filled(row)):
        out = Extract("objective tables")
        for grid in grids:
            _objective_tables(grid, maps, out)
    else:
        out = Extract("flat tracker")
        for grid in grids:
            _tracker(grid, maps, out)
    return out


def _is_objective_title(cells: list[Cell]) -> bool:
    # "Objective 2: STRATEGY MEETINGS" with its risk and characteristics beside it; a
    # tracker's action row that happens to start "Priority 1: ..." has a ref and more cells.
    return len(cells) <= 4 and not any(looks_like_ref(cell) for cell in cells)


# --- headers -------------------------------------------------------------------------------

@dataclass
class Header:
    columns: list[tuple[int, str]]
    """(index, field) for each recognised column."""
    positional: bool
    where: str

    def fields(self) -> set[str]:
        return {name for _, name in self.columns}


def find_header(row: list[Cell], maps: dict[str, str], positional: bool) -> Header | None:
    """The row as a header when it names the action column and at least two others."""
    cells = filled(row)
    known = [action_field(cell.text, maps) for cell in cells]
    names = {k for k in known if k and k != IGNORE}
    if "action" not in names or len(names) < 3:
        return None
    return _header(row, maps, positional)


def _header(row: list[Cell], maps: dict[str, str], positional: bool) -> Header:
    columns = []
    ordinal = 0
    for position, cell in enumerate(row):
        if not cell.text:
            continue
        name = action_field(cell.text, maps)
        columns.append((position if positional else ordinal, name or f"?{cell.where}"))
        ordinal += 1
    return Header(columns, positional, row[0].where if row else "")


def unknown_columns(header: Header, row: list[Cell], grid: Grid) -> list[Note]:
    notes = []
    for _index, name in header.columns:
        if name.startswith("?"):
            where = name[1:]
            text = next(c.text for c in row if c.where == where)
            notes.append(Note(where, f"column '{text}' is not a field jtai knows: add "
                                     f"--map \"{text}=FIELD\" (a field, or ignore)",
                              gap=True))
    return notes


def row_values(header: Header, row: list[Cell], out: Extract) -> dict[str, Cell]:
    """The row's cells by field, with the seed's shift (an empty cell pushing the date and
    what follows one column right) undone, and cells under no header reported."""
    cells = list(row)
    if not header.positional:
        order = [name for _, name in header.columns]
        if "complete_by" in order and "owners" in order:
            at = order.index("complete_by")
            if (at + 1 < len(cells) and not cells[at].text and cells[at + 1].text
                    and _looks_dated(cells[at + 1])
                    and order.index("owners") == at + 1):
                out.notes.append(Note(cells[at].where, "the complete-by date stood one column "
                                      "right of its header (an empty cell before it); the "
                                      "row's cells were read one column left"))
                del cells[at]
    values: dict[str, Cell] = {}
    used = set()
    for index, name in header.columns:
        if index < len(cells):
            used.add(index)
            if not name.startswith("?") and name != IGNORE:
                values[name] = cells[index]
    for index, cell in enumerate(cells):
        if cell.text and index not in used:
            out.notes.append(Note(cell.where, f"'{_short(cell.text)}' stands under no header; "
                                  "not imported", gap=True))
    return values


def _looks_dated(cell: Cell) -> bool:
    from ...plan.dates import looks_like_date

    return looks_like_date(cell.text)


def _short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


# --- objective tables ----------------------------------------------------------------------

def _objective_tables(grid: Grid, maps: dict[str, str], out: Extract) -> None:
    current: RawObjective | None = None
    header: Header | None = None
    rows = grid.rows
    k = 0
    while k < len(rows):
        row = rows[k]
        cells = filled(row)
        k += 1
        if not cells:
            continue
        first = cells[0].text
        if (m := _OBJECTIVE_TITLE.match(first)) and _is_objective_title(cells):
            current, header = out.objective(int(m[1]), cells[0].where), None
            if current.title is not None:
                out.notes.append(Note(cells[0].where, f"objective {m[1]} appears twice; "
                                      "its actions are read into one objective", gap=True))
            current.title = _replace(cells[0], m[2])
            for cell in cells[1:]:
                chars = _CHARACTERISTICS.match(cell.text)
                if chars:
                    if chars[1].strip():
                        current.characteristics = _replace(cell, chars[1])
                elif _RISK.search(cell.text) and current.risk is None:
                    current.risk = cell
                else:
                    out.notes.append(Note(cell.where, f"'{_short(cell.text)}' beside objective "
                                          f"{m[1]}'s title was not understood", gap=True))
            continue
        if current is not None and (m := _LEAD.match(first)):
            lead = _replace(cells[0], m[1])
            if current.lead is None:
                current.lead = lead
            elif lead.text.casefold() != current.lead.text.casefold():
                out.notes.append(Note(lead.where, f"objective {current.number} has a second "
                                      f"accountable lead '{lead.text}'; the first, "
                                      f"'{current.lead.text}', was kept"))
            for cell in cells[1:]:
                if current.characteristics is None:
                    current.characteristics = cell
                else:
                    out.notes.append(Note(cell.where, f"'{_short(cell.text)}' beside the "
                                          "accountable lead was not understood", gap=True))
            continue
        found = find_header(row, maps, grid.positional)
        if found is not None:
            header = found
            out.columns_seen |= header.fields()
            out.notes.extend(unknown_columns(header, row, grid))
            continue
        if current is not None and header is not None and looks_like_ref(cells[0]):
            current.actions.append(RawAction(row_values(header, row, out), cells[0].where))
            continue
        if current is None and header is None:
            k = _head_row(rows, k - 1, out)
            continue
        k = _tail_row(rows, k - 1, out, grid)


def _replace(cell: Cell, text: str) -> Cell:
    return Cell(text.strip(), cell.where, cell.value, cell.fill)


def _head_row(rows: list[list[Cell]], k: int, out: Extract) -> int:
    """Reads the document's title lines, area for priority action and summary; returns the
    next row to read."""
    cells = filled(rows[k])
    head = out.head
    first = cells[0]
    if m := _AREA_FOR_PRIORITY.match(first.text):
        if m[1].strip():
            head.area_for_priority_action = _replace(first, m[1])
            return k + 1
        nxt = _next_filled(rows, k + 1)
        if nxt is not None:
            head.area_for_priority_action = filled(rows[nxt])[0]
            return nxt + 1
        return k + 1
    if len(cells) == 2 and _SUMMARY.match(first.text) and _CHARACTERISTICS.match(cells[1].text):
        nxt = _next_filled(rows, k + 1)
        if nxt is not None:
            body = filled(rows[nxt])
            head.summary = body[0]
            if len(body) > 1:
                head.characteristics = body[1]
            for extra in body[2:]:
                out.notes.append(Note(extra.where, f"'{_short(extra.text)}' not imported",
                                      gap=True))
            return nxt + 1
        return k + 1
    if _KEY.match(first.text) and len(cells) == 1:
        return _key_rows(rows, k + 1, out)
    if len(cells) == 1:
        head.lines.append(first)
    else:
        for cell in cells:
            out.notes.append(Note(cell.where, f"'{_short(cell.text)}' above the plan's tables "
                                  "was not understood; not imported", gap=True))
    return k + 1


def _tail_row(rows: list[list[Cell]], k: int, out: Extract, grid: Grid) -> int:
    cells = filled(rows[k])
    if _KEY.match(cells[0].text) and len(cells) == 1:
        return _key_rows(rows, k + 1, out)
    if _RAG_WORD.match(cells[0].text) and len(cells) == 2 and grid.name.casefold() == "key":
        out.head.rag_key.append((cells[0], cells[1]))
        return k + 1
    for cell in cells:
        out.notes.append(Note(cell.where, f"'{_short(cell.text)}' is in no objective's table "
                              "and was not understood; not imported", gap=True))
    return k + 1


def _key_rows(rows: list[list[Cell]], k: int, out: Extract) -> int:
    while k < len(rows):
        cells = filled(rows[k])
        if not cells:
            k += 1
            continue
        if len(cells) == 2 and _RAG_WORD.match(cells[0].text):
            out.head.rag_key.append((cells[0], cells[1]))
            k += 1
            continue
        break
    return k


def _next_filled(rows: list[list[Cell]], k: int) -> int | None:
    while k < len(rows):
        if filled(rows[k]):
            return k
        k += 1
    return None


# --- flat trackers -------------------------------------------------------------------------

def _tracker(grid: Grid, maps: dict[str, str], out: Extract) -> None:
    rows = grid.rows
    if grid.name.casefold() == "history":
        if any(filled(row) for row in rows[1:]):
            out.notes.append(Note(f"{grid.name}!A1", "sheet 'History' not imported: an "
                                  "imported plan starts its own history"))
        return
    for k, row in enumerate(rows):
        if not filled(row):
            continue
        header = find_header(row, maps, grid.positional)
        if header is not None:
            _tracker_rows(grid, k, header, out)
            for j in range(k):
                if filled(rows[j]):
                    _head_row_simple(rows[j], out)
            return
        if _objective_sheet(grid, k, row, out):
            return
    if grid.name.casefold() == "key" or any(
            _KEY.match(filled(r)[0].text) for r in rows if filled(r)):
        k = 0
        while k < len(rows):
            if filled(rows[k]):
                k = _tail_row_key_only(rows, k, out)
            else:
                k += 1
        return
    if any(filled(row) for row in rows):
        out.notes.append(Note(f"{grid.name}", f"sheet '{grid.name}' has no header row naming "
                              "an Action column and two others (such as Ref, Owners, RAG); "
                              "nothing was imported from it", gap=True))


def _tail_row_key_only(rows: list[list[Cell]], k: int, out: Extract) -> int:
    cells = filled(rows[k])
    if len(cells) == 2 and _RAG_WORD.match(cells[0].text):
        out.head.rag_key.append((cells[0], cells[1]))
    elif not (len(cells) <= 2 and (_KEY.match(cells[0].text) or cells[0].text.casefold() in (
            "rating", "rag", "colour"))):
        out.notes.append(Note(cells[0].where, f"'{_short(cells[0].text)}' in the key was not "
                              "understood; not imported", gap=True))
    return k + 1


def _head_row_simple(row: list[Cell], out: Extract) -> None:
    cells = filled(row)
    if len(cells) == 1:
        if (m := _AREA_FOR_PRIORITY.match(cells[0].text)) and m[1].strip():
            out.head.area_for_priority_action = _replace(cells[0], m[1])
            return
        out.head.lines.append(cells[0])
        return
    for cell in cells:
        out.notes.append(Note(cell.where, f"'{_short(cell.text)}' above the header was not "
                              "understood; not imported", gap=True))


def _tracker_rows(grid: Grid, k: int, header: Header, out: Extract) -> None:
    out.columns_seen |= header.fields()
    out.notes.extend(unknown_columns(header, grid.rows[k], grid))
    if "objective" not in header.fields() and "ref" not in header.fields():
        out.notes.append(Note(header.where, f"{grid.name}: no Objective or Ref column, so "
                              "actions cannot be placed under objectives", gap=True))
        return
    for row in grid.rows[k + 1:]:
        if not filled(row):
            continue
        values = row_values(header, row, out)
        number = _objective_number(values)
        if number is None:
            first = filled(row)[0]
            out.notes.append(Note(first.where, f"row '{_short(first.text)}' has no objective "
                                  "number or ref; not imported", gap=True))
            continue
        objective = out.objective(number, filled(row)[0].where)
        for name, attr in (("objective_title", "title"), ("objective_lead", "lead")):
            cell = values.pop(name, None)
            if cell is not None and cell.text:
                if getattr(objective, attr) is None:
                    setattr(objective, attr, cell)
                elif getattr(objective, attr).text != cell.text:
                    out.notes.append(Note(cell.where, f"objective {number}'s {attr} is "
                                          f"'{_short(getattr(objective, attr).text)}' above; "
                                          f"'{_short(cell.text)}' here was not used"))
        values.pop("objective", None)
        objective.actions.append(RawAction(values, filled(row)[0].where))


def _objective_number(values: dict[str, Cell]) -> int | None:
    cell = values.get("objective")
    if cell is not None and cell.text:
        m = re.match(r"(?:\D*?)(\d{1,6})\b", cell.text)
        if m:
            return int(m[1])
    ref = values.get("ref")
    if ref is not None and looks_like_ref(ref):
        from .values import ref_of

        return int(ref_of(ref)[0].split(".")[0])
    return None


def _objective_sheet(grid: Grid, k: int, row: list[Cell], out: Extract) -> bool:
    cells = filled(row)
    fields = {objective_field(c.text) for c in cells}
    if not {"number", "title"} <= fields:
        return False
    columns = [(i, objective_field(c.text), c) for i, c in enumerate(row) if c.text]
    for _i, name, cell in columns:
        if name is None:
            out.notes.append(Note(cell.where, f"column '{cell.text}' in {grid.name} is not a "
                                  "field jtai knows; nothing was imported from it", gap=True))
    for data in grid.rows[k + 1:]:
        if not filled(data):
            continue
        by = {name: data[i] for i, name, _ in columns if name and i < len(data)}
        number_cell = by.get("number")
        m = re.match(r"\D*?(\d{1,6})\b", number_cell.text) if number_cell else None
        if m is None:
            first = filled(data)[0]
            out.notes.append(Note(first.where, f"'{_short(first.text)}' has no objective "
                                  "number; not imported", gap=True))
            continue
        objective = out.objective(int(m[1]), number_cell.where if number_cell else "")
        for name, attr in (("title", "title"), ("lead", "lead"), ("risk", "risk"),
                           ("characteristics_of_good", "characteristics")):
            value = by.get(name)
            if value is not None and value.text:
                setattr(objective, attr, value)
    return True
