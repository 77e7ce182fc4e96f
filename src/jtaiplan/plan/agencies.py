"""The plan's agency registry: codes, names and aliases, matched without regard to case;
and successions (BFfC succeeded by RBC on 2025-10-01), followed as of a date.

A succession never rewrites the plan: an action owned by BFfC stays owned by BFfC. As of a
day on or after the change its *holder* is RBC, so ``--owner RBC`` finds it and views show
"BFfC → RBC"; before the change nothing differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import Agency, Plan

ARROW = " → "


@dataclass(frozen=True)
class Succession:
    """One step of a chain: ``old`` was succeeded by ``new`` on ``on``."""

    old: str
    new: str
    on: date
    note: str | None = None

    def describe(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.old} was succeeded by {self.new} on {self.on.isoformat()}{note}"


class AgencyIndex:
    """Resolves what people type or write ("bffc", "Police", "Kent CC") to an agency code.

    The first definition of a code or name wins (the shared registry's, then the plan's);
    a conflicting second one is lint rule JTAI205's business, not a reason to fail here.
    """

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.agencies: list[Agency] = []
        self._by_name: dict[str, str] = {}
        self._by_code: dict[str, Agency] = {}
        for agency in agencies:
            if agency.code in self._by_code:
                continue
            self._by_code[agency.code] = agency
            self.agencies.append(agency)
            for name in (agency.code, agency.name, *agency.aliases):
                self._by_name.setdefault(_fold(name), agency.code)
        self._successions = any(a.succeeded_by for a in self.agencies)

    @classmethod
    def of(cls, plan: Plan) -> AgencyIndex:
        return cls(plan.registry())

    def resolve(self, name: str | None) -> str | None:
        return self._by_name.get(_fold(name)) if name else None

    def codes(self) -> list[str]:
        return [agency.code for agency in self.agencies]

    def describe(self) -> str:
        """``BFfC (Brighter Futures for Children), TVP (Thames Valley Police)``."""
        return ", ".join(f"{a.code} ({a.name})" for a in self.agencies)

    def name_of(self, code: str) -> str:
        agency = self._by_code.get(code)
        return agency.name if agency else code

    # --- successions -------------------------------------------------------------------------

    def chain(self, code: str) -> list[Succession]:
        """Every recorded succession from ``code`` on, in order, whatever the date.

        Stops before a step back to an agency already in the chain (a cycle, JTAI206) or to
        an unknown code, so callers never loop.
        """
        steps: list[Succession] = []
        seen = {code}
        agency = self._by_code.get(code)
        while agency is not None and agency.succeeded_by and agency.succeeded_on:
            successor = self.resolve(agency.succeeded_by)
            if successor is None or successor in seen:
                break
            steps.append(Succession(agency.code, successor, agency.succeeded_on,
                                    agency.succession_note))
            seen.add(successor)
            agency = self._by_code.get(successor)
        return steps

    def cycle(self, code: str) -> list[str] | None:
        """``[A, B, A]`` when following ``succeeded_by`` from ``code`` comes back to it."""
        path = [code]
        agency = self._by_code.get(code)
        while agency is not None and agency.succeeded_by:
            successor = self.resolve(agency.succeeded_by)
            if successor is None:
                return None
            path.append(successor)
            if successor == code:
                return path
            if successor in path[:-1]:
                return None  # a cycle further on: reported from its own members
            agency = self._by_code.get(successor)
        return None

    def holder(self, code: str, as_of: date) -> str:
        """Who holds ``code``'s actions as of ``as_of``: the last successor in effect."""
        if not self._successions:
            return code
        holder = code
        for step in self.chain(code):
            if step.on > as_of:
                break
            holder = step.new
        return holder

    def steps_in_effect(self, code: str, as_of: date) -> list[Succession]:
        return list(_until(self.chain(code), as_of))

    def predecessors(self, code: str) -> list[str]:
        """Codes whose chain reaches ``code`` (whatever the date)."""
        return [a.code for a in self.agencies if a.code != code
                and any(s.new == code for s in self.chain(a.code))]

    def succession_notes(self, codes: Iterable[str], as_of: date) -> list[str]:
        """What ``--owner CODE`` should tell people: who holds a succeeded agency's actions
        now, or that a successor took over only after ``as_of``."""
        notes: list[str] = []
        for code in codes:
            steps = self.chain(code)
            if steps and steps[0].on <= as_of:
                notes.append(f"{steps[0].describe()}: as of {as_of.isoformat()} its actions "
                             f"are held by {self.holder(code, as_of)}")
            for old in self.predecessors(code):
                step = next(s for s in self.chain(old) if s.new == code)
                if step.on > as_of:
                    note = (f"{code} takes over from {step.old} on {step.on.isoformat()}, "
                            f"after {as_of.isoformat()}: {step.old}'s actions are not yet "
                            f"{code}'s")
                else:
                    note = (f"{code} includes the actions of {step.old}, which it took over "
                            f"on {step.on.isoformat()}")
                if note not in notes:
                    notes.append(note)
        return notes

    def in_effect(self, code: str, as_of: date) -> list[str]:
        """``code`` and every successor in effect as of ``as_of``: each of them answers for
        the actions ``code`` owns (``--owner`` BFfC, RBC or a later successor)."""
        if not self._successions:
            return [code]
        return [code, *(s.new for s in self.steps_in_effect(code, as_of))]

    def has_successions(self) -> bool:
        return self._successions

    def shown(self, code: str, as_of: date) -> str:
        """``BFfC → RBC`` once RBC holds BFfC's actions; ``BFfC`` before."""
        steps = self.steps_in_effect(code, as_of)
        return ARROW.join([code, *(s.new for s in steps)]) if steps else code


def _until(steps: list[Succession], as_of: date) -> Iterable[Succession]:
    for step in steps:
        if step.on > as_of:
            return
        yield step


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
