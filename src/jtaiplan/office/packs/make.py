"""Which packs to make, and each in its format: the steps behind ``jtai pack``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from ...errors import CannotRun
from ...plan.agencies import AgencyIndex
from ...plan.model import RAG
from ...plan.query import ActionFilter, select
from ...planfile.loader import LoadedPlan
from .content import Pack, build_pack, owned_by


class PackFormat(StrEnum):
    xlsx = "xlsx"
    md = "md"
    txt = "txt"


def make_packs(loaded: LoadedPlan, agencies: list[str] | None, criteria: ActionFilter,
               as_of: date, return_by: date) -> list[Pack]:
    """One pack per agency in ``agencies`` (codes), or per agency owning a selected action
    when None. Without a --progress filter, completed (Blue) actions are left out."""
    plan = loaded.plan
    rows = select(plan, criteria, as_of)
    if not criteria.progress:
        rows = [r for r in rows if r.action.progress is not RAG.BLUE]
    if agencies is None:
        owning = {code for row in rows for code in row.owners}
        agencies = [code for code in AgencyIndex.of(plan).codes() if code in owning]
        if not agencies:
            raise CannotRun("no agency owns an action these filters select, so no pack "
                            "was made", hint="loosen the filters (see `jtai status`)")
    packs = []
    for code in agencies:
        mine = owned_by(rows, code)
        if not mine:
            raise CannotRun(f"{code} owns no action these filters select (completed ones "
                            "are left out unless --progress blue is given)",
                            hint=f"`jtai status --owner {code}` lists what it owns")
        packs.append(build_pack(plan, mine, code, as_of=as_of, return_by=return_by,
                                plan_file=loaded.path.name))
    return packs


def render_pack(pack: Pack, output_format: PackFormat) -> bytes:
    if output_format is PackFormat.xlsx:
        from .write import pack_workbook

        return pack_workbook(pack)
    from .text import pack_text

    text = pack_text(pack, markdown=output_format is PackFormat.md)
    # A BOM so Notepad and Outlook on Windows read the text file as UTF-8.
    return ("\ufeff" + text if output_format is PackFormat.txt else text).encode("utf-8")
