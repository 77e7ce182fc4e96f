"""Turning returns into the changes ``jtai update`` and ``jtai complete`` make, all or none.

Every filled row becomes an :class:`UpdateRequest` applied with the same edit function as
those commands, one after another, so the resulting file is byte for byte what running the
commands in turn would give; the whole run is then validated and written once by
:func:`change_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ...errors import CannotRun, UpdateRefused
from ...plan.agencies import AgencyIndex
from ...plan.dates import today_in_england
from ...plan.model import RAG, Action
from ...plan.query import find_action
from ...planfile.edit import EditResult, UpdateRequest, update_action
from ...planfile.loader import LoadedPlan, parse_plan
from ...planfile.textfile import SourceText
from ...planfile.writer import Outcome, change_plan
from .layout import action_state, fingerprint, plan_id
from .provenance import return_label
from .read import Problem, Return, ReturnRow, read_return


class ReturnsRefused(UpdateRefused):
    """Some rows are wrong or in conflict: nothing was written; every problem is listed."""

    def __init__(self, message: str, problems: Sequence[Problem], hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.problems = list(problems)


@dataclass(frozen=True)
class ApplyOptions:
    by: str | None = None
    """Who keyed the return in; the history says "<by> (<agency name> return)", or
    "<agency name> (return)" without it (see provenance.py)."""
    on: date | None = None
    """The date of each change; default the day the return was last saved."""
    force: bool = False
    skip_conflicts: bool = False
    dry_run: bool = False


@dataclass
class ApplyReport:
    outcome: Outcome | None = None
    applied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Rows not applied, and why: already in the plan, conflicts skipped."""


@dataclass(frozen=True)
class _Planned:
    ret: Return
    row: ReturnRow
    request: UpdateRequest


def read_returns(paths: Sequence[Path]) -> list[Return]:
    returns = []
    for path in paths:
        if not path.is_file():
            raise CannotRun(f"{path}: no such file", hint="give the returned workbooks' paths")
        try:
            returns.append(read_return(path))
        except CannotRun as exc:
            # One unreadable file among several must not hide the others' problems.
            bad = Return(path)
            prefix = f"{path}: "
            message = exc.message[len(prefix):] if exc.message.startswith(prefix) \
                else exc.message
            bad.problem("", message, exc.hint)
            returns.append(bad)
    return returns


def apply_returns(plan: Path, paths: Sequence[Path], options: ApplyOptions) -> ApplyReport:
    returns = read_returns(paths)
    report = ApplyReport()

    def edit(loaded: LoadedPlan) -> EditResult:
        planned = plan_changes(loaded, returns, options, report)
        return apply_in_turn(loaded, planned, report)

    report.outcome = change_plan(plan, edit, dry_run=options.dry_run)
    return report


def plan_changes(loaded: LoadedPlan, returns: list[Return], options: ApplyOptions,
                  report: ApplyReport) -> list[_Planned]:
    plan = loaded.plan
    problems = [p for r in returns for p in r.problems]
    conflicts: list[Problem] = []
    planned: list[_Planned] = []
    index = AgencyIndex.of(plan)
    inspection = plan.inspection
    this_plan = plan_id(inspection.area, inspection.type, inspection.start.isoformat())
    seen: set[tuple[str, UpdateRequest]] = set()
    for ret in returns:
        if ret.problems:
            continue
        if ret.meta.get("plan_id") != this_plan:
            problems.append(Problem(ret.name, "", f"a pack for another plan "
                                    f"('{ret.meta.get('plan_id')}', made from "
                                    f"{ret.meta.get('plan')}), not for {this_plan}",
                                    "apply it to that plan with --plan PATH"))
            continue
        agency = index.resolve(ret.meta.get("agency", ""))
        if agency is None:
            problems.append(Problem(ret.name, "", f"the pack is for agency "
                                    f"'{ret.meta.get('agency')}', which the plan does not list"))
            continue
        who = return_label(index.name_of(agency), options.by)
        when = options.on or ret.modified or today_in_england()
        for row in ret.rows:
            where = f"Return!A{row.row}"
            try:
                _i, _j, _objective, action = find_action(plan, row.ref)
            except CannotRun:
                problems.append(Problem(ret.name, where, f"{row.ref} is not in the plan",
                                        "it may have been removed since the pack was made"))
                continue
            owners = {index.resolve(o) or o for o in action.owners}
            if agency not in owners:
                problems.append(Problem(ret.name, where, f"{row.ref} is not owned by {agency} "
                                        f"(owners: {', '.join(sorted(owners))})",
                                        "only the owning agency's return may change it"))
                continue
            if not row.filled:
                continue
            request = _request(row, who, when)
            if (row.ref, request) in seen:
                report.notes.append(f"{ret.name}: {where}: {row.ref} appears twice; "
                                    "applied once")
                continue
            seen.add((row.ref, request))
            state = action_state(action)
            if fingerprint(state) != row.fingerprint:
                if _already_applied(action, row, request):
                    report.notes.append(f"{ret.name}: {where}: {row.ref} already applied")
                    continue
                conflict = Problem(ret.name, where, f"{row.ref} changed in the plan since the "
                                   f"pack was made: {_changed_since(row, action)}",
                                   "check the row against the plan (`jtai history "
                                   f"{row.ref}`), then --force to apply it anyway")
                if options.force:
                    report.notes.append(f"{conflict.line()} (applied: --force)")
                elif options.skip_conflicts:
                    report.notes.append(f"{conflict.line()} (skipped: --skip-conflicts)")
                    continue
                else:
                    conflicts.append(conflict)
                    continue
            planned.append(_Planned(ret, row, request))
    if problems:
        count = len(problems)
        raise ReturnsRefused(f"{count} problem{'s' if count != 1 else ''} in the returns",
                             problems, hint="fix them in the workbook (or ask the agency "
                             "to) and apply it again; nothing was applied")
    if conflicts:
        count = len(conflicts)
        raise ReturnsRefused(f"{count} row{'s' if count != 1 else ''} in conflict with "
                             "changes made since the pack", conflicts,
                             hint="--skip-conflicts applies the other rows; --force applies "
                                  "these too")
    return planned


def _request(row: ReturnRow, who: str, when: date) -> UpdateRequest:
    # New progress Blue with evidence is what `jtai complete` records.
    completed = row.progress is RAG.BLUE and row.evidence is not None
    return UpdateRequest(by=who, on=when, progress=None if completed else row.progress,
                         impact=row.impact, due=row.due, note=row.note,
                         evidence=row.evidence, reason=row.reason, completed=completed)


def _already_applied(action: Action, row: ReturnRow, request: UpdateRequest) -> bool:
    since = action.updates[int(row.state.get("updates") or 0):]
    return any(u.date == request.on and u.by == request.by and u.note == request.note
               and u.evidence == request.evidence and u.reason == request.reason
               for u in since)


def _changed_since(row: ReturnRow, action: Action) -> str:
    now = action_state(action)
    said = []
    for key, old in row.state.items():
        new = now.get(key)
        if key == "updates" or new == old:
            continue
        said.append(f"{key.replace('_', ' ')} {old or '—'} → {new or '—'}")
    added = len(action.updates) - int(row.state.get("updates") or 0)
    if added > 0:
        latest = action.updates[-1]
        said.append(f"{added} new history entr{'ies' if added != 1 else 'y'} (latest "
                    f"{latest.date.isoformat()} by {latest.by})")
    return "; ".join(said) or "its history was rewritten"


def apply_in_turn(loaded: LoadedPlan, planned: list[_Planned],
                   report: ApplyReport) -> EditResult:
    current = loaded
    changed = False
    for item in planned:
        result = update_action(current, item.row.ref, item.request)
        if not result.changed:
            report.notes.append(f"{item.ret.name}: Return!A{item.row.row}: "
                                f"{result.summary}")
            continue
        changed = True
        report.applied.append(f"{item.ret.name}: {result.summary}")
        source = current.source
        # Each change is made on the plan as the previous one left it, as running the
        # commands in turn would.
        current = parse_plan(SourceText(source.path, result.text, source.newline, source.bom,
                                        source.raw))
    count = len(report.applied)
    summary = (f"{count} action{'s' if count != 1 else ''} updated from "
               f"{len({p.ret.name for p in planned})} return(s)") if changed \
        else "nothing to apply: the returns hold no changes the plan does not already have"
    return EditResult(current.source.text, "", summary, changed)
