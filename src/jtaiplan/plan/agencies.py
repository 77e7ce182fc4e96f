"""The plan's agency registry: codes, names and aliases, matched without regard to case."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Agency, Plan


class AgencyIndex:
    """Resolves what people type or write ("bffc", "Police", "Kent CC") to an agency code."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.agencies = list(agencies)
        self._by_name: dict[str, str] = {}
        for agency in self.agencies:
            for name in (agency.code, agency.name, *agency.aliases):
                self._by_name.setdefault(_fold(name), agency.code)

    @classmethod
    def of(cls, plan: Plan) -> AgencyIndex:
        return cls(plan.agencies)

    def resolve(self, name: str | None) -> str | None:
        return self._by_name.get(_fold(name)) if name else None

    def codes(self) -> list[str]:
        return [agency.code for agency in self.agencies]

    def describe(self) -> str:
        """``BFfC (Brighter Futures for Children), TVP (Thames Valley Police)``."""
        return ", ".join(f"{a.code} ({a.name})" for a in self.agencies)

    def name_of(self, code: str) -> str:
        for agency in self.agencies:
            if agency.code == code:
                return agency.name
        return code


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
