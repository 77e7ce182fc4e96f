"""``jtai import``: bring a plan in from Word, Excel, CSV or Word's plain text."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun, UpdateRefused
from .common import write_out

if TYPE_CHECKING:
    from ..office.intake.build import Overrides
    from ..office.intake.importer import ImportResult


# The import's options, shared with `jtai new --from`.
AgenciesFileOption = Annotated[Path | None, typer.Option(
    "--agencies", metavar="FILE", help="Take the agency registry (codes, names, aliases) "
                                       "from this plan or agencies YAML file.")]
MapOption = Annotated[list[str] | None, typer.Option(
    "--map", metavar="HEADER=FIELD", help="Read a column jtai does not recognise as FIELD "
    "(ref, action, complete_by, owners, theme, plan_type, progress, impact, objective, "
    "objective_title, objective_lead, objective_risk, objective_characteristics, "
    "baseline_complete_by, multi_agency, owners_as_written, completed_on, evidence, "
    "impact_evidence) or 'ignore'. "
    "Repeatable.")]
InspectedOption = Annotated[str | None, typer.Option(
    "--inspected", metavar="START to END",
    help="The inspection's dates, when the file does not say: \"24/02/2025 to "
         "10/03/2025\".")]


def import_(
    source: Annotated[Path, typer.Argument(
        help="The plan as .docx, .xlsx, .csv, .tsv or .txt (Word's \"save as plain text\").",
        show_default=False, metavar="SOURCE")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="PLAN", help="Where to write the new plan (never "
                                               "overwritten).")],
    agencies: AgenciesFileOption = None,
    maps: MapOption = None,
    area: Annotated[str | None, typer.Option(
        "--area", help="The area inspected, when the file does not say.")] = None,
    inspected: InspectedOption = None,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going", help="Write the plan even if some values could not be read, each gap "
                             "marked with an '# import:' comment (exit code still 1).")]
    = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="Print the plan that would be written, and every problem; "
                                "write nothing.")] = False,
) -> None:
    """Read a plan from Word, Excel or CSV and write it as a new, valid plan.yaml.

    Recognises objective tables (as the inspection plan's Word document has them: title,
    accountable lead, header and action rows) and flat trackers (one row per action). Every
    value that needed a guess, or could not be read, is listed with its place (sheet!cell,
    table/row/column or line). Exit 0: all read; 1: something could not be read (nothing
    written, unless --keep-going); 2: the file cannot be opened or holds no plan.

    Examples:

      jtai import plan.docx -o plan.yaml

      jtai import tracker.xlsx --agencies plan.yaml -o new.yaml --dry-run

      jtai import tracker.csv --map "Milestone=ignore" --map "Agency=owners" -o plan.yaml
    """
    if output.exists() and not dry_run:
        raise CannotRun(f"{output.as_posix()} already exists; jtai import never overwrites a "
                        "plan", hint="choose another path, or move the existing file away")
    if not output.parent.exists():
        raise CannotRun(f"folder {output.parent.as_posix()} does not exist")
    result = read_import(source, output, agencies=agencies, maps=maps, area=area,
                         inspected=inspected)
    gaps = result.gaps
    if dry_run:
        write_out(result.text)
    if result.invalid:
        # By line of the plan that would be written: `--dry-run` shows it.
        raise UpdateRefused(f"the plan read from {source.name} would not be valid",
                            result.invalid,
                            hint="correct the source and import again (--dry-run prints the "
                                 "plan, whose lines the problems name)")
    if dry_run:
        print("jtai: dry run, nothing written", file=sys.stderr)
    elif gaps and not keep_going:
        print(f"jtai: {len(gaps)} value(s) could not be read; nothing written (fix the source "
              "or use --map; --keep-going writes the rest)", file=sys.stderr)
    else:
        from ..planfile.atomicfile import write_atomic
        from ..planfile.schemacopy import schema_beside

        schema = schema_beside(output)
        write_atomic(output, result.text.encode("utf-8"), exclusive=True)
        schema.write()
        print(f"jtai: wrote {output.as_posix()}; check it with `jtai lint --plan "
              f"{output.as_posix()}`", file=sys.stderr)
        print(f"jtai: {schema.describe()}", file=sys.stderr)
    if gaps:
        raise typer.Exit(1)


def read_import(source: Path, output: Path, *, agencies: Path | None, maps: list[str] | None,
                area: str | None, inspected: str | None) -> ImportResult:
    """The import of ``source`` as a plan meant for ``output``, its review list said on
    stderr: the places that needed a guess or could not be read."""
    from ..office.intake.build import Overrides
    from ..office.intake.importer import import_plan, load_agencies

    overrides = Overrides(area=area)
    if inspected:
        from ..office.intake.build import parse_range
        from ..plan.dates import BadDate

        try:
            overrides.start, overrides.end = parse_range(inspected)
        except BadDate as exc:
            raise CannotRun(f"--inspected: {exc}") from None
    registry = load_agencies(agencies) if agencies else None
    result = import_plan(source, output, maps=maps, agencies=registry, overrides=overrides)
    if result.missing and _at_a_terminal():
        # A person is there: ask for what the source does not say, rather than refuse.
        _ask(result.missing, overrides)
        result = import_plan(source, output, maps=maps, agencies=registry,
                             overrides=overrides)
    _summarise(result, source)
    return result


def _at_a_terminal() -> bool:
    return sys.stdin.isatty()


def _ask(missing: list[str], overrides: Overrides) -> None:
    """Area and inspection dates typed at the terminal, dates in jtai's date grammar."""
    from ..office.intake.build import parse_range
    from ..plan.dates import BadDate

    print("jtai: the source does not say which area was inspected and when", file=sys.stderr)
    if "area" in missing:
        overrides.area = typer.prompt("Area inspected (e.g. Reading)", err=True).strip()
    if "start" in missing:
        while True:
            typed = typer.prompt("Inspection dates (e.g. 24/02/2025 to 10/03/2025)",
                                 err=True)
            try:
                overrides.start, overrides.end = parse_range(typed)
                return
            except BadDate as exc:
                print(f"jtai: {exc}", file=sys.stderr)


def _summarise(result: ImportResult, source: Path) -> None:
    def say(line: str) -> None:
        print(line, file=sys.stderr)

    say(f"{source.name}: {result.layout}; {result.objectives} objective(s), "
        f"{result.actions} action(s)")
    if result.created:
        say("agencies created (check their codes and names): " + ", ".join(
            f"{a['code']} ({a['name']})" for a in result.created))
    if result.words:
        say("complete-by words declared: " + ", ".join(result.words))
    if result.absent:
        say("not in the source, left empty: " + ", ".join(result.absent))
    for line in result.defaulted:
        say(line)
    for note in result.notes:
        where = f"{note.where}: " if note.where else ""
        say(f"  {where}{'cannot read' if note.gap else 'guess'}: {note.message}")


def _headers_help() -> str:
    from ..office.intake.columns import ACTION_FIELDS, KNOWN_IGNORED

    lines = [f"{name}: {', '.join(synonyms)}" for name, synonyms in ACTION_FIELDS.items()]
    lines.append(f"read and set aside: {', '.join(KNOWN_IGNORED)}")
    return ("\n\nHeaders recognised (any case, punctuation ignored):\n\n\b\n"
            + "\n".join(lines))


import_.__doc__ = inspect.cleandoc(import_.__doc__ or "") + _headers_help()
