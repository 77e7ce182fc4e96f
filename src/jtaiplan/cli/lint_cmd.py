"""``jtai validate`` and ``jtai lint``: the plan's findings, for people and for CI."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CannotRun, PlanInvalid
from .common import as_of_date, as_of_given, notes, plan_paths, write_out
from .options import AsOfOption, LintFormat, PlansOption, TextOrJson

if TYPE_CHECKING:
    from ..findings import Finding
    from ..lint.run import Selection
    from ..planfile.loader import LoadedPlan


def validate(
    plan: PlansOption = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", "-f")] = TextOrJson.text,
) -> None:
    """Check the plan: YAML syntax, schema, and every rule that does not depend on the date.

    Lists every problem at once with its file, line and column. Exit 0 when valid (warnings
    are shown), 1 when not. Dates passing never make validate fail: that is `jtai lint`.
    With a folder (--plan plans/) every plan in it is checked, each finding at its own file.
    """
    from ..lint.run import Selection

    findings, valid = _findings(plan, date.today(), Selection(dated=False))
    if output_format is TextOrJson.json:
        from ..lint.output import as_json

        write_out(as_json(findings))
    else:
        from ..lint.output import as_text

        text = as_text(findings, None) if findings else ""
        write_out(text)
        for name in valid:
            if not _has_errors([f for f in findings if f.file == name]):
                typer.echo(f"{name}: valid", err=True)
    raise typer.Exit(1 if _has_errors(findings) else 0)


def lint(
    plan: PlansOption = None,
    as_of: AsOfOption = None,
    output_format: Annotated[LintFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help="text (default), json, github (workflow annotations; the default when "
             "GITHUB_ACTIONS is set) or sarif (for GitHub code scanning).")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", metavar="CODE", help="Run only these rules (codes or prefixes: JTAI1).")]
    = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", metavar="CODE", help="Skip these rules (codes or prefixes).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Always exit 0 when the lint ran: for report-only jobs.")] = False,
    due_soon_days: Annotated[int | None, typer.Option(
        "--due-soon-days", min=0, metavar="DAYS",
        help="Warn about actions due within DAYS (overrides lint.due_soon_days).")] = None,
    review_cadence_days: Annotated[int | None, typer.Option(
        "--review-cadence-days", min=1, metavar="DAYS",
        help="Warn when an action's latest update is older (overrides "
             "lint.review_cadence_days).")] = None,
    base: Annotated[str | None, typer.Option(
        "--base", metavar="REV",
        help="Also check the change since git revision REV (e.g. origin/main): completion "
             "without evidence, worse RAG without a note, history rewritten (JTAI5xx).")]
    = None,
) -> None:
    """Check the plan against every rule, dates included: CI fails on overdue actions.

    Each finding carries file, line and column, a rule code (`jtai rules` explains them),
    its severity and the action's ref. Exit 0 with no errors (warnings allowed), 1 with
    errors (or warnings under --strict), 2 when lint could not run.

    Configure thresholds, switched-off rules and per-action waivers in the plan's lint:
    section. With a folder (--plan plans/) every plan in it is checked, each finding at its
    own file and line. Examples: jtai lint --as-of 2025-07-01;
    jtai lint --format sarif > jtai.sarif; jtai lint --select JTAI3 (personal data only);
    jtai lint --plan plans/
    """
    from ..lint.run import Selection, unknown_codes

    day = as_of_date(as_of)
    for option, codes in (("--select", select or []), ("--ignore", ignore or [])):
        unknown = unknown_codes(codes)
        if unknown:
            raise CannotRun(f"{option}: no rule matches {', '.join(unknown)}",
                            hint="`jtai rules` lists the codes")
    selection = Selection(select=tuple(select or ()), ignore=tuple(ignore or ()),
                          due_soon_days=due_soon_days, review_cadence_days=review_cadence_days,
                          with_base=base is not None)
    findings, _ = _findings(plan, day, selection, base, recorded=as_of_given(as_of))
    chosen = output_format or (LintFormat.github if os.environ.get("GITHUB_ACTIONS") == "true"
                               else LintFormat.text)
    _emit(findings, chosen, day)
    if exit_zero:
        raise typer.Exit(0)
    raise typer.Exit(1 if _has_errors(findings, strict=strict) else 0)


def _findings(plans: list[Path] | None, day: date, selection: Selection,
              base: str | None = None, *, recorded: bool = False
              ) -> tuple[list[Finding], list[str]]:
    """Every plan's findings, schema failures included (they are findings too), plan by
    plan; and the names of the plans that loaded. ``recorded``: each plan as its history
    records it on ``day`` (a pinned --as-of), findings still placed in today's file."""
    from ..lint.run import run_rules
    from ..planfile.portfolio import load_each

    results, skipped = load_each(plan_paths(plans), integrity=False)
    notes(skipped)
    findings: list[Finding] = []
    loaded_names: list[str] = []
    for loaded in results:
        if isinstance(loaded, PlanInvalid):
            findings.extend(loaded.findings)
            continue
        loaded_names.append(loaded.name)
        diff = None
        if base is not None:
            from ..history.revisions import load_versions
            from ..plan.diff import diff_plans

            versions = load_versions(loaded.path, base, None)
            diff = diff_plans(versions.base.plan if versions.base else None, loaded.plan)
        checked: Any = _RecordedPlan(loaded, day) if recorded else loaded
        findings.extend(run_rules(checked, day, selection, diff))
    return findings, loaded_names


class _RecordedPlan:
    """A loaded plan as recorded on a day, its rules' paths placed in today's file."""

    def __init__(self, loaded: LoadedPlan, day: date) -> None:
        from ..plan.asof import recorded_on

        self._loaded = loaded
        self._recorded = recorded_on(loaded.plan, day)
        notes([f"{loaded.name}: {line}" for line in self._recorded.notes()])
        self.plan = self._recorded.plan
        self.data = loaded.data
        self.name = loaded.name

    @property
    def sourcemap(self) -> _RecordedPlan:
        # Not an attribute: `self.sourcemap = self` would be a reference cycle, and with the
        # collector paused the whole node tree would then live until exit (0.6 s of
        # teardown for 10,000 actions).
        return self

    def locate(self, path: tuple[str | int, ...]) -> Any:
        return self._loaded.sourcemap.locate(self._recorded.source_path(path))


def _has_errors(findings: list[Finding], *, strict: bool = False) -> bool:
    from ..lint.run import has_errors

    return has_errors(findings, strict=strict)


def _emit(findings: list[Finding], chosen: LintFormat, day: date) -> None:
    from ..lint import output
    from ..lint.registry import all_rules

    if chosen is LintFormat.json:
        write_out(output.as_json(findings))
    elif chosen is LintFormat.sarif:
        write_out(output.as_sarif(findings, all_rules()))
    elif chosen is LintFormat.github:
        write_out(output.as_github(findings, all_rules()))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with Path(summary_file).open("a", encoding="utf-8") as handle:
                handle.write(output.as_step_summary(findings, day))
    else:
        write_out(output.as_text(findings, day))
