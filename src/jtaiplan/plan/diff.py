"""What changed in the plan between two versions: RAG moves, date moves, new history.

Used by ``jtai diff`` to tell a reviewer what moved, and by the change rules of
``jtai lint --base`` to check that changes keep the plan's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import RAG, Action, Objective, Plan, Update, as_data

# Higher is worse: Blue (done) < Green < Amber < Red.
SEVERITY = {RAG.BLUE: 0, RAG.GREEN: 1, RAG.AMBER: 2, RAG.RED: 3}


@dataclass(frozen=True)
class Move:
    field: str
    old: Any
    new: Any

    @property
    def direction(self) -> str:
        """``worse``, ``better``, ``completed``, ``later``, ``earlier`` or ``changed``."""
        if self.field in ("progress", "impact"):
            if self.field == "progress" and self.new is RAG.BLUE:
                return "completed"
            if self.old is None or self.new is None:
                return "changed"  # a first rating (or one withdrawn) is neither

            old = SEVERITY.get(self.old, 1) if self.old else 1
            new = SEVERITY.get(self.new, 1) if self.new else 1
            return "worse" if new > old else "better" if new < old else "changed"
        if self.field == "complete_by" and isinstance(self.old, date) \
                and isinstance(self.new, date):
            return "later" if self.new > self.old else "earlier"
        return "changed"

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "from": _text(self.old), "to": _text(self.new),
                "direction": self.direction}


@dataclass
class ActionChange:
    ref: str
    kind: str
    """``added``, ``removed`` or ``changed``."""
    index: tuple[int, int] | None
    """(objective, action) indices in the new plan; None when removed."""
    old: Action | None
    new: Action | None
    moves: list[Move] = field(default_factory=list)
    new_updates: list[Update] = field(default_factory=list)
    history_rewritten: bool = False

    @property
    def worse(self) -> bool:
        return any(m.direction == "worse" for m in self.moves)

    @property
    def completed(self) -> bool:
        return any(m.direction == "completed" for m in self.moves)

    @property
    def notes(self) -> list[str]:
        return [u.note for u in self.new_updates if u.note]

    @property
    def reasons(self) -> list[str]:
        return [u.reason for u in self.new_updates if u.reason]

    def move(self, name: str) -> Move | None:
        return next((m for m in self.moves if m.field == name), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref, "kind": self.kind,
            "moves": [m.as_dict() for m in self.moves],
            "new_history": [as_data(u, json=True)
                            for u in self.new_updates],
            "history_rewritten": self.history_rewritten,
        }


@dataclass
class ObjectiveChange:
    number: int
    moves: list[Move]

    def as_dict(self) -> dict[str, Any]:
        return {"objective": self.number, "moves": [m.as_dict() for m in self.moves]}


@dataclass
class PlanDiff:
    actions: list[ActionChange]
    objectives: list[ObjectiveChange]

    @property
    def empty(self) -> bool:
        return not self.actions and not self.objectives

    def ordered(self) -> list[ActionChange]:
        """Deteriorations first, then completions, then the rest, each in ref order."""
        def rank(change: ActionChange) -> int:
            if change.worse:
                return 0
            if change.kind == "removed":
                return 1
            if change.completed:
                return 2
            return 3
        return sorted(self.actions, key=lambda c: (rank(c), ref_key(c.ref)))

    def headline(self) -> str:
        """``3 actions moved: 1 completed, 2 worse``."""
        if self.empty:
            return "no changes to the plan"
        counts = {
            "completed": sum(c.completed for c in self.actions),
            "worse": sum(c.worse for c in self.actions),
            "better": sum(1 for c in self.actions if not c.completed and
                          any(m.direction == "better" for m in c.moves)),
            "added": sum(c.kind == "added" for c in self.actions),
            "removed": sum(c.kind == "removed" for c in self.actions),
        }
        parts = [f"{n} {word}" for word, n in counts.items() if n]
        total = len(self.actions)
        head = f"{total} action{'s' if total != 1 else ''} changed" if total else ""
        if self.objectives:
            n = len(self.objectives)
            head += (", " if head else "") + f"{n} objective{'s' if n != 1 else ''} changed"
        return head + (f": {', '.join(parts)}" if parts else "")

    def as_dict(self) -> dict[str, Any]:
        return {"headline": self.headline(),
                "actions": [c.as_dict() for c in self.ordered()],
                "objectives": [o.as_dict() for o in self.objectives]}


ACTION_FIELDS = ("progress", "impact", "complete_by", "baseline_complete_by", "action",
                 "owners", "theme", "plan_type", "multi_agency", "completed_on", "evidence",
                 "impact_evidence")
OBJECTIVE_FIELDS = ("title", "lead", "risk", "characteristics_of_good")


def diff_plans(base: Plan | None, head: Plan) -> PlanDiff:
    old_actions = _by_ref(base) if base else {}
    changes: list[ActionChange] = []
    seen = set()
    for i, objective in enumerate(head.objectives):
        for j, action in enumerate(objective.actions):
            seen.add(action.ref)
            before = old_actions.get(action.ref)
            if before is None:
                changes.append(ActionChange(action.ref, "added", (i, j), None, action,
                                            new_updates=list(action.updates)))
                continue
            moves = [Move(name, getattr(before, name), getattr(action, name))
                     for name in ACTION_FIELDS if getattr(before, name) != getattr(action, name)]
            prefix = len(before.updates)
            rewritten = action.updates[:prefix] != before.updates
            new_updates = list(action.updates[prefix:]) if not rewritten else [
                u for u in action.updates if u not in before.updates]
            if moves or new_updates or rewritten:
                changes.append(ActionChange(action.ref, "changed", (i, j), before, action,
                                            moves, new_updates, rewritten))
    for ref, action in old_actions.items():
        if ref not in seen:
            changes.append(ActionChange(ref, "removed", None, action, None))
    objectives = []
    old_objectives = {o.number: o for o in base.objectives} if base else {}
    for objective in head.objectives:
        previous: Objective | None = old_objectives.get(objective.number)
        if previous is None:
            continue
        moves = [Move(name, getattr(previous, name), getattr(objective, name))
                 for name in OBJECTIVE_FIELDS
                 if getattr(previous, name) != getattr(objective, name)]
        if moves:
            objectives.append(ObjectiveChange(objective.number, moves))
    return PlanDiff(changes, objectives)


def _by_ref(plan: Plan) -> dict[str, Action]:
    return {a.ref: a for a in plan.actions()}


def ref_key(ref: str) -> tuple[int, ...]:
    """A ref in natural order: 2.10 after 2.9."""
    return tuple(int(p) if p.isdigit() else 0 for p in ref.split("."))


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, RAG):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(v) for v in value]
    return value if isinstance(value, bool | int) else str(value)
