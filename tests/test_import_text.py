"""Import keeps text as written (issue 21): HTML only in HTML fragments, line breaks and runs
of spaces kept, the CSV formula guard told apart from a text's own apostrophe, Word's
"MULTI-AGENCY:" marker told apart from an action's own words, refused characters located."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import yaml

from conftest import REAL_PLAN, Invoke

AS_OF = "2025-07-01"
HEADER = ["Objective", "Objective title", "Ref", "Action", "Owners", "Complete by", "RAG",
          "Evidence"]
AWKWARD = "Use the <service name> template; escalate if a<b and c>d &amp; more"


def _csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8",
         header: list[str] = HEADER) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def _row(action: str, evidence: str = "", ref: str = "1.1", **extra: str) -> list[str]:
    return ["1", "Voice of the child", ref, action, "TVP", "30/06/2025", "Green", evidence]


def _import(jtai: Invoke, source: Path, *options: str) -> tuple[Any, dict[str, Any] | None]:
    out = source.with_suffix(".yaml")
    result = jtai("import", str(source), "-o", str(out), "--area", "Reading", "--inspected",
                  "24/02/2025 to 10/03/2025", *options)
    data = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, data


def _actions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for o in data["objectives"] for a in o["actions"]]


def test_angle_brackets_ampersands_breaks_and_spaces_come_back_exactly(
        jtai: Invoke, tmp_path: Path) -> None:
    evidence = "Minutes 3 March.  Agreed:\r\n  - a\tb\n- c  "
    source = _csv(tmp_path / "plan.csv", [_row(AWKWARD, evidence)])
    result, data = _import(jtai, source)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    action = _actions(data)[0]
    assert action["action"] == AWKWARD
    assert action["evidence"] == "Minutes 3 March.  Agreed:\n  - a\tb\n- c"


def test_an_html_fragment_is_still_read_as_html() -> None:
    from jtaiplan.office.intake.values import plain

    assert plain("  <p>Children's <i>voices</i></p> <p>heard &amp; acted on</p>") == \
        "Children's voices heard & acted on"
    assert plain("<b>bold</b> is not a block") == "<b>bold</b> is not a block"
    assert plain("a<p>b</p>") == "a<p>b</p>"


@pytest.mark.parametrize(("written", "back"), [
    ("'Tis the season", "'Tis the season"),   # a user's own apostrophe stays
    ("'=SUM(A1)", "=SUM(A1)"),                # the guard comes off
    ("''x", "'x"),                            # a guarded apostrophe
    ("'-1 day", "-1 day"),
    ("=not a formula", "=not a formula"),     # unguarded: kept as written
])
def test_the_csv_guard_comes_off_only_before_what_it_guards(
        jtai: Invoke, tmp_path: Path, written: str, back: str) -> None:
    result, data = _import(jtai, _csv(tmp_path / "plan.csv", [_row(written)]))
    assert result.exit_code == 0, result.stderr
    assert data is not None and _actions(data)[0]["action"] == back


@pytest.mark.parametrize("char", ["\x0b", "\u2028", "\x85", "\ufffe"])
def test_a_refused_character_is_a_problem_at_its_cell(jtai: Invoke, tmp_path: Path,
                                                      char: str) -> None:
    source = _csv(tmp_path / "plan.csv", [_row("Map the offer", f"Seen{char}by the board"),
                                          _row("Train staff", ref="1.2")])
    result, data = _import(jtai, source)
    assert result.exit_code == 1
    assert data is None
    code = f"U+{ord(char):04X}"
    assert f"  H2: cannot read: evidence contains {code} " in result.stderr
    result, data = _import(jtai, source, "--keep-going")
    assert result.exit_code == 1, result.stderr
    assert data is not None
    written = source.with_suffix(".yaml").read_text(encoding="utf-8")
    assert f"evidence:  # import: {code}" in written
    assert "evidence" not in _actions(data)[1]


def test_a_refused_character_in_an_action_leaves_the_row_out(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    source = _csv(tmp_path / "plan.csv", [_row("Map\x0bthe offer")])
    result, _data = _import(jtai, source)
    assert result.exit_code == 1
    assert "  D2: cannot read: 1.1 action contains U+000B (vertical tab) at character 4; " \
           "the row was not imported" in result.stderr


@pytest.mark.parametrize(("flag", "multi", "text"), [
    ("Yes", True, "Review"), ("No", False, "MULTI-AGENCY: Review"), ("", True, "Review")])
def test_the_multi_agency_column_says_and_the_text_keeps_its_own_words(
        jtai: Invoke, tmp_path: Path, flag: str, multi: bool, text: str) -> None:
    source = _csv(tmp_path / "plan.csv", [[*_row("MULTI-AGENCY: Review"), flag]],
                  header=[*HEADER, "Multi-agency"])
    result, data = _import(jtai, source)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    assert (_actions(data)[0]["multi_agency"], _actions(data)[0]["action"]) == (multi, text)


def test_a_multi_agency_answer_jtai_cannot_read_is_a_located_problem(
        jtai: Invoke, tmp_path: Path) -> None:
    source = _csv(tmp_path / "plan.csv", [[*_row("Review"), "maybe"]],
                  header=[*HEADER, "Multi-agency"])
    result, _data = _import(jtai, source)
    assert result.exit_code == 1
    assert "  I2: cannot read: 1.1 multi-agency: 'maybe' is not a multi-agency answer: use " \
           "Yes or No" in result.stderr


def _plan_with(tmp_path: Path, texts: dict[str, tuple[str, bool]],
               drop: tuple[str, ...] = ()) -> Path:
    data = yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))
    for action in (a for o in data["objectives"] for a in o["actions"]):
        if action["ref"] in texts:
            action["action"], action["multi_agency"] = texts[action["ref"]]
    for key in drop:
        if key == "plan_title":
            data["inspection"].pop("plan_title", None)
            data["inspection"].pop("name", None)
        else:
            data.pop(key, None)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_an_action_beginning_with_the_marker_words_comes_back_as_it_was(
        jtai: Invoke, tmp_path: Path, fmt: str) -> None:
    texts = {"1.1": ("Multi-agency: a review of the offer", False),
             "1.2": ("MULTI-AGENCY: already written so", True),
             "1.3": ("'=SUM(A1) <b> &amp;  two  spaces\nand a line", False)}
    plan = _plan_with(tmp_path, texts)
    exported = tmp_path / f"export.{fmt}"
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    agencies = [] if fmt == "xlsx" else ["--agencies", str(plan)]
    result, data = _import(jtai, exported, *agencies)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    got = {a["ref"]: (a["action"], a["multi_agency"]) for a in _actions(data)}
    assert {ref: got[ref] for ref in texts} == texts


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_an_export_without_rag_key_or_inspection_title_imports_again(
        jtai: Invoke, tmp_path: Path, fmt: str) -> None:
    plan = _plan_with(tmp_path, {}, drop=("rag_key", "plan_title"))
    exported = tmp_path / f"plan.{fmt}"
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    agencies = [] if fmt == "xlsx" else ["--agencies", str(plan)]
    out = tmp_path / "back.yaml"
    result = jtai("import", str(exported), "-o", str(out), *agencies)
    assert result.exit_code == 0, result.stderr
    back = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "rag_key" not in back
    assert back["inspection"]["area"] == "Reading"
    # No title comes back that the plan did not have (the document's properties and page
    # header still name one, which the import does not read).
    assert "plan_title" not in back["inspection"]


def test_the_summary_keeps_its_line_breaks_through_a_word_export(
        jtai: Invoke, tmp_path: Path) -> None:
    plan = _plan_with(tmp_path, {})
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    summary = data["summary_of_change"]
    summary["introduction"] = "First line of the introduction.\nSecond line,  two spaces."
    summary["areas"][0] += "\nwritten over two lines"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6),
                    encoding="utf-8")
    exported = tmp_path / "export.docx"
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    result, back = _import(jtai, exported, "--agencies", str(plan))
    assert result.exit_code == 0, result.stderr
    assert back is not None
    assert back["summary_of_change"] == summary


def test_a_word_export_from_before_the_marker_run_is_read_by_the_marker_words(
        jtai: Invoke, tmp_path: Path) -> None:
    plan = _plan_with(tmp_path, {"1.1": ("A review of the offer", True),
                                 "1.2": ("Training for all staff", False)})
    exported = tmp_path / "export.docx"
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    # As jtai wrote a Word export before the marker had its own bold run: the marker and
    # the text in one plain run, and no identifier saying otherwise.
    document = docx.Document(str(exported))
    assert document.core_properties.identifier.startswith("jtai-docx/2")
    document.core_properties.identifier = ""
    joined = 0
    for table in document.tables:
        for row in table.rows:
            runs = row.cells[1].paragraphs[0].runs
            if len(runs) >= 2 and runs[0].text == "MULTI-AGENCY: ":
                runs[1].text = runs[0].text + runs[1].text
                runs[0]._r.getparent().remove(runs[0]._r)
                joined += 1
    assert joined >= 1
    document.save(str(exported))
    result, data = _import(jtai, exported, "--agencies", str(plan))
    assert result.exit_code == 0, result.stderr
    assert data is not None
    got = {a["ref"]: (a["action"], a["multi_agency"]) for a in _actions(data)}
    assert (got["1.1"], got["1.2"]) == (("A review of the offer", True),
                                        ("Training for all staff", False))


def test_a_workbook_text_cell_starting_with_an_apostrophe_keeps_it(
        jtai: Invoke, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_row("'Tis the season", "'=kept as typed"))
    sheet["D2"].data_type = "s"
    path = tmp_path / "plan.xlsx"
    book.save(path)
    result, data = _import(jtai, path)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    assert (_actions(data)[0]["action"], _actions(data)[0]["evidence"]) == (
        "'Tis the season", "'=kept as typed")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_an_export_refuses_text_no_office_file_can_hold(jtai: Invoke, tmp_path: Path,
                                                       fmt: str) -> None:
    # Refused by the plan's text policy when it is read, or by the writer: never a file
    # that exits 0 and then does not open.
    data = yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))
    data["objectives"][1]["actions"][0]["action"] = "U+FFFE here:\ufffe"
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6),
                    encoding="utf-8")
    assert "\\uFFFE" in plan.read_text(encoding="utf-8")
    exported = tmp_path / f"export.{fmt}"
    result = jtai("export", "--plan", str(plan), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 1, result.stderr
    assert "U+FFFE (noncharacter)" in result.stderr
    assert not exported.exists()


def _patched_workbook(path: Path, merge: str | None, dimension: str | None) -> Path:
    """A small tracker whose sheet XML then claims a huge merged range or dimension."""
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_row("Map the offer"))
    plain = tmp = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(tmp) as source, zipfile.ZipFile(path, "w",
                                                         zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                if merge:
                    xml = xml.replace("</sheetData>", "</sheetData><mergeCells count=\"1\">"
                                      f"<mergeCell ref=\"{merge}\"/></mergeCells>")
                if dimension:
                    start = xml.index("<dimension ref=\"")
                    end = xml.index("/>", start)
                    xml = xml[:start] + f"<dimension ref=\"{dimension}\"" + xml[end:]
                data = xml.encode("utf-8")
            out.writestr(item, data)
    return path


@pytest.mark.parametrize(("merge", "dimension"), [
    ("J1:XFD1048576", None), ("J1:J1048576", None), ("A3:H1048576", None),
    (None, "A1:XFD1048576")])
def test_a_tiny_workbook_claiming_a_huge_extent_imports_in_bounded_memory(
        jtai: Invoke, tmp_path: Path, merge: str | None, dimension: str | None) -> None:
    import tracemalloc

    from jtaiplan.office.intake.grid import read_grids

    source = _patched_workbook(tmp_path / "plan.xlsx", merge, dimension)
    assert source.stat().st_size < 8_000
    tracemalloc.start()
    try:
        grids = read_grids(source)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000
    # Clipped to the cells the sheet really has: its two rows of eight columns.
    assert [(len(g.rows), len(g.rows[0])) for g in grids] == [(2, 8)]
    result, data = _import(jtai, source)
    assert result.exit_code == 0, result.stderr
    assert data is not None and _actions(data)[0]["action"] == "Map the offer"


def test_a_sheet_spanning_more_cells_than_any_plan_is_refused(tmp_path: Path) -> None:
    from jtaiplan.errors import CannotRun
    from jtaiplan.office.intake.grid import read_grids

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet["XFD2000"] = "far away"
    source = tmp_path / "far.xlsx"
    book.save(source)
    with pytest.raises(CannotRun, match=r"sheet 'Sheet' spans 2,000 rows and 16,384 columns "
                                        r"\(XFD2000\); no plan has so many cells"):
        read_grids(source)


def test_a_csv_utf8_but_for_one_byte_is_refused_at_its_line_and_byte(jtai: Invoke,
                                                                     tmp_path: Path) -> None:
    source = _csv(tmp_path / "plan.csv", [_row("Hear the children’s voices"),
                                          _row("Train staff", ref="1.2")])
    raw = source.read_bytes().replace(b"Train", b"Tr\xe9in")
    source.write_bytes(raw)
    result, data = _import(jtai, source)
    assert result.exit_code == 1
    assert data is None
    offset = raw.index(b"\xe9")
    assert f"plan.csv: line 3: byte 28 (offset {offset} in the file, 0xE9) is not UTF-8, " \
           "though the rest of the file is" in result.stderr


def test_a_windows_1252_csv_imports_and_says_so(jtai: Invoke, tmp_path: Path) -> None:
    source = _csv(tmp_path / "plan.csv", [_row("Hear the children’s voices – café")],
                  encoding="cp1252")
    result, data = _import(jtai, source)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    assert _actions(data)[0]["action"] == "Hear the children’s voices – café"
    assert "guess: read as Windows-1252 (the file is not UTF-8)" in result.stderr


def test_tabs_inside_quoted_cells_do_not_make_a_comma_csv_a_tsv(jtai: Invoke,
                                                               tmp_path: Path) -> None:
    pasted = "Week\tSeen\tActed\n1\t4\t3\n2\t5\t5"
    source = _csv(tmp_path / "plan.csv", [_row("Audit\tthe\tcases", pasted),
                                          _row("Train staff", "a\tb\tc\td", ref="1.2")])
    result, data = _import(jtai, source)
    assert result.exit_code == 0, result.stderr
    assert data is not None
    assert [(a["action"], a["evidence"]) for a in _actions(data)] == [
        ("Audit\tthe\tcases", pasted), ("Train staff", "a\tb\tc\td")]


def test_a_refused_character_on_the_plan_sheet_is_a_problem_at_its_cell(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "export.xlsx"
    result = jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(exported))
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(exported)
    sheet = book["Plan"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Area for priority action")
    row[1].value = "Domestic abuse\u2028and its impact"
    book.save(exported)
    out = tmp_path / "back.yaml"
    result = jtai("import", str(exported), "-o", str(out))
    assert result.exit_code == 1
    assert f"  Plan!B{row[1].row}: cannot read: Area for priority action contains U+2028 " \
           "(line separator) at character 15" in result.stderr
    assert not out.exists()
