"""``jtai agency list``: each registered agency with what it owns and leads.

The rows are plain data built here, so that other facts about an agency (its contact, for
packs sent by email) can be added as columns without touching the command.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .agencies import AgencyIndex
from .model import Plan


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    aliases: tuple[str, ...]
    owned: tuple[str, ...]
    """Refs of the actions it owns (under any of its names)."""
    led: tuple[int, ...]
    """Numbers of the objectives it leads."""
    successor: str | None
    registry: str
    """Where it is defined: ``plan`` or ``shared`` (the file ``agencies_from:`` names)."""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "aliases": list(self.aliases), "owned": list(self.owned),
                "led": list(self.led)}


def agency_rows(plan: Plan) -> list[AgencyRow]:
    """One row per agency, in registry order (the shared registry's first)."""
    index = AgencyIndex.of(plan)
    owned: dict[str, list[str]] = {code: [] for code in index.codes()}
    led: dict[str, list[int]] = {code: [] for code in index.codes()}
    for objective in plan.objectives:
        lead = index.resolve(objective.lead)
        if lead is not None:
            led[lead].append(objective.number)
        for action in objective.actions:
            for code in dict.fromkeys(index.resolve(owner) for owner in action.owners):
                if code is not None:
                    owned[code].append(action.ref)
    shared = {agency.code for agency in plan.shared_agencies}
    return [AgencyRow(a.code, a.name, tuple(a.aliases), tuple(owned[a.code]),
                      tuple(led[a.code]), a.succeeded_by,
                      "shared" if a.code in shared else "plan")
            for a in index.agencies]
