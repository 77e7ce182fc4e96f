"""Exact import of a partnership's own Word plan (objective tables): what stands beside an
objective's title or its accountable lead, an objective written twice, rows in no table,
the document's head (area for priority action, summary, RAG key), the summary cell's
blocks, and the codes and matches the agency review proposes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml

from conftest import Invoke
from jtaiplan.office.intake.agencynames import Registry, code_of, review
from jtaiplan.office.intake.build import _summary
from jtaiplan.office.intake.grid import Cell
from jtaiplan.office.intake.raw import Note
from jtaiplan.plan.model import Agency

HEAD = ["Joint Targeted Area Inspection: Reading", "24th February - 10th March 2025",
        "Multi-Agency Improvement Plan"]
HEADER = ["REF", "Action", "Complete by", "Owners", "Theme", "Plan", "Progress RAG",
          "Impact RAG"]
SHORT_HEADER = ["REF", "Action", "Owners", "Progress RAG"]
WROTE = "jtai: wrote {out}; check it with `jtai lint --plan {out}`"
Cells = Sequence[str | Sequence[str]]
"""A table row: each cell a text, or a list of the cell's paragraphs."""
Block = str | Sequence[Cells]
"""A paragraph, or a table (its rows)."""


def _document(path: Path, blocks: list[Block]) -> Path:
    """A Word document of paragraphs and tables, as a partnership writes its plan."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                if isinstance(value, str):
                    cell.text = value
                else:
                    cell.text = value[0]
                    for paragraph in value[1:]:
                        cell.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _import(jtai: Invoke, source: Path, *options: str) -> tuple[int, list[str],
                                                                 dict[str, Any] | None]:
    out = source.with_suffix(".yaml")
    result = jtai("import", str(source), "-o", str(out), "--keep-going", *options)
    data = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    lines = [line for line in result.stderr.splitlines()
             if not line.startswith("jtai: wrote")]
    return result.exit_code, lines, data


def _objective_table(number: int, *rows: Cells) -> list[Cells]:
    """Objective ``number``'s table as the seed writes it: title, lead, header, actions."""
    return [[f"Objective {number}: VOICE", "Moderate risk: Activity is necessary",
             "Characteristics of good:"],
            ["Accountable lead: TVP", "Children are heard."],
            HEADER, *rows]


ACTION_1_1: Cells = ["1.1", "Audit the voice", "30.06.2025", "BWSCP", "Service Delivery",
                     "Operational", "Green", ""]
CREATED = "agencies created (check their codes and names): TVP (TVP), BWSCP (BWSCP)"
DEFAULTED = ("multi-agency: not in the source, left false (no Multi-agency column, no "
             "'MULTI-AGENCY:' before an action)")


def test_cells_beside_a_title_or_a_lead_that_are_not_understood_are_gaps_at_their_cells(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [*HEAD, [
        ["Objective 1: VOICE", "Characteristics of good: Children are heard",
         "Unplanned note", "Moderate risk: Activity is necessary"],
        ["Accountable lead: TVP", "Stray beside the lead"],
        [*HEADER, "Milestone"],
        [*ACTION_1_1, "Audit planned"]]])
    code, lines, data = _import(jtai, source)
    assert code == 1
    assert lines == [
        "plan.docx: objective tables; 1 objective(s), 1 action(s)", CREATED, DEFAULTED,
        "  table 1, row 1, column 3: cannot read: 'Unplanned note' beside objective 1's "
        "title was not understood",
        "  table 1, row 2, column 2: cannot read: 'Stray beside the lead' beside the "
        "accountable lead was not understood",
        "  table 1, row 3, column 9: cannot read: column 'Milestone' is not a field jtai "
        "knows: add --map \"Milestone=FIELD\" (a field, or ignore)"]
    assert data is not None
    objective = data["objectives"][0]
    assert {k: v for k, v in objective.items() if k != "actions"} == {
        "number": 1, "title": "VOICE", "risk": "moderate", "lead": "TVP",
        "characteristics_of_good": "Children are heard"}
    assert data["risk_levels"] == {"moderate": "Moderate risk: Activity is necessary"}


def test_an_objective_written_twice_is_one_objective_and_a_second_lead_is_a_guess(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [*HEAD, _objective_table(1, ACTION_1_1), [
        ["Objective 1: VOICE AGAIN", "High risk"],
        ["Accountable lead: BFFC"],
        ["Accountable lead: tvp"],
        SHORT_HEADER,
        ["1.2", "Hear children", "BWSCP", "Amber"]]])
    code, lines, data = _import(jtai, source)
    assert code == 1
    assert lines == [
        "plan.docx: objective tables; 1 objective(s), 2 action(s)", CREATED, DEFAULTED,
        "  table 2, row 1, column 1: cannot read: objective 1 appears twice; its actions are "
        "read into one objective",
        "  table 2, row 1, column 2: cannot read: 'High risk' beside objective 1's title was "
        "not understood",
        "  table 2, row 2, column 1: guess: objective 1 has a second accountable lead 'BFFC'; "
        "the first, 'TVP', was kept"]
    assert data is not None
    objective = data["objectives"][0]
    assert (objective["title"], objective["lead"], objective["risk"]) == (
        "VOICE AGAIN", "TVP", "moderate")
    assert [a["ref"] for a in objective["actions"]] == ["1.1", "1.2"]


def test_rows_in_no_objectives_table_are_gaps_cell_by_cell(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    """A row between a lead and its header, a rating and its words under a table (not a
    "Key" sheet), and a five-cell row starting "Objective 2:" (a title has at most four)."""
    source = _document(tmp_path / "plan.docx", [*HEAD, [
        ["Objective 1: VOICE", "Moderate risk: Activity is necessary"],
        ["Accountable lead: TVP"],
        ["Note: see the annex"],
        HEADER,
        ACTION_1_1,
        ["Red", "a row under the table"],
        ["Objective 2: STRATEGY", "one", "two", "three", "four"]]])
    code, lines, data = _import(jtai, source)
    assert code == 1
    tail = "is in no objective's table and was not understood; not imported"
    assert lines == [
        "plan.docx: objective tables; 1 objective(s), 1 action(s)", CREATED,
        "not in the source, left empty: characteristics of good", DEFAULTED,
        f"  table 1, row 3, column 1: cannot read: 'Note: see the annex' {tail}",
        f"  table 1, row 6, column 1: cannot read: 'Red' {tail}",
        f"  table 1, row 6, column 2: cannot read: 'a row under the table' {tail}",
        f"  table 1, row 7, column 1: cannot read: 'Objective 2: STRATEGY' {tail}",
        f"  table 1, row 7, column 2: cannot read: 'one' {tail}",
        f"  table 1, row 7, column 3: cannot read: 'two' {tail}",
        f"  table 1, row 7, column 4: cannot read: 'three' {tail}",
        f"  table 1, row 7, column 5: cannot read: 'four' {tail}"]
    assert data is not None
    assert [o["number"] for o in data["objectives"]] == [1]
    assert data["inspection"]["plan_title"] == "Multi-Agency Improvement Plan"


def test_an_objective_with_no_title_is_named_for_its_number_where_its_title_row_is(
        jtai: Invoke, tmp_path: Path) -> None:
    """And a table with no Progress column: each action is refused at its ref's cell."""
    source = _document(tmp_path / "plan.docx", [*HEAD, [
        ["Objective 3:", "Low risk"],
        ["Accountable lead: TVP", "Help is early."],
        ["REF", "Action", "Owners", "Theme"],
        ["3.1", "Map early help", "BWSCP", "Early help"]]])
    code, lines, data = _import(jtai, source)
    assert code == 1
    assert lines == [
        "plan.docx: objective tables; 1 objective(s), 0 action(s)", CREATED,
        "not in the source, left empty: plan type, impact", DEFAULTED,
        "  table 1, row 1, column 1: guess: objective 3 has no title in the source; it is "
        "called 'Objective 3' until you name it",
        "  table 1, row 4, column 1: cannot read: 3.1 has no progress rating; the row was not "
        "imported"]
    assert data is not None
    assert data["objectives"] == [{"number": 3, "title": "Objective 3", "risk": "low",
                                   "lead": "TVP", "characteristics_of_good": "Help is early.",
                                   "actions": []}]


def test_a_column_any_objectives_header_names_counts_as_in_the_source(
        jtai: Invoke, tmp_path: Path) -> None:
    """Theme, plan type and impact are columns of the first table only: not "absent"."""
    second = _objective_table(2, ["2.1", "Hold strategy meetings", "BWSCP", "Green"])
    second[2] = SHORT_HEADER
    source = _document(tmp_path / "plan.docx", [*HEAD, _objective_table(1, ACTION_1_1),
                                                 second])
    code, lines, data = _import(jtai, source)
    assert code == 0
    assert lines == ["plan.docx: objective tables; 2 objective(s), 2 action(s)", CREATED,
                     DEFAULTED]
    assert data is not None
    assert [a.get("theme") for o in data["objectives"] for a in o["actions"]] == [
        "Service Delivery", None]


def test_a_title_the_plan_cannot_hold_is_a_gap_at_the_titles_cell(jtai: Invoke,
                                                                  tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [*HEAD, [
        ["Objective 1: VOICE\u2028AND EXPERIENCE", "Moderate risk: Activity is necessary"],
        ["Accountable lead: TVP", "Children are heard."],
        HEADER, ACTION_1_1]])
    code, lines, data = _import(jtai, source)
    assert code == 1
    assert lines[3:] == [
        "  table 1, row 1, column 1: cannot read: title contains U+2028 (line separator) at "
        "character 6 (retype the text, or delete it and paste it again as plain text); not "
        "imported"]
    assert data is not None
    assert data["objectives"][0]["title"] == "Objective 1"


def test_objective_tables_in_a_workbook_read_each_column_where_it_stands(
        jtai: Invoke, tmp_path: Path) -> None:
    """A sheet's empty column between two headers is a column: Owners is the fourth."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Plan"
    for row in ([HEAD[0]], [HEAD[1]], [],
                ["Objective 1: VOICE", "Moderate risk: Activity is necessary"],
                ["Accountable lead: TVP", "Children are heard."],
                ["REF", "Action", None, "Owners", "Progress RAG"],
                ["1.1", "Audit the voice", None, "BWSCP", "Green"]):
        sheet.append(row)
    book.save(tmp_path / "plan.xlsx")
    code, lines, data = _import(jtai, tmp_path / "plan.xlsx")
    assert lines == [
        "plan.xlsx: objective tables; 1 objective(s), 1 action(s)", CREATED,
        "not in the source, left empty: theme, plan type, impact", DEFAULTED]
    assert code == 0
    assert data is not None
    assert data["objectives"][0]["actions"] == [{
        "ref": "1.1", "multi_agency": False, "action": "Audit the voice", "owners": ["BWSCP"],
        "progress": "Green", "impact": None}]


def test_a_trackers_row_that_starts_like_an_objective_title_but_has_a_ref_is_an_action(
        jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes(b"Priority,Ref,Action,Owners,Progress\r\n"
                       b"Priority 1: Early help,1.1,Map early help offers,Council,Green\r\n"
                       b"Priority 1: Early help,1.2,Train staff,Council,\r\n")
    code, lines, _ = _import(jtai, source, "--area", "Reading", "--inspected",
                             "24/02/2025 to 10/03/2025")
    assert code == 1
    assert lines[0] == "plan.csv: flat tracker; 1 objective(s), 1 action(s)"
    assert lines[-1] == "  E3: cannot read: 1.2 has no progress rating; the row was not imported"


HEAD_BLOCKS: list[Block] = [
    HEAD[0], HEAD[1],
    [["Version 2", "Draft"]],
    "Area for priority action: Shortfalls in the partnership",
    [["Improvement Objectives - SUMMARY", "Characteristics of good:"],
     [["SUMMARY", "Intro", "1. Voice.", "2. Strategy."], "Children are safe.",
      "Reviewed yearly"],
     ["KEY"],
     ["Blue", "Completed"], ["Green", "On track"], ["Amber", "At risk"],
     ["Red", "Off track"]],
    [["Objective 1: VOICE", "Moderate risk: Activity is necessary"],
     ["Accountable lead: TVP", "Children are heard."], HEADER, ACTION_1_1]]


def test_the_head_above_the_tables_reads_its_area_summary_and_key(jtai: Invoke,
                                                                  tmp_path: Path) -> None:
    """The area for priority action written after its heading, the summary's row with a
    third cell, a "KEY" row right after it with its ratings, then an objective whose title
    row has two cells; and a two-cell row that is not the summary's heading."""
    code, lines, data = _import(jtai, _document(tmp_path / "plan.docx", HEAD_BLOCKS))
    assert code == 1
    assert lines == [
        "plan.docx: objective tables; 1 objective(s), 1 action(s)", CREATED, DEFAULTED,
        "  table 1, row 1, column 1: cannot read: 'Version 2' above the plan's tables was not "
        "understood; not imported",
        "  table 1, row 1, column 2: cannot read: 'Draft' above the plan's tables was not "
        "understood; not imported",
        "  table 2, row 2, column 3: cannot read: 'Reviewed yearly' not imported"]
    assert data is not None
    assert data["area_for_priority_action"] == "Shortfalls in the partnership"
    assert data["summary_of_change"] == {"heading": "SUMMARY", "introduction": "Intro",
                                         "areas": ["Voice.", "Strategy."]}
    assert data["characteristics_of_good"] == "Children are safe."
    assert data["rag_key"] == {"Blue": "Completed", "Green": "On track", "Amber": "At risk",
                               "Red": "Off track"}
    assert [(o["number"], o["title"], o["risk"]) for o in data["objectives"]] == [
        (1, "VOICE", "moderate")]


def test_a_summary_with_nothing_beside_it_is_read_alone(jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [*HEAD, [
        ["Improvement Objectives - SUMMARY", "Characteristics of good:"],
        ["Children are safe and heard."]], _objective_table(1, ACTION_1_1)])
    code, lines, data = _import(jtai, source)
    assert (code, lines) == (0, ["plan.docx: objective tables; 1 objective(s), 1 action(s)",
                                 CREATED, DEFAULTED])
    assert data is not None
    assert data["summary_of_change"] == {"introduction": "Children are safe and heard."}
    assert "characteristics_of_good" not in data


def test_a_sheet_ending_in_a_heading_with_nothing_under_it_reads_nothing_from_it(
        jtai: Invoke, tmp_path: Path) -> None:
    """An "Area for priority action:" or summary heading with no row after it: the sheet
    ends, and the import goes on to the next."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Plan"
    for row in ([HEAD[0]], [HEAD[1]], *_objective_table(1, ACTION_1_1)):
        sheet.append(row)
    book.create_sheet("Area").append(["Area for priority action:"])
    summary = book.create_sheet("Summary")
    summary.append([HEAD[2]])
    summary.append(["Improvement Objectives - SUMMARY", "Characteristics of good:"])
    book.save(tmp_path / "plan.xlsx")
    code, lines, data = _import(jtai, tmp_path / "plan.xlsx")
    assert (code, lines) == (0, ["plan.xlsx: objective tables; 1 objective(s), 1 action(s)",
                                 CREATED, DEFAULTED])
    assert data is not None
    assert data["inspection"]["plan_title"] == HEAD[2]
    assert "area_for_priority_action" not in data
    assert "summary_of_change" not in data


@pytest.mark.parametrize(("text", "expected"), [
    # Each area its own HTML paragraph: the areas are read only from a Word cell's
    # paragraphs or an <ol>'s one run of "1. ... 2. ...".
    ("<p>SUMMARY</p><p>Intro:</p><p>1. A.</p><p>2. B.</p>",
     {"heading": "SUMMARY", "introduction": "Intro: 1. A. 2. B."}),
    ("<p>SUMMARY</p><p>First.</p><p>Second.</p>",
     {"heading": "SUMMARY", "introduction": "First. Second."}),
    ("<p>Intro:</p><ol><li>1. A. 2. B.</li></ol>",
     {"introduction": "Intro:", "areas": ["A.", "B."]}),
    ("<p>Children at risk</p><p>1.5 million children</p>",
     {"heading": "Children at risk", "introduction": "1.5 million children"}),
    ("<p> </p>", {}),
])
def test_an_html_summary_splits_into_heading_introduction_and_areas(
        text: str, expected: dict[str, Any]) -> None:
    assert _summary(Cell(text, "table 1, row 2, column 1")) == expected


def test_a_word_summarys_last_area_may_itself_hold_numbers() -> None:
    cell = Cell("SUMMARY\n1. Voice.\n2. Strategy: 1. meetings 2. plans.",
                "table 1, row 2, column 1",
                paragraphs=("SUMMARY", "1. Voice.", "2. Strategy: 1. meetings 2. plans."))
    assert _summary(cell) == {"introduction": "SUMMARY",
                              "areas": ["Voice.", "Strategy: 1. meetings 2. plans."]}


@pytest.mark.parametrize(("name", "code"), [
    ("Safeguarding", "Safeguarding"),
    ("Commissioners", "C"),
    ("999", "A999"),
    ("5x5", "A5x5"),
    ("2 Boroughs Trust", "A2BT"),
    ("Of the", "AGENCY"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZ ABCDEFGHIJ", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF"),
])
def test_a_new_names_code_is_its_one_short_word_or_its_initials(name: str,
                                                                  code: str) -> None:
    assert code_of(name) == code


def _reviewed(given: list[Agency], names: list[str]) -> tuple[
        list[dict[str, Any]], list[list[str]], list[Note]]:
    """The registry, each action's owners and the notes after the review, for actions 1.1,
    1.2... owned by ``names`` (met at Actions!F2, F3...)."""
    registry = Registry(given)
    actions: list[dict[str, Any]] = [
        {"ref": f"1.{k}", "owners": [registry.code_for(name, f"Actions!F{k + 1}")]}
        for k, name in enumerate(names, 1)]
    data: dict[str, Any] = {"objectives": [{"number": 1, "title": "T", "actions": actions}]}
    notes: list[Note] = []
    review(data, registry, notes)
    return registry.agencies, [a["owners"] for a in actions], notes


def _split(code: str, name: str, target: str, why: str) -> str:
    return (f"'{name}' read as {code} ({target}): {why}; if it is another agency: jtai agency "
            f"split {code} \"{name}\"")


@pytest.mark.parametrize(("code", "name"), [
    ("TVP", "Thames Valley Police"),
    ("BFFC", "Brighter Futures for Children"),  # "for" counted in the initials too
    ("KP", "Kent Police"),
])
def test_a_name_whose_initials_are_another_agencys_code_is_that_agency(code: str,
                                                                       name: str) -> None:
    agencies, owners, notes = _reviewed([], [code, name])
    assert agencies == [{"code": code, "name": name}]
    assert owners == [[code], [code]]
    assert notes == [Note("Actions!F3", _split(code, name, name, f"its initials are {code}"))]


def test_a_one_word_name_is_never_matched_by_its_initial() -> None:
    agencies, owners, notes = _reviewed([], ["C", "Cafcass"])
    assert agencies == [{"code": "C", "name": "C"}, {"code": "Cafcass", "name": "Cafcass"}]
    assert (owners, notes) == ([["C"], ["Cafcass"]], [])


def test_generic_words_are_read_as_the_plans_only_agency_of_their_kind() -> None:
    """"The police" is a generic word too, not a second police agency."""
    agencies, owners, notes = _reviewed([], ["Thames Valley Police", "Police", "The police"])
    assert agencies == [{"code": "TVP", "name": "Thames Valley Police",
                         "aliases": ["Police", "The police"]}]
    assert owners == [["TVP"], ["TVP"], ["TVP"]]
    why = "the plan's only police agency"
    assert notes == [
        Note("Actions!F3", _split("TVP", "Police", "Thames Valley Police", why)),
        Note("Actions!F4", _split("TVP", "The police", "Thames Valley Police", why))]


def test_an_agency_is_of_a_kind_by_its_aliases_too() -> None:
    given = [Agency(code="TVP", name="TVP", aliases=["Thames Valley Police"])]
    agencies, owners, notes = _reviewed(given, ["Police"])
    assert agencies == [{"code": "TVP", "name": "TVP",
                         "aliases": ["Thames Valley Police", "Police"]}]
    assert owners == [["TVP"]]
    assert notes == [Note("Actions!F2", _split("TVP", "Police", "TVP",
                                               "the plan's only police agency"))]
