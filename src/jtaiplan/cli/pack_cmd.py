"""``jtai pack`` and ``jtai apply``: update packs out to each agency, returns back in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun
from .change_cmds import DryRunOption, _day
from .common import as_of_date, load, write_out
from .options import (
    DEFAULT_PLAN,
    AsOfOption,
    DueWithinFilter,
    ImpactFilter,
    LeadFilter,
    ObjectiveFilter,
    OverdueFilter,
    PlanOption,
    PlanTypeFilter,
    ProgressFilter,
    ThemeFilter,
)

if TYPE_CHECKING:
    from ..office.packs.make import PackFormat

RETURN_WEEKS = 2


def pack(
    owner: Annotated[str | None, typer.Option(
        "--owner", metavar="AGENCY", help="The agency the pack is for: code, name or alias.")]
    = None,
    every: Annotated[bool, typer.Option(
        "--all", help="One pack per agency that owns a selected action, into the folder "
                      "given by -o (file names from the agency codes: TVP.xlsx).")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH",
        help="The file to write (with --all: the folder). md and txt go to stdout without "
             "it.")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="xlsx|md|txt",
        help="xlsx: a workbook the agency fills in and sends back; md or txt: the same as "
             "text for an email body.")] = "xlsx",
    return_by: Annotated[str | None, typer.Option(
        "--return-by", metavar="DATE",
        help=f"The date to return it by, shown to the agency (default: {RETURN_WEEKS} weeks "
             "after the as-of date).")] = None,
    plan: PlanOption = DEFAULT_PLAN,
    as_of: AsOfOption = None,
    lead: LeadFilter = None,
    objective: ObjectiveFilter = None,
    progress: ProgressFilter = None,
    impact: ImpactFilter = None,
    theme: ThemeFilter = None,
    plan_type: PlanTypeFilter = None,
    overdue: OverdueFilter = False,
    due_within: DueWithinFilter = None,
) -> None:
    """Write an update pack for an agency: its actions (not Blue, unless --progress says
    otherwise), with columns to fill in and send back for `jtai apply`.

    The workbook's "Return" sheet has the given columns Ref, Objective, Action, Complete by,
    Progress, Impact, Last update (locked) and the columns to fill: New progress, New impact,
    Note, Evidence, New complete-by, Reason for new date. Do not rename or move them.

    Examples: jtai pack --owner TVP -o tvp.xlsx; jtai pack --all -o packs/;
    jtai pack --owner BFfC --format md > bffc-update.md
    """
    from ..office.packs.make import PackFormat, make_packs, render_pack
    from ..plan.agencies import AgencyIndex
    from ..plan.dates import add_days
    from ..plan.query import build_filter
    from ..planfile.atomicfile import write_atomic

    chosen = _format(output_format)
    if every == (owner is not None):
        raise CannotRun("give --owner AGENCY for one pack, or --all for one per agency")
    if every and output is None:
        raise CannotRun("--all needs -o FOLDER to write the packs into")
    if chosen is PackFormat.xlsx and output is None:
        raise CannotRun("a workbook needs -o FILE.xlsx", hint="or --format md for text")
    day = as_of_date(as_of)
    due = _day(return_by, "--return-by") if return_by else add_days(day, 7 * RETURN_WEEKS)
    loaded = load(plan)
    criteria = build_filter(loaded.plan, leads=lead, objectives=objective, progress=progress,
                            impact=impact, themes=theme, plan_types=plan_type,
                            overdue=overdue, due_within=due_within)
    agencies = None
    if owner is not None:
        code = AgencyIndex.of(loaded.plan).resolve(owner)
        if code is None:
            raise CannotRun(f"--owner: unknown agency '{owner}'",
                            hint=f"known agencies: {AgencyIndex.of(loaded.plan).describe()}")
        agencies = [code]
    packs = make_packs(loaded, agencies, criteria, day, due)
    if output is None:
        write_out(render_pack(packs[0], chosen).decode("utf-8").lstrip("\ufeff"))
        return
    if every:
        if output.exists() and not output.is_dir():
            raise CannotRun(f"{output.as_posix()} is a file; --all writes into a folder")
        output.mkdir(parents=True, exist_ok=True)
    for made in packs:
        target = output / f"{made.agency}.{chosen.value}" if every else output
        write_atomic(target, render_pack(made, chosen))
        print(f"jtai: wrote {target.as_posix()}: {len(made.rows)} action"
              f"{'s' if len(made.rows) != 1 else ''} for {made.agency}", file=sys.stderr)


def apply(
    returns: Annotated[list[Path], typer.Argument(
        metavar="RETURN.xlsx...", help="Returned packs, as the agencies sent them back.")],
    by: Annotated[str | None, typer.Option(
        "--by", metavar="NAME", help='Who the history names (default: "<agency name> '
                                     '(return)").')] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="The date of the changes: 2025-06-30, 30/06/2025 or "
                                     "30.06.25 (default: the day each return was saved).")]
    = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Apply rows for actions changed since the pack was made.")] = False,
    skip_conflicts: Annotated[bool, typer.Option(
        "--skip-conflicts", help="Apply the other rows and leave out those in conflict.")]
    = False,
    plan: PlanOption = DEFAULT_PLAN,
    dry_run: DryRunOption = False,
) -> None:
    """Apply returned update packs: every filled row becomes the change `jtai update` (or
    `jtai complete`, for New progress Blue with evidence) would make, in one write.

    All or nothing: if any row is wrong (not a RAG word, not a date, a ref the agency does
    not own, personal data in a note...) nothing is written and every problem is listed
    with its sheet and cell (Return!H7). A row for an action changed since the pack was
    made is a conflict: --force applies it anyway, --skip-conflicts applies the rest.
    Changes are dated the day the return was saved, unless --on says otherwise. Applying
    the same return twice changes nothing the second time.

    Examples: jtai apply returns/*.xlsx --dry-run; jtai apply tvp.xlsx --by "Insp. A Smith"
    """
    from ..office.packs.apply import ApplyOptions, ReturnsRefused, apply_returns
    from ..planfile.edit import check_text
    from .messages import err

    if by is not None:
        check_text(by, "--by")
    options = ApplyOptions(by=by, on=_day(on, "--on") if on else None, force=force,
                           skip_conflicts=skip_conflicts, dry_run=dry_run)
    try:
        report = apply_returns(plan, returns, options)
    except ReturnsRefused as exc:
        for problem in exc.problems:
            err(problem.line())
            if problem.hint:
                err(f"    hint: {problem.hint}")
        raise
    outcome = report.outcome
    assert outcome is not None
    for note in report.notes:
        err(f"jtai: {note}")
    for line in report.applied:
        err(f"jtai: {line}")
    if outcome.diff and not outcome.written:
        write_out(outcome.diff)
        err(f"jtai: dry run, nothing written: {outcome.result.summary}")
    elif outcome.written:
        err(f"jtai: updated {plan.as_posix()}: {outcome.result.summary}")
    else:
        err(f"jtai: {outcome.result.summary}; nothing written")


def _format(value: str) -> PackFormat:
    from ..office.packs.make import PackFormat

    try:
        return PackFormat(value.strip().lower())
    except ValueError:
        raise CannotRun(f"--format: '{value}' is not one of xlsx, md, txt") from None
