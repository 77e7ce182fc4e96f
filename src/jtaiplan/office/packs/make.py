"""Which packs to make, and each in its format: the steps behind ``jtai pack``."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from ...errors import CannotRun
from ...plan.agencies import AgencyIndex
from ...plan.model import RAG, Plan
from ...plan.query import ActionFilter, Row, select
from ...planfile.loader import LoadedPlan
from .content import Pack, PackPlan, build_pack, combine_packs, owned_by, plan_key


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


def make_portfolio_packs(entries: list[tuple[str, LoadedPlan]], owner: str | None,
                         criteria: list[ActionFilter | None], as_of: date, return_by: date
                         ) -> list[Pack]:
    """With several plans, one pack per agency covering its actions in every plan (see
    ``jtai pack --help`` for why); ``owner`` as typed (each plan resolves it with its own
    registry), or None for every agency owning a selected action anywhere."""
    if len(entries) == 1 and criteria[0] is not None:
        loaded = entries[0][1]
        code = None
        if owner is not None:
            code = _resolve(loaded.plan, owner)
        return make_packs(loaded, None if code is None else [code], criteria[0], as_of,
                          return_by)
    selected: list[tuple[str, LoadedPlan, list[Row]]] = []
    agencies: list[str] = []
    for (plan_id, loaded), chosen in zip(entries, criteria, strict=True):
        if chosen is None:
            continue
        rows = select(loaded.plan, chosen, as_of)
        if not chosen.progress:
            rows = [r for r in rows if r.action.progress is not RAG.BLUE]
        selected.append((plan_id, loaded, rows))
        if owner is not None:
            code = AgencyIndex.of(loaded.plan).resolve(owner)
            wanted = [code] if code is not None else []
        else:
            owning = {c for row in rows for c in row.owners}
            wanted = [c for c in AgencyIndex.of(loaded.plan).codes() if c in owning]
        agencies += [c for c in wanted if c not in agencies]
    if owner is not None and not agencies:
        raise CannotRun(f"--owner: no plan knows the agency '{owner}'",
                        hint=f"known agencies: {AgencyIndex.of(entries[0][1].plan).describe()}")
    if not agencies:
        raise CannotRun("no agency owns an action these filters select in any plan, so no "
                        "pack was made", hint="loosen the filters (see `jtai status`)")
    packs = []
    for code in agencies:
        parts = [(PackPlan(plan_id, loaded.path.name, plan_key(loaded.plan)),
                  build_pack(loaded.plan, owned_by(rows, code), code, as_of=as_of,
                             return_by=return_by, plan_file=loaded.path.name))
                 for plan_id, loaded, rows in selected if owned_by(rows, code)]
        if not parts:
            raise CannotRun(f"{code} owns no action these filters select in any plan "
                            "(completed ones are left out unless --progress blue is given)",
                            hint=f"`jtai status --plan ... --owner {code}` lists what it owns")
        packs.append(combine_packs(parts))
    return packs


def _resolve(plan: Plan, owner: str) -> str:
    index = AgencyIndex.of(plan)
    code = index.resolve(owner)
    if code is None:
        raise CannotRun(f"--owner: unknown agency '{owner}'",
                        hint=f"known agencies: {index.describe()}")
    return code


def render_pack(pack: Pack, output_format: PackFormat) -> bytes:
    if output_format is PackFormat.xlsx:
        from .write import pack_workbook

        return pack_workbook(pack)
    from .text import pack_text

    text = pack_text(pack, markdown=output_format is PackFormat.md)
    # A BOM so Notepad and Outlook on Windows read the text file as UTF-8.
    return ("\ufeff" + text if output_format is PackFormat.txt else text).encode("utf-8")
