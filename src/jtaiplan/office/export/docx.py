"""The Word export: the plan in the partnership's own shape, ready for a board pack.

As the partnership's plan (tests/data/seed_reading_2025.txt): title lines, the area for
priority action, the summary of change, then one table per objective (a title row with the
title, the risk and "Characteristics of good:", an "Accountable lead:" row, the header row
REF | Action | Complete by | Owners | Theme | Plan | Progress RAG | Impact RAG and one row per
action), and the RAG key. RAG cells are shaded and carry the word; an "as of" line atop every
page says which day the ratings and overdue marks describe. Several plans: one such
section per plan, each on a new page, and the key once at the end. ``jtai import`` reads
this shape back.
"""

from __future__ import annotations

import io
from typing import Any

from ...plan.model import RAG
from ..styles import HEADER_FILL, RAG_FILL, RAG_TEXT
from .rows import (
    DOCX_MARKER_RUNS,
    MULTI_AGENCY_PREFIX,
    YES,
    ActionRow,
    ExportTable,
    ObjectiveRow,
    day_first,
    long_date,
)

HEADERS = ("REF", "Action", "Complete by", "Owners", "Theme", "Plan", "Progress RAG",
           "Impact RAG", "Position")
WIDTHS_MM = (14, 80, 22, 27, 26, 23, 20, 20, 35)
"""Column widths of an objective's table: 267 mm, A4 landscape's width inside the margins."""
KEY_WIDTHS_MM = (30, 229)
SUMMARY_WIDTHS_MM = (130, 129)
FONT = "Arial"
BODY_PT = 10
TABLE_PT = 9

# Elements that must follow <w:shd> inside <w:tcPr> (ECMA-376 order); Word reports a
# document with them out of order as damaged.
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
              "w:hideMark")


def write(table: ExportTable) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)

    properties = document.core_properties
    properties.title = f"{table.heading}: {table.shown_title}"
    properties.subject = f"as of {table.as_of.isoformat()}"
    properties.author = "jtai"
    properties.comments = "Exported by jtai from the plan file"
    properties.last_modified_by = "jtai"
    properties.revision = 1
    properties.identifier = DOCX_MARKER_RUNS

    _page_header(section, table)
    for number, part in enumerate(table.sections or (table,)):
        if number:
            document.add_page_break()  # type: ignore[no-untyped-call]  # a page per plan
        _title_lines(document, part)
        if not number:
            # On the first page too, in the body: a page header is easy to miss, and some
            # viewers do not show it. The importer sets this line aside.
            _paragraph(document, _position(table), bold=True)
        _summary(document, part)
        for objective in part.objectives:
            _objective_table(document, objective)
            document.add_paragraph()  # Word joins two tables with nothing between them
    _key(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _title_lines(document: Any, table: ExportTable) -> None:
    document.add_heading(table.heading, level=1)
    if table.plan_id:
        _paragraph(document, f"Plan {table.plan_id}", italic=True)
    _paragraph(document, table.inspection_dates, bold=True)
    if table.plan_title:
        document.add_heading(table.plan_title, level=2)
    if table.area_for_priority_action:
        _paragraph(document, "Area for priority action:", bold=True)
        _paragraph(document, table.area_for_priority_action)


def _page_header(section: Any, table: ExportTable) -> None:
    """The "as of" line, on every printed page: a board pack is read page by page, and a
    page without its date misleads. In the page header, too, the importer reading this
    document's body never takes it for part of the plan."""
    line = f"{table.heading} · {table.shown_title} · {_position(table, 'position')}"
    paragraph = section.header.paragraphs[0]
    run = paragraph.add_run(line)
    run.italic = True


def _position(table: ExportTable, word: str = "Position") -> str:
    """``Position as of 1 July 2025 · only actions where owners: TVP``."""
    line = f"{word} as of {long_date(table.as_of)}"
    if table.filters:
        line += " · only actions where " + "; ".join(
            f"{name.replace('_', ' ')}: {_listed(value)}" for name, value in table.filters.items())
    return line


def _summary(document: Any, table: ExportTable) -> None:
    if not (table.summary_heading or table.summary_introduction or table.summary_areas
            or table.characteristics_of_good):
        return
    grid = _table(document, 2, SUMMARY_WIDTHS_MM)
    _write(grid.rows[0].cells[0], "Improvement Objectives - SUMMARY", bold=True)
    _write(grid.rows[0].cells[1], "Characteristics of good:", bold=True)
    summary, good = grid.add_row().cells
    lines = [line for line in (table.summary_heading, table.summary_introduction) if line]
    lines += [f"{number}. {area}" for number, area in enumerate(table.summary_areas, 1)]
    _write(summary, lines[0] if lines else "")
    for line in lines[1:]:
        _add_line(summary, line)
    _write(good, table.characteristics_of_good, italic=True)
    _set_widths(grid, SUMMARY_WIDTHS_MM)
    document.add_paragraph()


def _objective_table(document: Any, objective: ObjectiveRow) -> None:
    grid = _table(document, len(HEADERS), WIDTHS_MM)
    title = grid.rows[0].cells
    _write(title[0].merge(title[1]),
           f"Improvement Objective {objective.number}: {objective.title}", bold=True)
    _write(title[2], objective.risk, bold=True)
    _write(title[3].merge(title[-1]), "Characteristics of good:", bold=True)
    lead = grid.add_row().cells
    _write(lead[0].merge(lead[1]), f"Accountable lead: {objective.lead}", bold=True)
    _write(lead[2].merge(lead[-1]), objective.characteristics)
    header = grid.add_row()
    for cell, text in zip(header.cells, HEADERS, strict=True):
        _write(cell, text, bold=True)
        _shade(cell, HEADER_FILL)
    for row in grid.rows:
        _repeat_on_each_page(row)
    for action in objective.actions:
        row = grid.add_row()
        _action_row(row.cells, action)
        _keep_on_one_page(row)


def _action_row(cells: Any, action: ActionRow) -> None:
    due = action.complete_by
    texts = (action.ref, action.action,
             day_first(due) if due is not None and not isinstance(due, str) else due or "",
             action.owners_as_written, action.theme, action.plan_type)
    for cell, text in zip(cells, texts, strict=False):
        _write(cell, text)
    if action.multi_agency == YES:
        # The marker as its own bold run: the import tells it from an action's own words.
        _write(cells[1], MULTI_AGENCY_PREFIX, bold=True)
        _append(cells[1], action.action[len(MULTI_AGENCY_PREFIX):])
    _rag_cell(cells[6], action.progress)
    _rag_cell(cells[7], action.impact)
    _write(cells[8], position_text(action, due), bold=action.overdue == YES)


def position_text(action: ActionRow, due: object) -> str:
    """What the board must not miss, in words (a colour alone is lost in print and to a
    screen reader): overdue, and a date moved from its baseline, with the reason."""
    said = []
    if action.overdue == YES:
        said.append("OVERDUE")
    if action.baseline is not None and action.baseline != due:
        moved = f"Date moved from {day_first(action.baseline)}"
        said.append(f"{moved}: {action.date_moved_because}" if action.date_moved_because
                    else f"{moved} (no reason recorded)")
    return "\n".join(said)


def _key(document: Any, table: ExportTable) -> None:
    if not table.key:
        return
    _paragraph(document, "KEY", bold=True)
    grid = _table(document, 2, KEY_WIDTHS_MM, rows=0)
    for entry in table.key:
        rating, meaning = grid.add_row().cells
        _rag_cell(rating, entry.rating)
        _write(meaning, entry.meaning)
    _set_widths(grid, KEY_WIDTHS_MM)


def _table(document: Any, columns: int, widths_mm: tuple[int, ...], rows: int = 1) -> Any:
    from docx.shared import Mm

    grid = document.add_table(rows=rows, cols=columns)
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
    _set_widths(grid, widths_mm)
    return grid


def _set_widths(grid: Any, widths_mm: tuple[int, ...]) -> None:
    # Word takes a column's width from its cells; LibreOffice from the grid: set both.
    from docx.shared import Mm

    for row in grid.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _write(cell: Any, text: str, *, bold: bool = False, italic: bool = False) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:  # a merge leaves each cell's empty paragraph behind
        extra._p.getparent().remove(extra._p)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.size = Pt(TABLE_PT)


def _append(cell: Any, text: str) -> None:
    from docx.shared import Pt

    cell.paragraphs[0].add_run(text).font.size = Pt(TABLE_PT)


def _add_line(cell: Any, text: str) -> None:
    from docx.shared import Pt

    cell.add_paragraph().add_run(text).font.size = Pt(TABLE_PT)


def _paragraph(document: Any, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold, run.italic = bold or None, italic or None


def _rag_cell(cell: Any, rating: RAG | None) -> None:
    if rating is None:
        _write(cell, "")
        return
    from docx.shared import RGBColor

    _write(cell, rating.value, bold=True)
    cell.paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(RAG_TEXT[rating])
    _shade(cell, RAG_FILL[rating])


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    later = [child for child in properties if child.tag in {qn(t) for t in _AFTER_SHD}]
    if later:
        later[0].addprevious(shading)
    else:
        properties.append(shading)


def _repeat_on_each_page(row: Any) -> None:
    from docx.oxml import OxmlElement

    _keep_on_one_page(row)
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_on_one_page(row: Any) -> None:
    """A row is never split across two pages (``w:cantSplit``, before ``w:tblHeader`` as
    ECMA-376 orders them): a board member reads an action whole or on the next page."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def _listed(value: object) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return "yes" if value is True else str(value)
