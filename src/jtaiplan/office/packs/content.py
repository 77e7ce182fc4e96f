"""What goes in one agency's update pack: its actions as they stand, with their fingerprints.

Shared by the workbook and the text pack so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ...plan.agencies import AgencyIndex
from ...plan.model import RAG, Plan
from ...plan.query import Row
from ...plan.refs import qualified
from .layout import action_state, fingerprint, plan_id


@dataclass(frozen=True)
class PackRow:
    ref: str
    objective: str
    action: str
    complete_by: date | str | None
    progress: RAG
    impact: RAG | None
    last_update: str
    state: dict[str, str | int | None]
    fingerprint: str

    def given(self) -> dict[str, str]:
        """The locked cells as text, as the hidden sheet records them."""
        return {"ref": self.ref, "objective": self.objective, "action": self.action,
                "complete_by": given_text(self.complete_by), "progress": str(self.progress),
                "impact": given_text(self.impact), "last_update": self.last_update}


@dataclass(frozen=True)
class PackPlan:
    """One plan a several-plan pack covers, as its hidden record names it."""

    id: str
    file: str
    key: str
    """:func:`.layout.plan_id`: the inspection, which the file's name does not tell."""


@dataclass(frozen=True)
class Pack:
    plan_file: str
    plan_id: str
    plan_title: str
    agency: str
    agency_name: str
    as_of: date
    return_by: date
    rag_key: dict[str, str]
    rows: tuple[PackRow, ...]
    plans: tuple[PackPlan, ...] = ()
    """Several plans: each one; the rows' refs are then qualified (reading-jtai:2.3)."""


def plan_key(plan: Plan) -> str:
    inspection = plan.inspection
    return plan_id(inspection.area, inspection.type, inspection.start.isoformat())


def plan_title(plan: Plan) -> str:
    """``JTAI Reading: Multi-Agency Improvement Plan``: how packs and mail name the plan."""
    inspection = plan.inspection
    return f"{inspection.type} {inspection.area}: {inspection.plan_title or 'improvement plan'}"


def combine_packs(parts: list[tuple[PackPlan, Pack]]) -> Pack:
    """One agency's packs of several plans as one pack: what it owes everywhere, in one
    workbook, its refs qualified by each plan's id."""
    first = parts[0][1]
    rows = tuple(replace(row, ref=qualified(info.id, row.ref))
                 for info, pack in parts for row in pack.rows)
    plans = tuple(info for info, _pack in parts)
    return replace(first, plan_file=", ".join(p.file for p in plans), plan_id="",
                   plan_title=f"{len(plans)} plans: " + ", ".join(p.id for p in plans),
                   rows=rows, plans=plans)


def given_text(value: object) -> str:
    """A locked cell's value as text, the same whether written or read back."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


def build_pack(plan: Plan, rows: list[Row], agency: str, *, as_of: date, return_by: date,
               plan_file: str) -> Pack:
    pack_rows = []
    for row in rows:
        action = row.action
        latest = action.latest_update
        last = ""
        if latest is not None:
            said = latest.note or latest.reason or latest.evidence or "updated"
            last = f"{latest.date.isoformat()} {latest.by}: {said}"
        state = action_state(action)
        pack_rows.append(PackRow(
            ref=action.ref, objective=f"{row.objective.number}. {row.objective.title}",
            action=action.action, complete_by=action.complete_by, progress=action.progress,
            impact=action.impact, last_update=last, state=state,
            fingerprint=fingerprint(state)))
    return Pack(
        plan_file=plan_file,
        plan_id=plan_key(plan),
        plan_title=plan_title(plan),
        agency=agency, agency_name=AgencyIndex.of(plan).name_of(agency), as_of=as_of,
        return_by=return_by, rag_key={str(k): v for k, v in plan.rag_key.items()},
        rows=tuple(pack_rows))


def owned_by(rows: list[Row], agency: str) -> list[Row]:
    return [row for row in rows if agency in row.owners]
