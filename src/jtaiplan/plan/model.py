"""The plan as data: pydantic models of every part of plan.yaml.

The models check each value's type and form. Checks across values (refs unique, owners
registered, themes declared) are lint rules in :mod:`jtaiplan.lint.integrity`, so that they
are reported with the same codes and positions as everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    PrivateAttr,
    StrictBool,
    StrictStr,
    StringConstraints,
    WithJsonSchema,
)

from .dates import ACCEPTED_FORMS, BadDate, looks_like_date, parse_date

MAX_TEXT = 20_000
_ISO_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")


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


def _rag_any_case(value: Any) -> Any:
    return RAG.parse(value) if isinstance(value, str) else value


def _any_date(value: Any) -> Any:
    # One grammar for the file and the command line: 31/03/2026 in the file is that date,
    # and `jtai fmt` writes it back ISO.
    if isinstance(value, date) or not isinstance(value, str):
        return value
    try:
        return parse_date(value, "date")
    except BadDate as exc:
        if looks_like_date(value):
            raise ValueError(str(exc)) from None
        raise ValueError(f"'{value}' is not a date: write it as {ACCEPTED_FORMS}") from None


def _date_or_word(value: Any) -> Any:
    # A date-shaped string must be a real date; any other text is a status word ("In place",
    # "underway") that the integrity rules check against the plan's own list. Never coerced.
    if isinstance(value, str) and (_ISO_SHAPE.match(value.strip()) or looks_like_date(value)):
        return _any_date(value.strip())
    return value


# Editors should accept what the model accepts: a RAG word in any case.
_RAG_JSON_SCHEMA = {
    "type": "string",
    "description": "Blue (completed), Green (on track), Amber (at risk) or Red (highly likely "
                   "late), in any case.",
    "pattern": "^(" + "|".join("".join(f"[{c.upper()}{c.lower()}]" for c in r.value)
                               for r in RAG) + ")$",
    "examples": [r.value for r in RAG],
}
Rag = Annotated[RAG, BeforeValidator(_rag_any_case), WithJsonSchema(_RAG_JSON_SCHEMA)]
# Editors should accept the date forms the model accepts (YAML 1.2 reads them all as text).
_DATE_JSON_SCHEMA = {
    "type": "string",
    "description": f"A date, day-first: {ACCEPTED_FORMS}. `jtai fmt` writes it ISO.",
    "pattern": r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}([./-])\d{1,2}\2(\d{2}|\d{4})"
               r"|\d{1,2}(st|nd|rd|th)?[\s-]+[A-Za-z]+\.?[\s,-]+(\d{2}|\d{4}))\s*$",
    "examples": ["2026-03-31", "31/03/2026"],
}
IsoDate = Annotated[date, BeforeValidator(_any_date), WithJsonSchema(_DATE_JSON_SCHEMA)]
Text = Annotated[StrictStr, StringConstraints(min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT)] | None
# ASCII digits only: \d would also admit Arabic-Indic and other digits that nobody can type
# back at `jtai show`; six digits each side is room for any real plan.
Ref = Annotated[StrictStr, StringConstraints(pattern=r"^[0-9]{1,6}\.[0-9]{1,6}$")]

CompleteBy = Annotated[date | Text, BeforeValidator(_date_or_word)]
# Not ':' (it separates a plan's id from a ref: reading-jtai:2.3).
PlanId = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
AgencyCode = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]


def find_declared(value: str, allowed: Iterable[str]) -> str | None:
    """``value`` as the plan declares it, matched in any case ("high" for "High"), or None."""
    folded = " ".join(value.split()).casefold()
    return next((word for word in allowed if " ".join(word.split()).casefold() == folded),
                None)


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Inspection(Strict):
    type: Text = Field(description="The kind of inspection, e.g. JTAI.")
    name: OptionalText = None
    area: Text = Field(description="The local authority area inspected.")
    start: IsoDate
    end: IsoDate
    plan_title: OptionalText = None


class SummaryOfChange(Strict):
    heading: OptionalText = None
    introduction: OptionalText = None
    areas: list[Text] = Field(default_factory=list)


class Agency(Strict):
    code: AgencyCode = Field(description="Short code used in owners and leads, e.g. BFfC.")
    name: Text
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other ways the plan writes this agency; matching ignores case.",
    )
    note: OptionalText = None
    succeeded_by: AgencyCode | None = Field(
        default=None,
        description="The agency that took this one's work over (its code), e.g. RBC. The "
                    "plan keeps this agency's code on its actions; --owner finds them under "
                    "either.")
    succeeded_on: IsoDate | None = Field(
        default=None, description="The day the successor took over (required with "
                                  "succeeded_by).")
    succession_note: OptionalText = Field(
        default=None, description='E.g. "the BFfC name is kept externally".')


class AgencyRegistry(Strict):
    """A shared agency registry: one file that several plans of a partnership point at."""

    version: Literal[1] = 1
    agencies: list[Agency] = Field(min_length=1)


class Change(Strict):
    """One field's move in an update: old value and new value, as text."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    old: str | None = Field(default=None, alias="from")
    new: str | None = Field(default=None, alias="to")


class Update(Strict):
    """An entry of an action's history, appended by ``jtai update``; never edited."""

    date: IsoDate
    by: Text
    changes: dict[StrictStr, Change] = Field(default_factory=dict)
    note: OptionalText = None
    evidence: OptionalText = None
    impact_evidence: OptionalText = None
    reason: OptionalText = Field(default=None, description="Why the complete-by date moved.")



class Action(Strict):
    ref: Ref = Field(description='Quoted, e.g. "2.10": unquoted, YAML reads 2.10 as 2.1.')
    multi_agency: StrictBool = False
    action: Text
    complete_by: CompleteBy | None = Field(
        default=None,
        description="A date (2026-03-31, 31/03/2026, 31 March 2026...), or one of the plan's "
                    "complete_by_words such as 'In place'.",
    )
    baseline_complete_by: IsoDate | None = Field(
        default=None, description="The first complete-by date, kept when the date is revised."
    )
    owners: list[Text] = Field(min_length=1, description="Agency codes (or aliases).")
    owners_as_written: OptionalText = None
    # A tracker often has no theme or plan type: left empty, never invented (lint may warn).
    theme: Text | None = None
    plan_type: Text | None = None
    progress: Rag
    impact: Rag | None = None
    completed_on: IsoDate | None = None
    evidence: OptionalText = None
    impact_evidence: OptionalText = None
    updates: list[Update] = Field(default_factory=list)

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


class Objective(Strict):
    number: PositiveInt
    title: Text
    risk: Text | None = Field(default=None, description="A key of risk_levels, e.g. high.")
    lead: Text | None = Field(default=None, description="The accountable lead's agency code.")
    characteristics_of_good: OptionalText = None
    actions: list[Action] = Field(default_factory=list)


class Waiver(Strict):
    rule: Text = Field(description="A lint rule code, e.g. JTAI101.")
    ref: Ref
    reason: Text
    expires: IsoDate


class LintConfig(Strict):
    due_soon_days: NonNegativeInt = 14
    review_cadence_days: PositiveInt = 42
    disable: list[Text] = Field(default_factory=list, description="Rule codes switched off.")
    waivers: list[Waiver] = Field(default_factory=list)


class Plan(Strict):
    version: Literal[1] = 1
    id: PlanId | None = Field(
        default=None, description="A short id for this plan among several (reading-jtai); "
                                  "default: the file's name without .yaml.")
    inspection: Inspection
    area_for_priority_action: OptionalText = None
    summary_of_change: SummaryOfChange | None = None
    characteristics_of_good: OptionalText = None
    rag_key: dict[Rag, Text] = Field(default_factory=dict)
    # Empty when the plan's source did not carry them (an imported tracker).
    risk_levels: dict[StrictStr, Text] = Field(default_factory=dict)
    themes: list[Text] = Field(default_factory=list)
    plan_types: list[Text] = Field(default_factory=list)
    complete_by_words: list[Text] = Field(default_factory=list)
    agencies_from: OptionalText = Field(
        default=None, description="A shared agency registry (a YAML file with agencies:), "
                                  "relative to this plan's file, e.g. ../agencies.yaml. "
                                  "The plan's own agencies: add to it.")
    agencies: list[Agency] = Field(default_factory=list)
    objectives: list[Objective] = Field(min_length=1)
    lint: LintConfig = Field(default_factory=LintConfig)
    # Filled by the loader from agencies_from: not part of the file, so not a field.
    _shared_agencies: tuple[Agency, ...] = PrivateAttr(default=())

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
        self._shared_agencies = agencies
        return self

    def registry(self) -> list[Agency]:
        """Every agency this plan knows: the shared registry's, then its own."""
        return [*self._shared_agencies, *self.agencies]
