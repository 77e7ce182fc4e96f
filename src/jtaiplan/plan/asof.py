"""The plan as its history records it at the end of a day (``--as-of DATE``).

Every ``jtai update``, ``complete`` and ``add`` appends an entry to the action's ``updates``
with each field's ``from`` and ``to``. Undoing, newest first, the entries dated after DATE
gives the action as it stood that evening: ratings, complete-by and baseline dates, the
completion date and its evidence, owners. The entries themselves are dropped too, so
"latest update" means the latest one by DATE.

How "added later" is known: ``jtai add`` writes the new action's first entry with no
``changes`` and the note ``action added`` (``action added: NOTE`` when a note is given).
An action whose earliest entry is that one, dated after DATE, did not exist on DATE.
An action without such an entry was in the plan when its record started.

Where the history cannot vouch for a value it is left as today's and named in
:attr:`Recorded.unvouched`: an entry that gives no ``from`` for a rating or owners, a field
whose latest recorded ``to`` is not the value the file holds now (changed by hand, with no
entry: the change rules flag that), or a change to a field this module does not know.

The record starts at the plan's earliest history entry. A DATE before it gives the plan as
it was when the record started (every entry undone), and :attr:`Recorded.before_record`
says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import RAG, Action, Objective, Plan, Update

ADDED_NOTE = "action added"
"""The note ``jtai add`` starts its entry with: how an action's first day is known."""

# The fields a change can undo, and how a change's text becomes the field's value.
# A field in REQUIRED cannot be empty: a missing ``from`` there means "not recorded".
REQUIRED = frozenset({"progress", "owners"})


_RAG_WORDS = {str(rag): rag for rag in RAG}


def _rag(text: str) -> RAG:
    return _RAG_WORDS.get(text) or RAG.parse(text)


def _complete_by(text: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text  # a declared word such as "underway"


def _owners(text: str) -> list[str]:
    return [part.strip() for part in text.strip("[]").split(",") if part.strip()]


PARSERS: dict[str, Callable[[str], Any]] = {
    "progress": _rag,
    "impact": _rag,
    "complete_by": _complete_by,
    "baseline_complete_by": date.fromisoformat,
    "completed_on": date.fromisoformat,
    "owners": _owners,
}
# Texts an entry records without a from/to: the value on DATE is the latest one recorded.
RECORDED_TEXTS = ("evidence", "impact_evidence")


@dataclass(frozen=True)
class Unvouched:
    """A value the history cannot vouch for on the day: it is shown as it is today."""

    ref: str
    field: str
    why: str

    def describe(self) -> str:
        return f"{self.ref} {self.field.replace('_', ' ')}: the value is today's ({self.why})"


@dataclass(frozen=True)
class Recorded:
    """The plan on ``day`` and what the reader must be told about it."""

    plan: Plan
    day: date
    record_start: date | None
    """The plan's earliest history entry; None when it has no history."""
    unvouched: tuple[Unvouched, ...] = ()
    added_later: tuple[str, ...] = ()
    """Refs of actions added after ``day``, absent from :attr:`plan`."""
    kept: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """Objective index -> the original indices of the actions kept, where some were dropped."""

    @property
    def before_record(self) -> bool:
        return self.record_start is not None and self.day < self.record_start

    def notes(self) -> list[str]:
        """What outputs say on stderr (or in the report) about this reconstruction."""
        out = []
        if self.before_record:
            assert self.record_start is not None
            out.append(f"the plan's history starts on {self.record_start.isoformat()}: "
                       f"{self.day.isoformat()} is earlier, so the plan is shown as it was "
                       "when its record started")
        out += [item.describe() for item in self.unvouched]
        return out

    def source_path(self, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
        """A path into :attr:`plan` as a path into the file (actions dropped shift
        indices)."""
        if len(path) >= 4 and path[0] == "objectives" and path[2] == "actions":
            objective, index = path[1], path[3]
            if isinstance(objective, int) and isinstance(index, int) and objective in self.kept:
                return (*path[:3], self.kept[objective][index], *path[4:])
        return path


def record_start(plan: Plan) -> date | None:
    """The date the plan's record starts: its earliest history entry."""
    return min((u.date for a in plan.actions() for u in a.updates), default=None)


def is_added_entry(update: Update) -> bool:
    """The entry ``jtai add`` writes for a new action."""
    note = update.note or ""
    return not update.changes and (note == ADDED_NOTE or note.startswith(ADDED_NOTE + ": "))


def added_on(action: Action) -> date | None:
    """The day the action was added with ``jtai add``; None if it predates the record."""
    if not action.updates:
        return None
    first = action.updates_by_date()[0]
    return first.date if is_added_entry(first) else None


def recorded_on(plan: Plan, day: date) -> Recorded:
    """The plan as its history records it at the end of ``day``.

    The plan itself comes back, untouched, when no entry is dated after ``day``: reading
    the plan as of today costs one pass over the dates.
    """
    start = record_start(plan)
    if start is None or not any(u.date > day for a in plan.actions() for u in a.updates):
        return Recorded(plan, day, start)
    unvouched: list[Unvouched] = []
    added_later: list[str] = []
    kept: dict[int, tuple[int, ...]] = {}
    objectives: list[Objective] = []
    for i, objective in enumerate(plan.objectives):
        actions: list[Action] = []
        indices: list[int] = []
        for j, action in enumerate(objective.actions):
            first_day = added_on(action)
            if first_day is not None and first_day > day:
                added_later.append(action.ref)
                continue
            actions.append(action_on(action, day, unvouched))
            indices.append(j)
        if len(indices) != len(objective.actions):
            kept[i] = tuple(indices)
        objectives.append(dataclasses.replace(objective, actions=actions))
    recorded = dataclasses.replace(plan, objectives=objectives)
    recorded.with_shared_agencies(plan.shared_agencies)
    # Each action's notes are distinct; two actions of one ref (a plan lint is still
    # checking) could repeat one, said once, in the order first noted.
    return Recorded(recorded, day, start, tuple(dict.fromkeys(unvouched)),
                    tuple(added_later), kept)


def action_on(action: Action, day: date, unvouched: list[Unvouched] | None = None) -> Action:
    """One action at the end of ``day``; what cannot be vouched for is appended to
    ``unvouched`` (each note once for the action; not checked against what the list held
    before, so that a whole plan's notes cost no more than its actions)."""
    history = action.updates_by_date()
    later = [u for u in history if u.date > day]
    if not later:
        return action
    return _undone(action, [u for u in history if u.date <= day], later,
                   unvouched if unvouched is not None else [])


def timeline(action: Action) -> list[tuple[Update, Action]]:
    """Each history entry, oldest first, with the action as it stood just after it (entries
    of one day in the order recorded)."""
    history = action.updates_by_date()
    found: list[Unvouched] = []
    return [(update, _undone(action, history[:k + 1], history[k + 1:], found)
             if k + 1 < len(history) else action) for k, update in enumerate(history)]


def _undone(action: Action, earlier: list[Update], later: list[Update],
            found: list[Unvouched]) -> Action:
    """``action`` with the ``later`` entries undone, newest first."""
    hand_changed = _hand_changed(action, [*earlier, *later])
    values: dict[str, Any] = {}
    unknown: set[str] = set()
    # This action's notes, each once: a dict keeps their order.
    notes: dict[Unvouched, None] = {}

    def note(key: str, why: str) -> None:
        notes.setdefault(Unvouched(action.ref, key, why))

    for update in reversed(later):
        for key, change in update.changes.items():
            if key in hand_changed or key in unknown:
                continue
            if key not in PARSERS:
                note(key, f"the history does not undo '{key}'")
                continue
            if change.old is None and key in REQUIRED:
                # What it was before is unknown: today's value is shown, and said to be.
                values.pop(key, None)
                unknown.add(key)
                note(key, f"the entry of {update.date.isoformat()} gives no earlier value")
                continue
            values[key] = None if change.old is None else PARSERS[key](change.old)
    for key in sorted(hand_changed & {k for u in later for k in u.changes}):
        note(key, "changed in the file without a history entry")
    if "complete_by" in values and action.baseline_complete_by is not None and not any(
            "complete_by" in u.changes for u in earlier):
        # jtai update sets the baseline with the first revision: before it there was none.
        values["baseline_complete_by"] = None
    for key in RECORDED_TEXTS:
        if not any(getattr(u, key) for u in later):
            continue
        kept_text = next((getattr(u, key) for u in reversed(earlier) if getattr(u, key)), None)
        completion = any(getattr(u, key) and "completed_on" in u.changes for u in later)
        if kept_text is not None or completion:
            values[key] = kept_text
        else:
            note(key, "the history keeps no earlier text")
    found.extend(notes)
    kept = {id(u) for u in earlier}
    return dataclasses.replace(action, updates=[u for u in action.updates if id(u) in kept],
                               **values)


def _hand_changed(action: Action, history: Iterable[Update]) -> set[str]:
    """Fields whose latest recorded ``to`` differs from the value the file holds."""
    latest: dict[str, str | None] = {}
    for update in history:
        for key, change in update.changes.items():
            latest[key] = change.new
    return {key for key, new in latest.items()
            if key in PARSERS and _as_text(getattr(action, key)) != _as_text_change(key, new)}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _as_text_change(key: str, text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return _as_text(PARSERS[key](text))
    except ValueError:
        return text
