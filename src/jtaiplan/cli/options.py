"""Options shared by several commands, declared once.

They are per-command options (``jtai status --plan x``), not options of the top-level
callback, which would have to come before the command name.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

PlanOption = Annotated[
    Path,
    typer.Option("--plan", "-p", envvar="JTAI_PLAN", metavar="PATH",
                 help="The plan file (also JTAI_PLAN).", show_default=True),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE",
                 help="The plan as its history records it at the end of this day, dates "
                      "judged on it: e.g. 2025-07-01 or 01/07/2025 (also JTAI_AS_OF); "
                      "default: today in Europe/London, the file as it is. Pin it in CI "
                      "for reproducible results."),
]
DEFAULT_PLAN = Path("plan.yaml")


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


# The filters of `jtai status` and `jtai report`, declared once.
OwnerFilter = Annotated[list[str] | None, typer.Option(
    "--owner", metavar="AGENCY",
    help="Only actions this agency owns: code, name or alias, any case (BFfC, bffc, Police). "
         "Commas or repeats for several.")]
LeadFilter = Annotated[list[str] | None, typer.Option(
    "--lead", metavar="AGENCY", help="Only objectives this agency leads.")]
ObjectiveFilter = Annotated[list[str] | None, typer.Option(
    "--objective", metavar="N", help="Only these objective numbers (2 or 2,3).")]
ProgressFilter = Annotated[list[str] | None, typer.Option(
    "--progress", metavar="RAG", help="Only these progress ratings (amber,red).")]
ImpactFilter = Annotated[list[str] | None, typer.Option(
    "--impact", metavar="RAG", help="Only these impact ratings; 'none' for unrated.")]
ThemeFilter = Annotated[list[str] | None, typer.Option(
    "--theme", metavar="THEME", help="Only actions with this theme (as the plan declares it, "
                                     "any case).")]
PlanTypeFilter = Annotated[list[str] | None, typer.Option(
    "--plan-type", metavar="TYPE", help="Only Operational or Strategic actions.")]
OverdueFilter = Annotated[bool, typer.Option(
    "--overdue", help="Only overdue actions: complete-by before the as-of date, not Blue.")]
DueWithinFilter = Annotated[int | None, typer.Option(
    "--due-within", metavar="DAYS", min=0,
    help="Only actions not complete and due within DAYS of the as-of date.")]

# Reading commands take several plans: files or folders, repeated (or JTAI_PLAN, several
# separated by the system's path separator, ':' or ';' on Windows).
PlansOption = Annotated[
    list[Path] | None,
    typer.Option("--plan", "-p", envvar="JTAI_PLAN", metavar="PATH",
                 help="The plan file, or a folder of plans; repeat for several "
                      "(also JTAI_PLAN). Default: plan.yaml.", show_default=False),
]
