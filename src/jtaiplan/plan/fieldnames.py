"""How a field of the plan is named in what people read: one spelling everywhere.

``complete_by`` is the file's key; a person reads "complete by", in ``jtai history``,
``jtai show``, ``jtai update``'s summary, ``jtai apply`` and ``jtai diff`` alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Change

LABELS: dict[str, str] = {
    "baseline_complete_by": "baseline date",
    "multi_agency": "multi-agency",
    "action": "text",
}
"""Fields whose readable name is not simply their key with spaces."""


def field_label(name: str) -> str:
    """``complete_by`` -> ``complete by``; ``baseline_complete_by`` -> ``baseline date``."""
    return LABELS.get(name, name.replace("_", " "))


def changes_text(changes: Mapping[str, Change]) -> str:
    """``progress Green → Amber, complete by 2025-06-30 → 2025-09-30``."""
    return ", ".join(f"{field_label(key)} {change.old or '—'} → {change.new or '—'}"
                     for key, change in changes.items())
