"""What a layout reads from a grid before any value is interpreted: cells by field,
objectives, the document's head, and notes (guesses and gaps) with their locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...plan.textpolicy import trim
from ..plansheet import PlanField
from .grid import Cell


@dataclass(frozen=True)
class Note:
    where: str
    message: str
    gap: bool = False
    """True: something could not be read (exit 1); False: a guess worth checking."""


@dataclass
class RawAction:
    cells: dict[str, Cell]
    where: str


@dataclass
class RawObjective:
    number: int
    where: str
    title: Cell | None = None
    risk: Cell | None = None
    lead: Cell | None = None
    characteristics: Cell | None = None
    actions: list[RawAction] = field(default_factory=list)


@dataclass
class Head:
    """What a document says about itself: title lines, summary, RAG key."""

    lines: list[Cell] = field(default_factory=list)
    area_for_priority_action: Cell | None = None
    summary: Cell | None = None
    characteristics: Cell | None = None
    rag_key: list[tuple[Cell, Cell]] = field(default_factory=list)
    fields: list[tuple[PlanField, str, Cell]] = field(default_factory=list)
    """The rows of a workbook's "Plan" sheet (:mod:`jtaiplan.office.plansheet`): the field,
    its key (for a keyed field) and the value's cell."""
    agencies: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)
    """The rows of a workbook's "Agencies" sheet: the agency's fields, and where each stands
    (key ``""``: the row)."""


@dataclass
class Extract:
    layout: str
    head: Head = field(default_factory=Head)
    objectives: dict[int, RawObjective] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    columns_seen: set[str] = field(default_factory=set)

    def objective(self, number: int, where: str) -> RawObjective:
        if number not in self.objectives:
            self.objectives[number] = RawObjective(number, where)
        return self.objectives[number]


def filled(row: list[Cell]) -> list[Cell]:
    return [cell for cell in row if cell.text]


def short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def replaced(cell: Cell, text: str) -> Cell:
    return Cell(trim(text), cell.where, cell.value, cell.fill)
