"""What every check produces: a finding located in the plan file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

Path_ = tuple[str | int, ...]
"""A location inside the YAML document: keys and list indices from the top."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with the plan, as users and CI see it.

    ``line`` and ``column`` are 1-based and point at the offending value (or at the mapping
    that lacks a required key); they are ``None`` only when no position is known.
    """

    code: str
    severity: Severity
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: Path_ = ()
    ref: str | None = None
    hint: str = ""

    @property
    def field_name(self) -> str:
        return format_path(self.path)

    def where(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "ref": self.ref,
            "message": self.message,
            "hint": self.hint or None,
            "field": self.field_name or None,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


def ref_at(data: Any, path: Path_) -> str | None:
    """The ref of the action a document path lies in, read from the plan's plain data."""
    if len(path) >= 4 and path[0] == "objectives" and path[2] == "actions":
        try:
            ref = data["objectives"][path[1]]["actions"][path[3]].get("ref")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        return str(ref) if ref is not None else None
    return None


def format_path(path: Path_) -> str:
    """``("objectives", 1, "actions", 0, "progress")`` -> ``objectives[1].actions[0].progress``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
