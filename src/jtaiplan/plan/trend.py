"""The trend a board asks for: at each month's end since the inspection, how many actions
were Blue, Green, Amber and Red, overdue and completed.

Each point is the plan as its history records it at the end of that day
(:func:`jtaiplan.plan.asof.recorded_on`), so an action appears from the month it was added
and its ratings are those of the time. The series runs from the first month's end on or
after the inspection's last day to the as-of date, which is the last point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .asof import recorded_on
from .model import RAG, Plan
from .query import ActionFilter, select

RAG_ORDER = (RAG.BLUE, RAG.GREEN, RAG.AMBER, RAG.RED)


@dataclass(frozen=True)
class TrendPoint:
    day: date
    progress: dict[str, int]
    """Every rating, Blue to Red, with its count (zero included)."""
    overdue: int
    completed: int
    total: int

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "progress": dict(self.progress),
                "overdue": self.overdue, "completed": self.completed, "total": self.total}


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first``'s month, up to and including ``last``."""
    out: list[date] = []
    year, month = first.year, first.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > last:
            return out
        if end >= first:
            out.append(end)
        year, month = following.year, following.month


def trend_days(plan: Plan, as_of: date) -> list[date]:
    """Each month's end from the inspection to ``as_of``, then ``as_of`` itself."""
    days = [d for d in month_ends(plan.inspection.end, as_of) if d < as_of]
    return [*days, as_of]


def trend(plan: Plan, criteria: ActionFilter, as_of: date,
          days: list[date] | None = None) -> list[TrendPoint]:
    """The series of :func:`trend_days` (or ``days``, ascending and ending on ``as_of``),
    the actions chosen by ``criteria`` on each day."""
    # Newest first, each day's plan from the next day's: the entries between two days are
    # undone once, not once per point (an action added later, once dropped, stays out).
    recorded: list[tuple[date, Plan]] = []
    current = plan
    for day in reversed(days if days is not None else trend_days(plan, as_of)):
        current = recorded_on(current, day).plan
        recorded.append((day, current))
    points = []
    for day, then in reversed(recorded):
        rows = select(then, criteria, day)
        counts = {str(r): 0 for r in RAG_ORDER}
        for row in rows:
            counts[str(row.action.progress)] += 1
        points.append(TrendPoint(day, counts, sum(r.overdue for r in rows),
                                 counts[str(RAG.BLUE)], len(rows)))
    return points


def portfolio_trend(plans: list[tuple[Plan, ActionFilter]], as_of: date) -> list[TrendPoint]:
    """Several plans' series added up, from the earliest inspection's month end."""
    if not plans:
        return []
    first = min(plan.inspection.end for plan, _criteria in plans)
    days = [*(d for d in month_ends(first, as_of) if d < as_of), as_of]
    series = [trend(plan, criteria, as_of, days) for plan, criteria in plans]
    return [TrendPoint(day, {word: sum(s[k].progress[word] for s in series)
                             for word in series[0][k].progress},
                       sum(s[k].overdue for s in series), sum(s[k].completed for s in series),
                       sum(s[k].total for s in series))
            for k, day in enumerate(days)]
