"""``jtai calendar``: complete-by dates of open actions as an iCalendar file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import as_of_date, as_recorded, load_plans, write_out
from .options import (
    AsOfOption,
    DueWithinFilter,
    ImpactFilter,
    LeadFilter,
    ObjectiveFilter,
    OverdueFilter,
    OwnerFilter,
    PlansOption,
    PlanTypeFilter,
    ProgressFilter,
    ThemeFilter,
)


def calendar(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE.ics", help="Write here instead of to stdout.")] = None,
    plan: PlansOption = None,
    as_of: AsOfOption = None,
    owner: OwnerFilter = None,
    lead: LeadFilter = None,
    objective: ObjectiveFilter = None,
    progress: ProgressFilter = None,
    impact: ImpactFilter = None,
    theme: ThemeFilter = None,
    plan_type: PlanTypeFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
) -> None:
    """Write the complete-by dates of open (not Blue) actions as an iCalendar file: one
    all-day event each, with a reminder a week before, the owners and the action's text.

    Import it into Outlook or any calendar; importing a newer file updates the events
    (each has a stable UID per plan and ref) instead of duplicating them. Takes the same
    filters as `jtai status`; actions dated with a word ("underway") have no event.

    Several plans (--plan plans/): the events of every plan in one file, each titled with
    its qualified ref (reading-jtai:2.3) and with a UID from the plan's id and the ref.

    Examples: jtai calendar -o deadlines.ics; jtai calendar --owner TVP -o tvp.ics;
    jtai calendar --plan plans/ --owner TVP -o tvp-everywhere.ics
    """
    from ..office.calendar import deadlines_calendar
    from ..plan.across import filters_across
    from ..plan.model import RAG
    from ..plan.query import build_filter, select
    from ..planfile.atomicfile import write_atomic

    day = as_of_date(as_of)
    portfolio = as_recorded(load_plans(plan), day, as_of)
    filters = filters_across([e.loaded.plan for e in portfolio.entries], lambda p: build_filter(
        p, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within))
    parts = []
    rows = []
    for entry, criteria in zip(portfolio.entries, filters, strict=True):
        mine = [] if criteria is None else [
            r for r in select(entry.loaded.plan, criteria, day)
            if r.action.progress is not RAG.BLUE and r.action.due is not None]
        parts.append((portfolio.id_for(entry), entry.loaded.plan, mine))
        rows.extend(mine)
    data = deadlines_calendar(parts, day)
    if output is None:
        write_out(data.decode("utf-8"))
    else:
        write_atomic(output, data)
        print(f"jtai: wrote {output.as_posix()}: {len(rows)} event"
              f"{'s' if len(rows) != 1 else ''}", file=sys.stderr)
