"""The workflows and hooks a new plan repository gets, as data.

A workflow is written only when the jtai that writes it has the command the workflow runs,
so a capability (a published site, weekly reminders) reaches new repositories as soon as
its command is in jtai, with no change here beyond its line.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Workflow:
    name: str
    file: str
    """Under .github/workflows/ in the new repository."""
    template: str
    """Under templates/new/."""
    command: str
    """The jtai command it runs; without it in jtai's command table, no workflow."""
    purpose: str
    """One line for the new repository's README."""


WORKFLOWS: tuple[Workflow, ...] = (
    Workflow("plan checks", "plan.yml", "workflows/plan.yml.j2", "lint",
             "`jtai lint` on every pull request and push to main, and every morning at "
             "06:00 UTC (an action becomes overdue with the calendar, not with a commit); on "
             "a pull request also the change rules against the base branch"),
    Workflow("pull-request comment", "pr-comment.yml", "workflows/pr-comment.yml.j2", "diff",
             "`jtai diff` of a pull request's changes to the plan, as a comment on it"),
    Workflow("site", "site.yml", "workflows/site.yml.j2", "site",
             "`jtai site` published to GitHub Pages on every change to main and daily"),
    Workflow("weekly reminders", "remind.yml", "workflows/remind.yml.j2", "remind",
             "`jtai remind` every Monday: reminders by email to the agencies that owe "
             "updates"),
)


def available(commands: Collection[str]) -> list[Workflow]:
    """The workflows whose command is among ``commands`` (jtai's command table)."""
    return [workflow for workflow in WORKFLOWS if workflow.command in commands]


@dataclass(frozen=True)
class Hook:
    """One of jtai's pre-commit hooks (jtaiplan's .pre-commit-hooks.yaml has the same)."""

    id: str
    name: str
    entry: str
    files: str
    manual: bool
    """Run only when asked (`--hook-stage manual`), not on every commit."""


HOOKS: tuple[Hook, ...] = (
    Hook("jtai-validate", "jtai validate", "jtai validate", r"(^|/)plan\.ya?ml$", manual=False),
    # Every rule, dates included: fails while any action is overdue, which would block
    # commits that have nothing to do with it.
    Hook("jtai-lint", "jtai lint", "jtai lint", r"(^|/)plan\.ya?ml$", manual=True),
)
