"""The Word export, exactly: the page, the fonts, the document's properties, page one's lines
and their emphasis, each objective's table (bold title, lead and header rows repeated on
every page, rows kept whole, widths, fills), RAG cells in their colours, the Position column
and the summary table, read back with python-docx and from word/document.xml itself."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from conftest import REAL_PLAN, Invoke
from jtaiplan.cli.main import app
from jtaiplan.office.export import docx as word
from jtaiplan.office.export.rows import NO, YES, ActionRow, ExportTable, KeyRow, ObjectiveRow
from jtaiplan.plan.model import RAG

AS_OF = "2025-07-01"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING = "Joint Targeted Area Inspection: Reading"
PLAN_TITLE = "Multi-Agency Improvement Plan"
AREA = ("Shortfalls in the multi-agency strategic safeguarding partnership leading to "
        "systemic weaknesses in multi-agency safeguarding practice. This includes "
        "inconsistent information-sharing between partners resulting in delays for children, "
        "poor-quality risk assessments that fail to address the experiences and needs of "
        "children and often weak decision-making for children.")
FILTERED = ("only actions where owners: BFfC, TVP; plan types: Operational; overdue: yes; "
            "due within: 30")


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real plan exported once, for the checks that only read it."""
    out = tmp_path_factory.mktemp("export") / "plan.docx"
    result = CliRunner().invoke(
        app, ["export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(out)],
        env={"JTAI_PLAN": None, "JTAI_AS_OF": None, "JTAI_CACHE_DIR": str(out.parent)},
        catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out


def exported(jtai: Invoke, out: Path, *args: str, plan: Path = REAL_PLAN) -> Any:
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return docx.Document(str(out))


def body_xml(path: Path) -> ElementTree.Element:
    """word/document.xml's body, as the file holds it."""
    with zipfile.ZipFile(path) as package:
        root = ElementTree.fromstring(package.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    return body


def tags(element: ElementTree.Element | None) -> list[str]:
    assert element is not None
    return [child.tag.removeprefix(W) for child in element]


def shading(cell: Any) -> dict[str, str]:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return {name.removeprefix(W): value for name, value in shd.attrib.items()}


def emphasis(cell_or_paragraph: Any) -> list[tuple[str, bool | None, bool | None]]:
    """Each run of a cell's (or a paragraph's) first paragraph: text, bold, italic."""
    paragraph = getattr(cell_or_paragraph, "paragraphs", [cell_or_paragraph])[0]
    return [(run.text, run.bold, run.italic) for run in paragraph.runs]


def style_of(item: Any) -> str | None:
    return None if item.style is None else str(item.style.name)


def row_of(document: Any, ref: str) -> Any:
    return next(row for table in document.tables for row in table.rows
                if row.cells[0].text == ref)


def action(ref: str, **changes: Any) -> ActionRow:
    fields: dict[str, Any] = {
        "objective": 1, "objective_title": "VOICE", "ref": ref, "action": f"Action {ref}",
        "complete_by": date(2025, 9, 30), "baseline": None, "owners": "TVP",
        "owner_names": "Police", "owners_as_written": "TVP", "theme": "Learning and Training",
        "plan_type": "Operational", "progress": RAG.GREEN, "impact": None, "overdue": NO,
        "latest_note": "", "latest_date": None}
    return ActionRow(**{**fields, **changes})


def table_of(*actions: ActionRow, **changes: Any) -> ExportTable:
    objective = ObjectiveRow(number=1, title="VOICE", lead="TVP", risk="High risk",
                             characteristics="Heard", actions=actions)
    fields: dict[str, Any] = {
        "as_of": date(2025, 7, 1), "heading": "JTAI: Testshire",
        "inspection_dates": "1st - 5th May 2025", "plan_title": "",
        "area_for_priority_action": "", "summary_heading": "", "summary_introduction": "",
        "summary_areas": (), "characteristics_of_good": "", "objectives": (objective,),
        "history": (), "key": (KeyRow(RAG.RED, "Late"),)}
    return ExportTable(**{**fields, **changes})


def written(table: ExportTable) -> Any:
    return docx.Document(io.BytesIO(word.write(table)))


def test_the_page_is_a4_landscape_inside_15_mm_margins(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    section = body_xml(plan_docx).find(f"{W}sectPr")
    assert section is not None
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    assert size is not None and margins is not None
    # Twentieths of a point: 297 x 210 mm, and 15 mm on every side.
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == (
        "16838", "11906", "landscape")
    assert [margins.get(f"{W}{side}") for side in ("top", "right", "bottom", "left")] == [
        "850"] * 4


def test_the_body_is_arial_10_point_and_every_table_run_9_point(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Arial", Pt(10))
    sizes = {run.font.size for table in document.tables for row in table.rows
             for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs}
    assert sizes == {Pt(9)}
    # The summary's later lines and the words after the MULTI-AGENCY marker too.
    summary = document.tables[0].rows[1].cells[0].paragraphs
    assert [p.runs[0].font.size for p in summary[:3]] == [Pt(9)] * 3
    assert [run.font.size for run in row_of(document, "1.1").cells[1].paragraphs[0].runs] == [
        Pt(9), Pt(9)]


def test_the_properties_name_the_plan_its_day_and_the_marker_format(plan_docx: Path) -> None:
    properties = docx.Document(str(plan_docx)).core_properties
    assert properties.title == f"{HEADING}: {PLAN_TITLE}"
    assert properties.subject == "as of 2025-07-01"
    assert properties.author == "jtai"
    assert properties.comments == "Exported by jtai from the plan file"
    assert properties.last_modified_by == "jtai"
    assert properties.revision == 1
    assert properties.identifier == "jtai-docx/2: the multi-agency marker is its own bold run"


def test_page_one_gives_headings_their_levels_and_bolds_the_dates_and_the_position(
        plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    lines = [(p.text, style_of(p), *emphasis(p)[0][1:]) for p in document.paragraphs
             if p.text]
    assert lines == [
        (HEADING, "Heading 1", None, None),
        ("24th February - 10th March 2025", "Normal", True, None),
        (PLAN_TITLE, "Heading 2", None, None),
        ("Area for priority action:", "Normal", True, None),
        (AREA, "Normal", None, None),
        ("Position as of 1 July 2025", "Normal", True, None),
        ("KEY", "Normal", True, None),
    ]


def test_each_of_several_plans_is_named_in_italics_under_its_heading(
        jtai: Invoke, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("north", "south"):
        shutil.copyfile(REAL_PLAN, plans / f"{name}.yaml")
    document = exported(jtai, tmp_path / "two.docx", plan=plans)
    lines = [(p.text, style_of(p), *emphasis(p)[0][1:]) for p in document.paragraphs
             if p.text.startswith(("Plan ", HEADING))]
    assert lines == [(HEADING, "Heading 1", None, None), ("Plan north", "Normal", None, True),
                     (HEADING, "Heading 1", None, None), ("Plan south", "Normal", None, True)]


def test_every_page_header_says_the_position_in_italics(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    assert [emphasis(p) for p in document.sections[0].header.paragraphs] == [[(
        f"{HEADING} · {PLAN_TITLE} · position as of 1 July 2025", None, True)]]


def test_the_position_line_names_every_filter_in_words(jtai: Invoke, tmp_path: Path) -> None:
    document = exported(jtai, tmp_path / "tvp.docx", "--owner", "TVP,BFfC", "--plan-type",
                        "Operational", "--overdue", "--due-within", "30")
    body = [p.text for p in document.paragraphs]
    assert f"Position as of 1 July 2025 · {FILTERED}" in body
    assert [p.text for p in document.sections[0].header.paragraphs] == [
        f"{HEADING} · {PLAN_TITLE} · position as of 1 July 2025 · {FILTERED}"]


def test_an_objectives_top_rows_are_bold_repeat_on_each_page_and_stay_whole(
        plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    grid = document.tables[1]
    rows = grid.rows
    assert [emphasis(cell) for cell in rows[0].cells[1:4]] == [
        [("Improvement Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN", True, None)],
        [("Moderate risk: Activity is necessary", True, None)],
        [("Characteristics of good:", True, None)]]
    assert emphasis(rows[1].cells[0]) == [("Accountable lead: TVP", True, None)]
    assert emphasis(rows[1].cells[2])[0][1:] == (None, None)
    assert [emphasis(cell) for cell in rows[2].cells] == [[(text, True, None)] for text in (
        "REF", "Action", "Complete by", "Owners", "Theme", "Plan", "Progress RAG",
        "Impact RAG", "Position")]
    for cell in rows[2].cells:
        assert shading(cell) == {"val": "clear", "color": "auto", "fill": "D9E1F2"}
        assert tags(cell._tc.tcPr) == ["tcW", "shd"]
    # In the file itself: the three top rows are header rows, every row is kept whole.
    table = body_xml(plan_docx).findall(f"{W}tbl")[1]
    assert [tags(tr.find(f"{W}trPr")) for tr in table.findall(f"{W}tr")] == [
        ["cantSplit", "tblHeader"]] * 3 + [["cantSplit"]] * 3


def test_rag_cells_carry_the_word_bold_in_its_colour_on_its_fill(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    progress, impact = row_of(document, "2.1").cells[6:8]
    key = [row.cells[0] for row in document.tables[-1].rows]
    seen = [(emphasis(cell), str(cell.paragraphs[0].runs[0].font.color.rgb), shading(cell))
            for cell in (progress, impact, *key)]
    fills = {"Blue": ("1F3864", "9DC3E6"), "Green": ("375623", "A9D08E"),
             "Amber": ("7F6000", "FFD966"), "Red": ("843C0C", "F4B084")}
    assert seen == [([(rating, True, None)], fills[rating][0],
                     {"val": "clear", "color": "auto", "fill": fills[rating][1]})
                    for rating in ("Blue", "Amber", "Blue", "Green", "Amber", "Red")]


def test_an_actions_own_words_are_plain_and_the_marker_a_bold_run(plan_docx: Path) -> None:
    row = row_of(docx.Document(str(plan_docx)), "1.1")
    assert [emphasis(cell) for cell in row.cells[:6]] == [
        [("1.1", None, None)],
        [("MULTI-AGENCY: ", True, None),
         ("ABE Interviewing with police is in place – to upskill social workers and police "
          "officers when undertaking Sect 47 enquiries.", None, None)],
        [("In place", None, None)], [("Police and CSC", None, None)],
        [("Service Delivery and Design", None, None)], [("Operational", None, None)]]


def test_only_an_overdue_actions_position_is_bold(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    assert emphasis(row_of(document, "2.2").cells[8]) == [("OVERDUE", True, None)]
    assert emphasis(row_of(document, "1.3").cells[8]) == [("", None, None)]


def test_the_summary_table_has_bold_headings_and_good_in_italics(plan_docx: Path) -> None:
    rows = docx.Document(str(plan_docx)).tables[0].rows
    assert [emphasis(cell) for cell in rows[0].cells] == [
        [("Improvement Objectives - SUMMARY", True, None)],
        [("Characteristics of good:", True, None)]]
    summary, good = rows[1].cells
    assert [emphasis(p) for p in summary.paragraphs[:2]] == [
        [("SUMMARY OF CHANGE REQUIRED", None, None)],
        [("The JTAI identified the following areas of improvement, this plans list the "
          "actions that will contribute to one of more of these areas under each theme:",
          None, None)]]
    assert emphasis(good)[0][1:] == (None, True)


def test_tables_are_grids_of_fixed_column_widths(plan_docx: Path) -> None:
    document = docx.Document(str(plan_docx))
    assert {style_of(table) for table in document.tables} == {"Table Grid"}
    assert {table.autofit for table in document.tables} == {False}
    tables = body_xml(plan_docx).findall(f"{W}tbl")
    layouts = {table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type")  # type: ignore[union-attr]
               for table in tables}
    assert layouts == {"fixed"}
    grids = [[col.get(f"{W}w") for col in table.iter(f"{W}gridCol")] for table in tables]
    # Millimetres in twips: the summary 130 + 129, an objective 14 + 80 + ... + 35, the key
    # 30 + 229.
    assert grids[0] == ["7370", "7313"]
    assert grids[1] == ["794", "4535", "1247", "1531", "1474", "1304", "1134", "1134", "1984"]
    assert grids[-1] == ["1701", "12983"]


def test_the_position_column_says_overdue_and_a_moved_date_line_by_line() -> None:
    document = written(table_of(
        action("1.1", complete_by=None),
        action("1.2", baseline=date(2025, 9, 30)),
        action("1.3", baseline=date(2025, 6, 30)),
        action("1.4", complete_by=date(2025, 6, 15), baseline=date(2025, 5, 1), overdue=YES,
               date_moved_because="Venue unavailable")))
    assert [(row.cells[2].text, row.cells[8].text) for row in document.tables[0].rows[3:]] == [
        ("", ""),
        ("30.09.2025", ""),  # the baseline is the date itself: nothing moved
        ("30.09.2025", "Date moved from 30.06.2025 (no reason recorded)"),
        ("15.06.2025", "OVERDUE\nDate moved from 01.05.2025: Venue unavailable")]


@pytest.mark.parametrize(("summary", "cell"), [
    ({"characteristics_of_good": "Children are heard"}, ""),
    ({"summary_introduction": "Areas to improve:"}, "Areas to improve:"),
    ({"summary_heading": "SUMMARY OF CHANGE"}, "SUMMARY OF CHANGE"),
    ({"summary_areas": ("Voice", "Meetings")}, "1. Voice\n2. Meetings"),
])
def test_any_one_part_of_the_summary_makes_the_summary_table(
        summary: dict[str, Any], cell: str) -> None:
    document = written(table_of(action("1.1"), **summary))
    assert len(document.tables) == 3
    rows = document.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["Improvement Objectives - SUMMARY",
                                               "Characteristics of good:"]
    assert (rows[1].cells[0].text, rows[1].cells[1].text) == (
        cell, summary.get("characteristics_of_good", ""))


def test_without_any_summary_there_is_no_summary_table() -> None:
    document = written(table_of(action("1.1")))
    assert len(document.tables) == 2
    assert document.tables[0].rows[0].cells[0].text == "Improvement Objective 1: VOICE"


def test_shading_goes_before_the_cell_properties_word_wants_after_it() -> None:
    cell = docx.Document().add_table(rows=1, cols=1).cell(0, 0)
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    word._shade(cell, "FFD966")
    assert tags(cell._tc.tcPr) == ["tcW", "shd", "vAlign"]
    assert shading(cell) == {"val": "clear", "color": "auto", "fill": "FFD966"}


def test_writing_a_cell_leaves_only_the_new_text() -> None:
    cell = docx.Document().add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("old")
    cell.add_paragraph("left behind")
    cell.add_paragraph("by a merge")
    word._write(cell, "new")
    assert [emphasis(p) for p in cell.paragraphs] == [[("new", None, None)]]


def test_a_row_kept_whole_says_so_before_it_says_it_repeats() -> None:
    row = docx.Document().add_table(rows=1, cols=1).rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    word._keep_on_one_page(row)
    assert tags(row._tr.trPr) == ["cantSplit", "tblHeader"]
