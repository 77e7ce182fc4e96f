"""Dates as the plan's users write them, and "today" as they mean it (in England)."""

from __future__ import annotations

import calendar
import os
import re
from datetime import UTC, date, datetime, timedelta

ACCEPTED_FORMS = "2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026"
"""What every date a person types may look like: one grammar for options, the plan file
and imported documents. Always day-first; always written back as ISO."""
DAY_FIRST_HINT = "dates are always day first, as in England: 01/02/2026 is 1 February 2026"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
# Day-first numeric dates with one separator used consistently: 30/06/2025, 30.06.25, 30-06-2025.
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})\Z")
# 31 March 2026, 31st Mar 2026, 1 sept. 2025, 31-Mar-2026, 31 March, 2026.
_WORDY = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]+)\.?[\s,-]+(\d{2}|\d{4})\Z", re.IGNORECASE)
# A month alone: March 2026, Mar 2026, Mar-26, March '26.
_MONTH_ONLY = re.compile(r"([A-Za-z]+)\.?[\s,-]+'?(\d{2}|\d{4})\Z", re.IGNORECASE)

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9


class BadDate(ValueError):
    """A date that could not be read; the message says what was expected."""


def parse_date(text: str, what: str = "date") -> date:
    """Any of the accepted forms (:data:`ACCEPTED_FORMS`), day-first.

    Two-digit years are this century. Never American month-first: ``06/30/2025`` is refused
    as not a real date rather than read as 30 June.
    """
    stripped = " ".join(text.split())
    if match := _ISO.match(stripped):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(stripped):
        day, month, year = int(match[1]), int(match[3]), _full_year(match[4])
    elif (match := _WORDY.match(stripped)) and match[2].lower() in MONTHS:
        day, month, year = int(match[1]), MONTHS[match[2].lower()], _full_year(match[3])
    else:
        raise BadDate(f"{what} must be a date such as {ACCEPTED_FORMS}; got '{text}'")
    return _real_date(year, month, day, text=text, what=what)


def parse_month(text: str) -> date | None:
    """A month alone ("March 2026", "Mar 2026") as its last day, else None.

    Plans write "by March 2026" meaning the end of it; the caller keeps the wording."""
    match = _MONTH_ONLY.match(" ".join(text.split()))
    if not match or match[1].lower() not in MONTHS:
        return None
    year, month = _full_year(match[2]), MONTHS[match[1].lower()]
    if not 1 <= year <= 9999:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def looks_like_date(text: str) -> bool:
    """Whether ``text`` is written as a date (real or not), as opposed to a status word."""
    stripped = " ".join(text.split())
    return bool(_ISO.match(stripped) or _NUMERIC.match(stripped) or (
        (m := _WORDY.match(stripped)) and m[2].lower() in MONTHS))


def parse_date_or_word(text: str, words: list[str], what: str = "complete-by") -> date | str:
    """A complete-by as a person types it: a date in an accepted form, or one of the plan's
    declared words (any case, returned as declared). A refusal names both, so nobody is
    told that only the words are allowed."""
    folded = " ".join(text.split()).casefold()
    for word in words:
        if word.casefold() == folded:
            return word
    try:
        return parse_date(text, what)
    except BadDate:
        if looks_like_date(text):
            raise
    declared = ", ".join(words) if words else "none are declared"
    raise BadDate(f"{what}: '{text}' is neither a date ({ACCEPTED_FORMS}) nor one of the "
                  f"plan's complete-by words ({declared})")


def _full_year(written: str) -> int:
    # Only a two-digit year is this century: "0025" is the year 25, not 2025.
    return int(written) + 2000 if len(written) == 2 else int(written)


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
    """The as-of date: the one given, else ``JTAI_AS_OF``, else today in England."""
    if value:
        return parse_date(value, "--as-of")
    env = os.environ.get("JTAI_AS_OF", "").strip()
    if env:
        return parse_date(env, "JTAI_AS_OF")
    return today_in_england()
