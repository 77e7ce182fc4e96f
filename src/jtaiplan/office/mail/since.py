"""``--since``: a date in jtai's grammar or a word the plan defines; and who has sent a
return since then.

Words are plugged in through :data:`SINCE_WORDS` (a word -> a function of the plan and the
as-of date giving its date, or None when the plan does not record it): ``last-meeting``
and ``previous-meeting`` belong there once the plan records meetings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from ...errors import CannotRun
from ...plan.agencies import AgencyIndex
from ...plan.dates import BadDate, parse_date
from ...plan.model import RAG, Plan
from ..packs.provenance import returned_agency

SinceWord = Callable[[Plan, date], date | None]
SINCE_WORDS: dict[str, SinceWord] = {}


def resolve_since(text: str, plan: Plan, as_of: date,
                  words: dict[str, SinceWord] | None = None) -> date:
    """``2025-07-01``, ``1/7/2025``... or a registered word, for this plan as of a day."""
    table = SINCE_WORDS if words is None else words
    word = text.strip().lower()
    if word in table:
        found = table[word](plan, as_of)
        if found is None:
            raise CannotRun(f"--since {word}: the plan records no such date",
                            hint="give a date instead, e.g. --since 2025-07-01")
        return found
    try:
        return parse_date(text, "--since")
    except BadDate as exc:
        known = f" or one of: {', '.join(sorted(table))}" if table else ""
        raise CannotRun(str(exc), hint=f"a date such as 2025-07-01{known}") from None


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
