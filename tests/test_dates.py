"""The one date grammar (plan/dates.py), pinned form by form.

Every date a person types goes through these functions: options, the plan file and imported
documents. Expected values are worked by hand; each refusal's message is exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jtaiplan.plan import dates
from jtaiplan.plan.dates import (
    ACCEPTED_FORMS,
    BadDate,
    add_days,
    looks_like_date,
    parse_date,
    parse_date_or_word,
    parse_month,
    resolve_as_of,
    today_in_england,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-06-30", date(2025, 6, 30)),
    ("30/06/2025", date(2025, 6, 30)),
    ("30.06.25", date(2025, 6, 30)),
    ("30-06-2025", date(2025, 6, 30)),
    ("1/7/25", date(2025, 7, 1)),
    ("09.10.99", date(2099, 10, 9)),
    ("30 June 2025", date(2025, 6, 30)),
    ("30 june 25", date(2025, 6, 30)),
    ("1 sept. 2025", date(2025, 9, 1)),
    ("1 Sep 2025", date(2025, 9, 1)),
    ("31st Mar 2026", date(2026, 3, 31)),
    ("2nd May 2026", date(2026, 5, 2)),
    ("3rd Dec 2026", date(2026, 12, 3)),
    ("4th JANUARY 2027", date(2027, 1, 4)),
    ("31-Mar-2026", date(2026, 3, 31)),
    ("31 March, 2026", date(2026, 3, 31)),
    ("  30   June\t2025 ", date(2025, 6, 30)),
    ("0001-01-01", date(1, 1, 1)),
    ("9999-12-31", date(9999, 12, 31)),
    ("29/02/2024", date(2024, 2, 29)),
    # Four digits are the year as written: "0025" is not 2025.
    ("30/06/0025", date(25, 6, 30)),
    ("30 June 0025", date(25, 6, 30)),
])
def test_parse_date_reads_every_accepted_form_day_first(text: str, expected: date) -> None:
    assert parse_date(text) == expected
    assert looks_like_date(text)


@pytest.mark.parametrize(("text", "message"), [
    ("06/30/2025", "--on '06/30/2025' is not a real date (day 6 of month 30, 2025)"),
    ("31/02/2025", "--on '31/02/2025' is not a real date (day 31 of month 2, 2025)"),
    ("29/02/2025", "--on '29/02/2025' is not a real date (day 29 of month 2, 2025)"),
    ("2025-02-30", "--on '2025-02-30' is not a real date (day 30 of month 2, 2025)"),
    ("0000-01-01", "--on '0000-01-01' is not a real date (day 1 of month 1, 0)"),
    ("32 March 2026", "--on '32 March 2026' is not a real date (day 32 of month 3, 2026)"),
])
def test_impossible_dates_are_named(text: str, message: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, "--on")
    assert str(caught.value) == message
    # Written as a date, so never mistaken for a status word such as "In place".
    assert looks_like_date(text)


@pytest.mark.parametrize("text", ["30/06-2025", "2025-6-30", "June", "30 Junk 2025",
                                  "In place", "underway", "Dec 2016", "", "30/06/025",
                                  "300/06/2025", "2025/06/30", "30 06 2025"])
def test_words_and_other_shapes_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, "--due")
    assert str(caught.value) == (f"--due must be a date such as {ACCEPTED_FORMS}; "
                                 f"got '{text}'")
    assert not looks_like_date(text)


def test_the_default_name_in_messages_is_date() -> None:
    with pytest.raises(BadDate, match=r"^date must be a date such as "):
        parse_date("soon")


def test_parse_date_or_word_takes_a_date_or_a_declared_word() -> None:
    words = ["In place", "Underway"]
    assert parse_date_or_word("  in   PLACE ", words) == "In place"
    assert parse_date_or_word("31 March 2026", words) == date(2026, 3, 31)
    with pytest.raises(BadDate) as caught:
        parse_date_or_word("31/02/2026", words, "--due")
    assert str(caught.value) == "--due '31/02/2026' is not a real date (day 31 of month 2, 2026)"
    with pytest.raises(BadDate) as caught:
        parse_date_or_word("soon", words, "--due")
    assert str(caught.value) == (f"--due: 'soon' is neither a date ({ACCEPTED_FORMS}) nor one "
                                 "of the plan's complete-by words (In place, Underway)")
    with pytest.raises(BadDate, match=r"^complete-by: 'soon' is neither a date .*\(none are "
                                      r"declared\)$"):
        parse_date_or_word("soon", [])


@pytest.mark.parametrize(("text", "expected"), [
    ("March 2026", date(2026, 3, 31)),
    ("Mar 2026", date(2026, 3, 31)),
    ("mar. 2026", date(2026, 3, 31)),
    ("Mar-26", date(2026, 3, 31)),
    ("March '26", date(2026, 3, 31)),
    ("March, 2026", date(2026, 3, 31)),
    ("Feb 2024", date(2024, 2, 29)),
    ("Feb 2100", date(2100, 2, 28)),
    ("Sept 2025", date(2025, 9, 30)),
    ("  April   2026 ", date(2026, 4, 30)),
    ("Dec 9999", date(9999, 12, 31)),
    ("Jan 0001", date(1, 1, 31)),
])
def test_parse_month_is_the_months_last_day(text: str, expected: date) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["Foo 2026", "March 0", "March", "2026", "Mar 20266",
                                  "31 March 2026", "Dec 0000", "In place"])
def test_parse_month_returns_none_for_anything_else(text: str) -> None:
    assert parse_month(text) is None


def test_add_days_stops_at_the_end_of_the_calendar() -> None:
    assert add_days(date(2025, 7, 1), 30) == date(2025, 7, 31)
    assert add_days(date(2025, 7, 1), 0) == date(2025, 7, 1)
    assert add_days(date(2025, 7, 1), -1) == date(2025, 6, 30)
    assert add_days(date(9999, 12, 30), 1) == date(9999, 12, 31)
    assert add_days(date(9999, 12, 31), 1) == date.max
    assert add_days(date(2025, 7, 1), 10**9) == date.max


def test_today_is_today_in_london(monkeypatch: pytest.MonkeyPatch) -> None:
    class Late(datetime):
        """23:30 UTC on 30 June 2025 is 00:30 on 1 July in London (BST)."""

        @classmethod
        def now(cls, tz: object = None) -> Late:  # type: ignore[override]
            moment = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)
            return cls.fromtimestamp(moment.timestamp(), tz)  # type: ignore[arg-type]

    monkeypatch.setattr(dates, "datetime", Late)
    assert today_in_england() == date(2025, 7, 1)


def test_without_a_tz_database_today_is_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the machine's local date: on a machine set to UTC+14 the two differ."""
    import time
    import zoneinfo

    def missing(_key: str) -> None:
        raise zoneinfo.ZoneInfoNotFoundError("no time zone database")

    class Late(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Late:  # type: ignore[override]
            return cls.fromtimestamp(datetime(2025, 6, 30, 23, 30, tzinfo=UTC).timestamp(),
                                     tz)  # type: ignore[arg-type]

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    monkeypatch.setattr(dates, "datetime", Late)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert today_in_england() == date(2025, 6, 30)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_resolve_as_of_prefers_the_option_then_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTAI_AS_OF", "01/08/2025")
    assert resolve_as_of("2025-07-01") == date(2025, 7, 1)
    assert resolve_as_of(None) == date(2025, 8, 1)
    assert resolve_as_of("") == date(2025, 8, 1)
    monkeypatch.setenv("JTAI_AS_OF", "  ")
    monkeypatch.setattr(dates, "today_in_england", lambda: date(2030, 1, 2))
    assert resolve_as_of(None) == date(2030, 1, 2)
    monkeypatch.setenv("JTAI_AS_OF", "tomorrow")
    with pytest.raises(BadDate, match=r"^JTAI_AS_OF must be a date such as "):
        resolve_as_of(None)
    with pytest.raises(BadDate, match=r"^--as-of '2025-02-30' is not a real date"):
        resolve_as_of("2025-02-30")
