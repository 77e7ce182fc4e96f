"""Complete-by dates as an iCalendar file (RFC 5545), for Outlook and other calendars.

Each event's UID is made from the plan and the ref, so importing a newer file updates the
events already there instead of adding copies. Several plans: the plan's id joins the UID
(two plans of one inspection, a JTAI plan and its review's, must not share events), and a
single plan's UIDs stay as they always were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from ..plan.agencies import AgencyIndex
from ..plan.model import Plan
from ..plan.query import Row
from ..plan.refs import qualified

REMINDER_DAYS = 7
PRODID = "-//jtaiplan//jtai calendar//EN"


def plan_uid_part(plan: Plan) -> str:
    inspection = plan.inspection
    key = f"{inspection.type}|{inspection.area}|{inspection.start.isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def event_uid(plan: Plan, ref: str, plan_id: str | None = None) -> str:
    where = f"{plan_uid_part(plan)}-{plan_id}" if plan_id else plan_uid_part(plan)
    return f"jtai-{where}-{ref}@jtaiplan"


def deadlines_calendar(plans: Sequence[tuple[str | None, Plan, Sequence[Row]]], stamp: date
                       ) -> bytes:
    """One all-day event per dated row of every plan (``(id, plan, rows)``; id None for a
    single plan), with a reminder a week before. ``stamp`` (the as-of date) is the
    DTSTAMP, so equal inputs give identical files."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if len(plans) == 1:
        inspection = plans[0][1].inspection
        name = f"{inspection.type} {inspection.area}: complete-by dates"
    else:
        name = f"{len(plans)} plans ({', '.join(str(p[0]) for p in plans)}): complete-by dates"
    calendar.add("x-wr-calname", name)
    for plan_id, plan, rows in plans:
        _add_events(calendar, plan_id, plan, rows, stamp)
    return bytes(calendar.to_ical())


def _add_events(calendar: Any, plan_id: str | None, plan: Plan, rows: Sequence[Row],
                stamp: date) -> None:
    from icalendar import Alarm, Event

    index = AgencyIndex.of(plan)
    for row in rows:
        action = row.action
        due = action.due
        if due is None:
            continue
        owners = ", ".join(f"{index.name_of(code)} ({code})" for code in row.owners)
        ref = qualified(plan_id, action.ref)
        event = Event()
        event.add("uid", event_uid(plan, action.ref, plan_id))
        event.add("dtstamp", datetime.combine(stamp, time(0, 0)))
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        event.add("summary", f"{ref} due: {_short(action.action)}")
        event.add("description",
                  f"Action {ref} (objective {row.objective.number}: "
                  f"{row.objective.title})\nOwners: {owners}\nProgress: {action.progress}"
                  f"\n\n{action.action}")
        event.add("categories", [str(action.progress)])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{ref} is due in a week ({owners})")
        alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
        event.add_component(alarm)
        calendar.add_component(event)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
