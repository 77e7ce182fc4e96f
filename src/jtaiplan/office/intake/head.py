"""The document around the plan's tables: title lines, the area for priority action, the
summary of change, and the RAG key (after a "KEY" line, or on a "Key" sheet)."""

from __future__ import annotations

import re

from .grid import Cell
from .raw import Extract, Note, filled, replaced, short

KEY = re.compile(r"(?:rag\s+)?key\s*:?\Z", re.IGNORECASE)
RAG_WORD = re.compile(r"(blue|green|amber|red)\Z", re.IGNORECASE)
SUMMARY = re.compile(r".*\bsummary\b", re.IGNORECASE)
AREA_FOR_PRIORITY = re.compile(r"areas?\s+for\s+priority\s+action\s*:?\s*(.*)\Z",
                               re.IGNORECASE | re.DOTALL)
CHARACTERISTICS = re.compile(r"characteristics\s+of\s+good\s*:?\s*(.*)\Z",
                             re.IGNORECASE | re.DOTALL)


def head_row(rows: list[list[Cell]], k: int, out: Extract) -> int:
    """Reads the document's title lines, area for priority action and summary; returns the
    next row to read."""
    cells = filled(rows[k])
    head = out.head
    first = cells[0]
    if m := AREA_FOR_PRIORITY.match(first.text):
        if m[1].strip():
            head.area_for_priority_action = replaced(first, m[1])
            return k + 1
        nxt = next_filled(rows, k + 1)
        if nxt is not None:
            head.area_for_priority_action = filled(rows[nxt])[0]
            return nxt + 1
        return k + 1
    if len(cells) == 2 and SUMMARY.match(first.text) and CHARACTERISTICS.match(cells[1].text):
        nxt = next_filled(rows, k + 1)
        if nxt is not None:
            body = filled(rows[nxt])
            head.summary = body[0]
            if len(body) > 1:
                head.characteristics = body[1]
            for extra in body[2:]:
                out.notes.append(Note(extra.where, f"'{short(extra.text)}' not imported",
                                      gap=True))
            return nxt + 1
        return k + 1
    if KEY.match(first.text) and len(cells) == 1:
        return key_rows(rows, k + 1, out)
    if len(cells) == 1:
        head.lines.append(first)
    else:
        for cell in cells:
            out.notes.append(Note(cell.where, f"'{short(cell.text)}' above the plan's tables "
                                  "was not understood; not imported", gap=True))
    return k + 1


def key_rows(rows: list[list[Cell]], k: int, out: Extract) -> int:
    while k < len(rows):
        cells = filled(rows[k])
        if not cells:
            k += 1
            continue
        if len(cells) == 2 and RAG_WORD.match(cells[0].text):
            out.head.rag_key.append((cells[0], cells[1]))
            k += 1
            continue
        break
    return k


def next_filled(rows: list[list[Cell]], k: int) -> int | None:
    while k < len(rows):
        if filled(rows[k]):
            return k
        k += 1
    return None


def key_sheet_row(rows: list[list[Cell]], k: int, out: Extract) -> int:
    cells = filled(rows[k])
    if len(cells) == 2 and RAG_WORD.match(cells[0].text):
        out.head.rag_key.append((cells[0], cells[1]))
    elif not (len(cells) <= 2 and (KEY.match(cells[0].text) or cells[0].text.casefold() in (
            "rating", "rag", "colour"))):
        out.notes.append(Note(cells[0].where, f"'{short(cells[0].text)}' in the key was not "
                              "understood; not imported", gap=True))
    return k + 1


def title_row(row: list[Cell], out: Extract) -> None:
    cells = filled(row)
    if len(cells) == 1:
        if (m := AREA_FOR_PRIORITY.match(cells[0].text)) and m[1].strip():
            out.head.area_for_priority_action = replaced(cells[0], m[1])
            return
        out.head.lines.append(cells[0])
        return
    for cell in cells:
        out.notes.append(Note(cell.where, f"'{short(cell.text)}' above the header was not "
                              "understood; not imported", gap=True))
