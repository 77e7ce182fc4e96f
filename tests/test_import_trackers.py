"""Trackers read whole: a sheet of objectives in any column order fills the objectives;
a sheet nothing is read from says why, naming the headers it did recognise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import Invoke

INSPECTED = ("--area", "Reading", "--inspected", "24/02/2025 to 10/03/2025")
OBJECTIVES = [
    # Characteristics first, lead last: any order is read.
    ["Characteristics of good", "No.", "Objective", "Risk", "Accountable lead"],
    ["Children are heard", 1, "VOICE OF THE CHILD", "High", "TVP"],
    ["Meetings are timely", 2, "STRATEGY MEETINGS", "Moderate", "BFfC"],
]


def tracker(path: Path, action_header: str = "Action") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append(["Reading JTAI multi-agency improvement plan - tracker"])
    sheet.append([])
    sheet.append(["Objective", "Ref", action_header, "Lead agency", "By when", "RAG",
                  "Impact RAG"])
    sheet.append([1, "1.1", "Joint visits", "TVP", "30/06/2025", "Green", "Amber"])
    sheet.append([2, "2.1", "Strategy meeting standard", "BFfC", "31/03/2026", "Amber", ""])
    objectives = book.create_sheet("Objectives")
    for row in OBJECTIVES:
        objectives.append(row)
    book.save(path)
    return path


def test_objectives_sheet_fills_every_objective(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(tracker(tmp_path / "t.xlsx")), "-o", str(out), *INSPECTED)
    assert result.exit_code == 0, result.stderr
    assert "Objectives" not in result.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    got = [(o["number"], o["title"], o["lead"], o["risk"], o["characteristics_of_good"])
           for o in data["objectives"]]
    assert got == [(1, "VOICE OF THE CHILD", "TVP", "high", "Children are heard"),
                   (2, "STRATEGY MEETINGS", "BFfC", "moderate", "Meetings are timely")]


def test_no_action_column_is_named_and_known_headers_are_not_blamed(jtai: Invoke,
                                                                    tmp_path: Path) -> None:
    source = tracker(tmp_path / "t.xlsx", action_header="What we will do")
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"), *INSPECTED)
    assert result.exit_code == 1, result.stderr
    assert "is not a field jtai knows" not in result.stderr
    assert ("  Action plan!A3: cannot read: sheet 'Action plan': no column holds the actions "
            "(jtai reads Action, Actions, What will be done, Action description); the "
            "row here has Objective (objective), Ref (ref), Lead agency (owners), By when "
            "(complete_by), RAG (progress), Impact RAG (impact); if 'What we will do' "
            "holds the actions, import again with --map \"What we will do=action\"; nothing "
            "was imported from it") in result.stderr.splitlines()
    mapped = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"), *INSPECTED,
                  "--map", "What we will do=action")
    assert mapped.exit_code == 0, mapped.stderr


def test_absent_multi_agency_markers_are_said(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(tracker(tmp_path / "t.xlsx")), "-o", str(out), *INSPECTED)
    assert result.exit_code == 0, result.stderr
    assert ("multi-agency: not in the source, left false (no Multi-agency column, no "
            "'MULTI-AGENCY:' before an action)") in result.stderr.splitlines()


def test_an_objective_without_a_lead_says_so(jtai: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("Objective,Ref,Action,Owners,RAG\n1,1.1,Map the offer,ICB,Green\n",
                      encoding="utf-8")
    out = tmp_path / "plan.yaml"
    assert jtai("import", str(source), "-o", str(out), *INSPECTED).exit_code == 0
    status = jtai("status", "--plan", str(out), "--as-of", "2025-07-01")
    assert status.exit_code == 0, status.stderr
    assert "(lead )" not in status.stdout
    assert "Objective 1: Objective 1 (no accountable lead recorded)" in status.stdout
    shown = jtai("show", "1.1", "--plan", str(out), "--as-of", "2025-07-01")
    assert "  Accountable lead: not recorded\n" in shown.stdout


def test_area_from_the_title_row_is_a_listed_guess(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(tracker(tmp_path / "t.xlsx")), "-o", str(out),
                  "--inspected", "24/02/2025 to 10/03/2025")
    assert result.exit_code == 0, result.stderr
    assert ("  Action plan!A1: guess: area 'Reading' read from the title 'Reading JTAI "
            "multi-agency improvement plan - tracker' (give --area if it is not the area "
            "inspected)") in result.stderr.splitlines()
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["inspection"]["area"] == "Reading"


def test_without_a_terminal_missing_dates_are_refused(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(tracker(tmp_path / "t.xlsx")), "-o", str(out))
    assert result.exit_code == 1
    assert "give --area and --inspected" in result.stderr
    assert not out.exists()


def test_at_a_terminal_the_import_asks_for_what_is_missing(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jtaiplan.cli.import_cmd as import_cmd

    monkeypatch.setattr(import_cmd, "_at_a_terminal", lambda: True)
    source = tmp_path / "plan.csv"
    source.write_text("Objective,Ref,Action,Owners,RAG\n1,1.1,Map the offer,ICB,Green\n",
                      encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = jtai("import", str(source), "-o", str(out),
                  input="Reading\nlast spring\n24 February 2025 to 10.03.25\n")
    assert result.exit_code == 0, result.stderr
    assert "jtai: 'last spring' is not a date range such as \"24/02/2025 to 10/03/2025\"" \
        in result.stderr
    inspection = yaml.safe_load(out.read_text(encoding="utf-8"))["inspection"]
    assert (inspection["area"], str(inspection["start"]), str(inspection["end"])) == (
        "Reading", "2025-02-24", "2025-03-10")


def test_a_sheet_read_for_nothing_says_what_was_looked_for(jtai: Invoke,
                                                           tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = tracker(tmp_path / "t.xlsx")
    book = load_workbook(source)
    notes = book.create_sheet("Notes")
    notes.append(["Agreed at the board on 3 June"])
    book.save(source)
    result = jtai("import", str(source), "-o", str(tmp_path / "plan.yaml"), *INSPECTED)
    assert result.exit_code == 1
    assert ("  Notes: cannot read: sheet 'Notes' has no header row naming an Action column and "
            "two others (such as Ref, Owners, RAG), and no sheet of objectives (a number "
            "column and Title, Accountable lead, Risk or Characteristics of good); nothing "
            "was imported from it") in result.stderr.splitlines()
