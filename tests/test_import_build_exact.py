"""Exact import of what a plan's head and refs say, as the import builds the plan: title lines
it does not understand, a source that does not say where and when, the inspection's type from
its name, and refs Excel stored as numbers."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml

from conftest import Invoke
from test_import_exact3 import ACTION_1_1, HEAD, _document, _objective_table

INSPECTED = ("--area", "Reading", "--inspected", "24/02/2025 to 10/03/2025")


def _stderr(jtai: Invoke, source: Path, *options: str) -> tuple[int, list[str]]:
    result = jtai("import", str(source), "-o", str(source.with_suffix(".yaml")), *options)
    return result.exit_code, result.stderr.splitlines()


def test_a_title_line_the_import_does_not_understand_is_a_gap_at_its_paragraph(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [
        *HEAD, "Prepared by the business unit", _objective_table(1, ACTION_1_1)])
    code, lines = _stderr(jtai, source)
    assert code == 1
    assert "  paragraph 4: cannot read: title line 'Prepared by the business unit' was not " \
        "understood; not imported" in lines
    assert not (tmp_path / "plan.yaml").exists()


def test_a_source_that_does_not_say_where_and_when_is_a_gap_naming_both_options(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [_objective_table(1, ACTION_1_1)])
    code, lines = _stderr(jtai, source)
    assert code == 1
    assert "  cannot read: the source does not say which area was inspected and when (a " \
        "title line such as 'Joint Targeted Area Inspection: Reading' and '24th February - " \
        "10th March 2025'): give --area and --inspected \"24/02/2025 to 10/03/2025\"" in lines


def test_the_inspection_type_is_the_initials_of_the_inspections_name(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _document(tmp_path / "plan.docx", [
        "Area SEND Inspection: Reading", *HEAD[1:], _objective_table(1, ACTION_1_1)])
    code, _lines = _stderr(jtai, source)
    assert code == 0
    plan = yaml.safe_load((tmp_path / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["inspection"]["type"] == "ASI"
    assert plan["inspection"]["name"] == "Area SEND Inspection"


def _tracker(path: Path, refs: list[object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(["Ref", "Action", "Owners", "Progress RAG", "Complete by"])
    for ref in refs:
        sheet.append([ref, f"Do {ref}", "CSC", "Green", "30/06/2025"])
    book.save(path)
    return path


NUMBERED = [1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]
MAYBE_TEN = ("  Actions!A2: guess: ref 1.1 was stored by Excel as a number, so it may have been "
             "1.10; write refs as text in the sheet")


def test_a_ref_excel_stored_as_1_1_beside_1_9_may_have_been_1_10(
        jtai: Invoke, tmp_path: Path) -> None:
    code, lines = _stderr(jtai, _tracker(tmp_path / "plan.xlsx", list(NUMBERED)), *INSPECTED)
    assert code == 0
    assert lines.count(MAYBE_TEN) == 1


def test_refs_written_as_text_or_too_few_to_reach_1_10_raise_no_doubt(
        jtai: Invoke, tmp_path: Path) -> None:
    as_text = _tracker(tmp_path / "text.xlsx", [str(ref) for ref in NUMBERED])
    few = _tracker(tmp_path / "few.xlsx", NUMBERED[:8])
    for source in (as_text, few):
        code, lines = _stderr(jtai, source, *INSPECTED)
        assert code == 0
        assert not [line for line in lines if "stored by Excel as a number" in line]
