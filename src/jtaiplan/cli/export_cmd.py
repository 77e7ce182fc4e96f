"""``jtai export``: the plan as an Excel workbook, a Word document or a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import as_of_date, as_recorded, load_plans
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
    """Export the plan for the board, the monitoring group or the inspectorate.

    Every action with its objective, ref, action, complete-by (a real date in Excel, or the
    plan's word such as "In place"), owners, theme, plan type, progress and impact RAG (the
    word and its colour), and whether it is overdue on the --as-of date. Takes the same
    filters as `jtai status`. Cells that Excel would run as a formula are stored as text.
    `jtai import` reads each format back. With SOURCE_DATE_EPOCH set, equal inputs give
    byte-identical files.

    Several plans (--plan plans/, or --plan repeated): the xlsx sheets and the csv gain a
    Plan column first (each plan's id), and the docx has one section per plan.

    Examples:

      jtai export -o board-pack.docx --as-of 2025-07-01

      jtai export --format xlsx -o tracker.xlsx --force

      jtai export -o tvp.csv --owner TVP --progress amber,red

      jtai export --plan plans/ -o partnership.xlsx
    """
    from ..office.export.formats import choose_format
    from ..office.export.run import export_plan
    from ..plan.across import filters_across
    from ..plan.query import build_filter

    chosen = choose_format(output_format, output.suffix)
    day = as_of_date(as_of)
    portfolio = as_recorded(load_plans(plan), day, as_of)
    filters = filters_across([e.loaded.plan for e in portfolio.entries], lambda p: build_filter(
        p, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within,
    ))
    parts = [(e.id, e.loaded.plan, f) for e, f in zip(portfolio.entries, filters, strict=True)]
    done = export_plan(parts, day, chosen, output, force=force, dry_run=dry_run)
    prefix = "jtai: dry run, nothing written: " if dry_run else "jtai: "
    print(prefix + done.summary(), file=sys.stderr)
    if not done.table.actions:
        print("jtai: no actions match these filters", file=sys.stderr)
