"""Several plans read together: ``--plan`` names files and folders, may be repeated.

A folder means every plan file in it (``*.yaml``, ``*.yml``, not recursive, in name
order); YAML files that are not jtai plans (a shared agency registry, a CI file) are
skipped with a note. Each plan gets a short id: its ``id:`` key, else the file's stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CannotRun, PlanInvalid
from ..plan.model import Plan
from . import loader
from .loader import LoadedPlan
from .textfile import display_path

PLAN_SUFFIXES = (".yaml", ".yml")
# A plan has a top-level objectives: key; reading the first 1 MB is enough to tell.
_PLAN_MARK = re.compile(rb"^objectives[ \t]*:", re.MULTILINE)
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class PlanEntry:
    id: str
    loaded: LoadedPlan


@dataclass(frozen=True)
class Portfolio:
    entries: list[PlanEntry]
    notes: list[str] = field(default_factory=list)
    """What was skipped, and why: for stderr."""

    @property
    def several(self) -> bool:
        """More than one plan: outputs then name each row's plan."""
        return len(self.entries) > 1

    def plans(self) -> list[tuple[str, Plan]]:
        return [(entry.id, entry.loaded.plan) for entry in self.entries]

    def id_for(self, entry: PlanEntry) -> str | None:
        """The id to show on rows: None for a single plan, so its output is unchanged."""
        return entry.id if self.several else None


@dataclass(frozen=True)
class PlanFiles:
    paths: list[Path]
    notes: list[str]


def plan_files(paths: Sequence[Path]) -> PlanFiles:
    """Expand ``--plan`` values: files as given, folders to their plan files."""
    out: list[Path] = []
    notes: list[str] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)  # the loader says what is wrong with a missing file
            continue
        found: list[Path] = []
        skipped: list[str] = []
        for child in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
            if child.name.startswith(".") or child.suffix.lower() not in PLAN_SUFFIXES \
                    or not child.is_file():
                continue
            if looks_like_plan(child):
                found.append(child)
            else:
                skipped.append(child.name)
                notes.append(f"skipped {display_path(child)}: not a jtai plan "
                             "(no top-level objectives:)")
        if not found:
            also = f" ({', '.join(skipped)}: not plans)" if skipped else ""
            raise CannotRun(f"{display_path(path)}: no plan files in this folder{also}",
                            hint="a plan is a .yaml file with objectives:; `jtai init` "
                                 "writes one")
        out.extend(found)
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in out:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return PlanFiles(unique, notes)


def looks_like_plan(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return _PLAN_MARK.search(handle.read(_SNIFF_BYTES)) is not None
    except OSError:
        return True  # let the loader report why it cannot be read


def plan_id(loaded: LoadedPlan) -> str:
    return loaded.plan.id or loaded.path.stem


def load_portfolio(paths: Sequence[Path], *, integrity: bool = True) -> Portfolio:
    """Every plan, loaded; the first invalid plan stops it (PlanInvalid, with its file)."""
    files = plan_files(paths)
    entries = [PlanEntry(plan_id(loaded), loaded)
               for loaded in (loader.load_plan(p, integrity=integrity)
                                  for p in files.paths)]
    check_ids(entries)
    return Portfolio(entries, files.notes)


def load_each(paths: Sequence[Path], *, integrity: bool = True
              ) -> tuple[Iterator[LoadedPlan | PlanInvalid], list[str]]:
    """Every plan, or the reason it is invalid, so that lint reports them all; one at a
    time, so that a large portfolio is never held in memory at once."""
    files = plan_files(paths)
    return _each(files.paths, integrity), files.notes


def _each(paths: list[Path], integrity: bool) -> Iterator[LoadedPlan | PlanInvalid]:
    for path in paths:
        try:
            yield loader.load_plan(path, integrity=integrity)
        except PlanInvalid as exc:
            yield exc


def check_ids(entries: Sequence[PlanEntry]) -> None:
    first: dict[str, PlanEntry] = {}
    for entry in entries:
        other = first.setdefault(entry.id.casefold(), entry)
        if other is not entry:
            raise CannotRun(f"two plans have the id '{entry.id}': {other.loaded.name} and "
                            f"{entry.loaded.name}",
                            hint="give one of them its own id: key (e.g. id: wokingham-ilacs)")
