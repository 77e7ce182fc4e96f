"""The headers real plans use for each field, as data, and matching a header to its field.

Headers match without regard to case, punctuation or spacing: ``Owner(s)``, ``OWNERS`` and
``owners`` are one header. ``--map "HEADER=FIELD"`` adds to these for one import.
"""

from __future__ import annotations

import re

IGNORE = "ignore"

ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "ref": ("REF", "Ref", "Ref no", "No.", "Number", "ID", "Action no", "Action ref"),
    "action": ("Action", "Actions", "What will be done", "Action description"),
    "complete_by": ("Complete by", "By when", "Timescale", "Timescales", "Target date", "Due",
                    "Due date", "Deadline", "Completion date"),
    "baseline_complete_by": ("Baseline complete by", "Baseline", "Original date",
                             "Baseline date"),
    "owners": ("Owners", "Owner", "Owner(s)", "Lead", "Lead agency", "Lead agencies",
               "Responsible", "Responsible agency", "Who"),
    "theme": ("Theme",),
    "plan_type": ("Plan", "Plan type"),
    "progress": ("Progress RAG", "RAG", "Status", "Progress", "RAG status", "Progress rating"),
    "impact": ("Impact RAG", "Impact", "Impact rating"),
    "objective": ("Objective", "Priority", "Objective no.", "Objective number",
                  "Priority no."),
    "objective_title": ("Objective title", "Priority title", "Title"),
    "objective_lead": ("Accountable lead", "Objective lead"),
    "objective_risk": ("Risk", "Risk level", "Objective risk"),
    "objective_characteristics": ("Characteristics of good", "Characteristics",
                                  "What good looks like"),
    "multi_agency": ("Multi-agency", "Multi agency"),
    "owners_as_written": ("Owners as written",),
    "completed_on": ("Completed on", "Date completed"),
    "evidence": ("Evidence", "Evidence of progress"),
    "impact_evidence": ("Impact evidence", "Evidence of impact"),
}
"""Columns of a tracker (one row per action) or of an objective table's header row."""

REFUSED: dict[str, str] = {
    # Headers jtai writes that a plan file cannot take, with what to do instead.
    "Plan id": "this is an export of several plans; a plan file holds one: export one plan "
               "(jtai export --plan FILE) and import that",
}

KNOWN_IGNORED: tuple[str, ...] = (
    # What `jtai export` writes that the plan derives rather than holds: read and set aside.
    "Owner names", "Overdue", "Latest update", "Latest update date", "Days overdue",
    "Position",
)

OBJECTIVE_FIELDS: dict[str, tuple[str, ...]] = {
    "number": ("Number", "Objective", "No.", "Objective no.", "Objective number", "Priority"),
    "title": ("Title", "Objective title", "Priority title"),
    "lead": ("Lead", "Accountable lead"),
    "risk": ("Risk", "Risk level"),
    "characteristics_of_good": ("Characteristics of good", "Characteristics",
                                "What good looks like"),
}
"""Columns of a sheet listing the objectives (the export's "Objectives" sheet)."""

OBJECTIVE_NUMBER_OR_TITLE: tuple[str, ...] = ("Objective", "Priority")
"""Headers that name the number alone, but the title beside a "No." or "Number" column."""

ACTION_ONLY_FIELDS = frozenset({"action", "complete_by", "baseline_complete_by", "progress",
                                "impact", "theme", "plan_type", "multi_agency",
                                "completed_on", "evidence", "impact_evidence"})
"""Fields a sheet of objectives never has: a header row naming one lists actions."""

FIELD_NAMES = (*ACTION_FIELDS, IGNORE)


def fold(header: str) -> str:
    """``Owner(s)`` -> ``owners``: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", header.casefold())


def _index(registry: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for field_name, synonyms in registry.items():
        for synonym in (field_name, *synonyms):
            out.setdefault(fold(synonym), field_name)
    return out


_ACTION_INDEX = _index(ACTION_FIELDS) | {fold(h): IGNORE for h in KNOWN_IGNORED}
_OBJECTIVE_INDEX = _index(OBJECTIVE_FIELDS)
_REFUSED_INDEX = {fold(header): why for header, why in REFUSED.items()}


def refused_because(header: str) -> str | None:
    """Why a header jtai knows cannot be imported (see :data:`REFUSED`), else None."""
    return _REFUSED_INDEX.get(fold(header))


class BadMapping(ValueError):
    """A ``--map`` that is not ``HEADER=FIELD`` with a known field."""


def parse_maps(maps: list[str]) -> dict[str, str]:
    """``["Milestone=ignore", "Agency=owners"]`` -> folded header -> field."""
    out = {}
    for item in maps:
        header, sep, target = item.partition("=")
        target = target.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not header.strip():
            raise BadMapping(f"--map '{item}' must be HEADER=FIELD, e.g. \"Milestone=ignore\"")
        if target not in FIELD_NAMES:
            raise BadMapping(f"--map '{item}': '{target}' is not a field; use one of "
                             f"{', '.join(FIELD_NAMES)}")
        out[fold(header)] = target
    return out


def action_field(header: str, maps: dict[str, str]) -> str | None:
    """The field a tracker's header means, ``ignore``, or None when not recognised."""
    key = fold(header)
    return maps.get(key) or _ACTION_INDEX.get(key)


def objective_field(header: str) -> str | None:
    return _OBJECTIVE_INDEX.get(fold(header))


def objective_fields(headers: list[str]) -> list[str | None]:
    """Each header's field in a sheet of objectives: "Objective" is the title when
    another column holds the number (No., Objective, Accountable lead, Risk)."""
    fields = [objective_field(h) for h in headers]
    either = {fold(h) for h in OBJECTIVE_NUMBER_OR_TITLE}
    if fields.count("number") > 1 and "title" not in fields:
        for i, header in enumerate(headers):
            if fields[i] == "number" and fold(header) in either:
                fields[i] = "title"
                break
    return fields
