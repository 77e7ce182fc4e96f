"""The board's report over several plans: a headline per plan, overdue actions across
them, and what each agency owes everywhere. Rendered through ``portfolio.html.j2`` or
``portfolio.md.j2`` with the same sandbox, escaping and override rules as the single-plan
report (:mod:`jtaiplan.views.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..markdown import md_text
from ..plan.across import select_across
from ..plan.agencies import AgencyIndex
from ..plan.model import RAG, Plan
from ..plan.query import ActionFilter, Row, summarise
from ..plan.trend import portfolio_trend
from ..planfile.loader import LoadedPlan
from .report import DUE_SOON_DAYS, RAG_WORDS, ReportFormat, generated_at, rag_class, row_record
from .templating import environment, render


@dataclass(frozen=True)
class PortfolioPlan:
    id: str
    loaded: LoadedPlan
    criteria: ActionFilter | None
    """None when the filters do not apply to this plan (an agency it does not register)."""


@dataclass(frozen=True)
class PortfolioOptions:
    as_of: date
    filters: dict[str, object]
    template_dirs: Sequence[Path] = ()


def portfolio_context(plans: Sequence[PortfolioPlan], options: PortfolioOptions
                      ) -> dict[str, Any]:
    day = options.as_of
    headlines = []
    all_rows: list[Row] = []
    for entry in plans:
        rows = select_across([(entry.id, entry.loaded.plan)], [entry.criteria], day)
        all_rows.extend(rows)
        plan = entry.loaded.plan
        headlines.append({
            "id": entry.id,
            "file": entry.loaded.name,
            "title": plan.inspection.plan_title or "Improvement plan",
            "area": plan.inspection.area,
            "inspection_type": plan.inspection.type,
            "summary": summarise(rows, due_soon_days=DUE_SOON_DAYS).as_dict(),
        })
    records = [row_record(row) for row in all_rows]
    return {
        "plans": headlines,
        "as_of": day.isoformat(),
        "generated_at": generated_at().strftime("%Y-%m-%d %H:%M UTC"),
        "filters": options.filters,
        "summary": summarise(all_rows, due_soon_days=DUE_SOON_DAYS).as_dict(),
        "rag_words": RAG_WORDS,
        "due_soon_days": DUE_SOON_DAYS,
        "overdue": [r for r, row in zip(records, all_rows, strict=True) if row.overdue],
        "agencies": _by_agency([e.loaded.plan for e in plans], all_rows, records),
        "trend": [point.as_dict() for point in portfolio_trend(
            [(e.loaded.plan, e.criteria) for e in plans if e.criteria is not None], day)],
    }


def render_portfolio(plans: Sequence[PortfolioPlan], options: PortfolioOptions,
                     output: ReportFormat) -> str:
    markdown = output is ReportFormat.markdown
    env = environment(options.template_dirs, markdown=markdown,
                      filters={"md": md_text, "rag_class": rag_class})
    name = "portfolio.md.j2" if markdown else "portfolio.html.j2"
    return render(env, name, portfolio_context(plans, options))


def _by_agency(plans: Sequence[Plan], rows: Sequence[Row], records: Sequence[dict[str, Any]]
               ) -> list[dict[str, Any]]:
    """Open actions (not Blue) under whoever holds them as of the date, every plan at once:
    after a succession, the successor owes its predecessor's actions."""
    names: dict[str, str] = {}
    for plan in plans:
        index = AgencyIndex.of(plan)
        for code in index.codes():
            names.setdefault(code, index.name_of(code))
    groups: dict[str, dict[str, Any]] = {}
    for row, record in zip(rows, records, strict=True):
        if row.action.progress is RAG.BLUE:
            continue
        for holder in dict.fromkeys(row.holders or row.owners):
            group = groups.setdefault(holder, {
                "code": holder, "name": names.get(holder, holder), "actions": [],
                "overdue": 0, "plans": [],
            })
            group["actions"].append(record)
            group["overdue"] += row.overdue
            if row.plan not in group["plans"]:
                group["plans"].append(row.plan)
    return sorted(groups.values(), key=lambda g: g["code"].casefold())
