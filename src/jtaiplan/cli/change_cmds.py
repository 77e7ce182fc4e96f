"""Commands that change the plan: update, complete, add, init, fmt."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun
from .common import load, load_plans, plan_paths, write_out
from .init_options import AgencyOption, EndOption, StartOption, parse_agencies
from .options import DEFAULT_PLAN, PlanOption, PlansOption

if TYPE_CHECKING:
    from ..plan.model import RAG
    from ..planfile.edit import EditResult
    from ..planfile.loader import LoadedPlan
    from ..planfile.writer import Outcome

DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", "-n", help="Print the change as a unified diff and write nothing.")]
ByOption = Annotated[str | None, typer.Option(
    "--by", metavar="NAME", help="Who is making the change (default: git's user.name).")]
OnOption = Annotated[str | None, typer.Option(
    "--on", metavar="DATE", help="The date of the change, day-first: 2026-03-31, 31/03/2026, "
                                 "31.03.26, 31-03-2026 or 31 March 2026 (default: today).")]
NoteOption = Annotated[str | None, typer.Option(
    "--note", metavar="TEXT", help="What is happening: recorded in the action's history.")]


def update(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action's ref, e.g. 2.2.")],
    progress: Annotated[str | None, typer.Option(
        "--progress", metavar="RAG", help="New progress rating: blue, green, amber or red.")]
    = None,
    impact: Annotated[str | None, typer.Option(
        "--impact", metavar="RAG", help="New impact rating.")] = None,
    due: Annotated[str | None, typer.Option(
        "--due", metavar="DATE", help="New complete-by date (31/03/2026, 31 March 2026, ...) "
                                      "or a declared word such as underway; the first date "
                                      "is kept as the baseline. Give --reason with it.")]
    = None,
    note: NoteOption = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT", help="Why the complete-by date moved.")] = None,
    evidence: Annotated[str | None, typer.Option(
        "--evidence", metavar="TEXT", help="Evidence of progress.")] = None,
    impact_evidence: Annotated[str | None, typer.Option(
        "--impact-evidence", metavar="TEXT", help="Evidence of impact on children.")] = None,
    by: ByOption = None,
    on: OnOption = None,
    plan: PlansOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Change an action's ratings, date or evidence, and record it in the action's history.

    Only the changed lines of plan.yaml change (plus the appended history entry), so the
    pull request shows exactly what moved. The whole plan is validated before anything is
    written; a refused change leaves the file untouched.

    Among several plans (--plan plans/) write PLAN:REF (reading-jtai:2.2); only that
    plan's file changes.

    Example: jtai update 2.2 --progress amber --note "Workshop moved to September"
    """
    from ..planfile.edit import UpdateRequest, update_action

    if all(v is None for v in (progress, impact, due, note, reason, evidence, impact_evidence)):
        raise CannotRun("nothing to update", hint="give --progress, --impact, --due, --note, "
                        "--evidence or --impact-evidence")
    path, ref = _target_ref(plan, ref)
    request = UpdateRequest(
        by=_who(by, path), on=_when(on),
        progress=_rag(progress, "--progress"), impact=_rag(impact, "--impact"),
        note=note, reason=reason, evidence=evidence, impact_evidence=impact_evidence,
    )

    def edit(loaded: LoadedPlan) -> EditResult:
        if due is None:
            return update_action(loaded, ref, request)
        day, word = _due(due, loaded)
        return update_action(loaded, ref, replace(request, due=day, due_word=word))

    _report(_change(path, edit, dry_run), path)


def complete(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action's ref, e.g. 2.2.")],
    evidence: Annotated[str, typer.Option(
        "--evidence", metavar="TEXT", help="How we know it is done (required).")],
    note: NoteOption = None,
    by: ByOption = None,
    on: OnOption = None,
    plan: PlansOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Mark an action complete: progress Blue, with its completion date and evidence.

    Among several plans write PLAN:REF (reading-jtai:2.1).

    Example: jtai complete 2.1 --evidence "Practice standard published 30 May 2025"
    """
    from ..planfile.edit import UpdateRequest, update_action

    path, ref = _target_ref(plan, ref)
    request = UpdateRequest(by=_who(by, path), on=_when(on),
                            evidence=evidence, note=note, completed=True)
    _report(_change(path, lambda loaded: update_action(loaded, ref, request), dry_run), path)


def add(
    objective: Annotated[str, typer.Argument(
        metavar="OBJECTIVE", help="The objective's number; PLAN:N among several plans.")],
    action: Annotated[str, typer.Option("--action", metavar="TEXT",
                                        help="What will be done (required).")],
    owner: Annotated[list[str], typer.Option(
        "--owner", metavar="AGENCY", help="Owning agency; repeat or use commas for several "
                                          "(required).")],
    theme: Annotated[str, typer.Option(
        "--theme", metavar="THEME", help="One of the plan's themes (any case).")],
    plan_type: Annotated[str, typer.Option(
        "--plan-type", metavar="TYPE", help="Operational or Strategic.")],
    due: Annotated[str, typer.Option(
        "--due", metavar="DATE", help="Complete-by date, day-first (2026-03-31, 31/03/2026, "
                                      "31 March 2026, ...), or a declared word such as "
                                      "underway.")],
    multi_agency: Annotated[bool, typer.Option(
        "--multi-agency/--single-agency", help="Marked MULTI-AGENCY in the plan.")] = True,
    progress: Annotated[str, typer.Option(
        "--progress", metavar="RAG", help="Progress rating to start with: blue, green, amber "
                                          "or red.")] = "green",
    note: NoteOption = None,
    by: ByOption = None,
    on: OnOption = None,
    plan: PlansOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add an action to an objective with the next free ref (after 2.9 comes 2.10).

    Among several plans (--plan plans/) write PLAN:N (reading-jtai:2).

    Example: jtai add 2 --action "Audit strategy meeting attendance" --owner BFfC,TVP
    --theme "Service Delivery and Design" --plan-type Operational --due 2026-03-31
    """
    from ..plan.model import RAG
    from ..plan.query import split_values
    from ..planfile.edit import NewAction, add_action

    path, number = _target_objective(plan, objective)
    new = NewAction(
        objective=number, action=action, owners=split_values(owner), theme=theme,
        plan_type=plan_type, by=_who(by, path), on=_when(on), multi_agency=multi_agency,
        progress=_rag(progress, "--progress") or RAG.GREEN, note=note,
    )

    def edit(loaded: LoadedPlan) -> EditResult:
        day, word = _due(due, loaded)
        return add_action(loaded, replace(new, due=day, due_word=word))

    _report(_change(path, edit, dry_run), path)


def init(
    path: Annotated[Path, typer.Argument(
        metavar="PATH", help="Where to write the new plan.")] = DEFAULT_PLAN,
    area: Annotated[str, typer.Option("--area", metavar="NAME",
                                      help="The local authority area.")]
    = "Example area",
    agency: AgencyOption = None,
    start: StartOption = None,
    end: EndOption = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Print the new plan and write nothing.")] = False,
) -> None:
    """Write a new, valid plan to start from: agency registry, RAG key, one example
    objective. Never overwrites an existing file.

    Name your partnership's agencies with --agency CODE=NAME, once per agency; owners and
    leads are then written as those codes. Then add objectives with `jtai add-objective` and
    actions with `jtai add`.

    The JSON Schema goes beside it as plan.schema.json (an existing copy is kept), and the
    plan's first line points at it, so editors such as VS Code check the plan as you type.
    --dry-run prints the plan instead and says what it would write.

    Example: jtai init wokingham.yaml --area Wokingham --start 03/02/2026 --end 14/02/2026
    --agency "WBC=Wokingham Borough Council" --agency "TVP=Thames Valley Police"
    """
    from ..planfile.atomicfile import write_atomic
    from ..planfile.schemacopy import schema_beside

    text = init_plan_text(area, agency, start, end)
    if path.exists():
        raise CannotRun(f"{path.as_posix()} already exists; jtai init never overwrites a plan",
                        hint="choose another path, or move the existing file away first")
    if not path.parent.exists():
        raise CannotRun(f"folder {path.parent.as_posix()} does not exist")
    schema = schema_beside(path)
    if dry_run:
        write_out(text)
        typer.echo(f"jtai: dry run, nothing written: would write {path.as_posix()}; "
                   f"{schema.describe(dry_run=True)}", err=True)
        return
    write_atomic(path, text.encode("utf-8"), exclusive=True)
    schema.write()
    typer.echo(f"jtai: wrote {path.as_posix()}: edit it, then run `jtai validate --plan "
               f"{path.as_posix()}`", err=True)
    typer.echo(f"jtai: {schema.describe()}", err=True)


def init_plan_text(area: str, agency: list[str] | None, start: str | None,
                   end: str | None) -> str:
    """The plan `jtai init` writes for these options (also `jtai new` without --from)."""
    from ..planfile.edit import check_text
    from ..planfile.skeleton import DEFAULT_AGENCIES, skeleton

    check_text(area, "--area")
    agencies = parse_agencies(agency) if agency else DEFAULT_AGENCIES
    first = _day(start, "--start") if start else None
    last = _day(end, "--end") if end else None
    if first and last and last < first:
        raise CannotRun(f"--end {last.isoformat()} is before --start {first.isoformat()}")
    return skeleton(area, _today(), agencies=agencies, start=first, end=last)


def fmt(
    plan: PlanOption = DEFAULT_PLAN,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 (with a diff) if the file is not canonical.")]
    = False,
) -> None:
    """Rewrite the plan once in the canonical layout, so later changes are one-line diffs.

    Comments, key order and quoting are kept; indentation and line wrapping are made
    uniform, and dates typed as 31/03/2026 or 31 March 2026 are written 2026-03-31. A plan
    that does not validate is not formatted (exit 1). Use --check in CI.
    """
    from ..errors import PlanInvalid
    from ..planfile.atomicfile import locked, write_atomic
    from ..planfile.canonical import canonical_text
    from ..planfile.textfile import read_source
    from ..planfile.writer import unified_diff
    from .messages import report_findings

    with locked(plan):
        try:
            # A plan that does not validate is not "canonical": say so, and format nothing.
            load(plan)
        except PlanInvalid as exc:
            report_findings(exc.findings)
            count = len(exc.findings)
            typer.echo(f"jtai: {plan.as_posix()} is not a valid plan ({count} problem"
                       f"{'s' if count != 1 else ''}), so it was not formatted; fix "
                       f"{'them' if count != 1 else 'it'} (`jtai validate` lists them) and "
                       "run jtai fmt again", err=True)
            raise typer.Exit(1) from None
        source = read_source(plan)
        text = canonical_text(source)
        if text == source.text:
            typer.echo(f"{source.display_name}: already canonical", err=True)
            return
        if check:
            write_out(unified_diff(source.text, text, source.display_name))
            typer.echo(f"{source.display_name}: not canonical; run `jtai fmt`", err=True)
            raise typer.Exit(1)
        write_atomic(plan, source.encode(text))
    typer.echo(f"{source.display_name}: reformatted", err=True)


def _target_ref(plans: list[Path] | None, ref: str) -> tuple[Path, str]:
    """The one plan file a (possibly qualified) ref names, and the bare ref."""
    from ..plan.refs import locate_ref

    single = _single_file(plans)
    if single is not None and ":" not in ref:
        return single, ref  # one plan, as before: no other file is read
    portfolio = load_plans(plans, integrity=False)
    index, bare = locate_ref(portfolio.plans(), ref)
    return portfolio.entries[index].loaded.path, bare


def _target_objective(plans: list[Path] | None, objective: str) -> tuple[Path, int]:
    from ..plan.refs import locate_objective

    single = _single_file(plans)
    if single is not None and ":" not in objective:
        return single, locate_objective([], objective)[1]
    portfolio = load_plans(plans, integrity=False)
    index, number = locate_objective(portfolio.plans(), objective)
    return portfolio.entries[index].loaded.path, number


def _single_file(plans: list[Path] | None) -> Path | None:
    paths = plan_paths(plans)
    return paths[0] if len(paths) == 1 and not paths[0].is_dir() else None


def _change(plan: Path, edit: object, dry_run: bool) -> Outcome:
    from ..planfile.writer import change_plan

    return change_plan(plan, edit, dry_run=dry_run)  # type: ignore[arg-type]


def change_and_report(plan: Path, edit: Callable[[LoadedPlan], EditResult],
                      dry_run: bool) -> None:
    """Apply a change (or show it, with --dry-run) and say what happened."""
    _report(_change(plan, edit, dry_run), plan)


def _report(outcome: Outcome, plan: Path) -> None:
    if outcome.diff and not outcome.written:
        write_out(outcome.diff)
        print(f"jtai: dry run, nothing written: {outcome.result.summary}", file=sys.stderr)
    elif outcome.written:
        print(f"jtai: updated {plan.as_posix()}: {outcome.result.summary}", file=sys.stderr)
    else:
        print(f"jtai: {outcome.result.summary}; nothing written", file=sys.stderr)


def _who(by: str | None, plan: Path) -> str:
    from ..history.gitio import folder_of, user_name

    if by is not None:
        from ..planfile.edit import check_text

        check_text(by, "--by")
        return by
    name = user_name(folder_of(plan))

    if not name:
        raise CannotRun("who is making this change?", hint="pass --by NAME, or set git config "
                        "user.name")
    return name


def _day(value: str, option: str) -> date:
    from ..plan.dates import DAY_FIRST_HINT, BadDate, parse_date

    try:
        return parse_date(value, option)
    except BadDate as exc:
        raise CannotRun(str(exc), hint=DAY_FIRST_HINT) from None


def _due(value: str, loaded: LoadedPlan) -> tuple[date | None, str | None]:
    """--due: a date in any accepted form, or one of the plan's complete-by words."""
    from ..plan.dates import BadDate, parse_date_or_word

    try:
        due = parse_date_or_word(value, loaded.plan.complete_by_words, "--due")
    except BadDate as exc:
        raise CannotRun(str(exc)) from None
    return (due, None) if isinstance(due, date) else (None, due)


def _when(on: str | None) -> date:
    """The date of a change: --on as given, else today."""
    return _day(on, "--on") if on else _today()


def _today() -> date:

    from ..plan.dates import today_in_england

    return today_in_england()


def _rag(value: str | None, option: str) -> RAG | None:
    from ..plan.model import RAG

    if value is None:
        return None
    try:
        return RAG.parse(value)
    except ValueError as exc:
        raise CannotRun(f"{option}: {exc}") from None
