"""Board-ready reports: the data a report shows, rendered through Jinja templates.

:func:`report_context` gathers everything a monitoring group reads (headline counts,
the chart, overdue and due-soon lists, each objective with its actions, the RAG key);
:func:`render_report` hands it to ``report.html.j2`` or ``report.md.j2``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..markdown import md_text
from ..plan.agencies import AgencyIndex
from ..plan.changes import KIND_HEADINGS, changes_between
from ..plan.model import RAG, Meeting
from ..plan.query import ActionFilter, Row, select, summarise
from ..plan.trend import trend
from ..planfile.loader import LoadedPlan
from .records import action_record, complete_by_text, objective_record, owners_shown
from .templating import environment, render

DUE_SOON_DAYS = 30
RAG_WORDS = [str(r) for r in RAG]


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


class GroupBy(StrEnum):
    objective = "objective"
    owner = "owner"
    theme = "theme"


@dataclass(frozen=True)
class ReportOptions:
    as_of: date
    criteria: ActionFilter = field(default_factory=ActionFilter)
    group_by: GroupBy = GroupBy.objective
    template_dirs: Sequence[Path] = ()
    since: date | None = None
    """``--since``: the report adds what changed from this day to the as-of date."""
    since_meeting: Meeting | None = None
    """The meeting ``--since last-meeting`` named, to head that section."""
    notes: Sequence[str] = ()
    """What the as-of reconstruction could not vouch for (plan/asof)."""


def generated_at() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, ValueError, OSError):
            pass  # beyond the calendar: ignore it, as reproducible-build tools do
    return datetime.now(UTC)



def report_context(loaded: LoadedPlan, options: ReportOptions) -> dict[str, Any]:
    plan = loaded.plan
    rows = select(plan, options.criteria, options.as_of)
    summary = summarise(rows, due_soon_days=DUE_SOON_DAYS)
    index = AgencyIndex.of(plan)
    records = {row.action.ref: row_record(row) for row in rows}
    return {
        "plan": {
            "title": plan.inspection.plan_title or "Improvement plan",
            "area": plan.inspection.area,
            "inspection_type": plan.inspection.type,
            "inspection_name": plan.inspection.name or plan.inspection.type,
            "start": plan.inspection.start.isoformat(),
            "end": plan.inspection.end.isoformat(),
            "area_for_priority_action": plan.area_for_priority_action,
            "characteristics_of_good": plan.characteristics_of_good,
            "file": loaded.name,
        },
        "as_of": options.as_of.isoformat(),
        "generated_at": generated_at().strftime("%Y-%m-%d %H:%M UTC"),
        "filters": options.criteria.describe(),
        "group_by": str(options.group_by),
        "summary": summary.as_dict(),
        "rag_words": RAG_WORDS,
        "chart": _chart(rows),
        "overdue": [records[r.action.ref] for r in rows if r.overdue],
        "due_soon": [records[r.action.ref] for r in rows
                     if r.due_in_days is not None and 0 <= r.due_in_days <= DUE_SOON_DAYS
                     and r.action.progress is not RAG.BLUE],
        "due_soon_days": DUE_SOON_DAYS,
        "groups": _groups(loaded, rows, records, options.group_by, index),
        "rag_key": [{"word": str(k), "meaning": v} for k, v in plan.rag_key.items()],
        "trend": [point.as_dict() for point in trend(plan, options.criteria, options.as_of)],
        "since": _since(rows, options),
        "meeting": _meeting(plan.meetings, options.as_of),
        "as_of_notes": list(options.notes),
    }


def _since(rows: Sequence[Row], options: ReportOptions) -> dict[str, Any] | None:
    """The "Since the last meeting" section: the changes, short, worst first."""
    if options.since is None:
        return None
    found = changes_between(rows, options.since, options.as_of)
    held = options.since_meeting
    return {
        "since": options.since.isoformat(),
        "meeting": None if held is None else
        {"date": held.date.isoformat(), "name": held.name},
        "headline": found.headline(),
        "kinds": [{"heading": KIND_HEADINGS[kind],
                   "changes": [{"ref": i.ref, "date": i.update.date.isoformat(),
                                "by": i.update.by, "what": i.text(),
                                "why": i.update.reason or i.update.evidence or i.update.note}
                               for i in items]}
                  for kind, items in found.by_kind()],
    }


def _meeting(meetings: Sequence[Meeting], as_of: date) -> dict[str, Any] | None:
    """The meeting the report is for: the first recorded on or after the as-of date."""
    ahead = sorted((m for m in meetings if m.date >= as_of), key=lambda m: m.date)
    if not ahead:
        return None
    return {"date": ahead[0].date.isoformat(), "name": ahead[0].name}


def render_report(loaded: LoadedPlan, options: ReportOptions, output: ReportFormat) -> str:
    markdown = output is ReportFormat.markdown
    env = environment(options.template_dirs, markdown=markdown,
                      filters={"md": md_text, "rag_class": rag_class})
    name = "report.md.j2" if markdown else "report.html.j2"
    return render(env, name, report_context(loaded, options))


def row_record(row: Row) -> dict[str, Any]:
    """An action as templates read it: the JSON record plus display text."""
    record = action_record(row)
    record["complete_by_text"] = complete_by_text(row.action)
    record["owners_shown"] = owners_shown(row)
    latest = row.action.latest_update
    record["latest_note"] = latest.note if latest else None
    return record


def _chart(rows: Sequence[Row]) -> list[dict[str, Any]]:
    bars: dict[int, dict[str, Any]] = {}
    for row in rows:
        bar = bars.setdefault(row.objective.number, {
            "number": row.objective.number, "title": row.objective.title,
            "counts": dict.fromkeys(RAG_WORDS, 0), "total": 0,
        })
        bar["counts"][str(row.action.progress)] += 1
        bar["total"] += 1
    return list(bars.values())


def _groups(loaded: LoadedPlan, rows: Sequence[Row], records: dict[str, dict[str, Any]],
            group_by: GroupBy, index: AgencyIndex) -> list[dict[str, Any]]:
    plan = loaded.plan
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        if group_by is GroupBy.objective:
            keys = [f"Objective {row.objective.number}: {row.objective.title}"]
        elif group_by is GroupBy.owner:
            keys = [f"{code}: {index.name_of(code)}" for code in row.owners]
        else:
            keys = [row.action.theme or "No theme"]
        for key in keys:
            group = groups.setdefault(key, {
                "heading": key,
                "objective": objective_record(plan, row.objective, index)
                if group_by is GroupBy.objective else None,
                "actions": [],
            })
            group["actions"].append(records[row.action.ref])
    ordered = list(groups.values())
    if group_by is not GroupBy.objective:
        ordered.sort(key=lambda g: g["heading"].casefold())
    return ordered


def rag_class(word: str | None) -> str:
    return f"rag-{word.lower()}" if word else "rag-none"
