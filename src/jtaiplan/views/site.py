"""The plan as a small static website: which pages there are, their file names, and the data
each page shows. Rendering and writing them is :mod:`jtaiplan.views.sitewrite`'s concern.

Every page of one plan sits in one folder, so every link is a plain relative file name
(``action-2.10.html``) and the site reads the same from a web server and from ``file://``.
With several plans, the portfolio's home is at the top and each plan has its own folder,
named by its id. Everything here iterates in a fixed order (plan order, sorted codes), so
the same plan and stamp give the same pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..plan.agencies import AgencyIndex
from ..plan.meetings import meetings_until
from ..plan.model import RAG, Action, Objective, Plan, Update
from ..plan.query import ActionFilter, Row, select
from ..planfile.loader import LoadedPlan
from .portfolio_report import PortfolioOptions, PortfolioPlan, portfolio_context
from .records import lead_shown, objective_record
from .report import ReportOptions, report_context, row_record

STYLESHEET = "style.css"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class SitePage:
    path: str
    """Relative to the site's top, with ``/`` (``reading-jtai/action-2.1.html``)."""
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class SiteOptions:
    as_of: date
    template_dirs: Sequence[Path] = ()


@dataclass(frozen=True)
class SitePlan:
    id: str
    loaded: LoadedPlan
    notes: Sequence[str] = ()
    """What the plan as recorded on the as-of date cannot vouch for (plan/asof)."""


@dataclass
class _Names:
    """The file name of every page of one plan, and the links between them."""

    objectives: dict[int, str] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Plan, index: AgencyIndex) -> _Names:
        names = cls()
        for objective in plan.objectives:
            names.objectives[objective.number] = f"objective-{objective.number}.html"
            for action in objective.actions:
                names.actions[action.ref] = action_file(action.ref)
        taken: set[str] = set()
        for code in sorted(index.codes()):
            # Codes differ in case only on a case-sensitive disk: keep both pages apart
            # wherever the site is unpacked.
            stem, n = f"agency-{code}", 1
            while stem.casefold() in taken:
                n += 1
                stem = f"agency-{code}-{n}"
            taken.add(stem.casefold())
            names.agencies[code] = f"{stem}.html"
        return names

    def links(self, up: str, portfolio: bool) -> dict[str, Any]:
        return {
            "home": "index.html", "changes": "changes.html", "key": "key.html",
            "style": up + STYLESHEET, "portfolio": up + "index.html" if portfolio else None,
            "objective": self.objectives, "agency": self.agencies, "action": self.actions,
        }


def action_file(ref: str) -> str:
    return f"action-{ref}.html"


def site_pages(plans: Sequence[SitePlan], options: SiteOptions) -> list[SitePage]:
    """Every page of the site, in a fixed order; the stylesheet is the writer's."""
    if len(plans) == 1:
        return plan_pages(plans[0], options, folder="", portfolio=False)
    pages = [_portfolio_home(plans, options)]
    for entry in plans:
        pages.extend(plan_pages(entry, options, folder=entry.id + "/", portfolio=True))
    return pages


def plan_pages(entry: SitePlan, options: SiteOptions, *, folder: str, portfolio: bool
               ) -> list[SitePage]:
    loaded, plan, day = entry.loaded, entry.loaded.plan, options.as_of
    index = AgencyIndex.of(plan)
    names = _Names.of(plan, index)
    rows = select(plan, ActionFilter(), day)
    records = {row.action.ref: row_record(row) | {"lead_shown": lead_shown(row)}
               for row in rows}
    # "Since the last meeting": the changes from the latest meeting on or before the day.
    held = meetings_until(plan, day)
    last = held[0] if held else None
    base = report_context(loaded, ReportOptions(
        day, template_dirs=options.template_dirs, since=last.date if last else None,
        since_meeting=last, notes=entry.notes))
    about = {o.number: objective_record(plan, o, index) for o in plan.objectives}
    base |= {
        "pages": names.links("../" if folder else "", portfolio),
        "plan_id": entry.id if portfolio else None,
        "agencies": _agency_list(index, rows, day),
        "objectives": [_objective_summary(about[o.number], o, rows) for o in plan.objectives],
    }

    def page(name: str, template: str, **extra: Any) -> SitePage:
        return SitePage(folder + name, f"site/{template}", base | extra)

    pages = [page("index.html", "home.html.j2"),
             page("changes.html", "changes.html.j2", months=changes_by_month(plan)),
             page("key.html", "key.html.j2")]
    for objective in plan.objectives:
        mine = [r for r in rows if r.objective is objective]
        pages.append(page(names.objectives[objective.number], "objective.html.j2",
                          objective=about[objective.number],
                          actions=[records[r.action.ref] for r in mine],
                          history=_timeline(mine)))
    for code in index.codes():
        pages.append(page(names.agencies[code], "agency.html.j2",
                          agency=_agency_page(plan, index, code, rows, records, day,
                                              about)))
    for row in rows:
        pages.append(page(names.actions[row.action.ref], "action.html.j2",
                          action=records[row.action.ref], history=_timeline([row])))
    return pages


def _objective_summary(about: dict[str, Any], objective: Objective, rows: Sequence[Row]
                       ) -> dict[str, Any]:
    mine = [r for r in rows if r.objective is objective]
    return about | {
        "counts": {str(rag): sum(r.action.progress is rag for r in mine) for rag in RAG},
        "total": len(mine),
        "overdue": sum(r.overdue for r in mine),
    }


def _agency_list(index: AgencyIndex, rows: Sequence[Row], day: date) -> list[dict[str, Any]]:
    out = []
    for code in sorted(index.codes(), key=str.casefold):
        held = [r for r in rows if _holds(code, r)]
        out.append({"code": code, "name": index.name_of(code), "actions": len(held),
                    "overdue": sum(r.overdue for r in held),
                    "successor": index.holder(code, day) if index.holder(code, day) != code
                    else None})
    return out


def _holds(code: str, row: Row) -> bool:
    return code in row.owners or code in row.holders


def _agency_page(plan: Plan, index: AgencyIndex, code: str, rows: Sequence[Row],
                 records: dict[str, dict[str, Any]], day: date,
                 about: dict[int, dict[str, Any]]) -> dict[str, Any]:
    agency = next(a for a in index.agencies if a.code == code)
    held = [r for r in rows if _holds(code, r)]
    # Overdue first, then the open ones, then the completed; plan order within each.
    held.sort(key=lambda r: (not r.overdue, r.action.progress is RAG.BLUE))
    owns = []
    for row in held:
        record = dict(records[row.action.ref])
        record["held_from"] = [o for o, h in zip(row.owners, row.holders, strict=True)
                               if h == code and o != code]
        owns.append(record)
    leads = [about[o.number] for o in plan.objectives
             if code in index.in_effect(index.resolve(o.lead) or o.lead or "", day)]
    chain = index.chain(code)
    return {
        "code": code, "name": agency.name, "aliases": agency.aliases, "note": agency.note,
        "successions": [{"old": s.old, "new": s.new, "on": s.on.isoformat(), "note": s.note,
                         "in_effect": s.on <= day} for s in chain],
        "predecessors": [
            {"code": old, "on": step.on.isoformat(), "in_effect": step.on <= day}
            for old in index.predecessors(code)
            for step in index.chain(old) if step.new == code],
        "holder": index.holder(code, day),
        "owns": owns,
        "overdue": sum(r.overdue for r in held),
        "leads": leads,
    }


def update_entry(objective: Objective, action: Action, update: Update, position: int
                 ) -> dict[str, Any]:
    """One history entry as pages show it: when, who, which fields moved and why."""
    return {
        "date": update.date.isoformat(),
        "month": f"{MONTHS[update.date.month - 1]} {update.date.year}",
        "ref": action.ref,
        "objective": objective.number,
        "action": action.action,
        "by": update.by,
        "changes": [{"field": name.replace("_", " "), "old": change.old, "new": change.new}
                    for name, change in update.changes.items()],
        "note": update.note,
        "evidence": update.evidence,
        "impact_evidence": update.impact_evidence,
        "reason": update.reason,
        "position": position,
    }


def _entries(pairs: Sequence[tuple[Objective, Action]]) -> list[dict[str, Any]]:
    """Every update of these actions, newest first; same day: plan order, then the later
    entry in the file first."""
    order: dict[str, int] = {}
    entries = []
    for objective, action in pairs:
        order[action.ref] = len(order)
        for position, update in enumerate(action.updates):
            entries.append(update_entry(objective, action, update, position))
    entries.sort(key=lambda e: (e["date"], -order[e["ref"]], e["position"]), reverse=True)
    return entries


def _timeline(rows: Sequence[Row]) -> list[dict[str, Any]]:
    return _entries([(r.objective, r.action) for r in rows])


def changes_by_month(plan: Plan) -> list[dict[str, Any]]:
    """The history of the whole plan, newest first, one group per calendar month."""
    months: dict[str, dict[str, Any]] = {}
    for entry in _entries([(o, a) for o in plan.objectives for a in o.actions]):
        months.setdefault(entry["month"], {"month": entry["month"],
                                           "id": "m" + entry["date"][:7], "entries": []})
        months[entry["month"]]["entries"].append(entry)
    return list(months.values())


def _portfolio_home(plans: Sequence[SitePlan], options: SiteOptions) -> SitePage:
    entries = [PortfolioPlan(p.id, p.loaded, ActionFilter()) for p in plans]
    context = portfolio_context(entries, PortfolioOptions(options.as_of, {},
                                                          options.template_dirs))
    context["pages"] = {"style": STYLESHEET, "home": "index.html", "portfolio": None}
    for record in context["overdue"]:
        record["href"] = f"{record['plan']}/{action_file(record['ref'])}"
    return SitePage("index.html", "site/portfolio.html.j2", context)
