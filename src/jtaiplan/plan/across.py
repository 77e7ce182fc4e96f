"""Filtering several plans at once: one set of options, judged against each plan's own
registry, themes and objectives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from ..errors import CannotRun
from .agencies import AgencyIndex
from .model import Plan
from .query import ActionFilter, Row, select


def filters_across(plans: Sequence[Plan], build: Callable[[Plan], ActionFilter]
                   ) -> list[ActionFilter | None]:
    """``build`` applied to each plan; None for a plan the options cannot apply to (an
    agency it does not register, an objective it does not have). Only when no plan accepts
    them is that an error: with one plan, exactly as before."""
    out: list[ActionFilter | None] = []
    first_error: CannotRun | None = None
    for plan in plans:
        try:
            out.append(build(plan))
        except CannotRun as exc:
            first_error = first_error or exc
            out.append(None)
    if first_error is not None and all(f is None for f in out):
        raise first_error
    return out


def select_across(plans: Sequence[tuple[str | None, Plan]],
                  criteria: Sequence[ActionFilter | None], as_of: date) -> list[Row]:
    rows: list[Row] = []
    for (plan_id, plan), chosen in zip(plans, criteria, strict=True):
        if chosen is not None:
            rows.extend(select(plan, chosen, as_of, plan_id))
    return rows


def succession_notes(plans: Sequence[Plan], criteria: Sequence[ActionFilter | None],
                     as_of: date) -> list[str]:
    """What ``--owner``/``--lead`` should add about successions, once per message."""
    notes: list[str] = []
    for plan, chosen in zip(plans, criteria, strict=True):
        if chosen is None:
            continue
        index = AgencyIndex.of(plan)
        for note in index.succession_notes(sorted(chosen.owners | chosen.leads), as_of):
            if note not in notes:
                notes.append(note)
    return notes
