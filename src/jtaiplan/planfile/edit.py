"""Changes to the plan: update an action, complete it, add one. Each returns new text.

The changes are made as targeted edits of the text (:mod:`jtaiplan.planfile.textedit`), never by
re-dumping the model, and every change appends an entry to the action's ``updates``
history: the plan carries its own audit trail of who changed what, when and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from yaml.nodes import MappingNode

from ..errors import CannotRun
from ..plan.agencies import AgencyIndex
from ..plan.asof import ADDED_NOTE
from ..plan.model import RAG
from ..plan.query import declared, find_action, resolve_agencies
from ..textcheck import first_control_character
from .loader import LoadedPlan
from .textedit import Document, Splice, apply_splices

# New keys go where a person would put them, whatever order the file already has.
ACTION_KEY_ORDER = (
    "ref", "multi_agency", "action", "complete_by", "baseline_complete_by", "owners",
    "owners_as_written", "theme", "plan_type", "progress", "impact", "completed_on",
    "evidence", "impact_evidence", "updates",
)


@dataclass(frozen=True)
class UpdateRequest:
    by: str
    on: date
    progress: RAG | None = None
    impact: RAG | None = None
    due: date | None = None
    due_word: str | None = None
    """A declared complete-by word ("underway") instead of a date."""
    note: str | None = None
    evidence: str | None = None
    impact_evidence: str | None = None
    reason: str | None = None
    completed: bool = False
    """Set by ``jtai complete``: progress Blue, completion date and evidence recorded."""


@dataclass(frozen=True)
class EditResult:
    text: str
    ref: str
    summary: str
    changed: bool


def check_text(value: str | None, option: str) -> None:
    """New text must be printable: control characters pasted from Word are refused."""
    if value is None:
        return
    if not value.strip():
        raise CannotRun(f"{option} must not be empty")
    found = first_control_character(value)
    if found is not None:
        position, char = found
        raise CannotRun(f"{option} contains the control character U+{ord(char):04X} at "
                        f"character {position}", hint="retype the text, or paste it as plain "
                        "text")
    from ..lint.personal_data import scan

    personal = next(scan(value), None)
    if personal is not None:
        # Once committed it stays in git history: refuse it before it is written.
        pattern, position = personal
        raise CannotRun(f"{option} contains what looks like {pattern.name} (at character "
                        f"{position})", hint="plans are shared documents and must not "
                        "identify a child or family: leave the detail out")




def update_action(loaded: LoadedPlan, ref: str, request: UpdateRequest) -> EditResult:
    for value, option in ((request.note, "--note"), (request.evidence, "--evidence"),
                          (request.impact_evidence, "--impact-evidence"),
                          (request.reason, "--reason"), (request.by, "--by")):
        check_text(value, option)
    i, j, _objective, action = find_action(loaded.plan, ref)
    doc = _document(loaded)
    node = doc.path("objectives", i, "actions", j)
    assert isinstance(node, MappingNode)
    splices: list[Splice] = []
    changes: dict[str, dict[str, Any]] = {}

    def change(key: str, old: Any, new: Any) -> None:
        if new is None or new == old:
            return
        changes[key] = {"from": _plain(old), "to": _plain(new)}
        splices.append(_set(doc, node, key, _plain(new)))

    progress = RAG.BLUE if request.completed else request.progress
    change("progress", action.progress, progress)
    change("impact", action.impact, request.impact)
    due = request.due if request.due is not None else request.due_word
    if due is not None and due != action.complete_by:
        if action.due is not None and action.baseline_complete_by is None:
            # The first revision keeps the original date for good: slippage stays visible.
            splices.append(_set(doc, node, "baseline_complete_by", action.due))
        change("complete_by", action.complete_by, due)
    if request.completed and action.completed_on is None:
        # Completing it again (to add evidence) keeps the date it was first completed.
        change("completed_on", action.completed_on, request.on)

    if request.evidence is not None:
        splices.append(_set(doc, node, "evidence", request.evidence))
    if request.impact_evidence is not None:
        splices.append(_set(doc, node, "impact_evidence", request.impact_evidence))

    if not splices and request.note is None and request.reason is None:
        return EditResult(loaded.source.text, action.ref,
                          f"{action.ref}: nothing to change", changed=False)
    entry: dict[str, Any] = {"date": request.on, "by": request.by}
    if changes:
        entry["changes"] = changes
    for key in ("note", "reason", "evidence", "impact_evidence"):
        value = getattr(request, key)
        if value is not None:
            entry[key] = value
    splices.append(doc.append_item(node, "updates", entry))
    recorded = [f"{k} {v['from'] or '—'} → {v['to']}" for k, v in changes.items()]
    recorded += [f"{key.replace('_', ' ')} recorded" for key in
                 ("evidence", "impact_evidence", "note", "reason") if key in entry]
    return EditResult(apply_splices(doc.text, splices), action.ref,
                      f"{action.ref}: {', '.join(recorded)}", changed=True)



@dataclass(frozen=True)
class NewAction:
    objective: int
    action: str
    owners: list[str]
    theme: str
    plan_type: str
    by: str
    on: date
    due: date | None = None
    due_word: str | None = None
    multi_agency: bool = False
    progress: RAG = RAG.GREEN
    impact: RAG | None = None
    note: str | None = None


def add_action(loaded: LoadedPlan, new: NewAction) -> EditResult:
    plan = loaded.plan
    check_text(new.action, "--action")
    check_text(new.note, "--note")
    check_text(new.by, "--by")
    index = next((k for k, o in enumerate(plan.objectives) if o.number == new.objective), None)
    if index is None:
        numbers = [o.number for o in plan.objectives]
        raise CannotRun(f"no objective {new.objective} in the plan",
                        hint=f"objectives are numbered {numbers[0]} to {numbers[-1]}")
    objective = plan.objectives[index]
    # "TVP,Police" names one agency twice: it is owned once.
    owners = list(dict.fromkeys(resolve_agencies(AgencyIndex.of(plan), new.owners, "--owner")))
    theme = declared(new.theme, plan.themes, "--theme")
    plan_type = declared(new.plan_type, plan.plan_types, "--plan-type")
    ref = next_ref(objective.number, [a.ref for a in objective.actions])
    record: dict[str, Any] = {"ref": _double_quoted(ref), "multi_agency": new.multi_agency,
                              "action": new.action}
    if new.due is not None:
        record["complete_by"] = new.due
    elif new.due_word is not None:
        record["complete_by"] = declared(new.due_word, plan.complete_by_words, "--due")
    record.update({"owners": _flow(owners), "theme": theme, "plan_type": plan_type,
                   "progress": str(new.progress),
                   "impact": str(new.impact) if new.impact else None})
    # The note marks the entry as the action's first day (plan/asof reads it so).
    note = f"{ADDED_NOTE}: {new.note}" if new.note else ADDED_NOTE
    entry: dict[str, Any] = {"date": new.on, "by": new.by, "note": note}
    record["updates"] = [entry]
    doc = _document(loaded)
    node = doc.path("objectives", index)
    assert isinstance(node, MappingNode)
    splice = doc.append_item(node, "actions", record)
    return EditResult(apply_splices(doc.text, [splice]), ref,
                      f"{ref} added to objective {objective.number}", changed=True)


def next_ref(objective: int, refs: list[str]) -> str:
    """The next free ref in natural order: after 2.9 comes 2.10, never 2.1 again."""
    numbers = [int(m.group(1)) for r in refs if (m := re.fullmatch(rf"{objective}\.(\d+)", r))]
    return f"{objective}.{max(numbers, default=0) + 1}"


def _document(loaded: LoadedPlan) -> Document:
    # The tree the plan was loaded from: its marks locate every edit.
    root = loaded.sourcemap.root
    assert root is not None
    return Document(loaded.source.text, root)


def _set(doc: Document, node: MappingNode, key: str, value: Any) -> Splice:
    present = {k.value for k, _v in node.value}
    position = ACTION_KEY_ORDER.index(key)
    before = [k for k in ACTION_KEY_ORDER[:position] if k in present]
    after_key = before[-1] if before else None
    if after_key is None and key not in present:
        raise ValueError(f"cannot place '{key}'")
    return doc.set_value(node, key, value, insert_after=after_key)


def _plain(value: Any) -> Any:
    if isinstance(value, RAG):
        return str(value)
    return value


def _double_quoted(text: str) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def _flow(items: list[str]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
