"""Where the plan file holds dates, and rewriting them ISO (``jtai fmt``).

People may type any accepted form (31/03/2026, 31 March 2026) in the file; the model reads
them all, and the canonical layout writes them ``YYYY-MM-DD`` so diffs and sorting agree.
"""

from __future__ import annotations

from typing import Any

from ..plan.dates import BadDate, looks_like_date, parse_date

ANY = "*"
# The date fields of plan.yaml, as paths with ANY for every list item.
DATE_PATHS: tuple[tuple[str, ...], ...] = (
    ("inspection", "start"),
    ("inspection", "end"),
    ("objectives", ANY, "actions", ANY, "complete_by"),
    ("objectives", ANY, "actions", ANY, "baseline_complete_by"),
    ("objectives", ANY, "actions", ANY, "completed_on"),
    ("objectives", ANY, "actions", ANY, "updates", ANY, "date"),
    ("lint", "waivers", ANY, "expires"),
    ("meetings", ANY, "date"),
)


def iso_dates(data: Any, *, as_date: bool = False) -> int:
    """Rewrite, in place, every date field written in another accepted form as ISO.

    Plain data (dates as text) gets ISO text; ruamel's round-trip data gets ``date``
    objects (``as_date``), which it writes unquoted, as it writes the dates already ISO.
    Words ("In place") and values that are not real dates are left for validation to
    report. Returns how many values changed.
    """
    return sum(_rewrite(data, path, as_date) for path in DATE_PATHS)


def _rewrite(node: Any, path: tuple[str, ...], as_date: bool) -> int:
    if not path:
        return 0
    head, rest = path[0], path[1:]
    if head == ANY:
        return sum(_rewrite(item, rest, as_date) for item in node) if isinstance(
            node, list) else 0
    if not isinstance(node, dict) or head not in node:
        return 0
    if rest:
        return _rewrite(node[head], rest, as_date)
    value = node[head]
    if not isinstance(value, str) or not looks_like_date(value):
        return 0
    try:
        day = parse_date(value)
    except BadDate:
        return 0
    if day.isoformat() == value:
        return 0
    node[head] = day if as_date else day.isoformat()
    return 1
