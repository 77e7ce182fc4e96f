"""Who has sent a return since a day (``jtai remind --chase --since``, whose date or
``last-meeting`` :func:`jtaiplan.plan.meetings.resolve_since` reads, as every ``--since``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ...plan.agencies import AgencyIndex
from ...plan.model import RAG, Plan
from ..packs.provenance import returned_agency


def returned_since(plan: Plan, since: date) -> set[str]:
    """Agencies with a return applied on or after ``since`` (from the history's ``by``)."""
    index = AgencyIndex.of(plan)
    found = set()
    for objective in plan.objectives:
        for action in objective.actions:
            for update in action.updates:
                if update.date >= since:
                    code = returned_agency(update.by, index)
                    if code is not None:
                        found.add(code)
    return found


def to_chase(plan: Plan, since: date, owners: Iterable[str] | None = None) -> list[str]:
    """Agencies owning open (not Blue) actions with no return applied since ``since``, in
    the registry's order."""
    index = AgencyIndex.of(plan)
    owning = {index.resolve(o) or o for objective in plan.objectives
              for action in objective.actions if action.progress is not RAG.BLUE
              for o in action.owners}
    if owners is not None:
        owning &= set(owners)
    replied = returned_since(plan, since)
    return [code for code in index.codes() if code in owning and code not in replied]
