"""An action's history as people ask for it: newest first, with the commit that brought in
each entry.

The entries live in the plan itself (``updates:``); git adds who committed them and when,
found by blaming the entry's own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ..plan.model import Update, as_data
from ..plan.query import find_action
from ..plan.refs import locate_ref
from ..planfile.loader import LoadedPlan
from ..planfile.portfolio import PlanEntry, Portfolio
from .gitio import BlameCommit, blame


@dataclass(frozen=True)
class Entry:
    ref: str
    update: Update
    first_line: int
    last_line: int
    commit: BlameCommit | None = None
    plan: str | None = None
    """The plan's id, when several plans are read."""

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref}
        out.update(as_data(self.update, json=True))
        out["line"] = self.first_line
        out["commit"] = None if self.commit is None else commit_record(self.commit)
        return out


def commit_record(commit: BlameCommit) -> dict[str, Any] | None:
    if not commit.committed:
        return {"sha": None, "author": None, "date": None, "summary": "not committed yet"}
    return {"sha": commit.sha, "author": commit.author,
            "date": datetime.fromtimestamp(commit.when, tz=UTC).date().isoformat(),
            "summary": commit.summary}


def history(loaded: LoadedPlan, ref: str | None = None, *, use_git: bool = True) -> list[Entry]:
    """Update entries of one action (or all), newest first by their date; entries of one
    day keep the later-written first."""
    plan = loaded.plan
    wanted = None
    if ref is not None:
        _i, _j, _objective, action = find_action(plan, ref)
        wanted = action.ref
    found: list[tuple[int, Entry]] = []
    order = 0
    for i, objective in enumerate(plan.objectives):
        for j, action in enumerate(objective.actions):
            if wanted is not None and action.ref != wanted:
                continue
            for k, update in enumerate(action.updates):
                first, last = _lines(loaded, ("objectives", i, "actions", j, "updates", k))
                found.append((order, Entry(action.ref, update, first, last)))
                order += 1
    lines = blame(loaded.path) if use_git and found else None
    if lines is not None:
        found = [(n, _with_commit(entry, lines)) for n, entry in found]
    found.sort(key=lambda item: (item[1].update.date, item[1].first_line), reverse=True)
    return [entry for _n, entry in found]


def history_across(portfolio: Portfolio, ref: str | None = None, *, use_git: bool = True
                   ) -> list[Entry]:
    """:func:`history` of every plan read (or of the one a qualified ref names), newest
    first across them; each entry names its plan when there are several."""
    chosen: list[tuple[PlanEntry, str | None]]
    if ref is not None:
        index, bare = locate_ref(portfolio.plans(), ref)
        chosen = [(portfolio.entries[index], bare)]
    else:
        chosen = [(entry, None) for entry in portfolio.entries]
    found = [replace(item, plan=portfolio.id_for(entry))
             for entry, bare in chosen for item in history(entry.loaded, bare, use_git=use_git)]
    if len(chosen) > 1:
        found.sort(key=lambda e: e.update.date, reverse=True)  # stable: file order kept
    return found


def _lines(loaded: LoadedPlan, path: tuple[str | int, ...]) -> tuple[int, int]:
    """The entry's first and last lines (1-based). A node's end mark lies at the next
    token, often on the next entry's line: the entry ends at its last line indented
    deeper than its dash."""
    node, _ok = loaded.sourcemap.node(path)
    if node is None:
        return 0, 0
    lines = loaded.source.text.split("\n")
    first = last = node.start_mark.line
    for number in range(first + 1, min(node.end_mark.line + 1, len(lines))):
        line = lines[number]
        if not line.strip() or len(line) - len(line.lstrip(" ")) < node.start_mark.column:
            break
        last = number
    return first + 1, last + 1


def _with_commit(entry: Entry, lines: list[BlameCommit]) -> Entry:
    commits = [lines[n - 1] for n in range(entry.first_line, entry.last_line + 1)
               if 0 < n <= len(lines)]
    if not commits:
        return entry
    # An entry is written once; if a later commit touched one of its lines (a reformat),
    # the one that brought most of it in is the answer.
    chosen = max(commits, key=lambda c: (commits.count(c), -c.when))
    if any(not c.committed for c in commits):
        chosen = next(c for c in commits if not c.committed)
    return replace(entry, commit=chosen)

