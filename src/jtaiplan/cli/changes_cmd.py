"""``jtai changes`` (what moved since a date or a meeting) and ``jtai meeting``."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from .change_cmds import DryRunOption, change_and_report
from .common import as_of_date, load_plans, write_out
from .options import (
    DEFAULT_PLAN,
    AsOfOption,
    DueWithinFilter,
    ImpactFilter,
    LeadFilter,
    ObjectiveFilter,
    OverdueFilter,
    OwnerFilter,
    PlanOption,
    PlansOption,
    PlanTypeFilter,
    ProgressFilter,
    ThemeFilter,
)


class ChangesFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


SinceOption = Annotated[str, typer.Option(
    "--since", metavar="DATE|last-meeting|previous-meeting",
    help="The first day of the window (included): a date, or last-meeting / "
         "previous-meeting from the plan's meetings: (as of --until).")]


def changes(
    since: SinceOption,
    until: Annotated[str | None, typer.Option(
        "--until", metavar="DATE", help="The last day of the window (included); default: "
                                        "--as-of, else today.")] = None,
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
    output_format: Annotated[ChangesFormat, typer.Option(
        "--format", "-f", help="text for people; markdown for meeting papers or a pull "
                               "request; json or csv for scripts and spreadsheets.")]
    = ChangesFormat.text,
) -> None:
    """List every change the plan's history records in a window, for the chair's paper:
    deteriorations first (a rating worse, a complete-by date later), then improvements,
    completions (with evidence), dates moved (with reasons), actions added, and entries
    that record only a note or evidence; by objective, each with who and when.

    The filters are `jtai status`'s, judged on the plan as recorded on the last day of the
    window. --format json prints {"since", "until", "counts", "changes": [...]}: each change
    has ref, objective, kind (worse, better, completed, date, added, noted), date, by,
    changes ([{field, from, to, direction}]), note, reason, evidence, impact_evidence.

    Examples: jtai changes --since last-meeting; jtai changes --since 2025-07-09
    --format markdown > since-july.md; jtai changes --since 2025-07-09 --owner TVP
    """
    from ..errors import CannotRun
    from ..plan.across import filters_across, select_across
    from ..plan.asof import recorded_on
    from ..plan.changes import changes_between
    from ..plan.dates import parse_date
    from ..plan.meetings import resolve_since
    from ..plan.query import build_filter

    day = as_of_date(until or as_of)
    if until:
        try:
            day = parse_date(until, "--until")
        except ValueError as exc:
            raise CannotRun(str(exc)) from None
    portfolio = load_plans(plan)
    plans = [recorded_on(e.loaded.plan, day).plan for e in portfolio.entries]
    start = resolve_since(plans[0], since, day)
    if start > day:
        raise CannotRun(f"--since {start.isoformat()} is after the window's end, "
                        f"{day.isoformat()}", hint="give --until a later date")
    filters = filters_across(plans, lambda p: build_filter(
        p, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within))
    rows = select_across([(portfolio.id_for(e), p) for e, p in
                          zip(portfolio.entries, plans, strict=True)], filters, day)
    found = changes_between(rows, start, day)
    from ..views import changesoutput as out

    render = {ChangesFormat.text: out.changes_text, ChangesFormat.markdown:
              out.changes_markdown, ChangesFormat.json: out.changes_json,
              ChangesFormat.csv: out.changes_csv}[output_format]
    write_out(render(found))
    if not found.items and output_format is not ChangesFormat.text:
        print(f"jtai: no recorded changes {found.headline()}", file=sys.stderr)


class TrendFormat(StrEnum):
    json = "json"
    csv = "csv"


def trend(
    plan: PlanOption = DEFAULT_PLAN,
    as_of: AsOfOption = None,
    owner: OwnerFilter = None,
    lead: LeadFilter = None,
    objective: ObjectiveFilter = None,
    progress: ProgressFilter = None,
    impact: ImpactFilter = None,
    theme: ThemeFilter = None,
    plan_type: PlanTypeFilter = None,
    output_format: Annotated[TrendFormat, typer.Option(
        "--format", "-f", help="json for scripts and Power BI; csv for a spreadsheet.")]
    = TrendFormat.json,
) -> None:
    """The trend the report charts: at each month's end from the inspection to the as-of
    date (the last point), the actions by progress RAG, overdue and completed, each day's
    figures from the plan as its history records them then.

    --format json prints {"as_of", "plan", "filters", "points": [{date, progress: {Blue,
    Green, Amber, Red}, overdue, completed, total}]}; csv has the columns date, Blue, Green,
    Amber, Red, overdue, completed, total. Filters as `jtai status` (--overdue and
    --due-within do not apply: overdue is a column).

    Examples: jtai trend --format csv > trend.csv; jtai trend --owner TVP
    """
    from ..plan.query import build_filter
    from ..plan.trend import trend as series
    from ..views.changesoutput import trend_csv, trend_json
    from .common import load

    day = as_of_date(as_of)
    loaded = load(plan)
    criteria = build_filter(loaded.plan, owners=owner, leads=lead, objectives=objective,
                            progress=progress, impact=impact, themes=theme,
                            plan_types=plan_type)
    points = series(loaded.plan, criteria, day)
    if output_format is TrendFormat.csv:
        write_out(trend_csv(points))
    else:
        write_out(trend_json(points, day.isoformat(), loaded.name, criteria.describe()))


class MeetingAction(StrEnum):
    add = "add"
    list = "list"


def meeting(
    action: Annotated[MeetingAction, typer.Argument(
        metavar="add|list", help="add: record a meeting; list: the meetings recorded.")],
    day: Annotated[str | None, typer.Argument(
        metavar="DATE", help="The meeting's date (with add), e.g. 2025-07-09.")] = None,
    name: Annotated[str | None, typer.Option(
        "--name", metavar="TEXT", help='Its name, e.g. "MASA Monitoring Group".')] = None,
    plan: PlanOption = DEFAULT_PLAN,
    dry_run: DryRunOption = False,
) -> None:
    """Record the monitoring group's meetings in the plan (meetings:), so that
    `--since last-meeting` and `--since previous-meeting` mean a date, and the report
    names the meeting it is for.

    Examples: jtai meeting add 2025-07-09 --name "MASA Monitoring Group";
    jtai meeting list
    """
    from ..errors import CannotRun

    if action is MeetingAction.list:
        from .common import load

        for held in load(plan).plan.meetings:
            write_out(f"{held.date.isoformat()}  {held.name or ''}".rstrip() + "\n")
        return
    if day is None:
        raise CannotRun("jtai meeting add needs the meeting's DATE",
                        hint='jtai meeting add 2025-07-09 --name "MASA Monitoring Group"')
    from ..plan.dates import parse_date
    from ..planfile.meeting_edit import add_meeting

    try:
        when = parse_date(day, "DATE")
    except ValueError as exc:
        raise CannotRun(str(exc)) from None
    change_and_report(plan, lambda loaded: add_meeting(loaded, when, name), dry_run)
