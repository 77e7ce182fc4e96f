"""``jtai new DIR``: a partnership's plan repository in one command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CannotRun, UpdateRefused
from .import_cmd import AgenciesFileOption, InspectedOption, MapOption
from .init_options import AgencyOption, EndOption, StartOption


def new(
    folder: Annotated[Path, typer.Argument(
        metavar="DIR", show_default=False,
        help="The new repository's folder: made if missing; refused unless empty.")],
    source: Annotated[Path | None, typer.Option(
        "--from", metavar="SOURCE", show_default=False,
        help="Import the plan from this .docx, .xlsx, .csv, .tsv or .txt (as `jtai import`) "
             "instead of starting a new one.")] = None,
    area: Annotated[str | None, typer.Option(
        "--area", metavar="NAME",
        help="The local authority area (a new plan: default \"Example area\"; with --from: "
             "when the file does not say).")] = None,
    agency: AgencyOption = None,
    start: StartOption = None,
    end: EndOption = None,
    agencies: AgenciesFileOption = None,
    maps: MapOption = None,
    inspected: InspectedOption = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", "-n", help="List the files it would write, and write nothing.")] = False,
) -> None:
    """Make a partnership's plan repository: git, the plan, its checks and CI, one commit.

    In DIR (new, or empty): plan.yaml, new (the options of `jtai init`) or imported from
    Word, Excel or CSV (--from, with the options of `jtai import`); plan.schema.json beside
    it; a .gitignore for what jtai makes (reports, packs, returns, outboxes, lock files);
    .pre-commit-config.yaml running `jtai validate` before each commit; GitHub workflows
    (the plan's checks daily and on every pull request, the pull-request comment, and every
    other workflow this jtai has a command for), all installing this jtai's version from
    PyPI; a README saying how a change is proposed, what CI checks and how a monitoring
    cycle runs; then `git init` and a first commit.

    Exit 0: made; 1: the imported plan has problems (nothing written); 2: DIR is not empty,
    or an option is wrong (nothing written).

    Examples:

    \b
      jtai new ourplan --area Wokingham --start 02/02/2026 --end 13/02/2026
          --agency "WBC=Wokingham Borough Council" --agency "TVP=Thames Valley Police"
      jtai new ourplan --from plan.docx --area Wokingham --inspected "02/02/2026 to 13/02/2026"
      jtai new ourplan --from tracker.xlsx --dry-run
    """
    from .. import __version__
    from ..scaffold.repository import (
        PLAN_FILE,
        create_repository,
        refuse_unless_empty,
        repository_files,
    )
    from .main import COMMANDS

    refuse_unless_empty(folder)
    if source is None:
        for name, value in (("--agencies", agencies), ("--map", maps),
                            ("--inspected", inspected)):
            if value:
                raise CannotRun(f"{name} is an option of the import: use it with --from FILE",
                                hint="a new plan takes --area, --agency, --start and --end")
        from .change_cmds import init_plan_text

        text = init_plan_text(area or "Example area", agency, start, end)
    else:
        for name, value in (("--agency", agency), ("--start", start), ("--end", end)):
            if value:
                raise CannotRun(f"{name} is an option of a new plan, not of --from",
                                hint="with --from, give agencies as --agencies FILE and the "
                                     "inspection's dates as --inspected \"START to END\"")
        text = _imported(source, folder / PLAN_FILE, agencies=agencies, maps=maps, area=area,
                         inspected=inspected)
    files = repository_files(text, version=__version__, commands=COMMANDS)
    where = folder.as_posix()
    if dry_run:
        for file in files:
            print(f"{where}/{file.path}")
        print(f"jtai: dry run, nothing written: would make the git repository {where} with "
              f"these {len(files)} files and commit them", file=sys.stderr)
        return
    create_repository(folder, files)
    say = ["", f"jtai: made {where}: {len(files)} files in one commit "
               f"({', '.join(f.path for f in files[:4])}, workflows, README.md)",
           "Next:", f"  cd {where}", "  jtai status",
           "  git remote add origin URL && git push -u origin main"]
    if source is not None and "agency" in COMMANDS:
        # `jtai agency`'s subcommands, listed only where this jtai has the command.
        say += ["Review the agencies the import made (codes, names, aliases), then commit:",
                "  jtai agency list",
                "  jtai agency rename CODE --code NEW --name \"Full name\"",
                "  jtai agency merge FROM INTO",
                "  jtai agency alias CODE ALIAS"]
    print("\n".join(say), file=sys.stderr)


def _imported(source: Path, target: Path, *, agencies: Path | None, maps: list[str] | None,
              area: str | None, inspected: str | None) -> str:
    """The imported plan's text; its review list on stderr; refused (exit 1, nothing
    written) when a value could not be read or the plan would not be valid."""
    from .import_cmd import read_import

    result = read_import(source, target, agencies=agencies, maps=maps, area=area,
                         inspected=inspected)
    if result.invalid:
        raise UpdateRefused(f"the plan read from {source.name} would not be valid",
                            result.invalid,
                            hint=f"correct the source, or see the plan with `jtai import "
                                 f"{source.as_posix()} -o plan.yaml --dry-run`")
    if result.gaps:
        print(f"jtai: {len(result.gaps)} value(s) could not be read; nothing written (fix the "
              "source or use --map)", file=sys.stderr)
        raise typer.Exit(1)
    return result.text
