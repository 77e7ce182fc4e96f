"""The workbook's "Plan" and "Agencies" sheets, as data: one row per plan-level field
(label and value), and one row per agency of the registry the plan uses.

An Actions sheet cannot say which inspection a plan follows, its title or its summary of
change; without them ``jtai import`` of an exported workbook needs ``--area`` and
``--inspected``. ``jtai export`` writes these rows and ``jtai import`` reads them back, both
from this table, so the two cannot drift apart. A label marked ``many`` repeats, one row per
item (summary areas, themes): a person can add or delete a row in Excel without editing a
list inside a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..plan.model import Agency, Plan, as_data

SHEET = "Plan"
HEADERS = ("Field", "Value")


@dataclass(frozen=True)
class PlanField:
    label: str
    path: tuple[str, ...]
    """Where the value lives in plan.yaml: ``("inspection", "start")``."""
    many: bool = False
    is_date: bool = False
    keyed: bool = False
    """One row per entry of a mapping, its key in the label: ``Risk level: high``."""


PLAN_FIELDS: tuple[PlanField, ...] = (
    PlanField("Inspection type", ("inspection", "type")),
    PlanField("Inspection name", ("inspection", "name")),
    PlanField("Area inspected", ("inspection", "area")),
    PlanField("Inspection start", ("inspection", "start"), is_date=True),
    PlanField("Inspection end", ("inspection", "end"), is_date=True),
    PlanField("Plan title", ("inspection", "plan_title")),
    PlanField("Area for priority action", ("area_for_priority_action",)),
    PlanField("Summary heading", ("summary_of_change", "heading")),
    PlanField("Summary introduction", ("summary_of_change", "introduction")),
    PlanField("Summary area", ("summary_of_change", "areas"), many=True),
    PlanField("Characteristics of good", ("characteristics_of_good",)),
    PlanField("Theme", ("themes",), many=True),
    PlanField("Plan type", ("plan_types",), many=True),
    PlanField("Complete-by word", ("complete_by_words",), many=True),
    PlanField("Risk level", ("risk_levels",), keyed=True),
)

_BY_LABEL = {" ".join(f.label.casefold().split()): f for f in PLAN_FIELDS}

PlanCell = str | date


def plan_sheet_rows(plan: Plan) -> tuple[tuple[str, PlanCell], ...]:
    """(label, value) for every plan-level field the plan holds, in :data:`PLAN_FIELDS` order."""
    data = as_data(plan)
    rows: list[tuple[str, PlanCell]] = []
    for field in PLAN_FIELDS:
        value: Any = data
        for key in field.path:
            value = value.get(key) if isinstance(value, dict) else None
        if field.keyed:
            rows += [(f"{field.label}: {key}", item) for key, item in (value or {}).items()]
            continue
        items = value if field.many and isinstance(value, list) else [value]
        rows += [(field.label, item) for item in items if item not in (None, "")]
    return tuple(rows)


def field_of(label: str) -> tuple[PlanField, str] | None:
    """The field a "Plan" sheet label names (any case and spacing) and, for a keyed field,
    the key (``Risk level: high`` -> high); None for a label that names no field."""
    name, colon, key = label.partition(":")
    found = _BY_LABEL.get(" ".join(name.casefold().split()))
    if found is None or found.keyed != bool(colon) or (found.keyed and not key.strip()):
        return None
    return found, key.strip()


def is_plan_sheet_header(texts: list[str]) -> bool:
    """Whether a row is this sheet's header (``Field | Value``)."""
    return [t.casefold() for t in texts] == [h.casefold() for h in HEADERS]


AGENCY_SHEET = "Agencies"
AGENCY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Code", "code"), ("Name", "name"), ("Aliases", "aliases"), ("Note", "note"),
    ("Succeeded by", "succeeded_by"), ("Succeeded on", "succeeded_on"),
    ("Succession note", "succession_note"))
"""(header, field of :class:`~jtaiplan.plan.model.Agency`)."""
ALIAS_SEPARATOR = "; "


def agency_sheet_rows(plan: Plan) -> tuple[tuple[PlanCell | None, ...], ...]:
    """One row per agency the plan knows (a shared registry's too), cells in column order."""
    return tuple(tuple(_agency_cell(agency, name) for _, name in AGENCY_COLUMNS)
                 for agency in plan.registry())


def _agency_cell(agency: Agency, name: str) -> PlanCell | None:
    value = getattr(agency, name)
    if isinstance(value, list):
        return ALIAS_SEPARATOR.join(value) or None
    return value  # type: ignore[no-any-return]


def is_agency_sheet_header(texts: list[str]) -> bool:
    """Whether a row is the "Agencies" sheet's header (its first two columns suffice)."""
    folded = [t.casefold() for t in texts]
    return folded[:2] == ["code", "name"] and set(folded) <= {
        header.casefold() for header, _ in AGENCY_COLUMNS}
