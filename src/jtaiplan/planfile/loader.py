"""Loading a plan: file -> text -> YAML nodes -> plain data -> validated model.

Every problem found on the way is collected into one :class:`~jtaiplan.errors.PlanInvalid`
with file, line and column, so the user sees them all at once.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import PlanInvalid
from ..findings import Finding, Severity
from ..plan.model import Plan
from .sourcemap import SourceMap
from .textfile import SourceText, read_source
from .validation import findings_from_error
from .yamlread import compose, to_python


@dataclass(frozen=True)
class LoadedPlan:
    """A validated plan together with where it came from and where each value stands."""

    source: SourceText
    data: dict[str, Any]
    plan: Plan
    sourcemap: SourceMap

    @property
    def name(self) -> str:
        return self.source.display_name

    @property
    def path(self) -> Path:
        return self.source.path


def load_plan(path: Path, *, integrity: bool = True) -> LoadedPlan:
    """Read and validate ``path``.

    With ``integrity`` (the default) the integrity lint rules must pass too: refs unique,
    owners registered, themes declared. Lint turns it off to report those with the rest.
    """
    return parse_plan(read_source(path), integrity=integrity)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collection pauses while building a large plan's many small objects cost more than
    the work itself; nothing built here forms reference cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_plan(source: SourceText, *, integrity: bool = True) -> LoadedPlan:
    with gc_paused():
        return _parse_plan(source, integrity)


def _parse_plan(source: SourceText, integrity: bool) -> LoadedPlan:
    name = source.display_name
    root = compose(source)
    data = to_python(root, name)
    if data is None:
        raise PlanInvalid([Finding(
            "JTAI001", Severity.ERROR, "the file is empty (or holds only comments)", name,
            line=1, column=1, hint="`jtai init` writes a new plan to start from",
        )])
    sourcemap = SourceMap(root)
    if not isinstance(data, dict):
        raise PlanInvalid([Finding(
            "JTAI001", Severity.ERROR,
            f"the top level must be a mapping of keys (version:, inspection:, objectives:...), "
            f"not {'a list' if isinstance(data, list) else 'a single value'}", name,
            line=1, column=1, hint="`jtai init` writes a new plan showing the layout",
        )])
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanInvalid(findings_from_error(exc, Plan, sourcemap, name, data)) from None
    if plan.agencies_from:
        from .agencyfile import shared_agencies

        where = sourcemap.locate(("agencies_from",))
        plan = plan.with_shared_agencies(shared_agencies(
            source, plan.agencies_from, (where.line, where.column) if where else None))
    loaded = LoadedPlan(source=source, data=data, plan=plan, sourcemap=sourcemap)
    if integrity:
        from ..lint.run import Selection, run_rules

        problems = run_rules(loaded, date.min, Selection(only_integrity=True, dated=False))
        if problems:
            raise PlanInvalid(problems)
    return loaded
