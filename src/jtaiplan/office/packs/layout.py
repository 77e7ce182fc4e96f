"""The update pack's stable interface, as data: sheet names, columns, and the hidden record.

Agencies' returns are read back by these headers and positions, so changing a header or the
order here breaks every pack already sent out: add columns at the end, never rename.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from ...plan.model import Action
from ..cellref import column_letter as cell_column

PACK_KIND = "jtai update pack"
PACK_VERSION = "1"
RETURN_SHEET = "Return"
HELP_SHEET = "How to fill this in"
META_SHEET = "jtai"
"""Hidden: what the pack was made from. Owners never need to see it."""
HEADER_ROW = 1
FIRST_ROW = 2

Kind = Literal["text", "long", "date", "rag"]


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    given: bool
    """Filled by jtai and locked; the others are the owner's to fill."""
    kind: Kind
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("Ref", "ref", True, "text", 7),
    Column("Objective", "objective", True, "long", 24),
    Column("Action", "action", True, "long", 50),
    Column("Complete by", "complete_by", True, "text", 13),
    Column("Progress", "progress", True, "rag", 10),
    Column("Impact", "impact", True, "rag", 10),
    Column("Last update", "last_update", True, "long", 32),
    Column("New progress", "new_progress", False, "rag", 13),
    Column("New impact", "new_impact", False, "rag", 12),
    Column("Note", "note", False, "long", 36),
    Column("Evidence", "evidence", False, "long", 36),
    Column("New complete-by", "new_complete_by", False, "date", 15),
    Column("Reason for new date", "reason", False, "long", 30),
)
HEADERS = tuple(c.header for c in COLUMNS)
GIVEN = tuple(c for c in COLUMNS if c.given)
FILLED = tuple(c for c in COLUMNS if not c.given)

# The hidden sheet: key/value lines, a blank line, then one line per action row.
META_ROWS_HEADER = ("row", "ref", "fingerprint", "state", "given")

STATE_FIELDS = ("progress", "impact", "complete_by", "evidence", "impact_evidence")
"""What a return may change, plus the history's length: the action's state for conflicts."""


def column_letter(index: int) -> str:
    """The 0-based column ``index`` of the pack's layout as its letters."""
    return cell_column(index + 1)


def cell_name(column_key: str, row: int) -> str:
    index = next(i for i, c in enumerate(COLUMNS) if c.key == column_key)
    return f"{RETURN_SHEET}!{column_letter(index)}{row}"


def action_state(action: Action) -> dict[str, str | int | None]:
    state: dict[str, str | int | None] = {}
    for name in STATE_FIELDS:
        value = getattr(action, name)
        state[name] = None if value is None else str(value)
    state["updates"] = len(action.updates)
    return state


def fingerprint(state: dict[str, str | int | None]) -> str:
    """A short stable hash of an action's state: equal states, equal fingerprints."""
    text = json.dumps(state, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def plan_id(area: str, kind: str, start: str) -> str:
    """Which plan a pack belongs to: the inspection, which the file's name does not tell."""
    return f"{kind} {area} {start}"
