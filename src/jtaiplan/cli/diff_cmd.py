"""``jtai diff``: what moved in the plan between two git revisions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .common import write_out
from .options import DEFAULT_PLAN, PlanOption


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    base: Annotated[str | None, typer.Argument(
        metavar="BASE", help="Revision to compare from (default: the merge-base with the "
                             "default branch, or HEAD).")] = None,
    head: Annotated[str | None, typer.Argument(
        metavar="HEAD", help="Revision to compare to (default: the working tree).")] = None,
    plan: PlanOption = DEFAULT_PLAN,
    output_format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text; markdown for a pull-request comment; json.")]
    = DiffFormat.text,
) -> None:
    """Summarise what changed in the plan: RAG moves (Green → Amber), complete-by moves with
    their reasons, actions added or removed, text changes, new history entries, and changes
    to objectives. Deteriorations come first.

    Examples: jtai diff; jtai diff origin/main HEAD --format markdown > comment.md
    """
    from ..history.revisions import load_versions
    from ..plan.diff import diff_plans
    from ..views import diffoutput

    versions = load_versions(plan, base, head)
    changes = diff_plans(versions.base.plan if versions.base else None, versions.head.plan)
    render = {DiffFormat.text: diffoutput.as_text, DiffFormat.markdown: diffoutput.as_markdown,
              DiffFormat.json: diffoutput.as_json}[output_format]
    write_out(render(changes, versions.base_label, versions.head_label))
