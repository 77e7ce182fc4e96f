"""``jtai status`` and ``jtai show``: reading the plan."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import as_of_date, load, write_out
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
    PlanTypeFilter,
    ProgressFilter,
    StatusFormat,
    TextOrJson,
    ThemeFilter,
)


def status(
    plan: PlanOption = DEFAULT_PLAN,
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
    progress and impact ("Blue", "Green", "Amber", "Red" or null) and overdue (true/false).

    Examples: jtai status --owner BFfC; jtai status --overdue --as-of 2025-07-01;
    jtai status --progress amber,red --format csv > at-risk.csv
    """
    from ..plan.query import build_filter, select, summarise

    day = as_of_date(as_of)
    loaded = load(plan)
    criteria = build_filter(
        loaded.plan, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within,
    )
    rows = select(loaded.plan, criteria, day)
    summary = summarise(rows, due_soon_days=loaded.plan.lint.due_soon_days)

    if output_format is StatusFormat.json:
        from ..views.formats import status_json

        write_out(status_json(rows, summary, day, loaded.name, criteria.describe()))
    elif output_format is StatusFormat.csv:
        from ..views.formats import status_csv

        write_out(status_csv(rows))
    elif output_format is StatusFormat.markdown:
        from ..views.formats import status_markdown

        write_out(status_markdown(rows, summary, day))
    else:
        from .terminal import print_status_table

        inspection = loaded.plan.inspection
        print_status_table(rows, summary, day, f"{inspection.type} {inspection.area}: "
                           f"{inspection.plan_title or 'improvement plan'}")
    if not rows:
        print("jtai: no actions match these filters", file=sys.stderr)


def show(
    ref: Annotated[str, typer.Argument(
        metavar="REF", help='The action\'s ref, e.g. 2.2 or "2.10".')],
    plan: PlanOption = DEFAULT_PLAN,
    as_of: AsOfOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """Show one action in full, with its objective's title, lead, risk, characteristics of
    good, and the action's history."""
    import json

    from ..plan.query import row_for_ref
    from ..views.records import action_record, objective_record
    from ..views.showtext import action_text

    day = as_of_date(as_of)
    loaded = load(plan)
    row = row_for_ref(loaded.plan, ref, day)
    objective, action = row.objective, row.action
    if output_format is TextOrJson.json:
        record = action_record(row)
        record["as_of"] = day.isoformat()
        record["objective"] = objective_record(loaded.plan, objective)
        record["updates"] = [u.model_dump(mode="json", by_alias=True, exclude_none=True)
                             for u in action.updates]
        write_out(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    else:
        write_out(action_text(loaded.plan, row, day))
