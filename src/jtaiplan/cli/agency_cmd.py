"""``jtai agency``: list and edit the agency registry (the plan's own or the shared one)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from ..errors import CannotRun
from .change_cmds import DryRunOption, _when, _who
from .common import load, write_out
from .options import DEFAULT_PLAN, PlanOption, TextOrJson


class Step(StrEnum):
    list = "list"
    add = "add"
    rename = "rename"
    merge = "merge"
    alias = "alias"
    split_ = "split"


_ARITY = {Step.list: (0, 0, ""), Step.add: (1, 1, "CODE"), Step.rename: (1, 1, "CODE"),
          Step.merge: (2, 2, "FROM INTO"), Step.alias: (2, None, "CODE ALIAS..."),
          Step.split_: (2, 2, "CODE ALIAS")}


def agency(
    step: Annotated[Step, typer.Argument(
        metavar="list|add|rename|merge|alias|split", help="What to do (see below).",
        show_default=False)],
    names: Annotated[list[str] | None, typer.Argument(
        metavar="[CODE ...]", help="The agencies it is done to.", show_default=False)]
    = None,
    name: Annotated[str | None, typer.Option(
        "--name", metavar="TEXT", help="add, rename: the agency's full name.")] = None,
    code: Annotated[str | None, typer.Option(
        "--code", metavar="CODE", help="rename: the new code; every owner and lead that used "
                                       "the old one is rewritten. split: the new agency's "
                                       "code.")] = None,
    aliases: Annotated[list[str] | None, typer.Option(
        "--alias", metavar="TEXT", help="add: another name the agency is written as "
                                        "(repeatable).")] = None,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="NAME", help="merge: who is making the change (default: git's "
                                     "user.name).")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="merge: the date recorded (default: today).")] = None,
    output_format: Annotated[TextOrJson, typer.Option(
        "--format", "-f", help="list: text or json.")] = TextOrJson.text,
    plan: PlanOption = DEFAULT_PLAN,
    dry_run: DryRunOption = False,
) -> None:
    """Review and edit the agency registry: codes, names and aliases.

    Edits the plan's own agencies: list or, for an agency defined in it, the file
    agencies_from: names. Each change is validated before anything is written, only the
    lines concerned change, and --dry-run prints the diff instead.

    \b
      list                          code, name, aliases, actions owned, objectives led
      add CODE --name NAME [--alias A]...
      rename CODE [--code NEW] [--name NAME]
                                    a new code rewrites every owner and lead, and keeps
                                    the old code as an alias
      merge FROM INTO               every owner and lead FROM becomes INTO; FROM's code,
                                    name and aliases become INTO's aliases; the plan's
                                    updates: records it
      alias CODE ALIAS...           more names the agency is written as
      split CODE ALIAS [--code NEW] an alias becomes an agency of its own again (undoes
                                    a match the import guessed); actions whose owners
                                    as written name it are owned by it

    Examples:

    \b
      jtai agency list
      jtai agency merge Police TVP --dry-run
      jtai agency rename BFFC --code BFfC --name "Brighter Futures for Children"
    """
    given = names or []
    least, most, shape = _ARITY[step]
    if len(given) < least or (most is not None and len(given) > most):
        raise CannotRun(f"jtai agency {step.value} takes {shape or 'no agency'}; got "
                        f"{len(given)}", hint="`jtai agency --help` shows each form")
    if step is Step.list:
        _list(plan, output_format)
        return
    from ..planfile.agency_edit import RegistryEdit, change_registry

    def change(edit: RegistryEdit) -> str:
        if step is Step.add:
            if name is None:
                raise CannotRun("jtai agency add needs --name", hint='e.g. jtai agency add '
                                'TVP --name "Thames Valley Police"')
            return edit.add(given[0], name, aliases or [])
        if step is Step.alias:
            return edit.alias(given[0], given[1:])
        if step is Step.split_:
            return edit.split(given[0], given[1], code)
        if step is Step.rename:
            if code is None and name is None:
                raise CannotRun("jtai agency rename needs --code, --name or both")
            return edit.rename(given[0], code, name)
        return edit.merge(given[0], given[1], who, day)

    who = _who(by, plan) if step is Step.merge else ""
    day = _when(on)
    outcome = change_registry(plan, change, dry_run=dry_run)
    for file in outcome.files:
        if not file.written:
            write_out(file.diff)
    if not outcome.files:
        print(f"jtai: {outcome.summary}; nothing written", file=sys.stderr)
    elif dry_run:
        print(f"jtai: dry run, nothing written: {outcome.summary}", file=sys.stderr)
    else:
        where = ", ".join(f.path.as_posix() for f in outcome.files)
        print(f"jtai: updated {where}: {outcome.summary}", file=sys.stderr)


def _list(plan: object, output_format: TextOrJson) -> None:
    from pathlib import Path

    from ..plan.agencylist import agency_rows

    assert isinstance(plan, Path)
    rows = agency_rows(load(plan).plan)
    if output_format is TextOrJson.json:
        write_out(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2)
                  + "\n")
        return
    lines = []
    for row in rows:
        aliases = f"; also {', '.join(row.aliases)}" if row.aliases else ""
        successor = f"; succeeded by {row.successor}" if row.successor else ""
        shared = " [shared registry]" if row.registry == "shared" else ""
        lines.append(f"{row.code}: {row.name}{aliases}{shared}\n"
                     f"    owns {_count(row.owned, 'action')}, leads "
                     f"{_count(row.led, 'objective')}{successor}")
    write_out("\n".join(lines) + "\n")


def _count(items: tuple[object, ...], noun: str) -> str:
    if not items:
        return f"no {noun}s"
    return f"{len(items)} {noun}{'s' if len(items) > 1 else ''} ({', '.join(map(str, items))})"
