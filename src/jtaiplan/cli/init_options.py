"""``jtai init --agency CODE=NAME``: the partnership's agencies, as typed on the command line."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from ..errors import CannotRun

AgencyOption = Annotated[list[str] | None, typer.Option(
    "--agency", metavar="CODE=NAME",
    help='An agency of the partnership, e.g. "TVP=Thames Valley Police"; repeat for each. '
         "The code (a letter, then letters, digits, - or _) is what owners and leads use.")]

StartOption = Annotated[str | None, typer.Option(
    "--start", metavar="DATE", help="The inspection's first day (default: the first of "
                                    "this month).")]
EndOption = Annotated[str | None, typer.Option(
    "--end", metavar="DATE", help="The inspection's last day (default: today).")]

# As the model's AgencyCode: checked here too so the refusal names the option.
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}\Z")


def parse_agencies(values: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, name, no aliases) for each ``CODE=NAME``; CannotRun saying how to write it."""
    from ..planfile.edit import check_text

    agencies: list[tuple[str, str, tuple[str, ...]]] = []
    seen: set[str] = set()
    for value in values:
        code, equals, name = (part.strip() for part in value.partition("="))
        if not equals or not name or not _CODE.match(code):
            raise CannotRun(f"--agency '{value}' is not CODE=NAME",
                            hint='write it as --agency "TVP=Thames Valley Police": a short '
                                 "code (a letter, then letters, digits, - or _), '=', the name")
        check_text(name, "--agency")
        if code.casefold() in seen:
            raise CannotRun(f"--agency: the code {code} is given twice")
        seen.add(code.casefold())
        agencies.append((code, name, ()))
    return agencies
