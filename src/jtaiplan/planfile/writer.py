"""One safe change to the plan file: lock, read, edit, validate, then write or show a diff.

The guarantees of every writing command live here. The edited plan is validated in full
before anything is written; a refused change leaves the file byte-identical; if the file
changed on disk while we worked, the change is refused rather than lost.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanInvalid, UpdateRefused
from .atomicfile import locked, write_atomic
from .edit import EditResult
from .linediff import Opcode, line_opcodes
from .loader import LoadedPlan, parse_plan
from .textfile import SourceText, read_source


@dataclass(frozen=True)
class Outcome:
    result: EditResult
    diff: str
    written: bool


def unified_diff(old: str, new: str, name: str, context: int = 3) -> str:
    """A unified diff as git shows it.

    difflib's own ``unified_diff`` treats lines frequent in a long file as junk (plans repeat
    "theme: ..." hundreds of times) and then shows unchanged lines as changed.
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    grouper = _Opcodes(line_opcodes(a, b))
    label = name.lstrip("/")
    out = [f"--- a/{label}\n", f"+++ b/{label}\n"]
    for group in grouper.get_grouped_opcodes(context):

        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in out) if len(out) > 2 else ""


class _Opcodes(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's hunk grouping over opcodes computed elsewhere."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, [], [])
        self._given = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self._given



def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def change_plan(path: Path, edit: Callable[[LoadedPlan], EditResult], *,
                dry_run: bool = False) -> Outcome:
    """Apply ``edit`` to the plan at ``path``; write unless ``dry_run``."""
    return change_plans([(path, edit)], dry_run=dry_run)[0]


def change_plans(edits: Sequence[tuple[Path, Callable[[LoadedPlan], EditResult]]], *,
                 dry_run: bool = False) -> list[Outcome]:
    """Apply each edit to its plan, all or none: every file is locked, read, edited and
    validated, and checked unchanged on disk, before the first is written. A refusal
    anywhere leaves every file byte-identical."""
    with ExitStack() as stack:
        for path, _edit in edits:
            stack.enter_context(locked(path))
        staged = [_stage(path, edit) for path, edit in edits]
        if dry_run:
            return [outcome for _before, outcome in staged]
        for before, outcome in staged:
            if outcome.result.changed and _current_bytes(before.path) != before.raw:
                raise UpdateRefused(f"{before.display_name} changed on disk while jtai was "
                                    "working", hint="run the command again: it will start "
                                                    "from the new file")
        for before, outcome in staged:
            if outcome.result.changed:
                # Encoded against the text as read: lines the edit kept keep their endings.
                write_atomic(before.path, before.encode(outcome.result.text))
        return [Outcome(o.result, o.diff, written=o.result.changed) for _b, o in staged]


def _stage(path: Path, edit: Callable[[LoadedPlan], EditResult]) -> tuple[SourceText, Outcome]:
    before = read_source(path)
    loaded = parse_plan(before, cached=True)
    result = edit(loaded)
    if not result.changed:
        return before, Outcome(result, "", written=False)
    # Problems found now are in text never written: say so where positions are shown.
    after = SourceText(Path(f"{before.display_name} (as it would be after the change)"),
                       result.text, before.newline, before.bom)
    try:
        parse_plan(after)
    except PlanInvalid as exc:
        raise UpdateRefused("the change would make the plan invalid", exc.findings) from None
    return before, Outcome(result, unified_diff(before.text, after.text, before.display_name),
                           written=False)


def _current_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
