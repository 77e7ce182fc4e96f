"""How errors reach the user: one clear block on stderr, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from ..errors import CannotRun, JtaiError, PlanInvalid, UpdateRefused
from ..findings import Finding


def err(line: str = "") -> None:
    print(line, file=sys.stderr)


def finding_lines(finding: Finding) -> list[str]:
    """``plan.yaml:12:19: JTAI002 error objectives[1]...: message`` and its hint."""
    field = f" [{finding.field_name}]" if finding.field_name else ""
    lines = [f"{finding.where()}: {finding.code} {finding.severity}: {finding.message}{field}"]
    if finding.hint:
        lines.append(f"    hint: {finding.hint}")
    return lines


def report_findings(findings: Iterable[Finding]) -> None:
    for finding in findings:
        for line in finding_lines(finding):
            err(line)


def report_error(exc: JtaiError) -> None:
    if isinstance(exc, PlanInvalid):
        report_findings(exc.findings)
        count = len(exc.findings)
        err(f"jtai: the plan has {count} problem{'s' if count != 1 else ''}; fix "
            f"{'them' if count != 1 else 'it'} and run `jtai validate`")
    elif isinstance(exc, UpdateRefused):
        report_findings(exc.findings)
        err(f"jtai: refused: {exc.message}; {exc.unchanged}")
        if exc.hint:
            err(f"    hint: {exc.hint}")
    elif isinstance(exc, CannotRun):
        err(f"jtai: {exc.message}")
        if exc.hint:
            err(f"    hint: {exc.hint}")
    else:
        err(f"jtai: {exc}")


def report_bug(exc: BaseException, debug: bool) -> None:
    if debug:
        import traceback

        # Locals are never shown: plan text can be sensitive.
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    err(f"jtai: internal error ({type(exc).__name__}). This is a bug in jtai: please report "
        "it with the command you ran (run again with --debug for details).")
