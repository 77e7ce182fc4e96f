"""The plan as data: every part of plan.yaml as a plain, frozen dataclass.

The classes cost nothing to import: reading a plan from the validated-plan cache, which is
what ``jtai status`` does on every run but the first, never imports pydantic. The rules each
value must follow when it is read from a file (types, lengths, date forms, RAG words) are in
:mod:`jtaiplan.plan.constraints`, which validates data into these classes with pydantic.

Checks across values (refs unique, owners registered, themes declared) are lint rules in
:mod:`jtaiplan.lint.integrity`, so that they are reported with the same codes and positions
as everything else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from .textpolicy import MAX_TEXT as MAX_TEXT  # re-exported: the text policy owns the limit

if TYPE_CHECKING:
    # The annotations below name the file's value types. They are strings at run time
    # (postponed annotations); constraints.py defines them and puts them in this module's
    # namespace before pydantic reads the annotations, so importing this module stays free
    # of pydantic.
    from pydantic import NonNegativeInt, PositiveInt, StrictBool, StrictStr

    from .constraints import (
        AgencyCode,
        CompleteBy,
        IsoDate,
        OptionalText,
        PlanId,
        Rag,
        Ref,
        Text,
    )


class RAG(StrEnum):
    """A Red/Amber/Green rating, with Blue for completed."""

    BLUE = "Blue"
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"

    @classmethod
    def parse(cls, value: str) -> RAG:
        """Any case: ``amber``, ``AMBER`` and ``Amber`` are the same rating."""
        try:
            return cls(value.strip().capitalize())
        except ValueError:
            raise ValueError(
                f"'{value}' is not a RAG rating: use Blue, Green, Amber or Red"
            ) from None


def find_declared(value: str, allowed: Iterable[str]) -> str | None:
    """``value`` as the plan declares it, matched in any case ("high" for "High"), or None."""
    folded = " ".join(value.split()).casefold()
    return next((word for word in allowed if " ".join(word.split()).casefold() == folded),
                None)


def doc(description: str) -> dict[str, str]:
    """A field's description, for the JSON Schema (pydantic reads a dataclass field's
    metadata as the arguments of its ``Field``)."""
    return {"description": description}


class Strict:
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


def as_data(value: Any, *, json: bool = False, exclude_defaults: bool = False) -> Any:
    """A plan object as plain data, keyed as in the file (a change's ``from`` and ``to``),
    without the values left empty (None). Dates and RAG ratings stay objects, or with
    ``json`` become text; ``exclude_defaults`` also leaves out what equals its default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for item in dataclasses.fields(value):
            got = getattr(value, item.name)
            if got is None or (exclude_defaults and _is_default(item, got)):
                continue
            out[item.metadata.get("alias", item.name)] = as_data(
                got, json=json, exclude_defaults=exclude_defaults)
        return out
    if isinstance(value, list | tuple):
        return [as_data(v, json=json, exclude_defaults=exclude_defaults) for v in value]
    if isinstance(value, dict):
        return {as_data(k, json=json): as_data(v, json=json, exclude_defaults=exclude_defaults)
                for k, v in value.items()}
    if json and isinstance(value, Enum):
        return value.value
    if json and isinstance(value, date):
        return value.isoformat()
    return value


def _is_default(item: dataclasses.Field[Any], value: Any) -> bool:
    if item.default is not dataclasses.MISSING:
        return bool(value == item.default)
    if item.default_factory is not dataclasses.MISSING:
        return bool(value == item.default_factory())
    return False


@dataclass(frozen=True, kw_only=True)
class Inspection(Strict):
    type: Text = field(metadata=doc("The kind of inspection, e.g. JTAI."))
    name: OptionalText = None
    area: Text = field(metadata=doc("The local authority area inspected."))
    start: IsoDate
    end: IsoDate
    plan_title: OptionalText = None


@dataclass(frozen=True, kw_only=True)
class SummaryOfChange(Strict):
    heading: OptionalText = None
    introduction: OptionalText = None
    areas: list[Text] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Agency(Strict):
    code: AgencyCode = field(metadata=doc("Short code used in owners and leads, e.g. BFfC."))
    name: Text
    aliases: list[Text] = field(default_factory=list, metadata=doc(
        "Other ways the plan writes this agency; matching ignores case."))
    note: OptionalText = None
    succeeded_by: AgencyCode | None = field(default=None, metadata=doc(
        "The agency that took this one's work over (its code), e.g. RBC. The plan keeps this "
        "agency's code on its actions; --owner finds them under either."))
    succeeded_on: IsoDate | None = field(default=None, metadata=doc(
        "The day the successor took over (required with succeeded_by)."))
    succession_note: OptionalText = field(default=None, metadata=doc(
        'E.g. "the BFfC name is kept externally".'))


@dataclass(frozen=True, kw_only=True)
class AgencyRegistry(Strict):
    """A shared agency registry: one file that several plans of a partnership point at."""

    version: Literal[1] = 1
    agencies: list[Agency] = field(metadata={"min_length": 1})


@dataclass(frozen=True, kw_only=True)
class Change(Strict):
    """One field's move in an update: old value and new value, as text."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "validate_by_name": True}

    old: str | None = field(default=None, metadata={"alias": "from"})
    new: str | None = field(default=None, metadata={"alias": "to"})


@dataclass(frozen=True, kw_only=True)
class Update(Strict):
    """An entry of an action's history, appended by ``jtai update``; never edited."""

    date: IsoDate
    by: Text
    changes: dict[StrictStr, Change] = field(default_factory=dict)
    note: OptionalText = None
    evidence: OptionalText = None
    impact_evidence: OptionalText = None
    reason: OptionalText = field(default=None, metadata=doc("Why the complete-by date moved."))



@dataclass(frozen=True, kw_only=True)
class Action(Strict):
    ref: Ref = field(metadata=doc('Quoted, e.g. "2.10": unquoted, YAML reads 2.10 as 2.1.'))
    multi_agency: StrictBool = False
    action: Text
    complete_by: CompleteBy | None = field(default=None, metadata=doc(
        "A date (2026-03-31, 31/03/2026, 31 March 2026...), or one of the plan's "
        "complete_by_words such as 'In place'."))
    baseline_complete_by: IsoDate | None = field(default=None, metadata=doc(
        "The first complete-by date, kept when the date is revised."))
    owners: list[Text] = field(metadata={**doc("Agency codes (or aliases)."), "min_length": 1})
    owners_as_written: OptionalText = None
    # A tracker often has no theme or plan type: left empty, never invented (lint may warn).
    theme: Text | None = None
    plan_type: Text | None = None
    progress: Rag
    impact: Rag | None = None
    completed_on: IsoDate | None = None
    evidence: OptionalText = None
    impact_evidence: OptionalText = None
    updates: list[Update] = field(default_factory=list)

    @property
    def due(self) -> date | None:
        """The complete-by date, or None when it is a status word or missing."""
        return self.complete_by if isinstance(self.complete_by, date) else None

    @property
    def due_word(self) -> str | None:
        return self.complete_by if isinstance(self.complete_by, str) else None

    @property
    def objective_number(self) -> int:
        return int(self.ref.split(".", 1)[0])

    @property
    def date_revised(self) -> bool:
        return self.baseline_complete_by is not None and self.baseline_complete_by != self.due

    @property
    def latest_update_index(self) -> int | None:
        """The position in ``updates`` of :attr:`latest_update`, or None without history."""
        if not self.updates:
            return None
        return max(range(len(self.updates)), key=lambda i: (self.updates[i].date, i))

    @property
    def revision_reason(self) -> str | None:
        """Why the complete-by date last moved, as recorded with --reason; None when the
        date was never revised or its latest move gave no reason."""
        if not self.date_revised:
            return None
        for update in reversed(self.updates_by_date()):
            if update.reason:
                return update.reason
            if "complete_by" in update.changes:
                return None
        return None

    @property
    def latest_update(self) -> Update | None:
        """The entry with the latest date; of entries on one day, the one recorded last.

        History is append-only, so a change recorded with a backdated ``--on`` comes last in
        the file although it is not the newest: never read ``updates[-1]`` as "the latest".
        """
        index = self.latest_update_index
        return None if index is None else self.updates[index]

    def updates_by_date(self) -> list[Update]:
        """The history in date order (entries of one day in the order recorded)."""
        return sorted(self.updates, key=lambda update: update.date)

    def is_overdue(self, as_of: date) -> bool:
        """Complete-by strictly before ``as_of`` and not completed (Blue)."""
        due = self.due
        return due is not None and due < as_of and self.progress is not RAG.BLUE


@dataclass(frozen=True, kw_only=True)
class Objective(Strict):
    number: PositiveInt
    title: Text
    risk: Text | None = field(default=None, metadata=doc("A key of risk_levels, e.g. high."))
    lead: Text | None = field(default=None, metadata=doc("The accountable lead's agency code."))
    characteristics_of_good: OptionalText = None
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Waiver(Strict):
    rule: Text = field(metadata=doc("A lint rule code, e.g. JTAI101."))
    ref: Ref
    reason: Text
    expires: IsoDate


@dataclass(frozen=True, kw_only=True)
class LintConfig(Strict):
    due_soon_days: NonNegativeInt = 14
    review_cadence_days: PositiveInt = 42
    disable: list[Text] = field(default_factory=list, metadata=doc("Rule codes switched off."))
    waivers: list[Waiver] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Meeting(Strict):
    """A meeting of the monitoring group: what ``--since last-meeting`` resolves to."""

    date: IsoDate
    name: OptionalText = field(default=None, metadata=doc(
        "E.g. MASA Monitoring Group."))


@dataclass(frozen=True, kw_only=True)
class Plan(Strict):
    version: Literal[1] = 1
    id: PlanId | None = field(default=None, metadata=doc(
        "A short id for this plan among several (reading-jtai); default: the file's name "
        "without .yaml."))
    inspection: Inspection
    area_for_priority_action: OptionalText = None
    summary_of_change: SummaryOfChange | None = None
    characteristics_of_good: OptionalText = None
    rag_key: dict[Rag, Text] = field(default_factory=dict)
    # Empty when the plan's source did not carry them (an imported tracker).
    risk_levels: dict[StrictStr, Text] = field(default_factory=dict)
    themes: list[Text] = field(default_factory=list)
    plan_types: list[Text] = field(default_factory=list)
    complete_by_words: list[Text] = field(default_factory=list)
    agencies_from: OptionalText = field(default=None, metadata=doc(
        "A shared agency registry (a YAML file with agencies:), relative to this plan's "
        "file, e.g. ../agencies.yaml. The plan's own agencies: add to it."))
    agencies: list[Agency] = field(default_factory=list)
    objectives: list[Objective] = field(metadata={"min_length": 1})
    lint: LintConfig = field(default_factory=LintConfig)
    meetings: list[Meeting] = field(default_factory=list, metadata=doc(
        "The monitoring group's meetings (jtai meeting add), for --since last-meeting."))
    # Filled by the loader from agencies_from: not part of the file, so not a field.
    _shared_agencies: ClassVar[tuple[Agency, ...]] = ()

    def risk_wording(self, risk: str) -> str:
        """What the plan says a risk level means; the level itself when undeclared."""
        key = find_declared(risk, self.risk_levels)
        return self.risk_levels[key] if key is not None else risk

    def actions(self) -> list[Action]:
        return [action for objective in self.objectives for action in objective.actions]

    @property
    def shared_agencies(self) -> tuple[Agency, ...]:
        return self._shared_agencies

    def with_shared_agencies(self, agencies: tuple[Agency, ...]) -> Plan:
        """This plan with the shared registry's agencies attached (the loader's step)."""
        object.__setattr__(self, "_shared_agencies", agencies)
        return self

    def registry(self) -> list[Agency]:
        """Every agency this plan knows: the shared registry's, then its own."""
        return [*self._shared_agencies, *self.agencies]
