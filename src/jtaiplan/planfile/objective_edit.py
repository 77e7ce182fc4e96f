"""Adding an objective (``jtai add-objective``), as a targeted edit like every other change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode

from ..errors import CannotRun
from ..plan.agencies import AgencyIndex
from ..plan.query import declared, resolve_agencies
from .edit import EditResult, check_text
from .loader import LoadedPlan
from .textedit import Document, apply_splices


@dataclass(frozen=True)
class NewObjective:
    title: str
    risk: str
    lead: str
    number: int | None = None
    """None: the next number after the highest."""
    characteristics_of_good: str | None = None


def add_objective(loaded: LoadedPlan, new: NewObjective) -> EditResult:
    """Append an objective to the plan; its actions come with ``jtai add NUMBER``.

    The risk must be one of the plan's risk levels and the lead a registered agency (any
    case); both are written as the plan declares them.
    """
    plan = loaded.plan
    check_text(new.title, "--title")
    check_text(new.characteristics_of_good, "--good")
    numbers = [o.number for o in plan.objectives]
    number = new.number if new.number is not None else max(numbers, default=0) + 1
    if number in numbers:
        raise CannotRun(f"objective {number} is already in the plan",
                        hint=f"leave out the number to add objective {max(numbers) + 1}")
    risk = declared(new.risk, list(plan.risk_levels), "--risk")
    lead = resolve_agencies(AgencyIndex.of(plan), [new.lead], "--lead")[0]
    record: dict[str, Any] = {"number": number, "title": new.title, "risk": risk,
                              "lead": lead}
    if new.characteristics_of_good:
        record["characteristics_of_good"] = new.characteristics_of_good
    root = loaded.sourcemap.root
    assert isinstance(root, MappingNode)
    doc = Document(loaded.source.text, root)
    splice = doc.append_item(root, "objectives", record)
    return EditResult(apply_splices(doc.text, [splice]), str(number),
                      f"objective {number} added: {new.title}", changed=True)
