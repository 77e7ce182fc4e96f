"""Dates as the plan's users write them, and "today" as they mean it (in England)."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta

ISO_FORMAT = "YYYY-MM-DD"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_UK = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})\Z")


class BadDate(ValueError):
    """A date that could not be read; the message says what was expected."""


def parse_iso(text: str, what: str = "date") -> date:
    """A strict ``YYYY-MM-DD`` date (as CI scripts and ``--as-of`` take them)."""
    match = _ISO.match(text.strip())
    if not match:
        raise BadDate(f"{what} must be written {ISO_FORMAT}, e.g. 2025-07-01; got '{text}'")
    return _real_date(*(int(g) for g in match.groups()), text=text, what=what)


def parse_user_date(text: str, what: str = "date") -> date:
    """ISO, or UK day-first as typed at a terminal: ``30/06/2025``, ``30.06.25``.

    Two-digit years are this century. Never American month-first: ``06/30/2025`` is refused.
    """
    stripped = text.strip()
    if _ISO.match(stripped):
        return parse_iso(stripped, what)
    match = _UK.match(stripped)
    if not match:
        raise BadDate(
            f"{what} must be a date such as 2025-06-30, 30/06/2025 or 30.06.25; got '{text}'"
        )
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    return _real_date(year, month, day, text=text, what=what)


def _real_date(year: int, month: int, day: int, *, text: str, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(f"{what} '{text}' is not a real date (day {day} of month {month}, "
                      f"{year})") from None


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days``, stopping at the calendar's end rather than failing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def today_in_england() -> date:
    """Today's date in Europe/London; CI runners are on UTC, the plan's users are not."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo("Europe/London")).date()
    except Exception:  # no tz database (tzdata is a dependency on Windows)
        return datetime.now(UTC).date()


def resolve_as_of(value: str | None) -> date:
    """The as-of date: the given ``YYYY-MM-DD``, else ``JTAI_AS_OF``, else today in England."""
    if value:
        return parse_iso(value, "--as-of")
    env = os.environ.get("JTAI_AS_OF", "").strip()
    if env:
        return parse_iso(env, "JTAI_AS_OF")
    return today_in_england()
