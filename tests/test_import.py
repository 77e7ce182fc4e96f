"""`jtai import`: the seed and files built from its content give back plan.yaml; other
trackers import to valid plans; bad input gets a clear message, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke
from import_fixtures import (
    PLAN,
    SEED,
    plan_data,
    second_tracker,
    write_csv,
    write_docx,
    write_export_shaped,
    write_tracker,
)

ACTION_FIELDS = ("ref", "action", "multi_agency", "complete_by", "owners", "owners_as_written",
                 "theme", "plan_type", "progress", "impact")
OBJECTIVE_FIELDS = ("number", "title", "lead", "risk", "characteristics_of_good")
TOP_FIELDS = ("inspection", "area_for_priority_action", "summary_of_change",
              "characteristics_of_good", "rag_key", "risk_levels", "themes", "plan_types",
              "complete_by_words", "agencies")


def imported(jtai: Invoke, source: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = jtai("import", str(source), "--agencies", str(PLAN), "-o", str(out), *extra)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    data: dict[str, Any] = yaml.safe_load(out.read_text(encoding="utf-8"))
    return data


def assert_same_plan(got: dict[str, Any], top: tuple[str, ...] = TOP_FIELDS,
                     objective_fields: tuple[str, ...] = OBJECTIVE_FIELDS,
                     action_fields: tuple[str, ...] = ACTION_FIELDS) -> None:
    want = plan_data()
    for key in top:
        assert got.get(key) == want.get(key), key
    assert [o["number"] for o in got["objectives"]] == [o["number"] for o in want["objectives"]]
    for theirs, ours in zip(want["objectives"], got["objectives"], strict=True):
        for key in objective_fields:
            assert ours.get(key) == theirs.get(key), (theirs["number"], key)
        assert [a["ref"] for a in ours["actions"]] == [a["ref"] for a in theirs["actions"]]
        for want_action, got_action in zip(theirs["actions"], ours["actions"], strict=True):
            for key in action_fields:
                assert got_action.get(key) == want_action.get(key), (want_action["ref"], key)


def test_seed_imports_to_plan_yaml_field_by_field(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = jtai("import", str(SEED), "--agencies", str(PLAN), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert_same_plan(yaml.safe_load(out.read_text(encoding="utf-8")))
    lines = result.stderr.splitlines()
    assert lines[0] == "seed_reading_2025.txt: objective tables; 10 objective(s), 20 action(s)"
    assert "complete-by words declared: In place, underway" in lines
    # The 10.x rows' dates stand one column right in the seed: a guess, said where.
    assert [line for line in lines if "one column right" in line] == [
        f"  line {n}, field 3: guess: the complete-by date stood one column right of its "
        "header (an empty cell before it); the row's cells were read one column left"
        for n in (76, 77)]


def test_seed_import_is_in_fmt_layout_and_validates(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    assert jtai("import", str(SEED), "--agencies", str(PLAN), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert '\n      - ref: "1.1"\n        multi_agency: true\n' in text
    assert "        owners: [TVP, BFfC]\n" in text
    assert jtai("fmt", "--check", "--plan", str(out)).exit_code == 0
    assert jtai("validate", "--plan", str(out)).exit_code == 0


def test_seed_without_registry_creates_agencies_for_review(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = jtai("import", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # BFFC and BFfC are one agency: its code is the spelling written in mixed case.
    assert ("agencies created (check their codes and names): TVP (TVP), Police (Police), "
            "CSC (CSC), BWSCP (BWSCP), BFfC (BFfC), Partnership (Partnership), KCC (Kent CC)"
            ) in result.stderr.splitlines()
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    first = data["objectives"][1]["actions"][0]
    assert (first["owners"], first["owners_as_written"]) == (["BFfC"], "BFFC with partners")
    assert data["objectives"][1]["lead"] == "BFfC"
    assert data["objectives"][3]["lead"] == "BFfC"


def test_dry_run_prints_the_plan_and_writes_nothing(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = jtai("import", str(SEED), "--agencies", str(PLAN), "-o", str(out), "--dry-run")
    assert result.exit_code == 0
    assert not out.exists()
    assert yaml.safe_load(result.stdout)["objectives"][9]["actions"][1]["ref"] == "10.2"
    assert result.stderr.splitlines()[-1] == "jtai: dry run, nothing written"


def test_word_document_with_merged_cells_imports_to_the_same_plan(jtai: Invoke,
                                                                   tmp_path: Path) -> None:
    source = write_docx(tmp_path / "plan.docx")
    out = tmp_path / "x.yaml"
    result = jtai("import", str(source), "--agencies", str(PLAN), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert_same_plan(yaml.safe_load(out.read_text(encoding="utf-8")))
    assert [line for line in result.stderr.splitlines() if "fill" in line] == [
        "  table 9, row 4, column 7: guess: 8.1 progress: no text; read Green from the "
        "cell's fill colour"]


def test_excel_tracker_imports_to_the_same_plan(jtai: Invoke, tmp_path: Path) -> None:
    source = write_tracker(tmp_path / "tracker.xlsx")
    out = tmp_path / "x.yaml"
    result = jtai("import", str(source), "--agencies", str(PLAN), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    # A tracker has no summary, area for priority action or RAG key.
    assert_same_plan(yaml.safe_load(out.read_text(encoding="utf-8")),
                     top=("inspection", "risk_levels", "themes", "plan_types",
                          "complete_by_words", "agencies"))
    assert [line for line in result.stderr.splitlines() if "fill" in line] == [
        f"  Tracker!I{row}: guess: {ref} progress: no text; read Amber from the cell's fill "
        "colour" for row, ref in ((18, "6.1"), (19, "6.2"), (20, "6.3"))]


@pytest.mark.parametrize(("delimiter", "encoding", "repeated"), [
    (",", "utf-8", False), (";", "utf-8-sig", True), (";", "cp1252", False),
    ("\t", "utf-8", True)])
def test_csv_files_import_to_the_same_plan(jtai: Invoke, tmp_path: Path, delimiter: str,
                                           encoding: str, repeated: bool) -> None:
    source = write_csv(tmp_path / "plan.csv", delimiter=delimiter, encoding=encoding,
                       repeated=repeated)
    got = imported(jtai, source, tmp_path / "x.yaml", "--area", "Reading", "--inspected",
                   "24/02/2025 to 10/03/2025")
    if repeated:  # each row repeats its objective's risk and characteristics
        assert_same_plan(got, top=("risk_levels", "themes", "plan_types", "complete_by_words",
                                   "agencies"))
    else:
        assert_same_plan(got, top=("themes", "plan_types", "complete_by_words", "agencies"),
                         objective_fields=("number", "title", "lead"))
        assert "risk" not in got["objectives"][0]  # not in the file: left empty, not invented
    assert got["inspection"] == {"type": "JTAI", "area": "Reading",
                                 "start": plan_data()["inspection"]["start"],
                                 "end": plan_data()["inspection"]["end"]}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_files_shaped_as_jtai_export_writes_them_import_back(jtai: Invoke, tmp_path: Path,
                                                            suffix: str) -> None:
    source = write_export_shaped(tmp_path / f"export{suffix}")
    out = tmp_path / "x.yaml"
    result = jtai("import", str(source), "--agencies", str(PLAN), "-o", str(out), "--area",
                  "Reading", "--inspected", "24/02/2025 to 10/03/2025")
    assert result.exit_code == 0, result.stderr
    got = yaml.safe_load(out.read_text(encoding="utf-8"))
    # The export writes owners as codes: the wording as written is not carried.
    carried = tuple(f for f in ACTION_FIELDS if f != "owners_as_written")
    if suffix == ".xlsx":
        assert_same_plan(got, top=("rag_key", "risk_levels", "themes", "plan_types",
                                   "complete_by_words", "agencies"), action_fields=carried)
        assert "  History!A1: guess: sheet 'History' not imported: an imported plan starts " \
               "its own history" in result.stderr.splitlines()
    else:
        assert_same_plan(got, top=("themes", "plan_types", "complete_by_words", "agencies"),
                         objective_fields=("number", "title"), action_fields=carried)


def test_second_tracker_imports_with_map_and_status_lists_it(jtai: Invoke,
                                                             tmp_path: Path) -> None:
    source = second_tracker(tmp_path / "anytown.xlsx")
    out = tmp_path / "anytown.yaml"
    refused = jtai("import", str(source), "-o", str(out), "--area", "Anytown", "--inspected",
                   "01/09/2025 to 12/09/2025")
    assert refused.exit_code == 1
    assert ("  Plan!H1: cannot read: column 'Milestone' is not a field jtai knows: add --map "
            "\"Milestone=FIELD\" (a field, or ignore)") in refused.stderr.splitlines()
    assert not out.exists()
    result = jtai("import", str(source), "-o", str(out), "--area", "Anytown", "--inspected",
                  "01/09/2025 to 12/09/2025", "--map", "milestone=ignore")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert ("agencies created (check their codes and names): AC (Anytown Council), "
            "ICB (ICB), Police (Police)") in lines
    assert "complete-by words declared: Ongoing" in lines
    assert "not in the source, left empty: theme, plan type, impact, objective lead, risk, " \
           "characteristics of good" in lines
    assert "  Plan!F3: guess: 1.2: 'Mar 2026' read as the month's last day, 2026-03-31" in lines
    assert "complete_by: 2026-03-31  # written \"Mar 2026\"" in out.read_text(encoding="utf-8")
    status = jtai("status", "--plan", str(out), "--format", "json", "--as-of", "2026-02-01")
    assert status.exit_code == 0, status.stderr
    actions = {a["ref"]: (a["due"], a["due_status"], a["progress"], a["owners"])
               for a in json.loads(status.stdout)["actions"]}
    assert actions == {
        "1.1": ("2026-01-31", None, "Green", ["AC"]),
        "1.2": ("2026-03-31", None, "Amber", ["AC", "ICB"]),
        "3.9": (None, "Ongoing", "Green", ["ICB"]),
        "3.10": ("2026-04-30", None, "Red", ["ICB"]),
        "3.12": ("2026-06-30", None, "Blue", ["ICB", "Police"]),
    }


# --- bad input ----------------------------------------------------------------------------

def _refused(jtai: Invoke, source: Path, out: Path, code: int, *message: str) -> None:
    result = jtai("import", str(source), "-o", str(out), "--area", "X", "--inspected",
                  "01/01/2025 to 02/01/2025")
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for part in message:
        assert part in result.stderr
    assert not out.exists()


def test_old_binary_formats_say_save_as(jtai: Invoke, tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for suffix, new in ((".doc", ".docx"), (".xls", ".xlsx")):
        source = tmp_path / f"plan{suffix}"
        source.write_bytes(ole)
        _refused(jtai, source, tmp_path / "x.yaml", 2, f"an old binary {suffix} file",
                 f"save it as {new}")


def test_password_protected_workbook(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.xlsx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    _refused(jtai, source, tmp_path / "x.yaml", 2, "password-protected (encrypted)")


def test_corrupt_workbook_and_document(jtai: Invoke, tmp_path: Path) -> None:
    for name in ("plan.xlsx", "plan.docx"):
        source = tmp_path / name
        source.write_bytes(b"PK\x03\x04 this is not really a zip")
        _refused(jtai, source, tmp_path / "x.yaml", 2, "the file is damaged")


def test_macro_enabled_workbook(jtai: Invoke, tmp_path: Path) -> None:
    source = write_tracker(tmp_path / "tracker.xlsx").rename(tmp_path / "tracker.xlsm")
    _refused(jtai, source, tmp_path / "x.yaml", 2, "macro-enabled", "save a copy as .xlsx")


def _rezip(source: Path, target: Path, sheet: Callable[[bytes], bytes],
           extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a workbook with its first sheet's XML changed and parts added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = original.read(item)
            out.writestr(item, sheet(data) if item.filename == "xl/worksheets/sheet1.xml"
                         else data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def test_zip_bomb_and_huge_sheet_are_refused(jtai: Invoke, tmp_path: Path) -> None:
    tracker = write_tracker(tmp_path / "tracker.xlsx")
    huge = _rezip(tracker, tmp_path / "huge.xlsx", lambda data: data.replace(
        b"</sheetData>", b" " * (80 * 1024 * 1024) + b"</sheetData>"))
    _refused(jtai, huge, tmp_path / "x.yaml", 2, "part 'xl/worksheets/sheet1.xml' would unpack "
             "to 80 MB", "refused to protect this machine")
    # A small part that unpacks 1000-fold: a bomb, not a sheet.
    bomb = _rezip(tracker, tmp_path / "bomb.xlsx", lambda data: data,
                  {"xl/media/image1.png": b"\0" * (5 * 1024 * 1024)})
    _refused(jtai, bomb, tmp_path / "x.yaml", 2, "part 'xl/media/image1.png' would unpack to "
             "5 MB")


def test_formula_without_cached_value_is_named(jtai: Invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = write_tracker(tmp_path / "tracker.xlsx")
    book = load_workbook(source)
    book["Tracker"]["I6"] = '=IF(TRUE,"Blue","Red")'
    book.save(source)
    _refused(jtai, source, tmp_path / "x.yaml", 1, "Tracker!I6: cannot read: 1.1 progress: a "
             "formula with no saved result")


def test_formula_cached_value_is_read_never_evaluated(jtai: Invoke, tmp_path: Path) -> None:
    def cache_blue(data: bytes) -> bytes:
        # As Excel saves it: the formula would give Red; the saved result is Blue.
        data, count = re.subn(rb'<c r="I6"[^>]*>.*?</c>',
                              b'<c r="I6" t="str"><f>IF(TRUE,"Red","Red")</f><v>Blue</v></c>',
                              data)
        assert count == 1
        return data

    cached = _rezip(write_tracker(tmp_path / "tracker.xlsx"), tmp_path / "cached.xlsx",
                    cache_blue)
    got = imported(jtai, cached, tmp_path / "x.yaml")
    assert got["objectives"][0]["actions"][0]["progress"] == "Blue"


def test_unreadable_rating_is_named_and_keep_going_marks_it(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = write_tracker(tmp_path / "tracker.xlsx")
    book = load_workbook(source)
    book["Tracker"]["J7"] = "Purple"
    book.save(source)
    out = tmp_path / "x.yaml"
    _refused(jtai, source, out, 1, "  Tracker!J7: cannot read: 1.2 impact: 'Purple' is not a "
             "RAG rating", "nothing written")
    result = jtai("import", str(source), "-o", str(out), "--keep-going")
    assert result.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "        impact:  # import: could not read 'Purple'\n" in text
    assert "# import: Tracker!J7: 1.2 impact: 'Purple' is not a RAG rating" in text
    assert jtai("validate", "--plan", str(out)).exit_code == 0


def test_theme_colour_fill_is_reported_not_guessed(jtai: Invoke, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Color, PatternFill

    source = write_tracker(tmp_path / "tracker.xlsx")
    book = load_workbook(source)
    book["Tracker"]["I18"].fill = PatternFill("solid", fgColor=Color(theme=5))
    book["Tracker"]["I19"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # red
    book.save(source)
    out = tmp_path / "x.yaml"
    result = jtai("import", str(source), "-o", str(out), "--keep-going")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("  Tracker!I18: cannot read: 6.1 progress: no text, and its fill is one of the "
            "workbook's theme colours, which jtai does not guess: type the rating (Blue, Green, "
            "Amber, Red)") in lines
    assert "  Tracker!I19: guess: 6.2 progress: no text; read Red from the cell's fill colour" \
        in lines
    refs = [a["ref"] for a in yaml.safe_load(out.read_text(encoding="utf-8"))["objectives"][5][
        "actions"]]
    assert refs == ["6.2", "6.3"]  # 6.1 could not be read: left out, and marked at the top


def test_a_repeated_ref_is_named_where_it_stands(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("Ref,Action,Owners,RAG\n1.1,Map the offer,ICB,Green\n"
                      "1.1,Train staff,ICB,Amber\n", encoding="utf-8")
    _refused(jtai, source, tmp_path / "x.yaml", 1, "  A3: cannot read: ref 1.1 appears twice "
             "(first at A2); this row was not imported")


def test_a_plan_that_would_not_validate_is_refused_with_its_findings(jtai: Invoke,
                                                                      tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("Ref,Action,Owners,RAG\n1.1,Map the offer,ICB,Green\n",
                      encoding="utf-8")
    registry = tmp_path / "agencies.yaml"
    # Two agencies claiming one alias: the registry given is not one the plan can hold.
    registry.write_text("agencies:\n  - {code: ICB, name: Integrated care board}\n"
                        "  - {code: NHS, name: NHS, aliases: [ICB]}\n", encoding="utf-8")
    out = tmp_path / "x.yaml"
    result = jtai("import", str(source), "-o", str(out), "--agencies", str(registry),
                  "--area", "X", "--inspected", "01/01/2025 to 02/01/2025", "--dry-run")
    assert result.exit_code == 1
    assert yaml.safe_load(result.stdout)["agencies"][1]["aliases"] == ["ICB"]
    assert "JTAI205 error: 'ICB' names both ICB and NHS" in result.stderr
    assert "jtai: refused: the plan read from plan.csv would not be valid" in result.stderr
    assert not out.exists()


def test_existing_output_is_never_overwritten(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = jtai("import", str(SEED), "-o", str(out))
    assert result.exit_code == 2
    assert "already exists; jtai import never overwrites a plan" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.txt", "Shopping list\nmilk\n", "no plan found"),
    ("plan.pdf", "%PDF-1.4", "jtai imports .docx, .xlsx, .csv, .tsv, .txt files"),
    ("missing.csv", None, "no such file"),
])
def test_files_that_hold_no_plan(jtai: Invoke, tmp_path: Path, name: str, content: str | None,
                                 message: str) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    _refused(jtai, source, tmp_path / "x.yaml", 2, message)


def test_bad_map_and_bad_agencies_file(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = jtai("import", str(SEED), "-o", str(out), "--map", "Milestone")
    assert result.exit_code == 2
    assert "--map 'Milestone' must be HEADER=FIELD" in result.stderr
    registry = tmp_path / "agencies.yaml"
    registry.write_text("agencies: [{code: '1X', name: Bad}]\n", encoding="utf-8")
    result = jtai("import", str(SEED), "-o", str(out), "--agencies", str(registry))
    assert result.exit_code == 2
    assert "an agency is not valid (code:" in result.stderr
    assert not out.exists()


def test_status_does_not_import_office_libraries(real_plan: Path) -> None:
    code = (
        "import sys\n"
        "from jtaiplan.cli import main\n"
        f"sys.argv = ['jtai', 'status', '--plan', {str(real_plan)!r}, '--as-of', '2025-07-01']\n"
        "try:\n    main.main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('openpyxl', 'docx', 'icalendar') "
        "if m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, timeout=120)
    assert run.stdout.splitlines()[-1] == "LOADED []", run.stderr
    assert "1.1" in run.stdout  # status did run


def test_imported_plan_starts_with_the_modeline_and_gets_the_schema(jtai: Invoke,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "x.yaml"
    result = jtai("import", str(SEED), "--agencies", str(PLAN), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=plan.schema.json\n")
    schema = json.loads((tmp_path / "plan.schema.json").read_text(encoding="utf-8"))
    assert schema["type"] == "object"
    assert result.stderr.splitlines()[-1] == (
        f"jtai: wrote {(tmp_path / 'plan.schema.json').as_posix()} beside it: the plan's "
        "first line points at it, so editors check the plan as you type")
    # A second plan in the same folder shares the copy already there.
    again = jtai("import", str(SEED), "--agencies", str(PLAN), "-o", str(tmp_path / "y.yaml"))
    assert again.stderr.splitlines()[-1].endswith("which the plan's first line points at, "
                                                  "is already there")
