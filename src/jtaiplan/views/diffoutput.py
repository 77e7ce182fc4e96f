"""``jtai diff`` output: plain text, a pull-request comment in Markdown, or JSON."""

from __future__ import annotations

import json
from typing import Any

from ..markdown import md_text
from ..plan.diff import ActionChange, Move, PlanDiff
from ..plan.fieldnames import field_label

COMMENT_LIMIT = 60_000
"""GitHub refuses comments over 65,536 characters. Counted in UTF-8 bytes (never fewer than
characters), this leaves room for the summary lines."""



def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def move_text(move: Move) -> str:
    label = field_label(move.field)
    if move.field in ("action", "characteristics_of_good", "evidence", "impact_evidence"):
        return f"{label} changed"
    direction = move.direction
    suffix = f" ({direction})" if direction not in ("changed",) else ""
    return f"{label} {_show(move.old)} → {_show(move.new)}{suffix}"


def change_text(change: ActionChange) -> str:
    if change.kind == "added":
        assert change.new is not None
        return f"added: {change.new.action}"
    if change.kind == "removed":
        return "removed"
    parts = [move_text(m) for m in change.moves]
    if change.history_rewritten:
        parts.append("history rewritten")
    if change.new_updates and not change.moves:
        parts.append("history entry added")
    return "; ".join(parts)


def details(change: ActionChange) -> list[str]:
    out = [f"note: {n}" for n in change.notes]
    out += [f"reason: {r}" for r in change.reasons]
    return out


def as_text(diff: PlanDiff, base_label: str, head_label: str) -> str:
    lines = [f"{diff.headline()} ({base_label} → {head_label})"]
    for change in diff.ordered():
        lines.append(f"  {change.ref:<6} {change_text(change)}")
        lines += [f"         {d}" for d in details(change)]
    for objective in diff.objectives:
        lines.append(f"  objective {objective.number}: "
                     + "; ".join(move_text(m) for m in objective.moves))
    return "\n".join(lines) + "\n"


def as_markdown(diff: PlanDiff, base_label: str, head_label: str) -> str:
    head = [f"### Plan changes: {md_text(diff.headline())}", "",
            f"Compared {md_text(base_label)} with {md_text(head_label)}.", ""]
    if diff.empty:
        return "\n".join(head)
    action_rows = []
    for change in diff.ordered():
        text = change_text(change)
        text = f"**{md_text(text)}**" if change.worse else md_text(text)
        action_rows.append(f"| {md_text(change.ref)} | {text} | "
                           f"{md_text('; '.join(details(change)))} |")
    objective_rows = [f"| {o.number} | {md_text('; '.join(move_text(m) for m in o.moves))} |"
                      for o in diff.objectives]
    out = list(head)
    # One budget for both tables, in UTF-8 bytes: arrows and dashes take three each.
    budget = COMMENT_LIMIT - sum(_size(line) for line in out)
    for header, rows, what in (
            (["| Ref | What changed | Notes |", "| --- | --- | --- |"], action_rows,
             "changed actions"),
            (["| Objective | What changed |", "| --- | --- |"], objective_rows,
             "changed objectives")):
        if not rows:
            continue
        if out[-1] != "":
            out.append("")
        table, left = list(header), budget - sum(_size(line) for line in header) - 1
        for row in rows:
            if _size(row) > left:
                break
            table.append(row)
            left -= _size(row)
        shown = len(table) - len(header)
        if shown:
            out += table
            budget = left
        if shown < len(rows):
            out += [""] if shown else []
            out.append(f"…and {len(rows) - shown} more {what}: run `jtai diff` locally for "
                       "the full list.")
            budget -= _size(out[-1]) + 1
    return "\n".join(out) + "\n"


def _size(line: str) -> int:
    """The line's size in a comment: UTF-8 bytes and its newline."""
    return len(line.encode("utf-8")) + 1


def as_json(diff: PlanDiff, base_label: str, head_label: str) -> str:
    document = {"base": base_label, "head": head_label, **diff.as_dict()}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
