"""The JSON Schema written beside a new plan, so that an editor checks it as it is typed.

``jtai init`` points the plan's modeline at ``plan.schema.json`` in the plan's own folder
(editors resolve a relative ``$schema`` against the YAML file): it works without a network
and matches the jtai that wrote the plan. An existing copy is never replaced: several plans
in one folder share it, and a different one may be someone's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..plan.schema import schema_json
from .atomicfile import write_atomic

SCHEMA_FILE = "plan.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"


class Found(StrEnum):
    NONE = "none"
    SAME = "same"
    DIFFERENT = "different"


@dataclass(frozen=True)
class SchemaCopy:
    path: Path
    found: Found
    text: str

    def write(self) -> None:
        """Write the schema unless a copy is already there."""
        if self.found is Found.NONE:
            write_atomic(self.path, self.text.encode("utf-8"), exclusive=True)

    def describe(self, *, dry_run: bool = False) -> str:
        """What was (or, with ``dry_run``, would be) done, for the person who ran init."""
        name = self.path.as_posix()
        if self.found is Found.SAME:
            return f"{name}, which the plan's first line points at, is already there"
        if self.found is Found.DIFFERENT:
            return (f"kept the existing {name}, which the plan's first line points at: it "
                    f"differs from this jtai's schema; `jtai schema > {name}` refreshes it")
        if dry_run:
            return f"would write {name} beside it, the schema the plan's first line points at"
        return (f"wrote {name} beside it: the plan's first line points at it, so editors "
                "check the plan as you type")


def schema_beside(plan: Path) -> SchemaCopy:
    """The schema copy for a new plan at ``plan``, and what is already in its place."""
    path = plan.with_name(SCHEMA_FILE)
    text = schema_json()
    try:
        found = Found.SAME if path.read_text(encoding="utf-8") == text else Found.DIFFERENT
    except FileNotFoundError:
        found = Found.NONE
    except (OSError, UnicodeDecodeError):
        found = Found.DIFFERENT
    return SchemaCopy(path, found, text)
