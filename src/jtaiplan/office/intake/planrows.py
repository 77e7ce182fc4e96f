"""A workbook's "Plan" sheet (label | value rows, as ``jtai export`` writes it) read back
into the plan-level fields (the inspection, plan title, summary of change and declared
lists), and its "Agencies" sheet into the agency registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ...plan.dates import BadDate, parse_date
from ...plan.model import Agency
from ...plan.textpolicy import check
from ..plansheet import (
    AGENCY_COLUMNS,
    ALIAS_SEPARATOR,
    PlanField,
    field_of,
    is_agency_sheet_header,
    is_plan_sheet_header,
)
from .grid import Cell, Grid
from .raw import Extract, Note, filled, short

FieldPath = tuple[str, ...]


def _first_row(grid: Grid) -> list[str]:
    return next(([cell.text for cell in filled(row)] for row in grid.rows if filled(row)), [])


def is_plan_sheet(grid: Grid) -> bool:
    return is_plan_sheet_header(_first_row(grid))


def is_agency_sheet(grid: Grid) -> bool:
    return is_agency_sheet_header(_first_row(grid))


def read_agency_sheet(grid: Grid, out: Extract) -> None:
    rows = [row for row in grid.rows if filled(row)]
    by_header = {header.casefold(): name for header, name in AGENCY_COLUMNS}
    columns = [(k, by_header[cell.text.casefold()]) for k, cell in enumerate(rows[0])
               if cell.text]
    for row in rows[1:]:
        agency: dict[str, Any] = {}
        where = {"": filled(row)[0].where}
        for k, name in columns:
            cell = row[k] if k < len(row) else None
            if cell is None or not cell.text:
                continue
            where[name] = cell.where
            if name == "aliases":
                agency[name] = [a.strip() for a in cell.text.split(ALIAS_SEPARATOR.strip())
                                if a.strip()]
            elif name == "succeeded_on":
                agency[name] = _date_of(cell) or cell.text
            else:
                agency[name] = cell.text
        out.head.agencies.append((agency, where))


def sheet_agencies(out: Extract) -> list[Agency]:
    """The "Agencies" sheet's registry; an agency that is not valid is a gap, named."""
    from ...plan.constraints import ValidationError, validate

    agencies = []
    for data, where in out.head.agencies:
        try:
            agencies.append(validate(Agency, data))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field = str(first["loc"][0]) if first["loc"] else ""
            code = short(str(data.get("code", "")))
            out.notes.append(Note(where.get(field, where[""]), f"agency '{code}' is not "
                                  f"valid ({'.'.join(map(str, first['loc']))}: "
                                  f"{first['msg']}); not imported", gap=True))
    return agencies


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
                notes: list[Note]) -> dict[FieldPath, Any]:
    """Each field's value by its path in plan.yaml: text, a date, a list for repeated rows
    or a mapping for keyed ones. Text is kept exactly as the cell holds it."""
    values: dict[FieldPath, Any] = {}
    for found, key, cell in fields:
        value: Any = cell.text
        if not found.is_date and (refusal := check(cell.text)) is not None:
            notes.append(Note(cell.where, f"{found.label} {refusal.message} ({refusal.hint}); "
                              "not imported", gap=True))
            continue
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


def under(values: dict[FieldPath, Any], top: str) -> dict[str, Any]:
    """The values under one key of plan.yaml (``inspection``), by their own key."""
    return {path[1]: value for path, value in values.items()
            if len(path) == 2 and path[0] == top}
