"""Exact import of an action's dates and theme that cannot be read, a Multi-agency column,
the Windows-1252 and UTF-8 checks of a text file and its path, and what the agency review
and the plan builder say with no place to name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from conftest import Invoke
from jtaiplan.office.intake.agencynames import Registry, review
from jtaiplan.office.intake.build import Overrides, build
from jtaiplan.office.intake.raw import Extract, Note

HEAD = ["Joint Targeted Area Inspection: Reading", "24th February - 10th March 2025",
        "Multi-Agency Improvement Plan"]
TITLE_AND_LEAD: list[Sequence[str]] = [
    ["Objective 1: VOICE", "Moderate risk: Activity is necessary", "Characteristics of good:"],
    ["Accountable lead: TVP", "Children are heard."]]
SUMMARY = "plan.docx: objective tables; 1 objective(s), {n} action(s)"
CREATED = "agencies created (check their codes and names): TVP (TVP), BWSCP (BWSCP)"
DEFAULTED = ("multi-agency: not in the source, left false (no Multi-agency column, no "
             "'MULTI-AGENCY:' before an action)")


def _document(path: Path, rows: list[Sequence[str]]) -> Path:
    """A Word document: the title lines, then one objective's table of ``rows``."""
    document = docx.Document()
    for line in HEAD:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(path))
    return path


def _import(jtai: Invoke, source: Path) -> tuple[int, list[str], str | None]:
    out = source.with_suffix(".yaml")
    result = jtai("import", str(source), "-o", str(out), "--keep-going")
    text = out.read_text(encoding="utf-8") if out.exists() else None
    lines = [line for line in result.stderr.splitlines() if not line.startswith("jtai: wrote")]
    return result.exit_code, lines, text


def test_dates_and_a_theme_that_cannot_be_read_are_gaps_at_their_cells(
        jtai: Invoke, tmp_path: Path) -> None:
    """A complete-by or baseline that is no real date, a theme holding a line separator and a
    "completed on" that is no date: each a gap at its cell, the row still imported, the
    theme left empty with the reason beside it; a readable baseline that differs from the
    complete-by is kept."""
    header = ["REF", "Action", "Complete by", "Baseline", "Owners", "Theme", "Progress RAG",
              "Completed on"]
    source = _document(tmp_path / "plan.docx", [*TITLE_AND_LEAD, header, [
        "1.1", "Audit the voice", "31.02.2025", "31.13.2025", "BWSCP", "Service\u2028Delivery",
        "Green", "soon"], [
        "1.2", "Hear children", "30.06.2025", "31.03.2025", "BWSCP", "", "Amber",
        "01.05.2025"]])
    code, lines, text = _import(jtai, source)
    assert code == 1
    assert lines[:4] == [SUMMARY.format(n=2), CREATED,
                         "not in the source, left empty: plan type, impact", DEFAULTED]
    assert lines[4:8] == [
        "  table 1, row 4, column 3: cannot read: 1.1 complete-by: complete-by '31.02.2025' "
        "is not a real date (day 31 of month 2, 2025)",
        "  table 1, row 4, column 4: cannot read: 1.1 baseline: complete-by '31.13.2025' is "
        "not a real date (day 31 of month 13, 2025)",
        "  table 1, row 4, column 6: cannot read: theme contains U+2028 (line separator) at "
        "character 8 (retype the text, or delete it and paste it again as plain text); not "
        "imported",
        "  table 1, row 4, column 8: cannot read: 1.1 completed on: 'soon' is not a date such "
        "as 30/06/2025"]
    assert text is not None
    assert ("        theme:  # import: U+2028 (line separator) at table 1, row 4, column 6\n"
            in text)
    actions = yaml.safe_load(text)["objectives"][0]["actions"]
    assert actions[0] == {"ref": "1.1", "multi_agency": False, "action": "Audit the voice",
                          "owners": ["BWSCP"], "theme": None, "progress": "Green",
                          "impact": None}
    assert {k: str(v) for k, v in actions[1].items()
            if k in ("complete_by", "baseline_complete_by", "completed_on")} == {
        "complete_by": "2025-06-30", "baseline_complete_by": "2025-03-31",
        "completed_on": "2025-05-01"}


def test_a_multi_agency_column_is_not_said_to_be_left_false(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    """Every action says "No": the column was read, so no default is reported."""
    header = ["REF", "Action", "Owners", "Multi-agency", "Progress RAG"]
    source = _document(tmp_path / "plan.docx", [
        *TITLE_AND_LEAD, header, ["1.1", "Audit the voice", "BWSCP", "No", "Green"]])
    code, lines, text = _import(jtai, source)
    assert code == 0
    assert lines[:3] == [SUMMARY.format(n=1), CREATED,
                         "not in the source, left empty: theme, plan type, impact"]
    assert DEFAULTED not in lines
    assert text is not None
    assert yaml.safe_load(text)["objectives"][0]["actions"][0]["multi_agency"] is False


def test_a_csv_read_as_windows_1252_says_so(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes("Ref,Action,Owners,Progress\n1.1,Café audit,BWSCP,Green\n"
                       .encode("cp1252"))
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(source), "-o", str(out), "--area", "Reading", "--inspected",
                  "24/02/2025 to 10/03/2025")
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines()
            if not line.startswith("jtai: wrote")] == [
        "plan.csv: flat tracker; 1 objective(s), 1 action(s)",
        "agencies created (check their codes and names): BWSCP (BWSCP)",
        "not in the source, left empty: theme, plan type, impact, objective lead, risk, "
        "characteristics of good",
        DEFAULTED,
        "  guess: read as Windows-1252 (the file is not UTF-8); save it from Excel as "
        "\"CSV UTF-8\" to be sure of every character",
        "  A2: guess: objective 1 has no title in the source; it is called 'Objective 1' "
        "until you name it"]
    action = yaml.safe_load(out.read_text(encoding="utf-8"))["objectives"][0]["actions"][0]
    assert action["action"] == "Café audit"


def test_a_byte_that_is_not_utf8_is_named_at_its_line_after_a_leading_empty_line(
        jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_bytes(b"\nRef,Action,Owners,Progress\n1.1,Caf\xc3\xa9 \xff audit,BWSCP,Green\n")
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"jtai: {source}: line 3: byte 11 (offset 38 in the file, 0xFF) is not UTF-8, though "
        "the rest of the file is",
        "    hint: retype the character on that line, or save the file from Excel as "
        "\"CSV UTF-8\""]


def test_a_file_that_cannot_be_read_says_why_in_words(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / ("a" * 300 + ".csv")
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"jtai: {source}: cannot be read (File name too long)"]


def test_a_name_spelt_out_outside_any_action_is_noted_with_no_place() -> None:
    """A code spelt out in the summary (in no objective or action): the note has no place,
    an empty one, as every note without a place."""
    registry = Registry([])
    data: dict[str, Any] = {
        "summary_of_change": {"introduction": "Brighter Futures for Children (BFC) leads."},
        "objectives": [{"number": 1, "title": "T", "actions": [
            {"ref": "1.1", "owners": [registry.code_for("BFC", "Actions!F2")]}]}]}
    notes: list[Note] = []
    review(data, registry, notes)
    assert registry.agencies == [{"code": "BFC", "name": "Brighter Futures for Children"}]
    assert notes == [Note("", "BFC named 'Brighter Futures for Children', as spelt out here "
                              "(undo: jtai agency rename BFC --name BFC)")]


def test_a_name_coded_without_a_place_is_met_nowhere() -> None:
    registry = Registry([])
    assert registry.code_for("Kent Police") == "KP"
    assert registry.where == {"KP": ""}


def test_a_plan_built_from_nothing_says_nothing_was_found_as_a_gap() -> None:
    built = build(Extract("objective tables"), Registry([]), Overrides())
    assert built.data["objectives"] == []
    assert [n for n in built.notes if "objectives" in n.message] == [
        Note("", "no objectives or actions were found", gap=True)]


def test_a_trackers_white_fill_formula_and_row_without_ref_are_gaps_at_their_cells(
        jtai: Invoke, tmp_path: Path) -> None:
    """An empty progress cell filled white has no rating (white is no RAG colour, nor
    refused as one); a formula without a saved result; a row whose ref is no ref."""
    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(["Ref", "Action", "Owners", "Progress"])
    sheet.append(["1.1", "Audit", "BWSCP", None])
    sheet["D2"].fill = PatternFill("solid", fgColor="FFFFFFFF")
    sheet.append(["1.2", "Hear", "BWSCP", "=1+1"])
    sheet.append(["x", "Other", "BWSCP", "Green"])
    sheet.append(["1.3", "Keep", "BWSCP", "Green"])
    source = tmp_path / "plan.xlsx"
    book.save(source)
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"), "--keep-going",
                  "--area", "Reading", "--inspected", "24/02/2025 to 10/03/2025")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines()
            if not line.startswith("jtai: wrote")] == [
        "plan.xlsx: flat tracker; 1 objective(s), 1 action(s)",
        "agencies created (check their codes and names): BWSCP (BWSCP)",
        "not in the source, left empty: theme, plan type, impact, objective lead, risk, "
        "characteristics of good",
        DEFAULTED,
        "  Actions!A4: cannot read: row 'x' has no objective number or ref; not imported",
        "  Actions!A2: guess: objective 1 has no title in the source; it is called "
        "'Objective 1' until you name it",
        "  Actions!D2: cannot read: 1.1 has no progress rating; the row was not imported",
        "  Actions!D3: cannot read: 1.2 progress: a formula with no saved result: open the "
        "file in Excel, let it calculate, save, and import again"]


def test_an_agencies_file_with_no_agencies_or_no_yaml_is_refused(jtai: Invoke,
                                                                 tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("Ref,Action,Owners,Progress\n1.1,Audit,BWSCP,Green\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("agencies: []\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("agencies: [\n", encoding="utf-8")
    result = jtai("import", str(source), "-o", str(tmp_path / "a.yaml"), "--agencies",
                  str(empty))
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        f"jtai: --agencies {empty}: holds no list of agencies",
        "    hint: give a plan, or a YAML file with agencies: and entries of code, name and "
        "aliases"])
    result = jtai("import", str(source), "-o", str(tmp_path / "b.yaml"), "--agencies",
                  str(broken))
    assert (result.exit_code, result.stderr.splitlines()) == (2, [
        f"jtai: --agencies {broken}: not readable YAML (YAML syntax error: did not find "
        "expected node content (while parsing a flow node))"])


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _refusal(jtai: Invoke, source: Path) -> tuple[int, list[str]]:
    result = jtai("import", str(source), "-o", str(source.with_suffix(".yaml")))
    return result.exit_code, result.stderr.splitlines()


def test_a_damaged_word_document_is_named_as_one(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.docx"
    source.write_bytes(b"PK\x03\x04 not a zip at all")
    assert _refusal(jtai, source) == (2, [
        f"jtai: {source}: not a readable Word document (the file is damaged or not .docx)",
        "    hint: open it in Word and save it again as .docx"])


def test_a_workbook_holding_macros_is_refused(jtai: Invoke, tmp_path: Path) -> None:
    source = _zip(tmp_path / "plan.xlsx", {"xl/workbook.xml": b"<workbook/>",
                                           "xl/vbaProject.bin": b"macros"})
    assert _refusal(jtai, source) == (2, [
        f"jtai: {source}: holds macros, which jtai does not read",
        "    hint: save a copy as .xlsx without macros, and import that"])


def test_a_part_that_would_unpack_too_far_is_refused_past_the_ratio_only(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part over 1 MB packed exactly MAX_RATIO times is read; past it, refused."""
    import zipfile

    from jtaiplan.office import opening

    source = _zip(tmp_path / "plan.xlsx", {"xl/big.xml": b"\0" * 2_000_000})
    with zipfile.ZipFile(source) as archive:
        member = archive.getinfo("xl/big.xml")
    monkeypatch.setattr(opening, "MAX_RATIO", member.file_size / member.compress_size)
    assert _refusal(jtai, source) == (2, [
        f"jtai: {source}: not a workbook (it is a zip file without xl/workbook.xml)"])
    monkeypatch.setattr(opening, "MAX_RATIO", member.file_size / member.compress_size - 0.5)
    assert _refusal(jtai, source) == (2, [
        f"jtai: {source}: part 'xl/big.xml' would unpack to 1 MB, far more than any plan "
        "needs; refused to protect this machine",
        "    hint: remove unused sheets, images or blank formatted rows and save again"])


def test_a_workbook_openpyxl_cannot_read_says_to_save_it_again(jtai: Invoke,
                                                               tmp_path: Path) -> None:
    source = _zip(tmp_path / "plan.xlsx", {"xl/workbook.xml": b"<workbook/>"})
    code, lines = _refusal(jtai, source)
    assert (code, len(lines)) == (2, 2)
    assert lines[0].startswith(f"jtai: {source}: Excel workbook could not be read (")
    assert lines[1] == "    hint: open it in Excel and save it again"


@pytest.mark.parametrize("rgb", ["FFC", "FFGG00", "ZZZZZZ", "FFFFFF", "FFFFFFFF"])
def test_a_fill_that_is_not_six_hex_digits_or_is_white_means_no_rating(rgb: str) -> None:
    from jtaiplan.office.styles import rag_from_fill

    assert rag_from_fill(rgb) is None


def test_an_encrypted_workbook_says_to_remove_its_password(jtai: Invoke, tmp_path: Path) -> None:
    """An encrypted .xlsx is an OLE compound file, not a zip."""
    source = tmp_path / "plan.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert _refusal(jtai, source) == (2, [
        f"jtai: {source}: password-protected (encrypted), so jtai cannot read it",
        "    hint: open it, remove the password (File > Info > Protect), save, and try again"])


def test_an_agencies_sheet_row_without_a_code_is_named_by_an_empty_code(
        jtai: Invoke, tmp_path: Path) -> None:
    import openpyxl

    from conftest import REAL_PLAN

    exported = tmp_path / "export.xlsx"
    result = jtai("export", "--plan", str(REAL_PLAN), "--as-of", "2025-07-01", "-o",
                  str(exported))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(exported)
    book["Agencies"].append([None, "A Body"])
    book.save(exported)
    result = jtai("import", str(exported), "-o", str(tmp_path / "plan.yaml"), "--keep-going")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if "Agencies!" in line] == [
        "  Agencies!B7: cannot read: agency '' is not valid (code: Field required); not "
        "imported"]


def _tracker(jtai: Invoke, tmp_path: Path, rows: list[list[Any]]) -> list[str]:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    for row in rows:
        sheet.append(row)
    source = tmp_path / "plan.xlsx"
    book.save(source)
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"), "--keep-going",
                  "--area", "Reading", "--inspected", "24/02/2025 to 10/03/2025")
    assert result.exit_code == 1
    return [line for line in result.stderr.splitlines() if line.startswith("  ")]


def test_a_trackers_objective_column_places_rows_whose_ref_is_no_ref(
        jtai: Invoke, tmp_path: Path) -> None:
    lines = _tracker(jtai, tmp_path, [["Objective", "Ref", "Action", "Owners", "Progress"],
                                      [1, "1.1", "Audit", "BWSCP", "Green"],
                                      [1, "x", "Other", "BWSCP", "Green"],
                                      [1, 1.123456789, "Big", "BWSCP", "Green"]])
    assert lines == [
        "  Actions!A2: guess: objective 1 has no title in the source; it is called "
        "'Objective 1' until you name it",
        "  Actions!B3: cannot read: 'x' is not a ref such as 2.1; the row was not imported",
        "  Actions!B4: cannot read: '1.123456789' is not a ref such as 2.1; the row was not "
        "imported"]


def test_a_tracker_with_objectives_and_no_ref_column_names_each_row_without_a_ref(
        jtai: Invoke, tmp_path: Path) -> None:
    lines = _tracker(jtai, tmp_path, [["Objective", "Action", "Owners", "Progress"],
                                      ["1. Voice", "Audit", "BWSCP", "Green"],
                                      ["2. Strategy", "Plan", "BWSCP", "Amber"]])
    assert lines == [
        "  Actions!A2: guess: objective 1 has no title in the source; it is called "
        "'Objective 1' until you name it",
        "  Actions!A2: cannot read: no ref; the row was not imported",
        "  Actions!A3: guess: objective 2 has no title in the source; it is called "
        "'Objective 2' until you name it",
        "  Actions!A3: cannot read: no ref; the row was not imported"]


def test_a_date_one_column_right_of_its_header_is_read_back_only_when_it_is_a_date(
        jtai: Invoke, tmp_path: Path) -> None:
    """The seed's shift: an empty complete-by followed by a date where the owners stand. An
    empty complete-by followed by owners is not shifted; an empty action does not matter."""
    header = ["REF", "Action", "Complete by", "Owners", "Progress RAG", ""]
    source = _document(tmp_path / "plan.docx", [
        *TITLE_AND_LEAD, header,
        ["1.1", "Audit the voice", "", "BWSCP", "Green", ""],
        ["1.2", "", "", "30.06.2025", "BWSCP", "Green"],
        ["1.3", "Hear", "", "30.06.2025", "BWSCP", "Amber"]])
    code, lines, text = _import(jtai, source)
    assert code == 1
    shifted = ("guess: the complete-by date stood one column right of its header (an empty "
               "cell before it); the row's cells were read one column left")
    assert lines == [
        SUMMARY.format(n=2), CREATED, "not in the source, left empty: theme, plan type, impact",
        DEFAULTED,
        f"  table 1, row 5, column 3: {shifted}",
        f"  table 1, row 6, column 3: {shifted}",
        "  table 1, row 5, column 2: cannot read: 1.2 has no action text; the row was not "
        "imported"]
    assert text is not None
    actions = yaml.safe_load(text)["objectives"][0]["actions"]
    assert [(a["ref"], a["owners"], a["progress"], str(a["complete_by"])) for a in actions] == [
        ("1.1", ["BWSCP"], "Green", "None"), ("1.3", ["BWSCP"], "Amber", "2025-06-30")]
