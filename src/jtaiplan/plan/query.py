"""Selecting actions: the filters behind ``jtai status`` and ``jtai report``.

Filters are built from what people type (``--owner bffc``, ``--progress amber,red``) and
checked against the plan, so an unknown agency or theme is an error that lists the known
ones rather than an empty result.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..errors import CannotRun
from .agencies import AgencyIndex
from .dates import add_days
from .model import RAG, Action, Objective, Plan, find_declared

NO_RATING = "none"


@dataclass(frozen=True)
class ActionFilter:
    """All criteria are combined with AND; the values inside one criterion with OR."""

    owners: frozenset[str] = frozenset()
    leads: frozenset[str] = frozenset()
    objectives: frozenset[int] = frozenset()
    progress: frozenset[RAG] = frozenset()
    impact: frozenset[RAG | None] = frozenset()
    themes: frozenset[str] = frozenset()
    plan_types: frozenset[str] = frozenset()
    overdue: bool = False
    due_within: int | None = None

    def describe(self) -> dict[str, object]:
        """The active criteria, for outputs that echo what was asked."""
        out: dict[str, object] = {}
        for name in ("owners", "leads", "objectives", "progress", "impact", "themes",
                     "plan_types"):
            values = getattr(self, name)
            if values and name == "objectives":
                out[name] = sorted(values)
            elif values:
                out[name] = sorted(str(v) if v is not None else NO_RATING for v in values)

        if self.overdue:
            out["overdue"] = True
        if self.due_within is not None:
            out["due_within"] = self.due_within
        return out


@dataclass(frozen=True)
class Row:
    """One selected action with its objective and its standing on the as-of date."""

    objective: Objective
    action: Action
    overdue: bool
    due_in_days: int | None = None
    owners: tuple[str, ...] = field(default=())
    """Owner codes, aliases resolved."""
    lead: str = ""
    """The objective's accountable lead as a code, alias resolved."""
    holders: tuple[str, ...] = field(default=())
    """Who holds each owner's part as of the date: an owner's successor once in effect."""
    lead_holder: str = ""
    shown: tuple[str, ...] = field(default=())
    """Each owner as views show it: ``BFfC → RBC`` once RBC holds BFfC's part."""
    lead_shown: str = ""
    plan: str | None = None
    """The plan's id when several plans are read together; None for one plan."""


def split_values(values: Iterable[str] | None) -> list[str]:
    """``["amber,red", "green"]`` -> ``["amber", "red", "green"]``: commas or repeats."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def build_filter(
    plan: Plan,
    *,
    owners: Iterable[str] | None = None,
    leads: Iterable[str] | None = None,
    objectives: Iterable[str] | None = None,
    progress: Iterable[str] | None = None,
    impact: Iterable[str] | None = None,
    themes: Iterable[str] | None = None,
    plan_types: Iterable[str] | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> ActionFilter:
    """An :class:`ActionFilter` from user input; CannotRun names what was not recognised."""
    index = AgencyIndex.of(plan)
    for option, given in (("--owner", owners), ("--lead", leads), ("--objective", objectives),
                          ("--progress", progress), ("--impact", impact), ("--theme", themes),
                          ("--plan-type", plan_types)):
        # An empty value (a script's unset variable) must not quietly mean "everything".
        if given and not split_values(given):
            raise CannotRun(f"{option} was given an empty value",
                            hint=f"name at least one value, or leave {option} out")
    if due_within is not None and due_within < 0:

        raise CannotRun(f"--due-within takes a number of days, 0 or more; got {due_within}")
    return ActionFilter(
        owners=frozenset(resolve_agencies(index, split_values(owners), "--owner")),
        leads=frozenset(resolve_agencies(index, split_values(leads), "--lead")),
        objectives=frozenset(_objectives(plan, split_values(objectives))),
        progress=frozenset(_rag(v, "--progress") for v in split_values(progress)),
        impact=frozenset(None if v.casefold() == NO_RATING else _rag(v, "--impact")
                         for v in split_values(impact)),
        themes=frozenset(declared(v, plan.themes, "--theme") for v in split_values(themes)),
        plan_types=frozenset(declared(v, plan.plan_types, "--plan-type")
                             for v in split_values(plan_types)),
        overdue=overdue,
        due_within=due_within,
    )


def select(plan: Plan, criteria: ActionFilter, as_of: date, plan_id: str | None = None
           ) -> list[Row]:
    """The actions matching ``criteria``, in plan order.

    An agency filter matches an owner (or lead) as written or whoever holds its part as of
    ``as_of``: after BFfC was succeeded by RBC, ``--owner RBC`` finds BFfC's actions.
    """
    index = AgencyIndex.of(plan)
    horizon = add_days(as_of, criteria.due_within) if criteria.due_within is not None \
        else None
    # Declared words match in any case: the file may write "service delivery and design".
    themes = {t.casefold() for t in criteria.themes}
    plan_types = {t.casefold() for t in criteria.plan_types}
    rows = []
    for objective in plan.objectives:
        if criteria.objectives and objective.number not in criteria.objectives:
            continue
        lead = index.resolve(objective.lead) or objective.lead or ""
        if criteria.leads and criteria.leads.isdisjoint(index.in_effect(lead, as_of)):
            continue
        for action in objective.actions:
            row = make_row(index, objective, action, as_of, plan_id)
            due = action.due
            if criteria.owners and not any(not criteria.owners.isdisjoint(
                    index.in_effect(owner, as_of)) for owner in row.owners):
                continue
            if criteria.progress and action.progress not in criteria.progress:
                continue
            if criteria.impact and action.impact not in criteria.impact:
                continue
            if themes and (action.theme or "").casefold() not in themes:
                continue
            if plan_types and (action.plan_type or "").casefold() not in plan_types:
                continue
            if criteria.overdue and not row.overdue:
                continue
            if horizon is not None and not (
                due is not None and action.progress is not RAG.BLUE and as_of <= due <= horizon
            ):
                continue
            rows.append(row)
    return rows


def make_row(index: AgencyIndex, objective: Objective, action: Action, as_of: date,
             plan_id: str | None = None) -> Row:
    due = action.due
    owners = tuple(index.resolve(o) or o for o in action.owners)
    lead = index.resolve(objective.lead) or objective.lead or ""
    if not index.has_successions():
        return Row(objective, action, action.is_overdue(as_of),
                   (due - as_of).days if due is not None else None,
                   owners, lead, owners, lead, owners, lead, plan_id)
    return Row(objective, action, action.is_overdue(as_of),
               (due - as_of).days if due is not None else None,
               owners, lead, tuple(index.holder(o, as_of) for o in owners),
               index.holder(lead, as_of), tuple(index.shown(o, as_of) for o in owners),
               index.shown(lead, as_of), plan_id)


def row_for_ref(plan: Plan, ref: str, as_of: date, plan_id: str | None = None) -> Row:
    _i, _j, objective, action = find_action(plan, ref)
    return make_row(AgencyIndex.of(plan), objective, action, as_of, plan_id)


@dataclass(frozen=True)
class Summary:
    total: int
    progress: dict[str, int]
    impact: dict[str, int]
    overdue: int
    due_soon: int
    revised: int

    def as_dict(self) -> dict[str, object]:
        return {"total": self.total, "progress": self.progress, "impact": self.impact,
                "overdue": self.overdue, "due_soon": self.due_soon, "revised": self.revised}


def summarise(rows: Iterable[Row], *, due_soon_days: int = 30) -> Summary:
    """Counts per RAG (every rating listed, zero included), overdue, due soon, revised."""
    rows = list(rows)
    progress = Counter(str(r.action.progress) for r in rows)
    impact = Counter(str(r.action.impact) if r.action.impact else NO_RATING for r in rows)
    ratings = [str(r) for r in RAG]
    return Summary(
        total=len(rows),
        progress={k: progress.get(k, 0) for k in ratings},
        impact={k: impact.get(k, 0) for k in [*ratings, NO_RATING]},
        overdue=sum(r.overdue for r in rows),
        due_soon=sum(1 for r in rows if r.due_in_days is not None and 0 <= r.due_in_days
                     <= due_soon_days and r.action.progress is not RAG.BLUE),
        revised=sum(r.action.date_revised for r in rows),
    )


def find_action(plan: Plan, ref: str) -> tuple[int, int, Objective, Action]:
    """The action with ``ref`` and its indices, or CannotRun suggesting the nearest refs."""
    for i, objective in enumerate(plan.objectives):
        for j, action in enumerate(objective.actions):
            if action.ref == ref.strip():
                return i, j, objective, action
    refs = [a.ref for a in plan.actions()]
    close = difflib.get_close_matches(ref, refs, n=3, cutoff=0.5)
    near = f"did you mean {' or '.join(close)}? " if close else ""
    raise CannotRun(f"no action {ref} in the plan",
                    hint=f"{near}refs run {refs[0]} to {refs[-1]}; `jtai status` lists them"
                    if refs else "the plan has no actions yet")


def resolve_agencies(index: AgencyIndex, names: list[str], option: str) -> list[str]:
    """Agency codes for names, codes or aliases, or CannotRun listing the agencies."""
    codes = []
    for name in names:
        code = index.resolve(name)
        if code is None:
            raise CannotRun(f"{option}: unknown agency '{name}'",
                            hint=f"known agencies: {index.describe()}")
        codes.append(code)
    return codes


def _objectives(plan: Plan, values: list[str]) -> list[int]:
    numbers = [o.number for o in plan.objectives]
    out = []
    for value in values:
        if not (value.isascii() and value.isdigit() and len(value) < 10) \
                or int(value) not in numbers:

            raise CannotRun(f"--objective: no objective '{value}'",
                            hint=f"objectives are numbered {numbers[0]} to {numbers[-1]}")
        out.append(int(value))
    return out


def _rag(value: str, option: str) -> RAG:
    try:
        return RAG.parse(value)
    except ValueError as exc:
        raise CannotRun(f"{option}: {exc}") from None


def declared(value: str, allowed: list[str], option: str) -> str:
    """``value`` as the plan declares it (any case), or CannotRun listing the choices."""
    found = find_declared(value, allowed)
    if found is not None:
        return found
    raise CannotRun(f"{option}: '{value}' is not one of the plan's values",
                    hint=f"use one of: {', '.join(allowed)}")
