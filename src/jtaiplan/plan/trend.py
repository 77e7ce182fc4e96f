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


def trend(plan: Plan, criteria: ActionFilter, as_of: date) -> list[TrendPoint]:
    """The series of :func:`trend_days`, the actions chosen by ``criteria`` on each day."""
    points = []
    for day in trend_days(plan, as_of):
        rows = select(recorded_on(plan, day).plan, criteria, day)
        counts = {str(r): 0 for r in RAG_ORDER}
        for row in rows:
            counts[str(row.action.progress)] += 1
        points.append(TrendPoint(day, counts, sum(r.overdue for r in rows),
                                 counts[str(RAG.BLUE)], len(rows)))
    return points
