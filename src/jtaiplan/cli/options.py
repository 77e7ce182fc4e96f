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
    typer.Option("--as-of", metavar="YYYY-MM-DD",
                 help="Judge dates as on this day (also JTAI_AS_OF); default: today in "
                      "Europe/London. Pin it in CI for reproducible results."),
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
