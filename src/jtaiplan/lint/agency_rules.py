"""Rules about the agency registry a plan brings: the shared file's agencies against the
plan's own, and successions (``succeeded_by``) that must lead somewhere and end."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Path_, Severity
from ..plan.agencies import AgencyIndex
from ..plan.model import Agency, Plan
from .registry import Context, Hit, rule


@rule("JTAI207", "agency-conflict", Severity.ERROR,
      "The shared agency registry and the plan define an agency differently")
def agency_conflict(ctx: Context) -> Iterable[Hit]:
    """A plan that takes its agencies from a shared file (``agencies_from:``) may add its
    own, but one code must mean one agency in every plan of the partnership: the same code
    with another name, or a name or alias given to two codes, is an error in the plan that
    brings the second definition. Restating a shared agency exactly is allowed."""
    plan = ctx.plan
    if not plan.shared_agencies:
        return
    code_of: dict[str, str] = {}
    by_code: dict[str, Agency] = {}
    shared_file = plan.agencies_from or "the shared registry"
    for agency in plan.shared_agencies:
        for name in _names(agency):
            other = code_of.setdefault(name, agency.code)
            if other != agency.code or (name == agency.code.casefold()
                                        and agency.code.casefold() in by_code):
                yield Hit(("agencies_from",), f"{shared_file} defines '{name}' twice "
                          f"({other} and {agency.code})", None,
                          "each code, name and alias must belong to one agency")
                break
        by_code.setdefault(agency.code.casefold(), agency)
    for i, agency in enumerate(plan.agencies):
        shared = by_code.get(agency.code.casefold())
        if shared is not None and _fold(shared.name) != _fold(agency.name):
            yield Hit(("agencies", i, "name"), f"agency {agency.code} is '{agency.name}' here "
                      f"but '{shared.name}' in {shared_file}", None,
                      f"use the name in {shared_file}, or give this agency another code")
            continue
        for name in _names(agency):
            shared_code = code_of.get(name)
            if shared_code is not None and shared_code.casefold() != agency.code.casefold():
                yield Hit(("agencies", i), f"'{name}' names {agency.code} here but "
                          f"{shared_code} in "
                          f"{shared_file}", None,
                          "each code, name and alias must belong to one agency in every plan")
                break


@rule("JTAI208", "succession", Severity.ERROR,
      "An agency's succession names no registered agency, lacks its date, or goes round",
      integrity=True)
def succession(ctx: Context) -> Iterable[Hit]:
    """``succeeded_by: RBC`` with ``succeeded_on: 2025-10-01`` records that RBC took the
    agency's work over that day (the plan keeps the old code on its actions; ``--owner``
    finds them under either). The successor must be a registered agency, both keys go
    together, and a chain (A → B → C) must end: A → B → A has no holder."""
    plan = ctx.plan
    index = AgencyIndex.of(plan)
    for path, agency in _entries(plan):
        if bool(agency.succeeded_by) != bool(agency.succeeded_on):
            given, missing = (("succeeded_by", "succeeded_on") if agency.succeeded_by
                              else ("succeeded_on", "succeeded_by"))
            yield Hit(_at(path, given), f"agency {agency.code} has {given} but no {missing}",
                      None, f"add {missing}: to {agency.code}'s entry")
            continue
        if not agency.succeeded_by:
            continue
        successor = index.resolve(agency.succeeded_by)
        if successor is None:
            yield Hit(_at(path, "succeeded_by"), f"agency {agency.code} is succeeded by "
                      f"'{agency.succeeded_by}', which is not a registered agency", None,
                      f"known agencies: {', '.join(index.codes())}; register the successor "
                      "under agencies:")
            continue
        loop = index.cycle(agency.code)
        if loop is not None:
            yield Hit(_at(path, "succeeded_by"), "succession goes round: "
                      f"{' → '.join(loop)}", None,
                      "a succession chain must end at the agency that holds the work now")


def _entries(plan: Plan) -> Iterable[tuple[Path_ | None, Agency]]:
    """Each agency with its path in the plan, or None for the shared file's (reported at
    the plan's ``agencies_from:``)."""
    for agency in plan.shared_agencies:
        yield None, agency
    for i, agency in enumerate(plan.agencies):
        yield ("agencies", i), agency


def _at(path: Path_ | None, key: str) -> Path_:
    return (*path, key) if path is not None else ("agencies_from",)


def _names(agency: Agency) -> list[str]:
    return [_fold(n) for n in (agency.code, agency.name, *agency.aliases)]


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
