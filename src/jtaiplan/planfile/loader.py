"""Loading a plan: file -> text -> YAML nodes -> plain data -> validated model (or the
same from the validated-plan cache, for a file read before and unchanged).

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
from typing import TYPE_CHECKING, Any

from ..errors import PlanInvalid
from ..findings import Finding, Severity
from ..plan.model import Plan
from . import plancache
from .sourcemap import SourceMap
from .textfile import SourceText, read_source

if TYPE_CHECKING:
    from yaml.nodes import Node


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
    return parse_plan(read_source(path), integrity=integrity, cached=True)


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


def parse_plan(source: SourceText, *, integrity: bool = True,
               cached: bool = False) -> LoadedPlan:
    """``source`` validated. With ``cached``, for text just read from its file, the
    validated-plan cache is used: text made in memory (an edit's result) never is."""
    with gc_paused():
        return _parse_plan(source, integrity, cached)


def _parse_plan(source: SourceText, integrity: bool, cached: bool) -> LoadedPlan:
    hit = plancache.read(source, "plan") if cached else None
    if hit is not None:
        data, plan = hit
        sourcemap = SourceMap.lazy(lambda: _compose(source))
    else:
        data, plan, sourcemap = _validate(source)
        if cached:
            plancache.write(source, "plan", data, plan)
    if plan.agencies_from:
        from .agencyfile import shared_agencies

        plan = plan.with_shared_agencies(shared_agencies(source, plan.agencies_from,
                                                         sourcemap))
    loaded = LoadedPlan(source=source, data=data, plan=plan, sourcemap=sourcemap)
    if integrity:
        from ..lint.run import Selection, run_rules

        problems = run_rules(loaded, date.min, Selection(only_integrity=True, dated=False))
        if problems:
            raise PlanInvalid(problems)
    return loaded


def _compose(source: SourceText) -> Node | None:
    from .yamlread import compose_vouched

    return compose_vouched(source)


def _validate(source: SourceText) -> tuple[dict[str, Any], Plan, SourceMap]:
    """The file's data, validated: PyYAML and pydantic are imported only here."""
    from ..plan.constraints import ValidationError, validate
    from .validation import findings_from_error
    from .yamlread import compose, to_python

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
        plan = validate(Plan, data)
    except ValidationError as exc:
        raise PlanInvalid(findings_from_error(exc, Plan, sourcemap, name, data)) from None
    return data, plan, sourcemap
