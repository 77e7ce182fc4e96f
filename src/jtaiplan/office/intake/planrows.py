"""A workbook's "Plan" sheet (label | value rows, as ``jtai export`` writes it) read back
into the plan-level fields: the inspection, plan title, summary of change and declared lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...plan.dates import BadDate, parse_date
from ..plansheet import PlanField, field_of, is_plan_sheet_header
from .grid import Cell, Grid
from .raw import Extract, Note, filled, short

Path = tuple[str, ...]


def is_plan_sheet(grid: Grid) -> bool:
    first = next((filled(row) for row in grid.rows if filled(row)), None)
    return first is not None and is_plan_sheet_header([cell.text for cell in first])


def read_plan_sheet(grid: Grid, out: Extract) -> None:
    rows = [row for row in grid.rows if filled(row)][1:]
    seen: dict[str, str] = {}
    for row in rows:
        cells = filled(row)
        label = row[0] if row and row[0].text else None
        named = field_of(label.text) if label is not None else None
        if named is None or len(cells) > 2:
            first = cells[0]
            out.notes.append(Note(first.where, f"'{short(first.text)}' in sheet "
                                  f"'{grid.name}' is not a plan field jtai knows; not "
                                  "imported", gap=True))
            continue
        found, key = named
        value = row[1] if len(row) > 1 else None
        if value is None or not value.text:
            continue
        label_text = " ".join(label.text.split()) if label else found.label
        if not found.many and label_text in seen:
            out.notes.append(Note(value.where, f"{label_text} is given twice (first at "
                                  f"{seen[label_text]}); this one was not used", gap=True))
            continue
        seen[label_text] = value.where
        out.head.fields.append((found, key, value))


def plan_values(fields: list[tuple[PlanField, str, Cell]],
                notes: list[Note]) -> dict[Path, Any]:
    """Each field's value by its path in plan.yaml: text, a date, a list for repeated rows
    or a mapping for keyed ones. Text is kept exactly as the cell holds it."""
    values: dict[Path, Any] = {}
    for found, key, cell in fields:
        value: Any = cell.text
        if found.is_date:
            value = _date_of(cell)
            if value is None:
                notes.append(Note(cell.where, f"{found.label} '{cell.text}' is not a date "
                                  "such as 24/02/2025", gap=True))
                continue
        if found.keyed:
            values.setdefault(found.path, {})[key] = value
        elif found.many:
            values.setdefault(found.path, []).append(value)
        else:
            values[found.path] = value
    return values


def _date_of(cell: Cell) -> date | None:
    if isinstance(cell.value, datetime):
        return cell.value.date()
    if isinstance(cell.value, date):
        return cell.value
    try:
        return parse_date(cell.text)
    except BadDate:
        return None


def under(values: dict[Path, Any], top: str) -> dict[str, Any]:
    """The values under one key of plan.yaml (``inspection``), by their own key."""
    return {path[1]: value for path, value in values.items()
            if len(path) == 2 and path[0] == top}
