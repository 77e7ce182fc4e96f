"""Integrity rules: the plan must agree with itself before anything else is trusted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date

from ..findings import Severity
from ..plan.agencies import AgencyIndex
from ..plan.model import find_declared
from .registry import Context, Hit, action_paths, rule


@rule("JTAI201", "duplicate-ref", Severity.ERROR, "Two actions share a ref", integrity=True)
def duplicate_ref(ctx: Context) -> Iterable[Hit]:
    """Refs identify actions in commands, reports and history: each must be unique."""
    first: dict[str, str] = {}
    for path, _objective, action in action_paths(ctx.plan):
        where = f"objectives[{path[1]}].actions[{path[3]}]"
        if action.ref in first:
            yield Hit((*path, "ref"), f"ref {action.ref} is used twice (first at "
                      f"{first[action.ref]})", action.ref,
                      "give this action the next free ref of its objective (`jtai add` does)")
        else:
            first[action.ref] = where


@rule("JTAI202", "ref-objective", Severity.ERROR,
      "A ref does not start with its objective's number", integrity=True)
def ref_prefix(ctx: Context) -> Iterable[Hit]:
    """Action 3.2 belongs to objective 3: a ref must start with its objective's number and a
    dot, so that a ref alone says where to find it."""
    for path, objective, action in action_paths(ctx.plan):
        if action.objective_number != objective.number:
            yield Hit((*path, "ref"), f"ref {action.ref} is under objective {objective.number}",
                      action.ref, f"renumber it {objective.number}.N or move it to objective "
                      f"{action.objective_number}")


@rule("JTAI203", "unknown-agency", Severity.ERROR,
      "An owner or lead is not in the agency registry", integrity=True)
def unknown_agency(ctx: Context) -> Iterable[Hit]:
    """Owners and accountable leads must be agencies listed under ``agencies:`` (by code,
    name or alias, in any case), so that ``--owner`` finds every action an agency owes."""
    index = AgencyIndex.of(ctx.plan)
    names = [n for a in ctx.plan.registry() for n in (a.code, *a.aliases)]

    def hint(name: str) -> str:
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        near = f"did you mean {close[0]}? " if close else ""
        return f"{near}known agencies: {', '.join(index.codes())}; add new ones under agencies:"

    for i, objective in enumerate(ctx.plan.objectives):
        if objective.lead is not None and index.resolve(objective.lead) is None:
            yield Hit(("objectives", i, "lead"), f"lead '{objective.lead}' of objective "
                      f"{objective.number} is not a registered agency", None, hint(objective.lead))
    for path, _objective, action in action_paths(ctx.plan):
        for k, owner in enumerate(action.owners):
            if index.resolve(owner) is None:
                yield Hit((*path, "owners", k), f"owner '{owner}' of {action.ref} is not a "
                          "registered agency", action.ref, hint(owner))


@rule("JTAI204", "undeclared-value", Severity.ERROR,
      "A theme, plan type, risk level or complete-by word is not declared in the plan",
      integrity=True)
def undeclared_value(ctx: Context) -> Iterable[Hit]:
    """Themes, plan types, risk levels and the words allowed instead of a complete-by date
    ("In place", "underway") are lists declared at the top of the plan, so that a typo
    cannot start a new category. A complete-by that is neither a date nor a declared word is
    usually a date in another format: write it YYYY-MM-DD."""
    plan = ctx.plan
    for i, objective in enumerate(plan.objectives):
        if objective.risk is not None and find_declared(objective.risk, plan.risk_levels) is None:
            yield Hit(("objectives", i, "risk"), f"risk '{objective.risk}' of objective "
                      f"{objective.number} is not in risk_levels", None,
                      f"use one of: {', '.join(plan.risk_levels)}")
    words = {w.casefold() for w in plan.complete_by_words}
    for path, _objective, action in action_paths(plan):
        if action.theme is not None and find_declared(action.theme, plan.themes) is None:
            yield Hit((*path, "theme"), f"theme '{action.theme}' of {action.ref} is not in "
                      "themes", action.ref, _one_of(action.theme, plan.themes))
        if action.plan_type is not None and find_declared(action.plan_type,
                                                          plan.plan_types) is None:
            yield Hit((*path, "plan_type"), f"plan type '{action.plan_type}' of {action.ref} "
                      "is not in plan_types", action.ref, _one_of(action.plan_type,
                                                                  plan.plan_types))
        word = action.due_word
        if word is not None and word.casefold() not in words:
            yield Hit((*path, "complete_by"), f"complete-by '{word}' of {action.ref} is "
                      "neither a date nor a word declared in complete_by_words", action.ref,
                      _date_hint(word) or _one_of(word, plan.complete_by_words))


@rule("JTAI205", "duplicate-name", Severity.ERROR,
      "Two objectives share a number, or two agencies a code or alias", integrity=True)
def duplicate_name(ctx: Context) -> Iterable[Hit]:
    """Objective numbers, and agency codes, names and aliases, must each mean one thing."""
    seen: dict[int, int] = {}
    for i, objective in enumerate(ctx.plan.objectives):
        if objective.number in seen:
            yield Hit(("objectives", i, "number"), f"objective number {objective.number} is "
                      f"used twice (first at objectives[{seen[objective.number]}])")
        seen.setdefault(objective.number, i)
    owner_of: dict[str, str] = {}
    for i, agency in enumerate(ctx.plan.agencies):
        for name in (agency.code, agency.name, *agency.aliases):
            folded = name.casefold()
            other = owner_of.setdefault(folded, agency.code)
            if other != agency.code:
                yield Hit(("agencies", i), f"'{name}' names both {other} and {agency.code}",
                          None, "each code, name and alias must belong to one agency")


def _one_of(value: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    near = f"did you mean '{close[0]}'? " if close else ""
    return f"{near}allowed: {', '.join(allowed)}"


def _date_hint(word: str) -> str:
    from ..plan.dates import ACCEPTED_FORMS, parse_month

    # Dates in any accepted form are read as dates by the model; a month alone is not one.
    day: date | None = parse_month(word)
    if day is None:
        return ""
    return f"a month is not a date: write the day, e.g. {day.strftime('%d/%m/%Y')} " \
        f"(dates may be written {ACCEPTED_FORMS})"


@rule("JTAI206", "control-characters", Severity.ERROR,
      "Text holds a character the plan refuses", integrity=True)
def control_characters(ctx: Context) -> Iterable[Hit]:
    """Text pasted from Word, email or a terminal can carry invisible characters: control
    characters (C0, C1 such as U+0085, DEL), U+2028/U+2029 (line breaks to YAML, not to
    editors), noncharacters such as U+FFFE (which no Word or Excel file can hold) and lone
    surrogates. Every path refuses them
    alike (the plan layer's text policy): a hand edit, even one written as an escape
    ("\\x0b"), is reported when the file is read, at the value's line and column and
    naming the character; an option, an import or a return that holds one is refused.
    """
    return ()
