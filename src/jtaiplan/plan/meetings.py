"""The monitoring group's meetings, and the words ``last-meeting`` and ``previous-meeting``.

``--since last-meeting`` means the latest meeting on or before the as-of date;
``previous-meeting`` the one before it. Other commands (``jtai remind --chase --since``)
call :func:`resolve_since` so that every ``--since`` reads the same words.
"""

from __future__ import annotations

from datetime import date

from ..errors import CannotRun
from .dates import DAY_FIRST_HINT, BadDate, parse_date
from .model import Meeting, Plan

MEETING_WORDS = {"last-meeting": 0, "previous-meeting": 1}
"""Each word and how many meetings back from the latest it means."""


def meetings_until(plan: Plan, as_of: date) -> list[Meeting]:
    """The plan's meetings on or before ``as_of``, latest first (of one day, the one
    written last)."""
    held = [(m.date, k, m) for k, m in enumerate(plan.meetings) if m.date <= as_of]
    return [m for _d, _k, m in sorted(held, key=lambda t: (t[0], t[1]), reverse=True)]


def meeting_for(plan: Plan, word: str, as_of: date) -> Meeting:
    """The meeting ``last-meeting`` or ``previous-meeting`` names as of ``as_of``."""
    back = MEETING_WORDS[word.lower()]
    held = meetings_until(plan, as_of)
    if len(held) <= back:
        recorded = ("no meeting" if not plan.meetings else
                    f"{len(held)} meeting{'s' if len(held) != 1 else ''}")
        raise CannotRun(f"--since {word}: the plan records {recorded} on or before "
                        f"{as_of.isoformat()}",
                        hint="record one with `jtai meeting add DATE --name ...`, or give "
                             "a date: --since 2025-07-09")
    return held[back]


def resolve_since(plan: Plan, value: str, as_of: date, option: str = "--since") -> date:
    """A ``--since`` value as a date: a date in any accepted form, or ``last-meeting`` /
    ``previous-meeting`` (relative to ``as_of``)."""
    if value.strip().lower() in MEETING_WORDS:
        return meeting_for(plan, value.strip(), as_of).date
    try:
        return parse_date(value, option)
    except BadDate as exc:
        raise CannotRun(f"{exc} (or last-meeting, previous-meeting)",
                        hint=DAY_FIRST_HINT) from None
