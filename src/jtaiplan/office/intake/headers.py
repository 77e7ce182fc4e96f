"""A header row: which column holds which field, and a data row's cells by field."""

from __future__ import annotations

from dataclasses import dataclass

from .columns import IGNORE, action_field, refused_because
from .grid import Cell, Grid
from .raw import Extract, Note, filled, short


@dataclass
class Header:
    columns: list[tuple[int, str]]
    """(index, field) for each recognised column."""
    positional: bool
    where: str

    def fields(self) -> set[str]:
        return {name for _, name in self.columns}


def find_header(row: list[Cell], maps: dict[str, str], positional: bool) -> Header | None:
    """The row as a header when it names the action column and at least two others."""
    cells = filled(row)
    known = [action_field(cell.text, maps) for cell in cells]
    names = {k for k in known if k and k != IGNORE}
    if "action" not in names or len(names) < 3:
        return None
    return _header(row, maps, positional)


def _header(row: list[Cell], maps: dict[str, str], positional: bool) -> Header:
    columns = []
    ordinal = 0
    for position, cell in enumerate(row):
        if not cell.text:
            continue
        name = action_field(cell.text, maps)
        columns.append((position if positional else ordinal, name or f"?{cell.where}"))
        ordinal += 1
    return Header(columns, positional, row[0].where if row else "")


def unknown_columns(header: Header, row: list[Cell], grid: Grid) -> list[Note]:
    notes = []
    for _index, name in header.columns:
        if name.startswith("?"):
            where = name[1:]
            text = next(c.text for c in row if c.where == where)
            if (why := refused_because(text)) is not None:
                notes.append(Note(where, f"column '{text}': {why}", gap=True))
                continue
            notes.append(Note(where, f"column '{text}' is not a field jtai knows: add "
                                     f"--map \"{text}=FIELD\" (a field, or ignore)",
                              gap=True))
    return notes


def row_values(header: Header, row: list[Cell], out: Extract) -> dict[str, Cell]:
    """The row's cells by field, with the seed's shift (an empty cell pushing the date and
    what follows one column right) undone, and cells under no header reported."""
    cells = list(row)
    if not header.positional:
        order = [name for _, name in header.columns]
        if "complete_by" in order and "owners" in order:
            at = order.index("complete_by")
            if (at + 1 < len(cells) and not cells[at].text and cells[at + 1].text
                    and _looks_dated(cells[at + 1])
                    and order.index("owners") == at + 1):
                out.notes.append(Note(cells[at].where, "the complete-by date stood one column "
                                      "right of its header (an empty cell before it); the "
                                      "row's cells were read one column left"))
                del cells[at]
    values: dict[str, Cell] = {}
    used = set()
    for index, name in header.columns:
        if index < len(cells):
            used.add(index)
            if not name.startswith("?") and name != IGNORE:
                values[name] = cells[index]
    for index, cell in enumerate(cells):
        if cell.text and index not in used:
            out.notes.append(Note(cell.where, f"'{short(cell.text)}' stands under no header; "
                                  "not imported", gap=True))
    return values


def _looks_dated(cell: Cell) -> bool:
    from ...plan.dates import looks_like_date

    return looks_like_date(cell.text)
