"""One export from start to end: choose the format, refuse an existing file, build, write."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from pathlib import Path

from ...errors import CannotRun, UpdateRefused
from ...plan.model import Plan
from ...plan.query import ActionFilter
from ...plan.textpolicy import describe
from ...planfile.atomicfile import write_atomic
from ...views.report import generated_at
from .formats import ExportFormat
from .rows import ActionRow, ExportTable, HistoryRow, ObjectiveRow, build_portfolio, counts
from .stamp import restamp


@dataclass(frozen=True)
class Exported:
    path: Path
    format: ExportFormat
    table: ExportTable
    size: int
    replaced: bool
    written: bool

    def summary(self) -> str:
        verb = ("replaced" if self.replaced else "wrote") if self.written else \
            ("would replace" if self.replaced else "would write")
        return (f"{verb} {self.path.as_posix()} ({self.format.holds}): {counts(self.table)}, "
                f"{self.size:,} bytes")


def export_plan(plans: Sequence[tuple[str, Plan, ActionFilter | None]], as_of: date,
                chosen: ExportFormat, output: Path, *, force: bool = False,
                dry_run: bool = False) -> Exported:
    """Write the plans (``(id, plan, criteria)`` each; one for a single plan) to ``output``,
    or with ``dry_run`` only say what would be written.

    An existing file is replaced only with ``force``: an export is often written over the
    last one, but a typo in a path must not destroy a workbook someone edited by hand.
    """
    if output.is_dir():
        raise CannotRun(f"{output.as_posix()} is a folder; name the file to write",
                        hint=f"e.g. -o {(output / ('plan' + chosen.suffix)).as_posix()}")
    exists = output.exists()
    if exists and not force:
        raise CannotRun(f"{output.as_posix()} already exists; nothing was written",
                        hint="add --force to replace it, or choose another file name")
    if not output.parent.is_dir():
        raise CannotRun(f"cannot write {output.as_posix()}: no folder "
                        f"{output.parent.as_posix()}")
    table = build_portfolio(plans, as_of)
    try:
        data = chosen.writer()(table)
    except ValueError:  # openpyxl, lxml and sheetrows refuse what XML cannot hold
        _refuse_unwritable(table)
        raise
    if chosen.package:
        data = restamp(data, generated_at())
    if not dry_run:
        write_atomic(output, data, exclusive=not force)
    return Exported(output, chosen, table, len(data), exists, not dry_run)


class Unwritable(UpdateRefused):
    """Text an xlsx or docx cannot hold: refused by name and place, nothing written."""

    unchanged = "nothing was written"


def _refuse_unwritable(table: ExportTable) -> None:
    """Where the text a writer refused stands. The plan's text policy refuses all of it at
    the door; the writers' own refusal (never a character reference XML forbids) is the
    guarantee that an export which exits 0 opens in every reader, with every row."""
    from .sheetrows import ILLEGAL

    for where, text in _texts(table, ""):
        if found := ILLEGAL.search(text):
            raise Unwritable(f"{where.strip()} contains {describe(found.group(0))}, which no "
                             "Excel or Word file can hold",
                             hint="correct the text with jtai update, then export again")


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item, where)
    elif is_dataclass(value) and not isinstance(value, type):
        label = (f"{value.ref}" if isinstance(value, ActionRow | HistoryRow)
                 else f"objective {value.number}" if isinstance(value, ObjectiveRow)
                 else where)
        for item in fields(value):
            yield from _texts(getattr(value, item.name), f"{label} {item.name}")
