"""A cell's text into the plan under the text policy: kept as read, or refused at its cell.

Every text an import puts into the plan passes :func:`put_text` (or, for an action's own
text, :func:`action_text`), so a character the plan refuses is a gap at ``Sheet!B7``,
``table 3, row 4, column 2`` or ``line 12``, never a silent change and never a plan that
``jtai validate`` then rejects. The rules themselves are :mod:`jtaiplan.plan.textpolicy`'s.
"""

from __future__ import annotations

from typing import Any

from ...plan.textpolicy import check, describe
from .grid import Cell
from .raw import Note
from .values import Unreadable, flag_of, multi_agency_of, plain


def put_text(out: dict[str, Any], key: str, cell: Cell, text: str, notes: list[Note],
             comments: dict[str, str] | None = None) -> bool:
    """``out[key] = text`` when the text policy allows it; else a gap at the cell, the
    value left out (and marked ``# import:`` where a mapping's key can carry a comment)."""
    refusal = check(cell.text) or check(text)  # the cell as read: HTML may hide a character
    if refusal is None:
        out[key] = text
        return True
    notes.append(Note(cell.where, f"{key.replace('_', ' ')} {refusal.message} "
                      f"({refusal.hint}); not imported", gap=True))
    if comments is not None:
        out[key] = None
        comments[key] = (f"import: {describe(refusal.char) if refusal.char else 'too long'} "
                         f"at {cell.where}")
    return False


def action_text(cells: dict[str, Cell], ref: str, notes: list[Note],
                comments: dict[str, str]) -> tuple[bool, str, str | None]:
    """Whether the action is multi-agency, its text, and why the row cannot be imported
    (None when it can).

    The "MULTI-AGENCY:" words mark a multi-agency action in a partnership's own document.
    Where the source says so itself, it decides, and the text keeps words that are its own:
    a Multi-agency column (the marker comes off only when the column says yes), or the bold
    marker run of a Word document jtai exported."""
    text_cell = cells.get("action")
    written = plain(text_cell.text) if text_cell else ""
    multi, text = multi_agency_of(written)
    if text_cell is not None and text_cell.marked is not None:
        multi, text = text_cell.marked, text if text_cell.marked else written
    flag = cells.get("multi_agency")
    if flag is not None:
        try:
            said = flag_of(flag)
        except Unreadable as exc:
            notes.append(Note(flag.where, f"{ref} multi-agency: {exc}", gap=True))
            comments["multi_agency"] = f"import: could not read '{flag.text}'"
            said = None
        if said is not None:
            multi, text = said, text if said else written
    if not text:
        return multi, text, f"{ref} has no action text; the row was not imported"
    if (refusal := check(text_cell.text if text_cell else text) or check(text)) is not None:
        return multi, text, (f"{ref} action {refusal.message}; the row was not imported "
                             f"({refusal.hint})")
    return multi, text, None
