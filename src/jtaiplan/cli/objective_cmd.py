"""``jtai add-objective``: a new objective, ready for ``jtai add`` to fill with actions."""

from __future__ import annotations

from typing import Annotated

import typer

from .change_cmds import DryRunOption, change_and_report
from .options import DEFAULT_PLAN, PlanOption


def add_objective(
    title: Annotated[str, typer.Option("--title", metavar="TEXT",
                                       help="The objective's title (required).")],
    risk: Annotated[str, typer.Option(
        "--risk", metavar="LEVEL", help="One of the plan's risk_levels, any case (high).")],
    lead: Annotated[str, typer.Option(
        "--lead", metavar="AGENCY", help="The accountable lead: agency code, name or alias.")],
    number: Annotated[int | None, typer.Option(
        "--number", metavar="N", min=1,
        help="The objective's number (default: one more than the highest).")] = None,
    good: Annotated[str | None, typer.Option(
        "--good", metavar="TEXT", help="Its characteristics of good: what good looks like "
                                       "when it is met.")] = None,
    plan: PlanOption = DEFAULT_PLAN,
    dry_run: DryRunOption = False,
) -> None:
    """Add an objective to the plan, then give it actions with `jtai add NUMBER`.

    The risk must be one of the plan's risk_levels and the lead a registered agency (both in
    any case). The whole plan is validated before anything is written.

    Example: jtai add-objective --title "STRATEGY MEETINGS" --risk high --lead WBC
    --good "Strategy meetings include every agency that knows the child"
    """
    from ..planfile.objective_edit import NewObjective
    from ..planfile.objective_edit import add_objective as add

    new = NewObjective(title=title, risk=risk, lead=lead, number=number,
                       characteristics_of_good=good)
    change_and_report(plan, lambda loaded: add(loaded, new), dry_run)
