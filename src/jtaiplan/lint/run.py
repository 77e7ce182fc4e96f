"""Running the rules over a loaded plan: selection, waivers, positions, order."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from ..findings import Finding, Path_, Severity
from ..plan.model import LintConfig, Plan
from .registry import Context, Rule, all_rules

if TYPE_CHECKING:
    from ..plan.diff import PlanDiff


class Position(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class Locator(Protocol):
    def locate(self, path: Path_) -> Position | None: ...


class Checkable(Protocol):
    """What the rules need of a loaded plan. Lint sits below the plan file's layer (the
    loader runs the integrity rules), so it names the shape rather than importing
    :class:`jtaiplan.planfile.loader.LoadedPlan`."""

    @property
    def plan(self) -> Plan: ...
    @property
    def data(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def sourcemap(self) -> Locator: ...


@dataclass(frozen=True)
class Selection:
    """Which rules run: ``select`` and ``ignore`` take codes or code prefixes (``JTAI1``)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    dated: bool = True
    """False for ``jtai validate``: rules that depend on the as-of date are left out."""
    only_integrity: bool = False
    due_soon_days: int | None = None
    review_cadence_days: int | None = None
    with_base: bool = False

    def wants(self, rule: Rule, config: LintConfig) -> bool:
        code = rule.code
        if self.only_integrity:
            # What loading relies on can be neither switched off nor waived.
            return rule.integrity

        if rule.needs_base and not self.with_base:
            return False
        if rule.uses_date and not self.dated:
            return False
        if self.select and not any(code.startswith(s.upper()) for s in self.select):
            return False
        if any(code.startswith(s.upper()) for s in self.ignore):
            return False
        return code not in {c.upper() for c in config.disable}


def unknown_codes(codes: Iterable[str]) -> list[str]:
    """Codes (or prefixes) that match no rule: ``--select JTAI9`` is a mistake to report."""
    rules = all_rules()
    return [c for c in codes if not any(code.startswith(c.upper()) for code in rules)]


def run_rules(loaded: Checkable, as_of: date, selection: Selection = Selection(),
              diff: PlanDiff | None = None) -> list[Finding]:
    """Findings of the selected rules, with positions, waivers applied, in file order."""
    plan = loaded.plan
    config = dataclasses.replace(
        plan.lint,
        due_soon_days=plan.lint.due_soon_days if selection.due_soon_days is None
        else selection.due_soon_days,
        review_cadence_days=plan.lint.review_cadence_days
        if selection.review_cadence_days is None else selection.review_cadence_days)
    ctx = Context(plan=plan, data=loaded.data, as_of=as_of, config=config, file=loaded.name,
                  diff=diff)
    waived = set() if selection.only_integrity else {
        (w.rule.upper(), w.ref) for w in config.waivers if w.expires >= as_of}

    findings: list[Finding] = []
    for rule in all_rules().values():
        if not selection.wants(rule, config):
            continue
        for hit in rule.check(ctx):
            if (rule.code, hit.ref) in waived:
                continue
            position = loaded.sourcemap.locate(hit.path)
            findings.append(Finding(
                code=rule.code, severity=rule.severity, message=hit.message, file=ctx.file,

                line=position.line if position else None,
                column=position.column if position else None,
                path=hit.path, ref=hit.ref, hint=hit.hint,
            ))
    return sort_findings(findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0, f.code))


def has_errors(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    return any(f.severity is Severity.ERROR or strict for f in findings)
