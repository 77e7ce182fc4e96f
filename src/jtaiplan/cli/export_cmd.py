"""``jtai export``: the plan as an Excel workbook, a Word document or a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import as_of_date, load
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
    ThemeFilter,
)


def export(
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="FILE",
        help="The file to write: .xlsx, .docx or .csv. An existing file is refused unless "
             "--force.")],
    output_format: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="xlsx|docx|csv",
        help="xlsx: sheets Actions, Objectives, History, Key, Plan, Agencies; docx: one table "
             "per objective, as the partnership's Word plan, with the RAG key; csv: one row per "
             "action, UTF-8 with BOM. Default: from the file name.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace FILE if it exists.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Say what would be written, and write nothing.")] = False,
    plan: PlanOption = DEFAULT_PLAN,
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
    """Export the plan for the board, the monitoring group or the inspectorate.

    Every action with its objective, ref, action, complete-by (a real date in Excel, or the
    plan's word such as "In place"), owners, theme, plan type, progress and impact RAG (the
    word and its colour), and whether it is overdue on the --as-of date. Takes the same
    filters as `jtai status`. Cells that Excel would run as a formula are stored as text.
    `jtai import` reads each format back. With SOURCE_DATE_EPOCH set, equal inputs give
    byte-identical files.

    Examples:

      jtai export -o board-pack.docx --as-of 2025-07-01

      jtai export --format xlsx -o tracker.xlsx --force

      jtai export -o tvp.csv --owner TVP --progress amber,red
    """
    from ..office.export.formats import choose_format
    from ..office.export.run import export_plan
    from ..plan.query import build_filter

    chosen = choose_format(output_format, output.suffix)
    day = as_of_date(as_of)
    loaded = load(plan)
    criteria = build_filter(
        loaded.plan, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within,
    )
    done = export_plan(loaded.plan, criteria, day, chosen, output, force=force,
                       dry_run=dry_run)
    prefix = "jtai: dry run, nothing written: " if dry_run else "jtai: "
    print(prefix + done.summary(), file=sys.stderr)
    if not done.table.actions:
        print("jtai: no actions match these filters", file=sys.stderr)
