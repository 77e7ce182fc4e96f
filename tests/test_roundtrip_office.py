"""Export -> import round trips: `jtai import` of each `jtai export` gives back the plan in
every field the format carries, and invents none it does not.

What each format carries is the table below (:data:`CARRIED`), exhaustive: every field of
plan.yaml is either carried exactly, carried as used (a declared list rebuilt from the values
the actions use), given on the command line, or not carried. The workbook carries everything
but the history and the lint settings, the agency registry included; the Word document is the
partnership's own shape (no baseline dates, completion dates or evidence); the CSV file is
only the Actions columns, so the inspection comes from ``--area`` and ``--inspected`` (no
other way: a CSV file has one table and scripts read its first row as the header) and
objectives keep only their number and title.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from conftest import REAL_PLAN, Invoke
from helpers_plans import make_plan_with_counts

AS_OF = "2025-07-01"
EPOCH = {"SOURCE_DATE_EPOCH": "1751328000"}  # 2025-07-01 00:00 UTC
AFTER_HISTORY = "2025-12-31"  # helpers_plans' entries end by mid-September 2025

ACTION_FIELDS = ("ref", "multi_agency", "action", "complete_by", "baseline_complete_by",
                 "owners", "owners_as_written", "theme", "plan_type", "progress", "impact",
                 "completed_on", "evidence", "impact_evidence")
OBJECTIVE_FIELDS = ("number", "title", "risk", "lead", "characteristics_of_good")
PLAN_FIELDS = ("inspection", "area_for_priority_action", "summary_of_change",
               "characteristics_of_good", "rag_key")
DECLARED = ("risk_levels", "themes", "plan_types", "complete_by_words")
GIVEN = ("version", "agencies")
"""``version`` is always 1; the registry comes from the workbook's Agencies sheet, or from
--agencies for the others."""
NEVER = ("id", "agencies_from", "lint", "updates", "meetings")
"""No export carries them; an import starts without them (``updates``: its own history;
``meetings`` are that history's too)."""


@dataclass(frozen=True)
class Carried:
    top: tuple[str, ...]
    """Plan-level fields given back exactly."""
    used: tuple[str, ...]
    """Declared lists given back as the values in use (risk levels: those objectives use)."""
    objective: tuple[str, ...]
    action: tuple[str, ...]
    options: tuple[str, ...] = ()
    """What the import needs besides --agencies."""
    registry: bool = False
    """Whether the file carries the agency registry (else: --agencies)."""


CARRIED: dict[str, Carried] = {
    "xlsx": Carried(top=PLAN_FIELDS + DECLARED, used=(), objective=OBJECTIVE_FIELDS,
                    action=ACTION_FIELDS, registry=True),
    "docx": Carried(top=PLAN_FIELDS, used=DECLARED, objective=OBJECTIVE_FIELDS,
                    action=("ref", "multi_agency", "action", "complete_by", "owners",
                            "owners_as_written", "theme", "plan_type", "progress", "impact")),
    "csv": Carried(top=(), used=("themes", "plan_types", "complete_by_words"),
                   objective=("number", "title"), action=ACTION_FIELDS,
                   options=("--area", "--inspected")),
}


def test_the_table_names_every_field_of_the_plan() -> None:
    from jtaiplan.plan.model import Action, Objective, Plan

    for carried in CARRIED.values():
        assert set(carried.top) | set(carried.used) | set(PLAN_FIELDS) | set(DECLARED) | set(
            GIVEN) | set(NEVER) | {"objectives"} == {f.name for f in dataclasses.fields(Plan)}
        assert set(carried.top) | set(carried.used) <= set(PLAN_FIELDS) | set(DECLARED)
    assert set(OBJECTIVE_FIELDS) | {"actions"} == {f.name for f in dataclasses.fields(Objective)}
    assert set(ACTION_FIELDS) | {"updates"} == {f.name for f in dataclasses.fields(Action)}


def _options(fmt: str, want: dict[str, Any]) -> list[str]:
    inspection = want["inspection"]
    extra = {"--area": inspection["area"],
             "--inspected": f"{inspection['start'].isoformat()} to "
                            f"{inspection['end'].isoformat()}"}
    return [part for option in CARRIED[fmt].options for part in (option, extra[option])]


def round_trip(jtai: Invoke, plan: Path, fmt: str, tmp_path: Path) -> tuple[dict[str, Any],
                                                                            str]:
    exported = tmp_path / f"export.{fmt}"
    # A day after every generated history entry: --as-of exports the plan as its history
    # records it that day (issue 23), and this compares the file as it is.
    result = jtai("export", "--plan", str(plan), "--as-of", AFTER_HISTORY, "-o",
                  str(exported), env=EPOCH)
    assert result.exit_code == 0, result.stderr
    want = yaml.safe_load(plan.read_text(encoding="utf-8"))
    out = tmp_path / f"back-{fmt}.yaml"
    registry = [] if CARRIED[fmt].registry else ["--agencies", str(plan)]
    result = jtai("import", str(exported), *registry, "-o", str(out), *_options(fmt, want))
    assert result.exit_code == 0, result.stderr
    assert "cannot read" not in result.stderr and "Traceback" not in result.stderr
    assert jtai("validate", "--plan", str(out)).exit_code == 0
    return yaml.safe_load(out.read_text(encoding="utf-8")), result.stderr


def differences(want: dict[str, Any], got: dict[str, Any], carried: Carried) -> list[str]:
    """Every carried field that did not come back as it was, and every field that came back
    though the format does not carry it (invented), as ``where: field``."""
    wrong = [key for key in carried.top + GIVEN if got.get(key) != want.get(key)]
    wrong += [f"{key} (as used)" for key in carried.used
              if got.get(key) != _used(want, key, got.get(key))]
    top_allowed = set(carried.top) | set(carried.used) | set(GIVEN) | {"objectives"}
    if "inspection" not in carried.top:  # from --area and --inspected
        top_allowed.add("inspection")
        wanted = {k: want["inspection"][k] for k in ("area", "start", "end")}
        if {k: got["inspection"].get(k) for k in wanted} != wanted:
            wrong.append("inspection (from options)")
    wrong += [f"{key} (invented)" for key in got if key not in top_allowed]
    if [o["number"] for o in got["objectives"]] != [o["number"] for o in want["objectives"]]:
        return [*wrong, "objective numbers"]
    for theirs, ours in zip(want["objectives"], got["objectives"], strict=True):
        number = theirs["number"]
        wrong += [f"objective {number}: {key}" for key in carried.objective
                  if ours.get(key) != theirs.get(key)]
        wrong += [f"objective {number}: {key} (invented)" for key in ours
                  if key not in (*carried.objective, "actions")]
        if [a["ref"] for a in ours["actions"]] != [a["ref"] for a in theirs["actions"]]:
            wrong.append(f"objective {number}: refs")
            continue
        for want_action, got_action in zip(theirs["actions"], ours["actions"], strict=True):
            ref = want_action["ref"]
            wrong += [f"{ref}: {key}" for key in carried.action
                      if got_action.get(key) != want_action.get(key)]
            wrong += [f"{ref}: {key} (invented)" for key in got_action
                      if key not in carried.action]
    return wrong


def _used(want: dict[str, Any], key: str, got: Any) -> Any:
    actions = [a for o in want["objectives"] for a in o["actions"]]
    if key == "risk_levels":
        used = {o["risk"] for o in want["objectives"] if o.get("risk")}
        return {k: v for k, v in want.get(key, {}).items() if k in used} or None
    field = {"themes": "theme", "plan_types": "plan_type",
             "complete_by_words": "complete_by"}[key]
    values = [a[field] for a in actions if isinstance(a.get(field), str)]
    declared = [v for v in want.get(key, []) if v in values]
    # Declared as first used, in plan order; the same values as the plan declares in use.
    assert sorted(declared) == sorted(set(values))
    return sorted(set(values), key=values.index) if values else None


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv"])
def test_plan_yaml_comes_back_in_every_field_the_format_carries(jtai: Invoke, tmp_path: Path,
                                                                fmt: str) -> None:
    got, notes = round_trip(jtai, REAL_PLAN, fmt, tmp_path)
    want = yaml.safe_load(REAL_PLAN.read_text(encoding="utf-8"))
    assert differences(want, got, CARRIED[fmt]) == []
    # The real plan's lists are all in use, in order of first use: they come back whole.
    assert all(got[key] == want[key] for key in CARRIED[fmt].used)
    if fmt == "docx":  # the summary cell's Word paragraphs: heading, introduction, areas
        assert got["summary_of_change"]["areas"][9].startswith("Strategic governance")
    if fmt == "csv":
        assert "not in the source, left empty: objective lead, risk, characteristics of " \
               "good" in notes.splitlines()


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A plan with refs past .9 (1.10, 3.12), revised dates, complete-by words and
    history; checked, so that the round trip cannot pass by having none of them."""
    path = tmp_path / "generated.yaml"
    path.write_text(make_plan_with_counts([10, 2, 12], seed=1), encoding="utf-8")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    actions = [a for o in data["objectives"] for a in o["actions"]]
    refs = [a["ref"] for a in actions]
    assert {"1.10", "3.10", "3.12"} <= set(refs)
    assert sum("baseline_complete_by" in a for a in actions) == 3
    assert [a["complete_by"] for a in actions if isinstance(a["complete_by"], str)] == [
        "underway", "In place"]
    assert sum(bool(a.get("updates")) for a in actions) == 14
    assert sum("owners_as_written" in a for a in actions) == 8
    assert sum(not a["multi_agency"] for a in actions) > 0
    assert sum("completed_on" in a for a in actions) > 0
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "csv"])
def test_a_generated_plan_comes_back_in_every_field_the_format_carries(
        jtai: Invoke, tmp_path: Path, generated: Path, fmt: str) -> None:
    got, notes = round_trip(jtai, generated, fmt, tmp_path)
    want = yaml.safe_load(generated.read_text(encoding="utf-8"))
    assert differences(want, got, CARRIED[fmt]) == []
    refs = [a["ref"] for o in got["objectives"] for a in o["actions"]]
    assert refs[9] == "1.10" and refs[-1] == "3.12"
    # History is exported (the workbook's History sheet) but an import starts its own.
    assert not any("updates" in a for o in got["objectives"] for a in o["actions"])
    if fmt == "xlsx":
        assert "  History!A1: guess: sheet 'History' not imported: an imported plan starts " \
               "its own history" in notes.splitlines()


def test_the_workbook_plan_sheet_holds_the_plan_level_fields(jtai: Invoke,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(out)
                ).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Plan"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    labels = [row[0] for row in rows]
    assert rows[:7] == [
        ("Field", "Value"), ("Inspection type", "JTAI"),
        ("Inspection name", "Joint Targeted Area Inspection"), ("Area inspected", "Reading"),
        ("Inspection start", rows[4][1]), ("Inspection end", rows[5][1]),
        ("Plan title", "Multi-Agency Improvement Plan")]
    assert (rows[4][1].date().isoformat(), rows[5][1].date().isoformat()) == (
        "2025-02-24", "2025-03-10")  # real date cells
    assert sheet["B5"].number_format == "dd/mm/yyyy"
    assert labels.count("Summary area") == 10 and labels.count("Theme") == 4
    assert [row for row in rows if row[0].startswith("Risk level")] == [
        ("Risk level: moderate", "Moderate risk: Activity is necessary"),
        ("Risk level: high", "High risk: Urgent activity required")]
    assert [row[1] for row in rows if row[0] == "Complete-by word"] == ["In place", "underway"]


def test_a_workbook_with_an_unknown_plan_row_is_named_and_not_written(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(exported)
                ).exit_code == 0
    book = openpyxl.load_workbook(exported)
    sheet = book["Plan"]
    sheet.append(["Colour of the cover", "green"])
    sheet["B5"] = "thirtieth of Febtember"
    row = sheet.max_row
    book.save(exported)
    out = tmp_path / "x.yaml"
    result = jtai("import", str(exported), "--agencies", str(REAL_PLAN), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    lines = result.stderr.splitlines()
    assert f"  Plan!A{row}: cannot read: 'Colour of the cover' in sheet 'Plan' is not a plan " \
           "field jtai knows; not imported" in lines
    assert "  Plan!B5: cannot read: Inspection start 'thirtieth of Febtember' is not a date " \
           "such as 24/02/2025" in lines
    assert "Traceback" not in result.stderr


def test_a_csv_export_needs_area_and_dates_and_says_so(jtai: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "plan.csv"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(exported)
                ).exit_code == 0
    out = tmp_path / "x.yaml"
    result = jtai("import", str(exported), "--agencies", str(REAL_PLAN), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert "give --area and --inspected \"24/02/2025 to 10/03/2025\"" in result.stderr


def test_inspected_takes_iso_dates_too() -> None:
    from datetime import date

    from jtaiplan.office.intake.build import parse_range

    expected = (date(2025, 2, 24), date(2025, 3, 10))
    assert parse_range("2025-02-24 to 2025-03-10") == expected
    assert parse_range("2025-02-24 - 2025-03-10") == expected
    assert parse_range("24/02/2025 to 10/03/2025") == expected
    assert parse_range("24th February - 10th March 2025") == expected


def test_the_workbook_agencies_sheet_holds_the_registry(jtai: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(out)
                ).exit_code == 0
    rows = [tuple(row) for row in openpyxl.load_workbook(out)["Agencies"].iter_rows(
        values_only=True)]
    assert rows[0] == ("Code", "Name", "Aliases", "Note", "Succeeded by", "Succeeded on",
                       "Succession note")
    assert [row[0] for row in rows[1:]] == ["BFfC", "TVP", "BWSCP", "KCC", "RBC"]
    assert rows[1][2] == "BFFC; CSC; Children's Social Care"
    assert rows[1][4:6] == ("RBC", datetime(2025, 10, 1))  # a real date cell
    assert rows[2][2:] == ("Police", None, None, None, None)


def test_agencies_given_win_over_the_sheet_and_a_bad_agency_row_is_named(
        jtai: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "-o", str(exported)
                ).exit_code == 0
    result = jtai("import", str(exported), "--agencies", str(REAL_PLAN), "-o",
                  str(tmp_path / "x.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "  Agencies!A2: guess: sheet 'Agencies' not used: the registry comes from " \
           "--agencies" in result.stderr.splitlines()
    book = openpyxl.load_workbook(exported)
    book["Agencies"]["F2"] = "next spring"
    book.save(exported)
    out = tmp_path / "y.yaml"
    result = jtai("import", str(exported), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert "  Agencies!F2: cannot read: agency 'BFfC' is not valid (succeeded_on: Value " \
           "error, 'next spring' is not a date: write it as 2026-03-31, 31/03/2026, 31.03.26, " \
           "31-03-2026 or 31 March 2026); not imported" in result.stderr.splitlines()


@pytest.mark.parametrize(("text", "expected"), [
    ("SUMMARY\nIntro:\n1. A.\n2. B.",  # Word paragraphs, as the docx export writes them
     {"heading": "SUMMARY", "introduction": "Intro:", "areas": ["A.", "B."]}),
    ("SUMMARY\nIntro:\n1. A. 2. B.",  # the areas in one paragraph
     {"heading": "SUMMARY", "introduction": "Intro:", "areas": ["A.", "B."]}),
    ("<p>SUMMARY</p><p>Intro:</p><ol><li>1. A. 2. B.</li></ol>",  # the seed's HTML
     {"heading": "SUMMARY", "introduction": "Intro:", "areas": ["A.", "B."]}),
    ("Intro only", {"introduction": "Intro only"}),
])
def test_the_summary_cell_splits_into_heading_introduction_and_areas(
        text: str, expected: dict[str, Any]) -> None:
    from jtaiplan.office.intake.build import _summary
    from jtaiplan.office.intake.grid import Cell

    assert _summary(Cell(text, "table 1, row 2, column 1")) == expected
