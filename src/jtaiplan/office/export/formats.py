"""The export formats, as data: name, file suffix, what it holds, and the writer's module.

A writer is a function ``write(table: ExportTable) -> bytes`` in its own module, imported
only when its format is chosen (openpyxl and python-docx cost 75-130 ms to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ...errors import CannotRun
from .rows import ExportTable

Writer = Callable[[ExportTable], bytes]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    holds: str
    """What a person gets, for --help and --dry-run."""
    module: str
    """The writer's module, relative to this package."""
    package: bool = False
    """A zip package (Office Open XML), whose dates :mod:`.stamp` makes reproducible."""

    def writer(self) -> Writer:
        module = importlib.import_module(f"{__package__}.{self.module}")
        return cast(Writer, module.write)


FORMATS: dict[str, ExportFormat] = {
    "xlsx": ExportFormat(
        "xlsx", ".xlsx", "an Excel workbook: sheets Actions, Objectives, History and Key",
        "xlsx", package=True),
    "docx": ExportFormat(
        "docx", ".docx", "a Word document: one table per objective, as the partnership's "
        "plan, with the RAG key", "docx", package=True),
    "csv": ExportFormat(
        "csv", ".csv", "a CSV file (UTF-8 with BOM): one row per action", "csv"),
}


def choose_format(name: str | None, output_suffix: str) -> ExportFormat:
    """The format named, or the one the output file's suffix implies.

    A suffix that does not match the format is refused: Excel and Word warn when a file's
    name says one thing and its content another.
    """
    suffix = output_suffix.lower()
    if name is None:
        for candidate in FORMATS.values():
            if candidate.suffix == suffix:
                return candidate
        ending = f"ending '{suffix}'" if suffix else "without an ending"
        raise CannotRun(f"cannot tell the format from a file name {ending}",
                        hint=f"name a file ending in {_suffixes()}, or give --format")
    chosen = FORMATS.get(name.strip().lower())
    if chosen is None:
        raise CannotRun(f"--format: '{name}' is not one of {', '.join(FORMATS)}")
    if suffix != chosen.suffix:
        raise CannotRun(
            f"--format {chosen.name} writes a {chosen.suffix} file, but the file name ends "
            f"'{suffix or '(nothing)'}'",
            hint=f"name the file ...{chosen.suffix}: Excel and Word warn about a file whose "
                 "name does not match its content")
    return chosen


def _suffixes() -> str:
    return ", ".join(f.suffix for f in FORMATS.values())
