"""The export table: every row, column and heading the writers need, built once.

Built from :mod:`jtaiplan.views.records` (the shapes JSON and reports use), so an export says
what ``jtai status`` says. The column lists are data: the importer (``jtai import``) reads
these exact headers back, so change them only together with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from ...plan.agencies import AgencyIndex
from ...plan.fieldnames import field_label
from ...plan.model import RAG, Plan, Update
from ...plan.query import ActionFilter, Row, select
from ...views.records import action_record, objective_record
from ..plansheet import PlanCell, agency_sheet_rows, plan_sheet_rows

MULTI_AGENCY_PREFIX = "MULTI-AGENCY: "
# A jtai Word export's document identifier (core properties) since the marker above is written
# as its own bold run. The import trusts the runs only in such a document: an export made
# before wrote "MULTI-AGENCY: " and the text in one run, where the words themselves decide.
DOCX_MARKER_RUNS = "jtai-docx/2: the multi-agency marker is its own bold run"
"""How the partnership's plan marks a multi-agency action; the importer reads it back."""


class Kind(StrEnum):
    """How a writer shows a column's values."""

    REF = "ref"  # always text: 2.10 must never become the number 2.1
    TEXT = "text"
    LONG = "long"  # wrapped
    DATE = "date"  # a real date (or, for complete-by, a word)
    RAG = "rag"  # the word, and its fill


@dataclass(frozen=True)
class Column:
    header: str
    attribute: str
    kind: Kind
    width: int
    """Characters, for spreadsheet column widths."""


ACTION_COLUMNS: tuple[Column, ...] = (
    Column("Objective", "objective", Kind.TEXT, 10),
    Column("Objective title", "objective_title", Kind.LONG, 24),
    Column("Ref", "ref", Kind.REF, 7),
    Column("Action", "action", Kind.LONG, 60),
    Column("Complete by", "complete_by", Kind.DATE, 13),
    Column("Baseline complete by", "baseline", Kind.DATE, 13),
    Column("Owners", "owners", Kind.TEXT, 14),
    Column("Owner names", "owner_names", Kind.LONG, 28),
    Column("Theme", "theme", Kind.LONG, 20),
    Column("Plan type", "plan_type", Kind.TEXT, 12),
    Column("Progress", "progress", Kind.RAG, 10),
    Column("Impact", "impact", Kind.RAG, 10),
    Column("Overdue", "overdue", Kind.TEXT, 9),
    Column("Latest update", "latest_note", Kind.LONG, 40),
    Column("Latest update date", "latest_date", Kind.DATE, 13),
    # What the plan holds and the columns above do not say: `jtai import` reads them back.
    Column("Owners as written", "owners_written", Kind.LONG, 24),
    Column("Multi-agency", "multi_agency", Kind.TEXT, 9),
    Column("Completed on", "completed_on", Kind.DATE, 13),
    Column("Evidence", "evidence", Kind.LONG, 30),
    Column("Impact evidence", "impact_evidence", Kind.LONG, 30),
)
"""The "Actions" sheet and the CSV file, in this order."""

# "Plan id", not "Plan": the seed's own tables head the plan-type column "Plan".
PLAN_COLUMN = Column("Plan id", "plan", Kind.TEXT, 16)
"""First on every sheet and in the CSV when several plans are exported: the plan's id."""

OBJECTIVE_COLUMNS: tuple[Column, ...] = (
    Column("Number", "number", Kind.TEXT, 8),
    Column("Title", "title", Kind.LONG, 40),
    Column("Lead", "lead", Kind.TEXT, 10),
    Column("Risk", "risk", Kind.LONG, 30),
    Column("Characteristics of good", "characteristics", Kind.LONG, 70),
)

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("Ref", "ref", Kind.REF, 7),
    Column("Date", "date", Kind.DATE, 12),
    Column("By", "by", Kind.TEXT, 18),
    Column("Changes", "changes", Kind.LONG, 40),
    Column("Note", "note", Kind.LONG, 40),
    Column("Evidence", "evidence", Kind.LONG, 30),
    Column("Impact evidence", "impact_evidence", Kind.LONG, 30),
    Column("Reason", "reason", Kind.LONG, 30),
)

KEY_COLUMNS: tuple[Column, ...] = (
    Column("Rating", "rating", Kind.RAG, 10),
    Column("Meaning", "meaning", Kind.LONG, 80),
)

YES, NO = "Yes", "No"

Cell = str | int | date | RAG | None


@dataclass(frozen=True)
class ActionRow:
    objective: int
    objective_title: str
    ref: str
    action: str
    """As the partnership writes it: ``MULTI-AGENCY: `` first when the action is one."""
    complete_by: date | str | None
    baseline: date | None
    owners: str
    owner_names: str
    owners_as_written: str
    theme: str
    plan_type: str
    progress: RAG
    impact: RAG | None
    overdue: str
    latest_note: str
    latest_date: date | None
    plan: str = ""
    owners_written: str = ""
    """``owners_as_written`` exactly as the plan holds it; empty when it holds none."""
    multi_agency: str = NO
    completed_on: date | None = None
    evidence: str = ""
    impact_evidence: str = ""
    date_moved_because: str = ""
    """The reason recorded when the complete-by date last moved."""


@dataclass(frozen=True)
class ObjectiveRow:
    number: int
    title: str
    lead: str
    risk: str
    """The plan's wording of the risk level ("High risk: Urgent activity required")."""
    characteristics: str
    actions: tuple[ActionRow, ...]
    plan: str = ""


@dataclass(frozen=True)
class HistoryRow:
    ref: str
    date: date
    by: str
    changes: str
    note: str
    evidence: str
    impact_evidence: str
    reason: str
    plan: str = ""


@dataclass(frozen=True)
class KeyRow:
    rating: RAG
    meaning: str


@dataclass(frozen=True)
class ExportTable:
    """Everything an export holds, in plan order, filters applied."""

    as_of: date
    heading: str
    """``Joint Targeted Area Inspection: Reading``."""
    inspection_dates: str
    """``24th February - 10th March 2025``, as the partnership's plan writes it."""
    plan_title: str
    """The plan's own title; empty when it has none (see :attr:`shown_title`)."""
    area_for_priority_action: str
    summary_heading: str
    summary_introduction: str
    summary_areas: tuple[str, ...]
    characteristics_of_good: str
    objectives: tuple[ObjectiveRow, ...]
    history: tuple[HistoryRow, ...]
    key: tuple[KeyRow, ...]
    filters: dict[str, object] = field(default_factory=dict)
    plan_id: str = ""
    """The plan's id, in a several-plan export's sections."""
    sections: tuple[ExportTable, ...] = ()
    """With several plans: each plan's own table (the Word export's sections); this
    table then holds all their rows, each naming its plan."""
    plan_fields: tuple[tuple[str, PlanCell], ...] = ()
    """The "Plan" sheet's rows (:mod:`..plansheet`)."""
    agency_rows: tuple[tuple[PlanCell | None, ...], ...] = ()

    @property
    def actions(self) -> list[ActionRow]:
        return [action for objective in self.objectives for action in objective.actions]

    @property
    def shown_title(self) -> str:
        """The title a document's properties and page header give: the plan's own, else a
        plain one. The body's title heading is written only for a plan's own title, so that
        the import does not read a title back into a plan that had none."""
        return self.plan_title or "Improvement Plan"

    @property
    def several(self) -> bool:
        return bool(self.sections)

    def columns(self, columns: Sequence[Column]) -> tuple[Column, ...]:
        """``columns``, with the Plan column first when several plans are exported."""
        return (PLAN_COLUMN, *columns) if self.several else tuple(columns)


def values(row: object, columns: Sequence[Column]) -> list[Cell]:
    """The row's cells in column order."""
    return [getattr(row, column.attribute) for column in columns]


def build_portfolio(parts: Sequence[tuple[str, Plan, ActionFilter | None]], as_of: date
                    ) -> ExportTable:
    """The export of several plans: ``(plan id, plan, criteria)`` each, criteria None for a
    plan the filters cannot apply to (it then contributes nothing). One plan: its table."""
    if len(parts) == 1 and parts[0][2] is not None:
        return build_table(parts[0][1], parts[0][2], as_of)
    sections = tuple(build_table(plan, criteria, as_of, plan_id)
                     for plan_id, plan, criteria in parts if criteria is not None)
    first = sections[0]
    return replace(
        first, heading=f"{len(parts)} plans: " + ", ".join(p[0] for p in parts),
        plan_title="Improvement plans", inspection_dates="", area_for_priority_action="",
        summary_heading="", summary_introduction="", summary_areas=(),
        characteristics_of_good="",
        objectives=tuple(o for t in sections for o in t.objectives),
        history=tuple(h for t in sections for h in t.history), plan_id="",
        sections=sections)


def build_table(plan: Plan, criteria: ActionFilter, as_of: date, plan_id: str = ""
                ) -> ExportTable:
    """The export of ``plan``: the actions ``criteria`` selects, and their objectives.

    Without filters every objective is exported, even one with no actions yet; with filters,
    only objectives with a selected action. ``plan_id`` (several plans) names each row's plan.
    """
    rows = select(plan, criteria, as_of)
    index = AgencyIndex.of(plan)
    filtered = bool(criteria.describe())
    by_objective: dict[int, list[Row]] = {}
    for row in rows:
        by_objective.setdefault(id(row.objective), []).append(row)
    objectives = []
    for objective in plan.objectives:
        mine = by_objective.get(id(objective), [])
        if filtered and not mine:
            continue
        record = objective_record(plan, objective)
        objectives.append(ObjectiveRow(
            number=objective.number, title=objective.title, lead=record["lead"] or "",
            risk=record["risk_wording"] or "",
            characteristics=objective.characteristics_of_good or "",
            actions=tuple(_action_row(row, index, plan_id) for row in mine),
            plan=plan_id))
    history = tuple(_history_row(row.action.ref, update, plan_id) for row in rows
                    for update in row.action.updates)
    inspection = plan.inspection
    summary = plan.summary_of_change
    return ExportTable(
        as_of=as_of,
        heading=f"{inspection.name or inspection.type}: {inspection.area}",
        inspection_dates=inspection_dates(inspection.start, inspection.end),
        plan_title=inspection.plan_title or "",
        area_for_priority_action=plan.area_for_priority_action or "",
        summary_heading=(summary.heading or "") if summary else "",
        summary_introduction=(summary.introduction or "") if summary else "",
        summary_areas=tuple(summary.areas) if summary else (),
        characteristics_of_good=plan.characteristics_of_good or "",
        objectives=tuple(objectives),
        history=history,
        # Only the meanings the plan gives: an empty one would not import again.
        key=tuple(KeyRow(rating, plan.rag_key[rating]) for rating in RAG
                  if rating in plan.rag_key),
        filters=criteria.describe(),
        plan_id=plan_id,
        plan_fields=plan_sheet_rows(plan),
        agency_rows=agency_sheet_rows(plan),
    )


def _action_row(row: Row, index: AgencyIndex, plan_id: str) -> ActionRow:
    record = action_record(row)
    action = row.action
    latest = action.latest_update
    text = action.action
    if action.multi_agency:  # always: the import removes exactly one marker
        text = MULTI_AGENCY_PREFIX + text
    return ActionRow(
        objective=record["objective"],
        objective_title=record["objective_title"],
        ref=record["ref"],
        action=text,
        complete_by=action.complete_by,
        baseline=action.baseline_complete_by,
        owners=", ".join(record["owners"]),
        owner_names="; ".join(index.name_of(code) for code in record["owners"]),
        owners_as_written=record["owners_as_written"] or ", ".join(record["owners"]),
        theme=record["theme"] or "",
        plan_type=record["plan_type"] or "",
        progress=action.progress,
        impact=action.impact,
        overdue=YES if record["overdue"] else NO,
        latest_note=(latest.note or "") if latest else "",
        latest_date=latest.date if latest else None,
        plan=plan_id,
        owners_written=action.owners_as_written or "",
        multi_agency=YES if action.multi_agency else NO,
        completed_on=action.completed_on,
        evidence=action.evidence or "",
        impact_evidence=action.impact_evidence or "",
        date_moved_because=action.revision_reason or "",
    )


def _history_row(ref: str, update: Update, plan_id: str) -> HistoryRow:
    changes = "; ".join(f"{field_label(name)}: {change.old or '—'} → {change.new or '—'}"
                        for name, change in update.changes.items())
    return HistoryRow(ref=ref, date=update.date, by=update.by, changes=changes,
                      note=update.note or "", evidence=update.evidence or "",
                      impact_evidence=update.impact_evidence or "",
                      reason=update.reason or "", plan=plan_id)


def inspection_dates(start: date, end: date) -> str:
    """``24th February - 10th March 2025``: the year once when both days share it."""
    first = f"{ordinal(start.day)} {start:%B}"
    if start.year != end.year:
        first += f" {start.year}"
    return f"{first} - {ordinal(end.day)} {end:%B} {end.year}"


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def day_first(day: date) -> str:
    """``30.06.2025``: the partnership's own way of writing a date in its Word plan."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def long_date(day: date) -> str:
    """``1 July 2025``, for the "as of" line people read."""
    return f"{day.day} {day:%B %Y}"


def counts(table: ExportTable) -> str:
    """``20 actions in 10 objectives, 3 history entries``."""
    actions, objectives, entries = len(table.actions), len(table.objectives), len(table.history)
    plans = f"{len(table.sections)} plans, " if table.several else ""
    return (plans + f"{actions} action{'s' * (actions != 1)} in {objectives} "
            f"objective{'s' * (objectives != 1)}, {entries} history "
            f"entr{'ies' if entries != 1 else 'y'}")
