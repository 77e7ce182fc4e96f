"""Returns applied across several plans: each row back to its own plan's file, all or none.

A several-plan pack (``jtai pack --plan plans/``) qualifies its refs (reading-jtai:2.3) and
its hidden record names each plan (``plans``: id, file, inspection); a one-plan pack goes to
the plan read whose inspection it was made from. Each plan's share of the returns is then
checked exactly as ``jtai apply`` checks a one-plan return, every plan before any is written
(:func:`jtaiplan.planfile.writer.change_plans`), so a refusal in one file leaves all of them
byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...plan.refs import split_ref
from ...planfile.edit import EditResult
from ...planfile.loader import LoadedPlan
from ...planfile.writer import Outcome, change_plans
from .apply import (
    ApplyOptions,
    ApplyReport,
    ReturnsRefused,
    apply_in_turn,
    plan_changes,
    read_returns,
)
from .content import plan_key
from .read import Problem, Return


@dataclass(frozen=True)
class Target:
    """A plan the returns may change: its id, file and inspection key."""

    id: str
    path: Path
    key: str


@dataclass
class Applied:
    target: Target
    report: ApplyReport


@dataclass
class _Split:
    shares: dict[str, list[Return]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def targets_of(entries: Sequence[tuple[str, LoadedPlan]]) -> list[Target]:
    return [Target(plan_id, loaded.path, plan_key(loaded.plan)) for plan_id, loaded in entries]


def apply_across(targets: Sequence[Target], paths: Sequence[Path], options: ApplyOptions
                 ) -> list[Applied]:
    """Every return's rows applied to their own plans; ReturnsRefused listing the problems
    of every return and every plan when any has one, and then nothing is written."""
    split = _split(targets, read_returns(paths))
    involved = [t for t in targets if t.id in split.shares]
    refusals: list[ReturnsRefused] = []
    checked = _run(involved, split, options, refusals, dry_run=True)
    if split.problems or refusals:
        problems = split.problems + [p for r in refusals for p in r.problems]
        count = len(problems)
        hint = refusals[0].hint if len(refusals) == 1 and not split.problems else (
            "fix them in the workbooks (or ask the agencies to) and apply them again; "
            "nothing was applied to any plan")
        refused = ReturnsRefused(f"{count} problem{'s' if count != 1 else ''} in the "
                                 f"returns across {len(targets)} plans", problems, hint=hint)
        refused.unchanged = "no plan file was changed"
        raise refused
    if options.dry_run:
        return checked
    return _run(involved, split, options, None, dry_run=False)


def _run(involved: Sequence[Target], split: _Split, options: ApplyOptions,
         refusals: list[ReturnsRefused] | None, *, dry_run: bool) -> list[Applied]:
    applied = [Applied(target, ApplyReport()) for target in involved]
    edits = [(a.target.path, _edit(split.shares[a.target.id], options, a.report, refusals))
             for a in applied]
    outcomes: list[Outcome] = change_plans(edits, dry_run=dry_run)
    for item, outcome in zip(applied, outcomes, strict=True):
        item.report.outcome = outcome
    return applied


def _edit(returns: list[Return], options: ApplyOptions, report: ApplyReport,
          refusals: list[ReturnsRefused] | None) -> Callable[[LoadedPlan], EditResult]:
    def edit(loaded: LoadedPlan) -> EditResult:
        try:
            planned = plan_changes(loaded, returns, options, report)
        except ReturnsRefused as exc:
            if refusals is None:
                raise
            # Checked, not written: gather every plan's problems before saying anything.
            refusals.append(exc)
            return EditResult(loaded.source.text, "", "refused", False)
        return apply_in_turn(loaded, planned, report)

    return edit


def _split(targets: Sequence[Target], returns: list[Return]) -> _Split:
    split = _Split()
    by_id = {t.id.casefold(): t for t in targets}
    for ret in returns:
        if ret.problems:
            split.problems.extend(ret.problems)
        elif "plans" in ret.meta:
            _split_several(ret, by_id, split)
        else:
            _route_one(ret, targets, split)
    return split


def _route_one(ret: Return, targets: Sequence[Target], split: _Split) -> None:
    key = ret.meta.get("plan_id", "")
    matching = [t for t in targets if t.key == key]
    if len(matching) != 1:
        said = "none" if not matching else "several"
        split.problems.append(Problem(
            ret.name, "", f"a pack for the plan '{key}' (made from {ret.meta.get('plan')}), "
            f"which {said} of the {len(targets)} plans read {'are' if matching else 'is'}",
            "apply it with --plan naming that plan's file"))
        return
    split.shares.setdefault(matching[0].id, []).append(ret)


def _split_several(ret: Return, by_id: dict[str, Target], split: _Split) -> None:
    try:
        records = {str(r["id"]).casefold(): r for r in json.loads(ret.meta["plans"])}
    except (ValueError, TypeError, KeyError):
        split.problems.append(Problem(ret.name, "", "the pack's record of its plans is "
                                      "damaged", "make a new pack with `jtai pack`"))
        return
    for row in ret.rows:
        plan_id, bare = split_ref(row.ref)
        record = records.get((plan_id or "").casefold())
        target = by_id.get((plan_id or "").casefold())
        if record is None or target is None:
            made = f" (made from {record['file']})" if record else ""
            split.problems.append(Problem(
                ret.name, f"Return!A{row.row}", f"{row.ref}: the plan '{plan_id}'{made} is "
                "not among the plans read", "add its file or folder with --plan"))
            continue
        meta = dict(ret.meta, plan_id=str(record.get("plan_id", "")),
                    plan=str(record.get("file", "")))
        share = split.shares.setdefault(target.id, [])
        if not share or share[-1].path != ret.path:
            share.append(Return(ret.path, meta, [], ret.modified))
        share[-1].rows.append(replace(row, ref=bare))
