"""Complete-by dates as an iCalendar file (RFC 5545), for Outlook and other calendars.

Each event's UID is made from the plan and the ref, so importing a newer file updates the
events already there instead of adding copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from ..plan.agencies import AgencyIndex
from ..plan.model import Plan
from ..plan.query import Row

REMINDER_DAYS = 7
PRODID = "-//jtaiplan//jtai calendar//EN"


def plan_uid_part(plan: Plan) -> str:
    inspection = plan.inspection
    key = f"{inspection.type}|{inspection.area}|{inspection.start.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def event_uid(plan: Plan, ref: str) -> str:
    return f"jtai-{plan_uid_part(plan)}-{ref}@jtaiplan"


def deadlines_calendar(plan: Plan, rows: Sequence[Row], stamp: date) -> bytes:
    """One all-day event per dated row, with a reminder a week before. ``stamp`` (the as-of
    date) is the DTSTAMP, so equal inputs give identical files."""
    from icalendar import Alarm, Calendar, Event

    index = AgencyIndex.of(plan)
    inspection = plan.inspection
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{inspection.type} {inspection.area}: complete-by dates")
    for row in rows:
        action = row.action
        due = action.due
        if due is None:
            continue
        owners = ", ".join(f"{index.name_of(code)} ({code})" for code in row.owners)
        event = Event()
        event.add("uid", event_uid(plan, action.ref))
        event.add("dtstamp", datetime.combine(stamp, time(0, 0)))
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{action.ref} due: {_short(action.action)}")
        event.add("description",
                  f"Action {action.ref} (objective {row.objective.number}: "
                  f"{row.objective.title})\nOwners: {owners}\nProgress: {action.progress}"
                  f"\n\n{action.action}")
        event.add("categories", [str(action.progress)])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{action.ref} is due in a week ({owners})")
        alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
