"""Change rules: what a change to the plan must respect (``jtai lint --base REV``).

They compare the plan with the version at the base revision, so a pull request that marks
an action complete without evidence, or rewrites the audit trail, fails review.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..findings import Severity
from ..plan.diff import ActionChange
from .registry import Context, Hit, rule


def _changed(ctx: Context) -> Iterator[tuple[tuple[str | int, ...], ActionChange]]:
    if ctx.diff is None:
        return
    for change in ctx.diff.actions:
        if change.index is not None and change.kind == "changed":
            i, j = change.index
            yield ("objectives", i, "actions", j), change


@rule("JTAI501", "completed-without-evidence", Severity.ERROR,
      "Progress moved to Blue without completion evidence", needs_base=True)
def completed_without_evidence(ctx: Context) -> Iterable[Hit]:
    """Marking an action complete is a claim the monitoring group relies on: the same change
    must record evidence (``jtai complete REF --evidence ...`` does)."""
    for path, change in _changed(ctx):
        new = change.new
        if change.completed and new is not None and not new.evidence and not any(
                u.evidence for u in change.new_updates):
            yield Hit((*path, "progress"), f"{change.ref} moved to Blue with no evidence of "
                      "completion", change.ref, f"`jtai complete {change.ref} --evidence ...`")


@rule("JTAI502", "worse-without-note", Severity.WARNING,
      "A RAG rating got worse without an update note in the same change", needs_base=True)
def worse_without_note(ctx: Context) -> Iterable[Hit]:
    """When progress or impact slips (Green to Amber, Amber to Red), say why and what is
    being done in the same change: ``jtai update REF --progress amber --note ...``."""
    for path, change in _changed(ctx):
        for move in change.moves:
            if move.direction == "worse" and not change.notes:
                yield Hit((*path, move.field), f"{change.ref}'s {move.field} went from "
                          f"{move.old or 'unrated'} to {move.new} with no update note",
                          change.ref, "add the note with `jtai update ... --note`")


@rule("JTAI503", "later-without-reason", Severity.WARNING,
      "A complete-by date moved later without a reason", needs_base=True)
def later_without_reason(ctx: Context) -> Iterable[Hit]:
    """Revised dates are how slippage shows; each needs its reason recorded
    (``jtai update REF --due DATE --reason ...``)."""
    for path, change in _changed(ctx):
        move = change.move("complete_by")
        if move is not None and move.direction == "later" and not change.reasons \
                and not change.notes:
            yield Hit((*path, "complete_by"), f"{change.ref}'s complete-by moved from "
                      f"{move.old} to {move.new} without a reason", change.ref,
                      "record why with `jtai update ... --reason`")


@rule("JTAI504", "history-rewritten", Severity.ERROR,
      "An existing history entry was edited or removed", needs_base=True)
def history_rewritten(ctx: Context) -> Iterable[Hit]:
    """The ``updates`` history is append-only: it is the plan's audit trail of who changed
    what and when. Correct a mistake with a new entry, never by editing an old one."""
    for path, change in _changed(ctx):
        if change.history_rewritten:
            yield Hit((*path, "updates"), f"{change.ref}'s history was edited or entries were "
                      "removed", change.ref, "restore the old entries; add a new entry "
                      "saying what was wrong")


@rule("JTAI505", "baseline-changed", Severity.ERROR,
      "The baseline (original) complete-by date was changed", needs_base=True)
def baseline_changed(ctx: Context) -> Iterable[Hit]:
    """``baseline_complete_by`` records the first date an action was due. It is set once,
    when the date is first revised, to the date before the revision, and never changes."""
    for path, change in _changed(ctx):
        old, new = change.old, change.new
        if old is None or new is None:
            continue
        if new.baseline_complete_by is None:
            if old.baseline_complete_by is not None:
                yield Hit((*path, "baseline_complete_by"), f"{change.ref}'s baseline date "
                          f"{old.baseline_complete_by} was removed", change.ref,
                          f"restore baseline_complete_by: {old.baseline_complete_by}")
            continue
        expected = old.baseline_complete_by or old.due
        if new.baseline_complete_by != expected:
            yield Hit((*path, "baseline_complete_by"), f"{change.ref}'s baseline date "
                      f"changed to {new.baseline_complete_by} (was "
                      f"{expected or 'not set'})", change.ref,
                      f"restore baseline_complete_by: {expected}" if expected else "")
