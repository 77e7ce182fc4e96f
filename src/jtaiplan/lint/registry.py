"""The rule registry: each rule is a small function with a code, a severity and a summary.

Adding a rule is adding a function under ``@rule(...)`` in one of the rule modules; its
docstring is the explanation ``jtai rules CODE`` prints.
"""

from __future__ import annotations

import bisect
import inspect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..findings import Path_, Severity, ref_at
from ..plan.model import Action, LintConfig, Objective, Plan

if TYPE_CHECKING:
    from ..plan.diff import PlanDiff


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports; the runner adds the code, severity and position."""

    path: Path_
    message: str
    ref: str | None = None
    hint: str = ""


@dataclass(frozen=True)
class Context:
    plan: Plan
    data: Any
    """The plan as plain data, for rules that read every string."""
    as_of: date
    config: LintConfig
    file: str = "plan.yaml"
    diff: PlanDiff | None = None
    """What changed since the base revision, for the change rules (``lint --base``)."""

    @cached_property
    def strings(self) -> list[tuple[Path_, str]]:
        """Every string in the plan with its path: walked once for all the text rules."""
        return list(iter_strings(self.data))

    @cached_property
    def _all_text(self) -> tuple[str, list[int]]:
        texts = [text for _, text in self.strings]
        starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
        return "\n".join(texts), starts

    def strings_matching(self, pattern: re.Pattern[str]) -> list[tuple[Path_, str]]:
        """The strings holding a match of ``pattern``, in document order, found with one
        search over all the plan's text (at C speed) rather than one per string.

        The strings are joined by newlines: ``pattern`` must be one whose matches never
        take in a newline, so that each lies inside the one string it was found in.
        """
        joined, starts = self._all_text
        found = sorted({bisect.bisect_right(starts, match.start()) - 1
                        for match in pattern.finditer(joined)})
        return [self.strings[index] for index in found]

    def ref_at(self, path: Path_) -> str | None:
        return ref_at(self.data, path)


Check = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    check: Check = field(repr=False)
    uses_date: bool = False
    """Rules that depend on the as-of date are left out of ``jtai validate``."""
    integrity: bool = False
    """Integrity rules must pass before a plan can be shown, reported on or changed."""
    needs_base: bool = False
    """Change rules compare with a base revision and run only under ``lint --base``."""


RULES: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, summary: str, *, uses_date: bool = False,
    integrity: bool = False, needs_base: bool = False,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if code in RULES:
            raise RuntimeError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, name, severity, summary, inspect.cleandoc(check.__doc__ or ""),
                           check, uses_date=uses_date, integrity=integrity,
                           needs_base=needs_base)
        return check

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, in code order; importing the rule modules registers them."""
    from . import (  # noqa: F401
        agency_rules,
        change_rules,
        evidence,
        integrity,
        personal_data,
        schedule,
        schema,
    )

    return dict(sorted(RULES.items()))

def iter_strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every string value in the plan's data with its document path, in document order."""
    if isinstance(data, str):
        return iter([(path, data)])
    found: list[tuple[Path_, str]] = []
    # Recursion over the containers only, strings collected where they stand: the walk of
    # a large plan's 150,000 strings is a lint's largest single cost after reading it.
    _collect(data, path, found.append)
    return iter(found)


def _collect(value: Any, where: Path_, append: Callable[[tuple[Path_, str]], None]) -> None:
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        if isinstance(item, str):
            append(((*where, key), item))
        elif isinstance(item, dict | list):
            _collect(item, (*where, key), append)


def action_paths(plan: Plan) -> Iterator[tuple[Path_, Objective, Action]]:
    """Each action with the document path of its mapping: ``("objectives", i, "actions", j)``."""
    for i, objective in enumerate(plan.objectives):
        for j, action in enumerate(objective.actions):
            yield ("objectives", i, "actions", j), objective, action
