"""One action in full, as plain text for ``jtai show``."""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

from ..plan.agencies import AgencyIndex
from ..plan.asof import timeline
from ..plan.model import Action, Plan, Update, as_data
from ..plan.query import Row
from .records import complete_by_text, lead_shown, owners_text

WIDTH = 88


def action_text(plan: Plan, row: Row, as_of: date) -> str:
    action, objective = row.action, row.objective
    index = AgencyIndex.of(plan)
    lead = index.resolve(objective.lead) or objective.lead or "not recorded"
    lead_text = f"{lead} ({index.name_of(lead)})"
    if row.lead_holder and row.lead_holder != lead:
        lead_text = f"{lead_shown(row)} ({index.name_of(row.lead_holder)})"
    lines = [
        f"{row.plan + ':' if row.plan else ''}{action.ref}  "
        f"{'MULTI-AGENCY' if action.multi_agency else 'single agency'}",
        *_wrapped(action.action, "  "),
        "",
        f"Objective {objective.number}: {objective.title}",
        f"  Accountable lead: {lead_text}",
        f"  Risk: {_risk(plan, objective.risk)}",
    ]
    if objective.characteristics_of_good:
        lines += ["  Characteristics of good:",
                  *_wrapped(objective.characteristics_of_good, "    ")]
    due = complete_by_text(action)
    if row.overdue and action.due is not None:
        late = (as_of - action.due).days
        due += f"  OVERDUE by {late} day{'s' if late != 1 else ''}"
    owners = owners_text(row)
    if action.owners_as_written:
        owners += f' (written "{action.owners_as_written}")'
    for code in dict.fromkeys(row.owners):
        steps = index.steps_in_effect(code, as_of)
        if steps:
            owners += f"; {steps[-1].describe()}"
    fields = [
        ("Complete by", due),
        ("Baseline date", action.baseline_complete_by.isoformat()
         if action.baseline_complete_by else None),
        ("Date moved", action.revision_reason),
        ("Owners", owners),
        ("Theme", action.theme),
        ("Plan", action.plan_type),
        ("Progress", f"{action.progress} ({plan.rag_key.get(action.progress, '')})".replace(
            " ()", "")),
        ("Impact", str(action.impact) if action.impact else "not rated"),
        ("Completed on", action.completed_on.isoformat() if action.completed_on else None),
        ("Evidence", action.evidence),
        ("Impact evidence", action.impact_evidence),
    ]
    lines.append("")
    lines += [f"{label + ':':<17}{value}" for label, value in fields if value]
    if action.updates:
        lines += ["", "History:"]  # oldest first, each with the state after it
        for update, after in timeline(action):
            moves = ", ".join(f"{name} {change.old or '—'} → {change.new or '—'}"
                              for name, change in update.changes.items())
            lines.append(f"  {update.date.isoformat()}  {update.by}: {moves or 'note'}")
            for label, text in (("note", update.note), ("reason", update.reason),
                                ("evidence", update.evidence)):
                if text:
                    lines += _wrapped(f"{label}: {text}", "      ")
            lines += _wrapped(f"after: {state_text(after)}", "      ")
    lines += ["", f"As of {as_of.isoformat()}", ""]
    return "\n".join(lines)


def state_text(action: Action) -> str:
    """``progress Red, impact Amber, complete by 2026-01-31 (revised)``."""
    parts = [f"progress {action.progress}",
             f"impact {action.impact if action.impact else 'not rated'}",
             f"complete by {complete_by_text(action)}"]
    if action.completed_on:
        parts.append(f"completed on {action.completed_on.isoformat()}")
    return ", ".join(parts)


def state_record(update: Update, action: Action) -> dict[str, Any]:
    """A timeline step for JSON: the entry's date and author, the state after it."""
    return {"date": update.date.isoformat(), "by": update.by,
            "state": {"progress": str(action.progress),
                      "impact": str(action.impact) if action.impact else None,
                      "complete_by": as_data(action.complete_by, json=True),
                      "baseline_complete_by": as_data(action.baseline_complete_by, json=True),
                      "completed_on": as_data(action.completed_on, json=True),
                      "owners": list(action.owners)}}


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _risk(plan: Plan, risk: str | None) -> str:
    return plan.risk_wording(risk) if risk else "not recorded"
