"""``jtai report``: the plan as a board-ready HTML or Markdown report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from ..planfile.portfolio import Portfolio


def report(
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="html|markdown",
        help="html: one self-contained file for meeting papers (prints on A4 landscape); "
             "markdown: for a pull request or wiki page.")] = "html",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write here instead of to stdout.")] = None,
    group_by: Annotated[str, typer.Option(
        "--group-by", metavar="objective|owner|theme", help="How actions are grouped.")]
    = "objective",
    templates: Annotated[Path | None, typer.Option(
        "--templates", metavar="DIR",
        help="A folder of templates overriding the defaults (report.html.j2, report.md.j2, "
             "portfolio.html.j2, portfolio.md.j2); a templates/ folder beside the plan is "
             "used too. Overrides can "
             '{% extends "default:report.html.j2" %}.')] = None,
    plan: PlansOption = None,
    as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE|last-meeting|previous-meeting",
        help='Add "Since the last meeting": the changes the history records from this day '
             "(or the meeting the plan's meetings: name) to the as-of date.")] = None,
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
    """Render the plan as a report: headline counts, progress by objective, the trend (at
    each month's end since the inspection: actions by progress RAG, overdue, completed),
    overdue and due-soon lists, every objective with its actions, and the RAG key.
    --since last-meeting adds what changed since the last meeting, worst first.

    Takes the same filters as `jtai status` (--owner TVP gives TVP's own report). The
    "generated" stamp honours SOURCE_DATE_EPOCH, so equal inputs give identical files.

    Several plans (--plan plans/): one portfolio report for the board instead, a headline
    per plan, overdue actions across them and what each agency owes everywhere
    (templates portfolio.html.j2 and portfolio.md.j2; --group-by does not apply).

    Examples: jtai report -o report.html; jtai report --since last-meeting -o report.html;
    jtai report --format markdown --owner TVP;
    jtai report --plan plans/ -o board.html
    """
    from ..errors import CannotRun
    from ..plan.across import filters_across
    from ..plan.query import build_filter
    from ..views.report import GroupBy, ReportFormat, ReportOptions, render_report

    chosen = ReportFormat(_choice([m.value for m in ReportFormat], output_format, "--format"))
    grouping = GroupBy(_choice([m.value for m in GroupBy], group_by, "--group-by"))
    day = as_of_date(as_of)
    said: list[str] = []
    portfolio = as_recorded(load_plans(plan), day, as_of, said)
    filters = filters_across([e.loaded.plan for e in portfolio.entries], lambda p: build_filter(
        p, owners=owner, leads=lead, objectives=objective, progress=progress,
        impact=impact, themes=theme, plan_types=plan_type, overdue=overdue,
        due_within=due_within,
    ))
    dirs = template_dirs(templates, portfolio)
    criteria = next(f for f in filters if f is not None)
    if portfolio.several and since is not None:
        raise CannotRun("--since makes one plan's report", hint="give one --plan")
    if portfolio.several:
        from ..views.portfolio_report import PortfolioOptions, PortfolioPlan, render_portfolio

        text = render_portfolio(
            [PortfolioPlan(e.id, e.loaded, f) for e, f in zip(portfolio.entries, filters,
                                                                strict=True)],
            PortfolioOptions(day, criteria.describe(), dirs), chosen)
    else:
        from ..plan.meetings import MEETING_WORDS, meeting_for, resolve_since

        first = portfolio.entries[0].loaded.plan
        start = None if since is None else resolve_since(first, since, day)
        held = meeting_for(first, since, day) if since and since.strip().lower() in \
            MEETING_WORDS else None
        text = render_report(portfolio.entries[0].loaded,
                             ReportOptions(day, criteria, grouping, dirs, since=start,
                                           since_meeting=held, notes=said), chosen)
    if output is None:
        write_out(text)
        return
    from ..planfile.atomicfile import write_atomic

    write_atomic(output, text.encode("utf-8"))
    typer.echo(f"jtai: wrote {output.as_posix()}", err=True)


def template_dirs(templates: Path | None, portfolio: Portfolio) -> list[Path]:
    """``--templates DIR`` first, then a ``templates/`` folder beside each plan."""
    from ..errors import CannotRun

    dirs = []
    if templates is not None:
        if not templates.is_dir():
            raise CannotRun(f"--templates: {templates.as_posix()} is not a folder")
        dirs.append(templates)
    for entry in portfolio.entries:
        beside = entry.loaded.path.resolve().parent / "templates"
        if beside.is_dir() and beside not in dirs:
            dirs.append(beside)
    return dirs


def _choice(allowed: list[str], value: str, option: str) -> str:
    from ..errors import CannotRun

    if value.lower() not in allowed:
        raise CannotRun(f"{option}: '{value}' is not one of {', '.join(allowed)}")
    return value.lower()
