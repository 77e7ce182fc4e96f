"""``jtai export``'s workbook to the exact value: page setup, drop-downs and their rules,
cell styles, properties, the History sheet, row heights, the package's members, and the
refusal of text no Excel or Word file can hold.

Workbooks are written from the real plan (as of 2025-07-01), changed in memory where a test
needs history or text the plan file cannot hold, and read back with openpyxl and zipfile.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import REAL_PLAN
from jtaiplan.errors import CannotRun
from jtaiplan.office.export import run, xlsx
from jtaiplan.office.export.formats import FORMATS, choose_format
from jtaiplan.office.export.package import SheetBody, fill_package
from jtaiplan.office.export.rows import (
    Column,
    Kind,
    build_portfolio,
    build_table,
    counts,
    ordinal,
)
from jtaiplan.office.export.run import Unwritable, export_plan
from jtaiplan.office.export.sheetrows import rows_xml
from jtaiplan.office.export.stamp import restamp
from jtaiplan.office.styles import HEADER_FILL, RAG_FILL, RAG_TEXT
from jtaiplan.plan.model import RAG, Change, Plan, Update
from jtaiplan.plan.query import ActionFilter
from jtaiplan.planfile.loader import load_plan

AS_OF = date(2025, 7, 1)
SHEETS = ["Actions", "Objectives", "History", "Key", "Plan", "Agencies"]
REFUSAL_HINT = "correct the text with jtai update, then export again"


def real_plan() -> Plan:
    return load_plan(REAL_PLAN).plan


def with_action(plan: Plan, ref: str, **fields: Any) -> Plan:
    """``plan`` with the action ``ref`` changed as given."""
    objectives = [dataclasses.replace(objective, actions=[
        dataclasses.replace(action, **fields) if action.ref == ref else action
        for action in objective.actions]) for objective in plan.objectives]
    return dataclasses.replace(plan, objectives=objectives)


def workbook(plan: Plan) -> Any:
    data = xlsx.write(build_table(plan, ActionFilter(), AS_OF))
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book() -> Any:
    return workbook(real_plan())


# -- page setup ------------------------------------------------------------------------------


def test_every_sheet_prints_landscape_on_a4_one_page_wide_with_its_title_and_page_numbers(
        book: Any) -> None:
    for title in SHEETS:
        sheet = book[title]
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape", 9, 1, 0), title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.oddHeader.center.text == (
            f"Joint Targeted Area Inspection: Reading: {title} · as of 1 July 2025")
        assert sheet.oddFooter.right.text == "Page &P of &N"


def test_a_long_page_header_is_cut_to_200_characters_and_its_ampersands_doubled() -> None:
    plan = real_plan()
    area = "Reading & Wokingham " + "x" * 200
    book = workbook(dataclasses.replace(plan, inspection=dataclasses.replace(
        plan.inspection, area=area)))
    # 200 characters of the header, then "&" written "&&": a lone "&" starts a header code.
    assert book["Actions"].oddHeader.center.text == (
        "Joint Targeted Area Inspection: Reading && Wokingham " + "x" * 148)


# -- drop-downs, styles, properties ----------------------------------------------------------


def test_rag_cells_offer_the_four_words_and_refuse_any_other(book: Any) -> None:
    (choices,) = book["Actions"].data_validations.dataValidation
    assert (choices.type, choices.formula1, choices.allow_blank, choices.showErrorMessage,
            choices.errorTitle, choices.error) == (
        "list", '"Blue,Green,Amber,Red"', True, True, "RAG rating",
        "Blue, Green, Amber or Red")


def test_a_rag_word_typed_in_excel_gets_its_solid_fill_and_bold_coloured_font(
        book: Any) -> None:
    rules = [rule for cf in book["Actions"].conditional_formatting for rule in cf.rules]
    assert [(rule.type, rule.operator, rule.formula, rule.dxf.fill.patternType,
             rule.dxf.fill.bgColor.rgb, rule.dxf.font.b, rule.dxf.font.color.rgb)
            for rule in rules] == [
        ("cellIs", "equal", [f'"{rag.value}"'], "solid", "00" + RAG_FILL[rag], True,
         "00" + RAG_TEXT[rag]) for rag in RAG] * 2  # progress, impact


def test_headers_are_bold_on_a_solid_fill_wrapped_at_the_top(book: Any) -> None:
    for title in SHEETS:
        header = book[title]["A1"]
        assert (header.font.bold, header.fill.fill_type, header.fill.fgColor.rgb,
                header.alignment.wrap_text, header.alignment.vertical) == (
            True, "solid", "00" + HEADER_FILL, True, "top"), title


def test_long_text_wraps_at_the_top_and_short_text_sits_at_the_top(book: Any) -> None:
    sheet = book["Actions"]
    assert (sheet["D2"].alignment.wrap_text, sheet["D2"].alignment.vertical) == (True, "top")
    assert (sheet["C2"].alignment.wrap_text, sheet["C2"].alignment.vertical) == (None, "top")


def test_a_rag_cell_has_its_solid_fill_and_bold_font_in_the_rags_colour(book: Any) -> None:
    sheet = book["Actions"]
    for cell, rag in (("K5", RAG.BLUE), ("L5", RAG.AMBER)):
        assert sheet[cell].value == rag.value
        assert (sheet[cell].fill.fill_type, sheet[cell].fill.fgColor.rgb) == (
            "solid", "00" + RAG_FILL[rag])
        assert (sheet[cell].font.bold, sheet[cell].font.color.rgb) == (
            True, "00" + RAG_TEXT[rag])


def test_workbook_properties_name_the_plan_the_day_and_jtai(book: Any) -> None:
    properties = book.properties
    assert (properties.title, properties.subject, properties.creator) == (
        "Joint Targeted Area Inspection: Reading: Multi-Agency Improvement Plan",
        "as of 2025-07-01", "jtai")


def test_a_sheet_with_no_rows_filters_only_its_header(book: Any) -> None:
    # The real plan has no history: the History sheet is its header alone.
    assert {title: book[title].auto_filter.ref for title in SHEETS} == {
        "Actions": "A1:T21", "Objectives": "A1:E11", "History": "A1:H1", "Key": "A1:B5",
        "Plan": "A1:B31", "Agencies": "A1:G6"}
    assert book["History"].data_validations.dataValidation == []


# -- the History sheet -----------------------------------------------------------------------


def test_history_sheet_spells_out_each_change_and_leaves_missing_text_empty() -> None:
    updates = [
        Update(date=date(2025, 5, 1), by="Jo Smith", changes={
            "progress": Change(old=None, new="Amber"),
            "complete_by": Change(old="2025-03-31", new="2025-06-30")},
            note="Venue moved", evidence="Minutes of 1 May", impact_evidence="Audit of 30 cases",
            reason="The venue was unavailable"),
        Update(date=date(2025, 6, 2), by="Siân Evans",
               changes={"impact": Change(old="Green", new=None)}),
    ]
    book = workbook(with_action(real_plan(), "1.2", updates=updates))
    rows = [tuple(row) for row in book["History"].iter_rows(values_only=True)]
    assert rows == [
        ("Ref", "Date", "By", "Changes", "Note", "Evidence", "Impact evidence", "Reason"),
        ("1.2", datetime(2025, 5, 1), "Jo Smith",
         "progress: — → Amber; complete by: 2025-03-31 → 2025-06-30", "Venue moved",
         "Minutes of 1 May", "Audit of 30 cases", "The venue was unavailable"),
        ("1.2", datetime(2025, 6, 2), "Siân Evans", "impact: Green → —", None, None, None,
         None),
    ]


# -- text no workbook can hold ---------------------------------------------------------------


def refusal(plan: Plan, tmp_path: Any) -> str:
    out = tmp_path / "plan.xlsx"
    with pytest.raises(Unwritable) as refused:
        export_plan([("plan", plan, ActionFilter())], AS_OF, FORMATS["xlsx"], out)
    assert refused.value.hint == REFUSAL_HINT
    assert not out.exists()
    return refused.value.message


def test_text_no_workbook_can_hold_is_refused_at_its_action_and_field(tmp_path: Any) -> None:
    plan = with_action(real_plan(), "1.2", evidence="Seen\x0bthere")
    assert refusal(plan, tmp_path) == (
        "1.2 evidence contains U+000B (vertical tab), which no Excel or Word file can hold")


def test_text_no_workbook_can_hold_is_refused_at_its_objective(tmp_path: Any) -> None:
    plan = real_plan()
    objectives = list(plan.objectives)
    objectives[1] = dataclasses.replace(objectives[1], title="STRATEGY\x01MEETINGS")
    assert refusal(dataclasses.replace(plan, objectives=objectives), tmp_path) == (
        "objective 2 title contains U+0001 (control character), which no Excel or Word file "
        "can hold")


def test_text_no_workbook_can_hold_is_refused_at_the_plans_own_field(tmp_path: Any) -> None:
    plan = real_plan()
    plan = dataclasses.replace(plan, inspection=dataclasses.replace(
        plan.inspection, plan_title="Improvement\x1bPlan"))
    assert refusal(plan, tmp_path) == (
        "plan_title contains U+001B (escape character), which no Excel or Word file can hold")


def test_text_no_workbook_can_hold_is_refused_in_the_plans_own_list(tmp_path: Any) -> None:
    plan = real_plan()
    assert plan.summary_of_change is not None
    areas = [*plan.summary_of_change.areas, "Escalation\x0cwithin 5 days"]
    plan = dataclasses.replace(plan, summary_of_change=dataclasses.replace(
        plan.summary_of_change, areas=areas))
    assert refusal(plan, tmp_path) == (
        "summary_areas contains U+000C (form feed), which no Excel or Word file can hold")


# -- the package -----------------------------------------------------------------------------


def skeleton(*cells: str) -> bytes:
    """What openpyxl saves for a one-sheet workbook, each member dated 6 May 2024."""
    book = openpyxl.Workbook()
    for ref in cells:
        book.active[ref] = "x"
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 5, 6, 7, 8, 10)),
                            source.read(info))
    return out.getvalue()


def test_filling_a_sheet_keeps_every_members_date_and_stores_it() -> None:
    filled = fill_package(skeleton(), {
        "xl/worksheets/sheet1.xml": SheetBody("A1:B2", b'<row r="1"></row>')})
    with zipfile.ZipFile(io.BytesIO(filled)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 5, 6, 7, 8, 10)}
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:B2"/>' in sheet
    assert b'<sheetData><row r="1"></row></sheetData>' in sheet


def test_a_sheet_openpyxl_wrote_cells_in_is_refused() -> None:
    with pytest.raises(RuntimeError) as refused:
        fill_package(skeleton("C5"), {"xl/worksheets/sheet1.xml": SheetBody("A1:A1", b"")})
    assert str(refused.value) == "openpyxl's sheet has not one <dimension ref=\"A1:A1\"/>"


def test_every_sheet_openpyxl_did_not_write_is_named() -> None:
    with pytest.raises(RuntimeError) as refused:
        fill_package(skeleton(), {"xl/worksheets/sheet8.xml": SheetBody("A1:A1", b""),
                                  "xl/worksheets/sheet9.xml": SheetBody("A1:A1", b"")})
    assert str(refused.value) == (
        "openpyxl wrote no xl/worksheets/sheet8.xml, xl/worksheets/sheet9.xml")


# -- rows and their heights ------------------------------------------------------------------


def test_a_row_must_have_one_cell_per_column() -> None:
    one_column = [lambda _value: 1]
    with pytest.raises(ValueError):
        list(rows_xml(iter([(["a", "b"], 18.0)]), one_column))
    with pytest.raises(ValueError):
        list(rows_xml(iter([(["a"], 18.0)]), one_column * 2))


NOTE = Column("Note", "note", Kind.LONG, 10)
"""8.5 characters a line (10 * 1.05 - 2)."""
NARROW = Column("N", "n", Kind.TEXT, 1)
"""Narrower than 2 characters: still one character a line."""


@pytest.mark.parametrize(("column", "text", "points"), [
    (NOTE, "", 18.0),  # one line: 15 points and 3 to spare
    (NOTE, "12345678", 18.0),  # 8 characters fit
    (NOTE, "123456789", 33.0),  # 9 do not
    (NOTE, "a\nb", 33.0),  # a line each side of a line break
    (NOTE, "1234567890123456789\nb", 63.0),  # 3 lines, then 1
    (NARROW, "abcd", 63.0),
    (NARROW, "ab\n", 48.0),  # an empty line counts one
    (NOTE, "x" * 300, 409.0),  # Excel's tallest row
])
def test_a_row_is_as_tall_as_its_wrapped_text(column: Column, text: str,
                                              points: float) -> None:
    assert xlsx._height([column, NOTE], [text, "short"]) == points


def test_a_row_height_needs_one_cell_per_column() -> None:
    with pytest.raises(ValueError):
        xlsx._height([NOTE, NOTE], ["only one"])
    with pytest.raises(ValueError):
        xlsx._named(xlsx.PLAN_COLUMNS, [("Title",)])


# -- one date throughout ---------------------------------------------------------------------


CORE_XML = (
    '<cp:coreProperties xmlns:cp="c" xmlns:dcterms="d"><dc:title>Plan</dc:title>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:modified>'
    '</cp:coreProperties>')


def package(*members: tuple[str, str, int]) -> bytes:
    """A zip of ``(name, text, unix mode)`` members, stored, dated 2 January 2024."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text, mode in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 6))
            info.external_attr = mode << 16
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def test_restamping_dates_every_member_and_the_core_properties_and_keeps_the_rest() -> None:
    source = package(("[Content_Types].xml", "<Types/>", 0o600),
                     ("docProps/core.xml", CORE_XML, 0o644),
                     ("word/document.xml", "<w:document>Siân</w:document>", 0o640))
    stamped = restamp(source, datetime(2025, 7, 1, 13, 45, 30))
    with zipfile.ZipFile(io.BytesIO(stamped)) as archive:
        assert [(info.filename, info.date_time, info.compress_type, info.external_attr >> 16)
                for info in archive.infolist()] == [
            ("[Content_Types].xml", (2025, 7, 1, 13, 45, 30), zipfile.ZIP_DEFLATED, 0o600),
            ("docProps/core.xml", (2025, 7, 1, 13, 45, 30), zipfile.ZIP_DEFLATED, 0o644),
            ("word/document.xml", (2025, 7, 1, 13, 45, 30), zipfile.ZIP_DEFLATED, 0o640)]
        assert archive.read("docProps/core.xml").decode("utf-8") == CORE_XML.replace(
            "2024-01-02T03:04:05Z", "2025-07-01T13:45:30Z")
        assert archive.read("word/document.xml").decode("utf-8") == \
            "<w:document>Siân</w:document>"


@pytest.mark.parametrize(("when", "dated"), [
    (datetime(1980, 6, 1, 12, 0, 0), (1980, 6, 1, 12, 0, 0)),
    (datetime(1979, 12, 31, 23, 59, 58), (1980, 1, 1, 0, 0, 0)),  # the zip format's first day
    (datetime(1970, 1, 1), (1980, 1, 1, 0, 0, 0)),
])
def test_a_member_is_dated_no_earlier_than_the_zip_format_allows(
        when: datetime, dated: tuple[int, ...]) -> None:
    stamped = restamp(package(("docProps/core.xml", CORE_XML, 0o600)), when)
    with zipfile.ZipFile(io.BytesIO(stamped)) as archive:
        (info,) = archive.infolist()
        assert info.date_time == dated
        assert when.strftime("%Y-%m-%dT%H:%M:%SZ") in archive.read(info).decode("utf-8")


# -- the table: one plan, several plans, counts ----------------------------------------------


HISTORY = [
    Update(date=date(2025, 5, 1), by="Jo Smith", changes={
        "progress": Change(old=None, new="Amber"),
        "complete_by": Change(old="2025-03-31", new="2025-06-30")},
        note="Venue moved", evidence="Minutes of 1 May", impact_evidence="Audit of 30 cases",
        reason="The venue was unavailable"),
    Update(date=date(2025, 6, 2), by="Siân Evans",
           changes={"impact": Change(old="Green", new=None)}),
]


def test_an_action_row_leaves_empty_what_the_plan_does_not_say() -> None:
    plan = with_action(real_plan(), "1.2", updates=HISTORY, theme=None, plan_type=None)
    table = build_table(plan, ActionFilter(), AS_OF)
    (row,) = [action for action in table.actions if action.ref == "1.2"]
    assert (row.theme, row.plan_type, row.latest_note, row.latest_date,
            row.date_moved_because, row.plan) == ("", "", "", date(2025, 6, 2), "", "")
    sheet = xlsx.write(table)
    actions = openpyxl.load_workbook(io.BytesIO(sheet))["Actions"]
    assert [cell.value for cell in actions[3]][8:15] == [
        None, None, "Amber", None, "Yes", None, datetime(2025, 6, 2)]


def test_a_plan_without_summary_wording_lead_or_risk_exports_them_empty() -> None:
    plan = real_plan()
    objectives = list(plan.objectives)
    objectives[0] = dataclasses.replace(objectives[0], lead=None, risk=None)
    assert plan.summary_of_change is not None
    plan = dataclasses.replace(plan, objectives=objectives, summary_of_change=dataclasses.replace(
        plan.summary_of_change, heading=None, introduction=None))
    table = build_table(plan, ActionFilter(), AS_OF)
    assert (table.summary_heading, table.summary_introduction) == ("", "")
    assert (table.objectives[0].lead, table.objectives[0].risk) == ("", "")


def test_a_portfolio_table_holds_every_plans_rows_each_naming_its_plan() -> None:
    reading = real_plan()
    other = with_action(dataclasses.replace(reading, inspection=dataclasses.replace(
        reading.inspection, area="Wokingham")), "1.2", updates=HISTORY)
    table = build_portfolio([("reading", reading, ActionFilter()),
                             ("wokingham", other, ActionFilter())], AS_OF)
    first, second = table.sections
    assert [first.plan_id, second.plan_id, table.plan_id] == ["reading", "wokingham", ""]
    assert [o.plan for o in table.objectives] == ["reading"] * 10 + ["wokingham"] * 10
    assert [a.plan for a in table.actions] == ["reading"] * 20 + ["wokingham"] * 20
    assert [h.plan for h in table.history] == ["wokingham", "wokingham"]
    assert (first.heading, second.heading) == ("Joint Targeted Area Inspection: Reading",
                                               "Joint Targeted Area Inspection: Wokingham")
    # The plan's own wording belongs to its section; the rest (as of, key, Plan and
    # Agencies sheets) is the first plan's.
    assert table == dataclasses.replace(
        first, heading="2 plans: reading, wokingham", plan_title="Improvement plans",
        inspection_dates="", area_for_priority_action="", summary_heading="",
        summary_introduction="", summary_areas=(), characteristics_of_good="",
        objectives=first.objectives + second.objectives, history=second.history, plan_id="",
        sections=(first, second))
    assert counts(table) == "2 plans, 40 actions in 20 objectives, 2 history entries"


def test_counts_say_one_and_many_in_english() -> None:
    table = build_table(with_action(real_plan(), "1.1", updates=HISTORY[:1]), ActionFilter(),
                        AS_OF)
    one = dataclasses.replace(table, objectives=(dataclasses.replace(
        table.objectives[0], actions=table.objectives[0].actions[:1]),))
    two = dataclasses.replace(table, objectives=(dataclasses.replace(
        table.objectives[0], actions=table.objectives[0].actions[:2]), dataclasses.replace(
        table.objectives[1], actions=())), history=table.history * 2)
    assert counts(one) == "1 action in 1 objective, 1 history entry"
    assert counts(two) == "2 actions in 2 objectives, 2 history entries"


# -- choosing the format and writing the file ------------------------------------------------


@pytest.mark.parametrize(("name", "suffix", "message", "hint"), [
    ("xlsx", ".csv", "--format xlsx writes a .xlsx file, but the file name ends '.csv'",
     "name the file ....xlsx: Excel and Word warn about a file whose name does not match its "
     "content"),
    ("csv", "", "--format csv writes a .csv file, but the file name ends '(nothing)'",
     "name the file ....csv: Excel and Word warn about a file whose name does not match its "
     "content"),
    (None, "", "cannot tell the format from a file name without an ending",
     "name a file ending in .xlsx, .docx, .csv, or give --format"),
    (None, ".TXT", "cannot tell the format from a file name ending '.txt'",
     "name a file ending in .xlsx, .docx, .csv, or give --format"),
])
def test_a_format_the_file_name_does_not_match_is_refused(name: str | None, suffix: str,
                                                         message: str, hint: str) -> None:
    with pytest.raises(CannotRun) as refused:
        choose_format(name, suffix)
    assert (refused.value.message, refused.value.hint) == (message, hint)


def test_the_summary_says_what_was_or_would_be_written_or_replaced(tmp_path: Path) -> None:
    parts = [("plan", real_plan(), ActionFilter())]
    csv = FORMATS["csv"]
    out = tmp_path / "plan.csv"
    what = "(a CSV file (UTF-8 with BOM): one row per action): 20 actions in 10 objectives, " \
           "0 history entries"
    done = export_plan(parts, AS_OF, csv, out)
    size = len(out.read_bytes())
    assert size > 1000
    assert done.summary() == f"wrote {out.as_posix()} {what}, {size:,} bytes"
    with pytest.raises(CannotRun) as refused:
        export_plan(parts, AS_OF, csv, out)
    assert (refused.value.message, refused.value.hint) == (
        f"{out.as_posix()} already exists; nothing was written",
        "add --force to replace it, or choose another file name")
    assert export_plan(parts, AS_OF, csv, out, force=True, dry_run=True).summary() == \
        f"would replace {out.as_posix()} {what}, {size:,} bytes"
    assert export_plan(parts, AS_OF, csv, out, force=True).summary() == \
        f"replaced {out.as_posix()} {what}, {size:,} bytes"
    new = tmp_path / "new.csv"
    assert export_plan(parts, AS_OF, csv, new, dry_run=True).summary() == \
        f"would write {new.as_posix()} {what}, {size:,} bytes"
    assert not new.exists()


def test_a_folder_is_refused_with_a_file_name_to_give(tmp_path: Path) -> None:
    with pytest.raises(CannotRun) as refused:
        export_plan([("plan", real_plan(), ActionFilter())], AS_OF, FORMATS["xlsx"], tmp_path)
    assert (refused.value.message, refused.value.hint) == (
        f"{tmp_path.as_posix()} is a folder; name the file to write",
        f"e.g. -o {tmp_path.as_posix()}/plan.xlsx")


def test_a_file_someone_writes_while_the_export_is_built_is_left_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "plan.csv"

    def build_while_someone_writes(*args: Any) -> Any:
        out.write_text("someone else's", encoding="utf-8")
        return build_portfolio(*args)

    monkeypatch.setattr(run, "build_portfolio", build_while_someone_writes)
    with pytest.raises(CannotRun, match="already exists; it was left as it is"):
        export_plan([("plan", real_plan(), ActionFilter())], AS_OF, FORMATS["csv"], out)
    assert out.read_text(encoding="utf-8") == "someone else's"


@pytest.mark.parametrize(("number", "written"), [
    (101, "101st"), (102, "102nd"), (111, "111th"), (112, "112th"), (113, "113th"),
    (121, "121st"), (211, "211th")])
def test_ordinals_past_100_keep_the_teens_th(number: int, written: str) -> None:
    assert ordinal(number) == written
