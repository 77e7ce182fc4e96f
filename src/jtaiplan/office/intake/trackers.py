"""Flat trackers: one row per action under a header row, title rows above it, perhaps a
sheet of objectives (number, title, lead, risk, characteristics) and a "Key" sheet."""

from __future__ import annotations

import re

from .columns import ACTION_FIELDS, ACTION_ONLY_FIELDS, IGNORE, action_field, objective_fields
from .grid import Cell, Grid
from .head import KEY, key_sheet_row, title_row
from .headers import Header, find_header, row_values, unknown_columns
from .planrows import is_agency_sheet, is_plan_sheet, read_agency_sheet, read_plan_sheet
from .raw import Extract, Note, RawAction, filled, short
from .values import looks_like_ref, ref_of


def read_tracker(grid: Grid, maps: dict[str, str], out: Extract) -> None:
    rows = grid.rows
    if grid.name.casefold() == "history":
        if any(filled(row) for row in rows[1:]):
            out.notes.append(Note(f"{grid.name}!A1", "sheet 'History' not imported: an "
                                  "imported plan starts its own history"))
        return
    if is_plan_sheet(grid):
        read_plan_sheet(grid, out)
        return
    if is_agency_sheet(grid):
        read_agency_sheet(grid, out)
        return
    for k, row in enumerate(rows):
        if not filled(row):
            continue
        header = find_header(row, maps, grid.positional)
        if header is not None:
            _tracker_rows(grid, k, header, out)
            for j in range(k):
                if filled(rows[j]):
                    title_row(rows[j], out)
            return
        if _objective_sheet(grid, k, row, out):
            return
    if grid.name.casefold() == "key" or any(
            KEY.match(filled(r)[0].text) for r in rows if filled(r)):
        k = 0
        while k < len(rows):
            if filled(rows[k]):
                k = key_sheet_row(rows, k, out)
            else:
                k += 1
        return
    if any(filled(row) for row in rows):
        out.notes.append(_nothing_read(grid, maps))


def _nothing_read(grid: Grid, maps: dict[str, str]) -> Note:
    """Why nothing was read from a sheet, in terms of what was looked for: the row that
    looks most like a header, what jtai recognised in it, and what --map could name."""
    best: tuple[int, list[Cell]] | None = None
    for row in grid.rows:
        known = {action_field(c.text, maps) for c in filled(row)} - {None, IGNORE}
        if len(known) >= 2 and (best is None or len(known) > best[0]):
            best = (len(known), row)
    looked_for = (f"sheet '{grid.name}' has no header row naming an Action column and two "
                  "others (such as Ref, Owners, RAG), and no sheet of objectives (a number "
                  "column and Title, Accountable lead, Risk or Characteristics of good)")
    if best is None:
        return Note(grid.name, f"{looked_for}; nothing was imported from it", gap=True)
    cells = filled(best[1])
    read = [f"{c.text} ({action_field(c.text, maps)})" for c in cells
            if action_field(c.text, maps) not in (None, IGNORE)]
    others = [c.text for c in cells if action_field(c.text, maps) is None]
    which = repr(others[0]) if len(others) == 1 else (
        f"one of {', '.join(repr(o) for o in others)}")
    hint = (f"; if {which} holds the actions, import again with --map "
            f"\"{others[0]}=action\"" if others else "")
    return Note(cells[0].where, f"sheet '{grid.name}': no column holds the actions (jtai "
                f"reads {', '.join(ACTION_FIELDS['action'])}); the row "
                f"here has {', '.join(read)}{hint}; nothing was imported from it", gap=True)


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
            out.notes.append(Note(first.where, f"row '{short(first.text)}' has no objective "
                                  "number or ref; not imported", gap=True))
            continue
        objective = out.objective(number, filled(row)[0].where)
        for name, attr in (("objective_title", "title"), ("objective_lead", "lead"),
                           ("objective_risk", "risk"),
                           ("objective_characteristics", "characteristics")):
            cell = values.pop(name, None)
            if cell is not None and cell.text:
                if getattr(objective, attr) is None:
                    setattr(objective, attr, cell)
                elif getattr(objective, attr).text != cell.text:
                    out.notes.append(Note(cell.where, f"objective {number}'s {attr} is "
                                          f"'{short(getattr(objective, attr).text)}' above; "
                                          f"'{short(cell.text)}' here was not used"))
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
        return int(ref_of(ref)[0].split(".")[0])
    return None


def _objective_sheet(grid: Grid, k: int, row: list[Cell], out: Extract) -> bool:
    """A sheet of objectives: a number column and any of title, lead, risk and
    characteristics, in any order; never a row that names a field only actions have."""
    texts = [c.text for c in row]
    named = objective_fields(texts)
    fields = {name for name in named if name}
    if "number" not in fields or len(fields) < 2 or any(
            name is None and action_field(text, {}) in ACTION_ONLY_FIELDS
            for name, text in zip(named, texts, strict=True) if text):
        return False
    columns = [(i, named[i], c) for i, c in enumerate(row) if c.text]
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
            out.notes.append(Note(first.where, f"'{short(first.text)}' has no objective "
                                  "number; not imported", gap=True))
            continue
        objective = out.objective(int(m[1]), number_cell.where if number_cell else "")
        for name, attr in (("title", "title"), ("lead", "lead"), ("risk", "risk"),
                           ("characteristics_of_good", "characteristics")):
            value = by.get(name)
            if value is not None and value.text:
                setattr(objective, attr, value)
    return True
