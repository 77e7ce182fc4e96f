"""What each agency is reminded of: its open actions due within the window, and overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...plan.agencies import AgencyIndex
from ...plan.model import RAG, Plan
from ...plan.query import Row, build_filter, select


@dataclass(frozen=True)
class Due:
    agency: str
    due: tuple[Row, ...]
    overdue: tuple[Row, ...]


def due_by_agency(plan: Plan, as_of: date, within: int) -> list[Due]:
    """Per agency (registry order), in plan order; an agency with nothing due is left out."""
    rows = [row for row in select(plan, build_filter(plan), as_of)
            if row.action.progress is not RAG.BLUE]
    out = []
    for code in AgencyIndex.of(plan).codes():
        mine = [row for row in rows if code in row.owners]
        overdue = tuple(row for row in mine if row.overdue)
        due = tuple(row for row in mine if not row.overdue and row.due_in_days is not None
                    and 0 <= row.due_in_days <= within)
        if due or overdue:
            out.append(Due(code, due, overdue))
    return out
