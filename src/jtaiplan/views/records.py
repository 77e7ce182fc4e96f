"""Actions as plain records: the one shape shared by JSON, CSV, Markdown and reports."""

from __future__ import annotations

from typing import Any

from ..plan.agencies import AgencyIndex
from ..plan.model import Action, Objective, Plan
from ..plan.query import Row


def short_text(text: str, limit: int = 70) -> str:
    """The first ``limit`` characters, cut at a word, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


def action_record(row: Row) -> dict[str, Any]:
    """The documented JSON shape of one action (see ``jtai status --help``)."""
    action, objective = row.action, row.objective
    latest = action.latest_update
    record: dict[str, Any] = {"plan": row.plan} if row.plan else {}
    record |= {
        "ref": action.ref,
        "objective": objective.number,
        "objective_title": objective.title,
        "action": action.action,
        "multi_agency": action.multi_agency,
        "due": action.due.isoformat() if action.due else None,
        "due_status": action.due_word,
        "baseline_due": action.baseline_complete_by.isoformat()
        if action.baseline_complete_by else None,
        "date_revised": action.date_revised,
        "revision_reason": action.revision_reason,
        "owners": list(row.owners),
        **({"held_by": list(row.holders)} if _succeeded(row) else {}),
        "owners_as_written": action.owners_as_written,
        "lead": row.lead or objective.lead,

        "theme": action.theme,
        "plan_type": action.plan_type,
        "progress": str(action.progress),
        "impact": str(action.impact) if action.impact else None,
        "overdue": row.overdue,
        "completed_on": action.completed_on.isoformat() if action.completed_on else None,
        "evidence": action.evidence,
        "impact_evidence": action.impact_evidence,
        "latest_update": {
            "date": latest.date.isoformat(), "by": latest.by, "note": latest.note,
        } if latest else None,
    }
    return record


def _succeeded(row: Row) -> bool:
    return bool(row.holders) and row.holders != row.owners


def owners_shown(row: Row) -> list[str]:
    """Each owner, with whoever holds its part now: ``BFfC → RBC`` after the succession."""
    return list(row.shown or row.owners)


def lead_shown(row: Row) -> str:
    return row.lead_shown or row.lead


def lead_note(row: Row) -> str:
    """``(lead TVP)`` after an objective's title, or that none is recorded."""
    lead = lead_shown(row)
    return f"(lead {lead})" if lead else "(no accountable lead recorded)"


def owners_text(row: Row) -> str:
    return ", ".join(owners_shown(row))


def complete_by_text(action: Action) -> str:
    """``2025-06-30``, ``underway``, or ``2025-09-30 (revised)``."""
    if action.due is not None:
        return action.due.isoformat() + (" (revised)" if action.date_revised else "")
    return action.due_word or "—"


def objective_record(plan: Plan, objective: Objective, index: AgencyIndex | None = None
                     ) -> dict[str, Any]:
    """``index``: the plan's, when the caller has it (building one reads every agency)."""
    index = index or AgencyIndex.of(plan)
    return {
        "number": objective.number,
        "title": objective.title,
        "risk": objective.risk,
        "risk_wording": plan.risk_wording(objective.risk) if objective.risk else None,
        "lead": index.resolve(objective.lead) or objective.lead,
        "lead_name": index.name_of(index.resolve(objective.lead) or objective.lead)
        if objective.lead else None,
        "characteristics_of_good": objective.characteristics_of_good,
    }
