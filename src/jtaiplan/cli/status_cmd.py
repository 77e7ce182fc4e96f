"""``jtai status`` and ``jtai show``: reading the plan."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from .common import as_of_date, as_recorded, load_plans, notes, write_out

if TYPE_CHECKING:
    from ..plan.model import Plan

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
    StatusFormat,
    TextOrJson,
    ThemeFilter,
)


def status(
    plan: PlansOption = None,
    owner: OwnerFilter = None,
    lead: LeadFilter = None,
    objective: ObjectiveFilter = None,
    progress: ProgressFilter = None,
    impact: ImpactFilter = None,
    theme: ThemeFilter = None,
    plan_type: PlanTypeFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
    as_of: AsOfOption = None,
    output_format: Annotated[StatusFormat, typer.Option(
        "--format", "-f", help="table for people; json, csv or markdown for scripts, "
                               "spreadsheets and pull requests.")] = StatusFormat.table,
) -> None:
    """Show the actions grouped by objective: owners, complete-by, progress and impact RAG.

    Filters combine (AND); values within one filter are alternatives (OR). Overdue means a
    complete-by date before the as-of date while progress is not Blue.

    --format json prints {"as_of": ..., "actions": [...]}: each action has ref, objective,
    action, due (YYYY-MM-DD or null), due_status, baseline_due and revision_reason (why the
    date last moved, when it did), owners (agency codes), theme, plan_type,
    progress and impact ("Blue", "Green", "Amber", "Red" or null) and overdue (true/false);
    held_by (codes) when an owner has been succeeded by the as-of date; plan (its id) when
    several plans are read.

    Several plans: --plan plans/ (a folder) or --plan a.yaml --plan b.yaml; every row then
    names its plan. --owner RBC also finds actions of agencies RBC succeeded (as of the date).

    Examples: jtai status --owner BFfC; jtai status --overdue --as-of 2025-07-01;
    jtai status --progress amber,red --format csv > at-risk.csv;
    jtai status --plan plans/ --owner TVP --format json
    """
    from ..plan.across import filters_across, select_across, succession_notes
    from ..plan.query import build_filter, summarise

    day = as_of_date(as_of)
    portfolio = as_recorded(load_plans(plan), day, as_of)
    plans = [entry.loaded.plan for entry in portfolio.entries]
    filters = filters_across(plans, lambda p: build_filter(
        p, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within,
    ))
    rows = select_across([(portfolio.id_for(e), e.loaded.plan) for e in portfolio.entries],
                         filters, day)
    first = portfolio.entries[0].loaded
    summary = summarise(rows, due_soon_days=first.plan.lint.due_soon_days)
    criteria = next(f for f in filters if f is not None)
    notes(succession_notes(plans, filters, day))

    if output_format is StatusFormat.json:
        from ..views.formats import status_json

        write_out(status_json(rows, summary, day, first.name, criteria.describe(),
                              [{"id": e.id, "file": e.loaded.name} for e in portfolio.entries]
                              if portfolio.several else None))
    elif output_format is StatusFormat.csv:
        from ..views.formats import status_csv

        write_out(status_csv(rows))
    elif output_format is StatusFormat.markdown:
        from ..views.formats import status_markdown

        write_out(status_markdown(rows, summary, day))
    else:
        from .terminal import print_status_table

        inspection = first.plan.inspection
        title = f"{inspection.type} {inspection.area}: " \
            f"{inspection.plan_title or 'improvement plan'}"
        if portfolio.several:
            title = f"{len(portfolio.entries)} plans: " + ", ".join(
                e.id for e in portfolio.entries)
        print_status_table(rows, summary, day, title)
    if not rows:
        print("jtai: no actions match these filters", file=sys.stderr)


def show(
    ref: Annotated[str, typer.Argument(
        metavar="REF", help='The action\'s ref, e.g. 2.2 or "2.10".')],
    plan: PlansOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """Show one action in full, with its objective's title, lead, risk, characteristics of
    good, and the action's timeline: each history entry, oldest first, with the action's
    state after it (--format json: "timeline", [{date, by, state}]). With --as-of, the
    action as its history records it that day.

    Among several plans (--plan plans/) write PLAN:REF, e.g. reading-jtai:2.3; a bare ref
    is enough while only one plan has it.
    """
    import json

    from ..errors import CannotRun
    from ..plan.asof import timeline
    from ..plan.model import as_data
    from ..plan.query import row_for_ref
    from ..plan.refs import locate_ref
    from ..views.records import action_record, objective_record
    from ..views.showtext import action_text, state_record

    day = as_of_date(as_of)
    today = load_plans(plan)
    portfolio = as_recorded(today, day, as_of)
    try:
        index, bare = locate_ref(portfolio.plans(), ref)
    except CannotRun:
        _added_later(today.plans(), ref, day)
        raise
    entry = portfolio.entries[index]
    loaded = entry.loaded
    row = row_for_ref(loaded.plan, bare, day, portfolio.id_for(entry))
    objective, action = row.objective, row.action
    if output_format is TextOrJson.json:
        record = action_record(row)
        record["as_of"] = day.isoformat()
        record["objective"] = objective_record(loaded.plan, objective)
        record["updates"] = [as_data(u, json=True)
                             for u in action.updates]
        record["timeline"] = [state_record(u, after) for u, after in timeline(action)]
        write_out(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    else:
        write_out(action_text(loaded.plan, row, day))


def _added_later(plans: list[tuple[str, Plan]], ref: str, day: date) -> None:
    """Refuse, naming the day it was added, a ref the plan has today but not on ``day``."""
    from ..errors import CannotRun
    from ..plan.asof import added_on
    from ..plan.query import find_action
    from ..plan.refs import locate_ref

    try:
        index, bare = locate_ref(plans, ref)
        action = find_action(plans[index][1], bare)[3]
    except CannotRun:
        return
    added = added_on(action)
    if added is not None and added > day:
        raise CannotRun(f"{action.ref} was added on {added.isoformat()}, after "
                        f"{day.isoformat()}", hint=f"show it --as-of {added.isoformat()} "
                        "or later")
