"""``jtai status`` as data: JSON, CSV and Markdown (the terminal table lives in the CLI)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from ..markdown import md_text
from ..plan.query import Row, Summary
from .records import action_record, complete_by_text, owners_text, short_text

CSV_COLUMNS = ("ref", "objective", "action", "due", "due_status", "owners", "theme",
               "plan_type", "progress", "impact", "overdue")
FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r", "'")
"""A text starting with one of these gets one ``'`` more: Excel would run it as a formula
(or, for ``'``, take the first as the guard itself). The CSV import takes exactly one off,
before one of these only (office/intake/grid.unquote)."""


def status_json(rows: Sequence[Row], summary: Summary, as_of: date, plan_file: str,
                filters: dict[str, object], plans: list[dict[str, str]] | None = None) -> str:
    """``plans`` (each plan's id and file) replaces ``plan`` when several plans are read."""
    document: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        **({"plans": plans} if plans else {"plan": plan_file}),
        "filters": filters,
        "summary": summary.as_dict(),
        "actions": [action_record(row) for row in rows],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def csv_cell(value: object) -> str:
    """A spreadsheet-safe cell: text that Excel would run as a formula, or that starts with
    ``'``, gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_GUARD) else text


def status_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = (("plan", *CSV_COLUMNS) if any(row.plan for row in rows) else CSV_COLUMNS)
    writer.writerow(columns)
    for row in rows:
        record = action_record(row)
        writer.writerow([csv_cell(record[column]) for column in columns])
    return out.getvalue()


def status_markdown(rows: Sequence[Row], summary: Summary, as_of: date) -> str:
    lines = [f"Plan status as of {as_of.isoformat()}", ""]
    current: tuple[str | None, int] | None = None
    for row in rows:
        # Among several plans the plan's id leads each heading and each row.
        plan = f"{md_text(row.plan)} · " if row.plan else ""
        if (row.plan, row.objective.number) != current:
            current = (row.plan, row.objective.number)
            if lines[-1] != "":
                lines.append("")
            lines += [
                f"### {plan}Objective {row.objective.number}: {md_text(row.objective.title)}",
                "",
                f"| {'Plan | ' if row.plan else ''}Ref | Action | Owners | Complete by | "
                "Progress | Impact |",
                f"| {'--- | ' if row.plan else ''}--- | --- | --- | --- | --- | --- |",
            ]
        due = md_text(complete_by_text(row.action)) + (" **OVERDUE**" if row.overdue else "")
        lines.append(
            f"| {md_text(row.plan) + ' | ' if row.plan else ''}"
            f"{row.action.ref} | {md_text(short_text(row.action.action, 90))} | "
            f"{md_text(owners_text(row))} | {due} | "
            f"{row.action.progress} | {row.action.impact or '—'} |"
        )
    lines += ["", summary_line(summary, as_of), ""]
    return "\n".join(lines)


def summary_line(summary: Summary, as_of: date) -> str:
    """``20 actions as of 2025-07-01 · progress: Blue 2, Green 10, ... · 15 overdue``."""
    progress = ", ".join(f"{k} {v}" for k, v in summary.progress.items())
    impact = ", ".join(f"{k} {v}" for k, v in summary.impact.items() if v)
    noun = "action" if summary.total == 1 else "actions"
    return (f"{summary.total} {noun} as of {as_of.isoformat()} · progress: {progress} · "
            f"impact: {impact or 'none rated'} · {summary.overdue} overdue")
