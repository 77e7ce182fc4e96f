"""Recognising how a plan is laid out, and reading its rows into raw objectives and actions.

Two layouts: **objective tables** (the seed's: per objective a title row with risk and
"Characteristics of good:", an "Accountable lead:" row, a header row and one row per action)
and **flat trackers** (one row per action with an objective number; perhaps a second sheet of
objectives). The document's title lines, summary and RAG key are read in both. Values stay
cells here: :mod:`.build` reads them.
"""

from __future__ import annotations

import re

from .grid import Cell, Grid
from .head import CHARACTERISTICS, KEY, RAG_WORD, head_row, key_rows
from .headers import Header, find_header, row_values, unknown_columns
from .raw import Extract, Note, RawAction, RawObjective, filled, replaced, short
from .trackers import read_tracker
from .values import looks_like_ref

_OBJECTIVE_TITLE = re.compile(
    r"(?:improvement\s+)?(?:objective|priority)\s+(\d{1,6})\s*[:.\-–]\s*(.*)\Z",
    re.IGNORECASE | re.DOTALL)
_LEAD = re.compile(r"accountable\s+lead\s*:\s*(.*)\Z", re.IGNORECASE | re.DOTALL)
_RISK = re.compile(r"\brisk\b", re.IGNORECASE)


def extract(grids: list[Grid], maps: dict[str, str]) -> Extract:
    if any(_OBJECTIVE_TITLE.match(filled(row)[0].text) and _is_objective_title(filled(row))
           for grid in grids for row in grid.rows if filled(row)):
        out = Extract("objective tables")
        for grid in grids:
            _objective_tables(grid, maps, out)
    else:
        out = Extract("flat tracker")
        for grid in grids:
            read_tracker(grid, maps, out)
    return out


def _is_objective_title(cells: list[Cell]) -> bool:
    # "Objective 2: STRATEGY MEETINGS" with its risk and characteristics beside it; a
    # tracker's action row that happens to start "Priority 1: ..." has a ref and more cells.
    return len(cells) <= 4 and not any(looks_like_ref(cell) for cell in cells)


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
            current.title = replaced(cells[0], m[2])
            for cell in cells[1:]:
                chars = CHARACTERISTICS.match(cell.text)
                if chars:
                    if chars[1].strip():
                        current.characteristics = replaced(cell, chars[1])
                elif _RISK.search(cell.text) and current.risk is None:
                    current.risk = cell
                else:
                    out.notes.append(Note(cell.where, f"'{short(cell.text)}' beside objective "
                                          f"{m[1]}'s title was not understood", gap=True))
            continue
        if current is not None and (m := _LEAD.match(first)):
            lead = replaced(cells[0], m[1])
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
                    out.notes.append(Note(cell.where, f"'{short(cell.text)}' beside the "
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
            k = head_row(rows, k - 1, out)
            continue
        k = _tail_row(rows, k - 1, out, grid)


def _tail_row(rows: list[list[Cell]], k: int, out: Extract, grid: Grid) -> int:
    cells = filled(rows[k])
    if KEY.match(cells[0].text) and len(cells) == 1:
        return key_rows(rows, k + 1, out)
    if RAG_WORD.match(cells[0].text) and len(cells) == 2 and grid.name.casefold() == "key":
        out.head.rag_key.append((cells[0], cells[1]))
        return k + 1
    for cell in cells:
        out.notes.append(Note(cell.where, f"'{short(cell.text)}' is in no objective's table "
                              "and was not understood; not imported", gap=True))
    return k + 1
