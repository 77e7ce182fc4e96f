"""Rules about what a rating claims and what the plan records to back it."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Severity
from ..plan.model import RAG
from .registry import Context, Hit, action_paths, rule


@rule("JTAI104", "blue-without-evidence", Severity.WARNING,
      "An action rated Blue (complete) records no completion date or no evidence")
def blue_without_evidence(ctx: Context) -> Iterable[Hit]:
    """Blue means completed. A monitoring group will ask when and how we know: record
    ``completed_on`` and ``evidence`` (``jtai complete REF --evidence ...`` sets both)."""
    for path, _objective, action in action_paths(ctx.plan):
        if action.progress is not RAG.BLUE:
            continue
        missing = [name for name, value in (("completion date", action.completed_on),
                                            ("evidence", action.evidence)) if not value]
        if missing:
            yield Hit((*path, "progress"), f"{action.ref} is Blue but records no "
                      f"{' and no '.join(missing)}", action.ref,
                      f"`jtai complete {action.ref} --evidence ...`")


@rule("JTAI105", "red-without-note", Severity.WARNING,
      "An action rated Red has no update note saying what is being done")
def red_without_note(ctx: Context) -> Iterable[Hit]:
    """Red means highly likely to be late: the plan must say what is being done about it.
    The latest entry of the action's ``updates`` (by date, not by position in the file)
    must carry a note."""
    for path, _objective, action in action_paths(ctx.plan):
        latest = action.latest_update
        if action.progress is RAG.RED and (latest is None or not latest.note):
            yield Hit((*path, "progress"), f"{action.ref} is Red with no update note saying "
                      "what is being done", action.ref,
                      f"`jtai update {action.ref} --note \"what is being done\"`")


@rule("JTAI106", "impact-without-evidence", Severity.WARNING,
      "Impact is rated Green or Blue with no evidence of impact")
def impact_without_evidence(ctx: Context) -> Iterable[Hit]:
    """An impact rating says children's experience has changed; Green or Blue needs the
    evidence recorded in ``impact_evidence`` (an audit, a dip sample, feedback)."""
    for path, _objective, action in action_paths(ctx.plan):
        if action.impact in (RAG.GREEN, RAG.BLUE) and not action.impact_evidence:
            yield Hit((*path, "impact"), f"{action.ref}'s impact is {action.impact} with no "
                      "impact evidence", action.ref,
                      f"`jtai update {action.ref} --impact-evidence ...`")
