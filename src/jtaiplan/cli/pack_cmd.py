"""``jtai pack`` and ``jtai apply``: update packs out to each agency, returns back in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun
from .change_cmds import DryRunOption, _day
from .common import as_of_date, as_recorded, load_plans, plan_paths, write_out
from .options import (
    AsOfOption,
    DueWithinFilter,
    ImpactFilter,
    LeadFilter,
    ObjectiveFilter,
    OverdueFilter,
    PlansOption,
    PlanTypeFilter,
    ProgressFilter,
    ThemeFilter,
)

if TYPE_CHECKING:
    from ..office.packs.apply import ApplyReport
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
    plan: PlansOption = None,
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

    Several plans (--plan plans/): one pack per agency covering its actions in every plan,
    the Ref column holding qualified refs (reading-jtai:2.3). Why one, not one per plan: the
    business manager who answers for Thames Valley Police answers for everything it owes
    the partnership, and expects one workbook, one email and one return, not a file per
    plan to chase; `jtai apply --plan plans/` puts each row back in its own plan's file.

    Examples: jtai pack --owner TVP -o tvp.xlsx; jtai pack --all -o packs/;
    jtai pack --owner BFfC --format md > bffc-update.md;
    jtai pack --plan plans/ --owner TVP -o tvp-everywhere.xlsx
    """
    from ..office.packs.make import PackFormat, make_portfolio_packs, render_pack
    from ..plan.across import filters_across
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
    portfolio = as_recorded(load_plans(plan), day, as_of)
    filters = filters_across([e.loaded.plan for e in portfolio.entries], lambda p: build_filter(
        p, leads=lead, objectives=objective, progress=progress, impact=impact, themes=theme,
        plan_types=plan_type, overdue=overdue, due_within=due_within))
    packs = make_portfolio_packs([(e.id, e.loaded) for e in portfolio.entries], owner,
                                 filters, day, due)
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
    plan: PlansOption = None,
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

    Several plans (--plan plans/): each row goes back to its own plan's file (a several-plan
    pack names each plan; a one-plan pack goes to the plan it was made from), with the same
    guarantees across the files: every file is checked before any is written, and a
    problem in one leaves all of them unchanged.

    Examples: jtai apply returns/*.xlsx --dry-run; jtai apply tvp.xlsx --by "Insp. A Smith";
    jtai apply --plan plans/ tvp-everywhere.xlsx
    """
    from ..office.packs.apply import ApplyOptions, ReturnsRefused, apply_returns
    from ..office.packs.read import read_return_meta
    from ..office.packs.routing import Applied, Target, apply_across, targets_of
    from ..planfile.edit import check_text
    from .messages import err

    if by is not None:
        check_text(by, "--by")
    options = ApplyOptions(by=by, on=_day(on, "--on") if on else None, force=force,
                           skip_conflicts=skip_conflicts, dry_run=dry_run)
    paths = plan_paths(plan)
    try:
        if len(paths) == 1 and paths[0].is_file() and not any(
                "plans" in read_return_meta(r) for r in returns):
            # One plan file and one-plan packs: exactly as before several plans existed.
            done = [Applied(Target("", paths[0], ""), apply_returns(paths[0], returns, options))]
        else:
            portfolio = load_plans(plan)
            done = apply_across(targets_of([(e.id, e.loaded) for e in portfolio.entries]),
                                returns, options)
    except ReturnsRefused as exc:
        for problem in exc.problems:
            err(problem.line())
            if problem.hint:
                err(f"    hint: {problem.hint}")
        raise
    several = len(done) != 1 or bool(done[0].target.id)
    for item in done:
        _say_applied(item.target.path, item.report, item.target.id if several else "")
    if several and not any(item.report.applied for item in done):
        err("jtai: nothing to apply: the returns hold no changes the plans do not already "
            "have; nothing written")


def _say_applied(path: Path, report: ApplyReport, plan_id: str) -> None:
    """What was applied; among several plans each line names its plan, and a plan the
    returns leave as it is goes unmentioned."""
    from .messages import err

    outcome = report.outcome
    assert outcome is not None
    prefix = f"jtai: {plan_id}: " if plan_id else "jtai: "
    for note in report.notes:
        err(f"{prefix}{note}")
    for line in report.applied:
        err(f"{prefix}{line}")
    if plan_id and not outcome.result.changed:
        return
    if outcome.diff and not outcome.written:
        write_out(outcome.diff)
        err(f"jtai: dry run, nothing written: {outcome.result.summary}")
    elif outcome.written:
        err(f"jtai: updated {path.as_posix()}: {outcome.result.summary}")
    else:
        err(f"jtai: {outcome.result.summary}; nothing written")


def _format(value: str) -> PackFormat:
    from ..office.packs.make import PackFormat

    try:
        return PackFormat(value.strip().lower())
    except ValueError:
        raise CannotRun(f"--format: '{value}' is not one of xlsx, md, txt") from None
