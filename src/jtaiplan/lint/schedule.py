"""Rules about time: overdue, due soon, no date, not reviewed, waivers expired.

All depend on the as-of date, so ``jtai validate`` (and the pre-commit hook) leaves them out:
a commit must not start failing because a day passed.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Severity
from ..plan.dates import add_days
from ..plan.model import RAG
from .registry import RULES, Context, Hit, action_paths, rule


@rule("JTAI101", "overdue", Severity.ERROR,
      "An action's complete-by date has passed and it is not complete", uses_date=True)
def overdue(ctx: Context) -> Iterable[Hit]:
    """Overdue means a complete-by date strictly before the as-of date while progress is
    not Blue. Either complete the action (``jtai complete REF --evidence ...``) or revise
    its date with a reason (``jtai update REF --due DATE --reason ...``): the original date is
    kept as the baseline, so slippage stays visible."""
    for path, _objective, action in action_paths(ctx.plan):
        due = action.due
        if due is not None and action.is_overdue(ctx.as_of):
            days = (ctx.as_of - due).days
            yield Hit((*path, "complete_by"),
                      f"{action.ref} was due {due.isoformat()} and is not complete (progress "
                      f"{action.progress}): {days} day{'s' if days != 1 else ''} overdue",
                      action.ref, f"`jtai complete {action.ref} --evidence ...` or "
                      f"`jtai update {action.ref} --due DATE --reason ...`")


@rule("JTAI102", "due-soon", Severity.WARNING,
      "An action is due within the next few days (lint.due_soon_days, default 14)",
      uses_date=True)
def due_soon(ctx: Context) -> Iterable[Hit]:
    """A warning ahead of the deadline, so the owner can act before the action is overdue.
    The window is ``lint.due_soon_days`` in plan.yaml (default 14); 0 switches it off."""
    window = ctx.config.due_soon_days
    if window <= 0:
        return
    horizon = add_days(ctx.as_of, window)
    for path, _objective, action in action_paths(ctx.plan):
        due = action.due
        if due is not None and action.progress is not RAG.BLUE and ctx.as_of <= due <= horizon:
            days = (due - ctx.as_of).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            yield Hit((*path, "complete_by"), f"{action.ref} is due {when} "
                      f"({due.isoformat()})", action.ref)


@rule("JTAI103", "no-date", Severity.WARNING,
      "An action that is not complete has no complete-by date", uses_date=True)
def no_date(ctx: Context) -> Iterable[Hit]:
    """An action still in progress needs a date to be held to. A word such as "underway"
    says what is happening, not when it will finish: agree a date and record it."""
    for path, _objective, action in action_paths(ctx.plan):
        if action.due is None and action.progress is not RAG.BLUE:
            written = f" ('{action.due_word}')" if action.due_word else ""
            yield Hit((*path, "complete_by") if action.complete_by is not None else path,
                      f"{action.ref} has no complete-by date{written} and is not complete",
                      action.ref, f"`jtai update {action.ref} --due DATE --reason ...`")


@rule("JTAI107", "not-reviewed", Severity.WARNING,
      "An action's latest recorded update is older than the review cadence", uses_date=True)
def not_reviewed(ctx: Context) -> Iterable[Hit]:
    """Applies only to actions whose history records updates: if the latest (by date: a
    backdated entry comes last in the file but is not the latest) is older than
    ``lint.review_cadence_days`` (default 42, six weeks) and the action is not complete,
    it has not been reviewed at the group's cadence."""
    cadence = ctx.config.review_cadence_days
    for path, _objective, action in action_paths(ctx.plan):
        index = action.latest_update_index
        if index is None or action.progress is RAG.BLUE:
            continue
        latest = action.updates[index]
        age = (ctx.as_of - latest.date).days
        if age > cadence:
            yield Hit((*path, "updates", index, "date"),
                      f"{action.ref} was last updated {latest.date.isoformat()}, {age} days "
                      f"ago (review cadence {cadence} days)", action.ref,
                      f"review it and record the outcome: `jtai update {action.ref} --note ...`")


@rule("JTAI401", "waiver-expired", Severity.WARNING, "A lint waiver has passed its expiry date",
      uses_date=True)
def waiver_expired(ctx: Context) -> Iterable[Hit]:
    """Waivers under ``lint.waivers`` silence one rule for one action until their expiry
    date. An expired waiver no longer silences anything: renew it with a new reason, or
    remove it."""
    for k, waiver in enumerate(ctx.config.waivers):
        if waiver.expires < ctx.as_of:
            yield Hit(("lint", "waivers", k, "expires"), f"the waiver of {waiver.rule} for "
                      f"{waiver.ref} expired on {waiver.expires.isoformat()}", waiver.ref,
                      "renew it with a new expiry and reason, or remove it")


@rule("JTAI402", "bad-config", Severity.ERROR, "The lint section names a rule or ref that does "
      "not exist")
def bad_config(ctx: Context) -> Iterable[Hit]:
    """``lint.disable`` and ``lint.waivers`` must name real rule codes (see ``jtai rules``),
    and a waiver must name a real action, or a typo would silently switch nothing off."""
    refs = {a.ref for a in ctx.plan.actions()}
    for k, code in enumerate(ctx.config.disable):
        if code.upper() not in RULES:
            yield Hit(("lint", "disable", k), f"lint.disable names unknown rule '{code}'",
                      None, "`jtai rules` lists the codes")
    for k, waiver in enumerate(ctx.config.waivers):
        if waiver.rule.upper() not in RULES:
            yield Hit(("lint", "waivers", k, "rule"), f"waiver names unknown rule "
                      f"'{waiver.rule}'", waiver.ref, "`jtai rules` lists the codes")
        if waiver.ref not in refs:
            yield Hit(("lint", "waivers", k, "ref"), f"waiver names unknown action "
                      f"{waiver.ref}", waiver.ref)
