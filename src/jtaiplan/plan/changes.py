"""What the history records between two days (``jtai changes``, the report's "Since the
last meeting").

Every history entry dated from ``since`` to ``until`` (both included) is one change, put
in one kind, in the order a monitoring group reads them: deteriorations first (a rating
worse, a complete-by date later), then improvements, completions (with their evidence),
dates moved (with their reasons), actions added, and entries that only record a note or
evidence. "Worse" is :mod:`jtaiplan.plan.diff`'s: Blue < Green < Amber < Red.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .asof import PARSERS, is_added_entry
from .diff import Move, ref_key
from .model import Update, as_data
from .query import Row

KINDS = ("worse", "better", "completed", "date", "added", "noted")
"""The kinds in the order they are listed."""
KIND_HEADINGS = {"worse": "Worse", "better": "Better", "completed": "Completed",
                 "date": "Dates moved", "added": "Added", "noted": "Notes and evidence"}
_COUNTED = {"worse": "worse", "better": "better", "completed": "completed",
            "date": "dates moved", "added": "added", "noted": "noted"}


@dataclass(frozen=True)
class Recorded:
    """One history entry in the window, with its action and what kind of change it is."""

    row: Row
    update: Update
    kind: str
    moves: tuple[Move, ...]

    @property
    def ref(self) -> str:
        return self.row.action.ref

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref, "objective": self.row.objective.number,
                               "objective_title": self.row.objective.title,
                               "kind": self.kind}
        if self.row.plan is not None:
            out["plan"] = self.row.plan
        out["date"] = self.update.date.isoformat()
        out["by"] = self.update.by
        out["changes"] = [move.as_dict() for move in self.moves]
        for key in ("note", "reason", "evidence", "impact_evidence"):
            out[key] = getattr(self.update, key)
        return out

    def text(self) -> str:
        """``progress Green → Red, complete by 2025-06-30 → 2026-01-31``; ``added: TEXT``."""
        if self.kind == "added":
            return f"added: {self.row.action.action}"
        return ", ".join(f"{m.field.replace('_', ' ')} {_word(m.old)} → {_word(m.new)}"
                         for m in self.moves)


@dataclass(frozen=True)
class Changes:
    since: date
    until: date
    items: tuple[Recorded, ...]

    def counts(self) -> dict[str, int]:
        """Entries of each kind, every kind listed."""
        counted = Counter(item.kind for item in self.items)
        return {kind: counted[kind] for kind in KINDS}

    def headline(self) -> str:
        """``since 2025-07-09: 3 worse, 5 better, 4 completed, 2 dates moved, 1 added``."""
        counts = self.counts()
        parts = [f"{counts[k]} {_COUNTED[k]}".replace("1 dates", "1 date")
                 for k in KINDS if counts[k]]
        return (f"since {self.since.isoformat()}: " + (", ".join(parts) if parts else
                                                       "no recorded changes"))

    def by_kind(self) -> list[tuple[str, list[Recorded]]]:
        return [(kind, [i for i in self.items if i.kind == kind]) for kind in KINDS
                if any(i.kind == kind for i in self.items)]

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(),
                "counts": self.counts(), "changes": [i.record() for i in self.items]}


def changes_between(rows: Iterable[Row], since: date, until: date) -> Changes:
    """The entries of ``rows``' actions dated ``since`` to ``until``, in reading order:
    by kind, then objective, then ref, then date (entries of one day as recorded)."""
    found: list[tuple[tuple[Any, ...], Recorded]] = []
    for row in rows:
        for position, update in enumerate(row.action.updates):
            if not since <= update.date <= until:
                continue
            moves = tuple(_moves(update))
            kind = classify(update, moves)
            key = (KINDS.index(kind), row.plan or "", row.objective.number,
                   ref_key(row.action.ref), update.date, position)
            found.append((key, Recorded(row, update, kind, moves)))
    found.sort(key=lambda pair: pair[0])
    return Changes(since, until, tuple(item for _key, item in found))


def classify(update: Update, moves: Iterable[Move]) -> str:
    directions = {move.direction for move in moves}
    if is_added_entry(update):
        return "added"
    if directions & {"worse", "later"}:
        return "worse"
    if "completed" in directions:
        return "completed"
    if "better" in directions:
        return "better"
    if "complete_by" in update.changes:
        return "date"  # earlier, or to or from a word such as "underway"
    return "noted"  # a note, evidence, a first rating


def _moves(update: Update) -> Iterable[Move]:
    for key, change in update.changes.items():
        parse = PARSERS.get(key)
        yield Move(key, _parsed(parse, change.old), _parsed(parse, change.new))


def _parsed(parse: Any, text: str | None) -> Any:
    if text is None or parse is None:
        return text
    try:
        return parse(text)
    except ValueError:
        return text


def _word(value: Any) -> str:
    if value is None:
        return "—"
    data = as_data(value, json=True)
    return ", ".join(data) if isinstance(data, list) else str(data)
