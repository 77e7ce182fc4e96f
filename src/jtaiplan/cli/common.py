"""Small steps every command shares: the as-of date and loading the plan."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CannotRun

if TYPE_CHECKING:
    from ..planfile.loader import LoadedPlan
    from ..planfile.portfolio import Portfolio

DEFAULT_PLAN = Path("plan.yaml")


def as_of_date(value: str | None) -> date:
    from ..plan.dates import DAY_FIRST_HINT, BadDate, resolve_as_of

    try:
        return resolve_as_of(value)
    except BadDate as exc:
        raise CannotRun(str(exc), hint=DAY_FIRST_HINT) from None


def as_of_given(value: str | None) -> bool:
    """Whether a date was pinned (--as-of or JTAI_AS_OF): only then is the plan read as its
    history records it on that day; today's plan is the file as it is."""
    import os

    return bool(value) or bool(os.environ.get("JTAI_AS_OF", "").strip())


def as_recorded(portfolio: Portfolio, day: date, value: str | None,
                collected: list[str] | None = None) -> Portfolio:
    """Every plan as its history records it at the end of ``day`` when a date was pinned
    (``--as-of``); what the history cannot vouch for is noted on stderr (and appended to
    ``collected``, for outputs that say it themselves)."""
    if not as_of_given(value):
        return portfolio
    import dataclasses

    from ..plan.asof import recorded_on

    entries = []
    for entry in portfolio.entries:
        recorded = recorded_on(entry.loaded.plan, day)
        if recorded.plan is not entry.loaded.plan:
            entry = dataclasses.replace(entry, loaded=dataclasses.replace(
                entry.loaded, plan=recorded.plan))
        prefix = f"{entry.loaded.name}: " if portfolio.several else ""
        said = [prefix + line for line in recorded.notes()]
        notes(said)
        if collected is not None:
            collected.extend(said)
        entries.append(entry)
    return dataclasses.replace(portfolio, entries=entries, notes=[])


def load(plan: Path, *, integrity: bool = True) -> LoadedPlan:
    from ..planfile.loader import load_plan

    return load_plan(plan, integrity=integrity)


def plan_paths(plans: list[Path] | None) -> list[Path]:
    """``--plan`` values, or ./plan.yaml when none was given."""
    return list(plans) if plans else [DEFAULT_PLAN]


def load_plans(plans: list[Path] | None, *, integrity: bool = True) -> Portfolio:
    """Every plan ``--plan`` names (files, folders); skipped files noted on stderr."""
    from ..planfile.portfolio import load_portfolio

    portfolio = load_portfolio(plan_paths(plans), integrity=integrity)
    notes(portfolio.notes)
    return portfolio


def notes(lines: list[str]) -> None:
    for line in lines:
        print(f"jtai: {line}", file=sys.stderr)


def write_out(text: str) -> None:
    """Data to stdout as UTF-8 whatever the console's code page (Windows)."""
    stream = sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.flush()
        stream.buffer.write(text.encode("utf-8"))
    stream.flush()
