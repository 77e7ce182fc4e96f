"""The plan ``jtai init`` writes for a new partnership: valid, commented, ready to fill in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .schemacopy import MODELINE
from .yamlemit import scalar_text

# The modeline points at the schema `jtai init` writes beside the plan (planfile/schemacopy.py).
SKELETON = MODELINE + """\
# Multi-agency improvement plan after a Joint Targeted Area Inspection (JTAI).
# Replace the examples below with your own; `jtai validate` checks the file, and
# `jtai update` changes RAG ratings and dates while keeping a history of who changed what.
version: 1
inspection:
  type: JTAI
  name: Joint Targeted Area Inspection
  area: {area}
  start: {start}
  end: {end}
  plan_title: Multi-Agency Improvement Plan
area_for_priority_action: Write the inspection's area for priority action here.
characteristics_of_good: Write what good looks like across the partnership here.
rag_key:
  Blue: Completed
  Green: On track
  Amber: Emerging possibility that action will not be completed on time, attention needed
  Red: Highly likely action will not be completed on time, urgent action needed
risk_levels:
  moderate: "Moderate risk: Activity is necessary"
  high: "High risk: Urgent activity required"
themes:
  - Service Delivery and Design
  - Learning and Training
  - Information Sharing
  - Strategic Partnership
plan_types: [Operational, Strategic]
complete_by_words: [In place, underway]
# Every owner and lead must be one of these agencies (by code, name or alias, any case).
agencies:
{agencies}objectives:
  - number: 1
    title: AN EXAMPLE OBJECTIVE
    risk: high
    lead: {lead}
    characteristics_of_good: What good looks like when this objective is met.
    actions:
      - ref: "1.1"
        multi_agency: true
        action: An example action; `jtai add 1 --action ...` adds the next one as 1.2.
        complete_by: {due}
        owners: [{owners}]
        theme: Service Delivery and Design
        plan_type: Operational
        progress: Green
        impact:
lint:
  due_soon_days: 14
  review_cadence_days: 42
  disable: []
  waivers: []
"""


# The partnership's usual agencies, when `jtai init` is not told them (--agency).
DEFAULT_AGENCIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("LA", "Children's services of the local authority", ("CSC",)),
    ("POLICE", "The police force", ()),
    ("HEALTH", "The integrated care board", ("ICB",)),
    ("SCP", "The safeguarding children partnership", ("Partnership",)),
)


def skeleton(area: str, today: date, *,
             agencies: Sequence[tuple[str, str, Sequence[str]]] = DEFAULT_AGENCIES,
             start: date | None = None, end: date | None = None) -> str:
    """The new plan's text. The example objective is led by the last agency and owned by
    the first two, so that it validates whichever agencies are given."""
    start = start or today.replace(day=1)
    end = end or today
    due = date(today.year + (today.month + 3 > 12), (today.month + 2) % 12 + 1, 1)
    codes = [code for code, _name, _aliases in agencies]
    # Text is quoted when YAML would otherwise misread it ("Reading: North", "null").
    return SKELETON.format(area=scalar_text(area), start=start.isoformat(), end=end.isoformat(),
                           due=due.isoformat(), agencies=_agency_lines(agencies),
                           lead=codes[-1], owners=", ".join(codes[:2]))


def _agency_lines(agencies: Sequence[tuple[str, str, Sequence[str]]]) -> str:
    lines = []
    for code, name, aliases in agencies:
        lines += [f"  - code: {code}", f"    name: {scalar_text(name)}"]
        if aliases:
            lines.append(f"    aliases: [{', '.join(aliases)}]")
    return "\n".join(lines) + "\n"
