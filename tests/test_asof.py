"""``--as-of DATE``: the plan as its history records it at the end of that day (issue 23)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from history_plans import build_history
from jtaiplan.plan.asof import (
    Unvouched,
    action_on,
    added_on,
    record_start,
    recorded_on,
    timeline,
)
from jtaiplan.plan.constraints import validate
from jtaiplan.plan.model import RAG, Action, Plan
from jtaiplan.planfile.loader import load_plan


@pytest.fixture
def history_plan(jtai: Invoke, plan_copy: Path) -> Path:
    return build_history(jtai, plan_copy)


def state(jtai: Invoke, plan: Path, day: str) -> dict[str, tuple[object, ...]]:
    result = jtai("status", "--plan", str(plan), "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {a["ref"]: (a["progress"], a["impact"], a["due"] or a["due_status"], a["baseline_due"],
                       a["overdue"]) for a in json.loads(result.stdout)["actions"]}


# (day, ref) -> (progress, impact, due, baseline, overdue) as recorded at the end of the day.
EXPECTED = {
    ("2025-07-31", "2.2"): ("Green", "Amber", "2025-06-30", None, True),
    ("2025-08-01", "2.2"): ("Red", "Amber", "2025-06-30", None, True),
    ("2025-09-14", "2.2"): ("Red", "Amber", "2025-06-30", None, True),
    ("2025-09-15", "2.2"): ("Red", "Amber", "2026-01-31", "2025-06-30", False),
    ("2025-11-02", "2.2"): ("Red", "Amber", "2026-01-31", "2025-06-30", False),
    ("2025-11-03", "2.2"): ("Amber", "Amber", "2026-01-31", "2025-06-30", False),
    ("2025-07-31", "1.2"): ("Amber", None, "2025-06-30", None, True),
    ("2025-08-01", "1.2"): ("Amber", "Green", "2025-06-30", None, True),
    ("2025-10-19", "2.3"): ("Green", None, "underway", None, False),
    ("2025-10-20", "2.3"): ("Blue", None, "underway", None, False),
    ("2025-12-31", "2.6"): ("Green", None, "2025-12-31", None, False),
    ("2026-01-01", "2.6"): ("Green", None, "2025-12-31", None, True),
}


@pytest.mark.parametrize(("day", "ref"), sorted(EXPECTED))
def test_as_of_before_on_and_after_each_entry(jtai: Invoke, history_plan: Path, day: str,
                                              ref: str) -> None:
    assert state(jtai, history_plan, day)[ref] == EXPECTED[day, ref]


def test_the_issue_example_report_shows_the_rating_of_that_day(jtai: Invoke,
                                                                 plan_copy: Path) -> None:
    assert jtai("update", "2.2", "--progress", "red", "--on", "2025-08-01", "--by", "Jo",
                "--plan", str(plan_copy)).exit_code == 0
    report = jtai("report", "--plan", str(plan_copy), "--as-of", "2025-07-01",
                  "--format", "markdown")
    assert report.exit_code == 0, report.stderr
    rows = [line for line in report.stdout.splitlines() if line.startswith("| 2.2 |")]
    assert len(rows) == 2
    assert all(row.endswith("| 2025-06-30 **OVERDUE** | Green |") or
               "| Green | Amber |" in row for row in rows)
    assert not any("Red" in row for row in rows)
    today = jtai("report", "--plan", str(plan_copy), "--as-of", "2025-08-01",
                 "--format", "markdown")
    assert [line.count("| Red |") for line in today.stdout.splitlines()
            if line.startswith("| 2.2 |")] == [1, 1]


def test_actions_added_later_are_absent(jtai: Invoke, history_plan: Path) -> None:
    assert "2.6" not in state(jtai, history_plan, "2025-08-31")
    assert "2.6" in state(jtai, history_plan, "2025-09-01")
    show = jtai("show", "2.6", "--plan", str(history_plan), "--as-of", "2025-08-31")
    assert show.exit_code == 2
    assert show.stderr.splitlines()[0] == "jtai: 2.6 was added on 2025-09-01, after 2025-08-31"
    calendar = jtai("calendar", "--plan", str(history_plan), "--as-of", "2025-08-31")
    assert "Audit strategy meeting attendance" not in calendar.stdout


def test_a_date_before_the_record_starts_is_said(jtai: Invoke, history_plan: Path) -> None:
    result = jtai("status", "--plan", str(history_plan), "--as-of", "2025-07-01")
    assert result.exit_code == 0
    assert result.stderr == ("jtai: the plan's history starts on 2025-08-01: 2025-07-01 is "
                             "earlier, so the plan is shown as it was when its record "
                             "started\n")
    on_start = jtai("status", "--plan", str(history_plan), "--as-of", "2025-08-01")
    assert on_start.stderr == ""


def test_without_as_of_the_plan_is_todays(jtai: Invoke, history_plan: Path) -> None:
    result = jtai("status", "--plan", str(history_plan), "--format", "json")
    actions = {a["ref"]: a for a in json.loads(result.stdout)["actions"]}
    assert (actions["2.2"]["progress"], actions["2.3"]["progress"]) == ("Amber", "Blue")
    assert "2.6" in actions
    assert result.stderr == ""


def test_a_value_changed_by_hand_is_said_to_be_todays(jtai: Invoke, history_plan: Path) -> None:
    text = history_plan.read_text(encoding="utf-8")
    # 2.2's progress line (Amber after the last entry) edited by hand to Red.
    start = text.index('- ref: "2.2"')
    at = text.index("progress: Amber", start)
    history_plan.write_text(text[:at] + "progress: Red" + text[at + len("progress: Amber"):],
                            encoding="utf-8")
    result = jtai("status", "--plan", str(history_plan), "--as-of", "2025-08-15",
                  "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ("jtai: 2.2 progress: the value is today's (changed in the file "
                             "without a history entry)\n")
    assert {a["ref"]: a["progress"] for a in json.loads(result.stdout)["actions"]}["2.2"] \
        == "Red"


def test_show_and_lint_as_of(jtai: Invoke, history_plan: Path) -> None:
    show = jtai("show", "2.3", "--plan", str(history_plan), "--as-of", "2025-10-19",
                "--format", "json")
    record = json.loads(show.stdout)
    assert (record["progress"], record["updates"]) == ("Green", [])

    def no_date(day: str) -> list[tuple[str, int]]:
        lint = jtai("lint", "--plan", str(history_plan), "--as-of", day, "--format", "json",
                    "--select", "JTAI103")
        return [(f["ref"], f["line"]) for f in json.loads(lint.stdout)]

    # JTAI103: not complete and no date. 2.3 ("underway") was completed on 2025-10-20;
    # the finding is placed on today's line of the file.
    line = history_plan.read_text(encoding="utf-8").splitlines().index(
        "        complete_by: underway  # seed: no date; \"underway\" is a status word, "
        "kept as written") + 1
    assert ("2.3", line) in no_date("2025-10-19")
    assert "2.3" not in dict(no_date("2025-10-20"))


def test_library_reconstruction(history_plan: Path) -> None:
    plan = load_plan(history_plan).plan
    assert record_start(plan) == date(2025, 8, 1)
    recorded = recorded_on(plan, date(2025, 8, 31))
    assert recorded.added_later == ("2.6",)
    assert recorded.kept == {1: (0, 1, 2, 3, 4)}
    assert recorded.source_path(("objectives", 1, "actions", 4, "progress")) == \
        ("objectives", 1, "actions", 4, "progress")
    # An action inserted mid-objective and dropped: later ones keep their file positions.
    gap = dataclasses.replace(recorded, kept={1: (0, 2, 3)})
    assert gap.source_path(("objectives", 1, "actions", 1, "progress")) == \
        ("objectives", 1, "actions", 2, "progress")
    assert gap.source_path(("objectives", 0, "actions", 1)) == ("objectives", 0, "actions", 1)
    assert recorded.plan.shared_agencies == plan.shared_agencies
    two_three = next(a for a in plan.actions() if a.ref == "2.3")
    before = action_on(two_three, date(2025, 10, 19))
    assert (before.progress, before.completed_on, before.evidence) == (RAG.GREEN, None, None)
    assert action_on(two_three, date(2025, 10, 20)) is two_three
    assert added_on(next(a for a in plan.actions() if a.ref == "2.6")) == date(2025, 9, 1)
    assert added_on(two_three) is None
    # Nothing after the day: the plan itself, untouched.
    assert recorded_on(plan, date(2025, 11, 3)).plan is plan


def test_show_lists_the_timeline_oldest_first(jtai: Invoke, history_plan: Path) -> None:
    text = jtai("show", "2.2", "--plan", str(history_plan)).stdout
    lines = text[text.index("History:"):].splitlines()
    assert lines[:10] == [
        "History:",
        "  2025-08-01  Jo Smith: progress Green → Red",
        "      note: Workshop postponed",
        "      after: progress Red, impact Amber, complete by 2025-06-30",
        "  2025-09-15  Jo Smith: complete by 2025-06-30 → 2026-01-31",
        "      reason: Trainer unavailable",
        "      after: progress Red, impact Amber, complete by 2026-01-31 (revised)",
        "  2025-11-03  Jo Smith: progress Red → Amber",
        "      note: Workshop booked",
        "      after: progress Amber, impact Amber, complete by 2026-01-31 (revised)",
    ]
    record = json.loads(jtai("show", "2.3", "--plan", str(history_plan), "--format",
                             "json").stdout)
    assert record["timeline"] == [{
        "date": "2025-10-20", "by": "Jo Smith",
        "state": {"progress": "Blue", "impact": None, "complete_by": "underway",
                  "baseline_complete_by": None, "completed_on": "2025-10-20",
                  "owners": ["BWSCP", "KCC"]}}]
    two_two = json.loads(jtai("show", "2.2", "--plan", str(history_plan), "--format",
                              "json").stdout)["timeline"]
    assert [(s["state"]["progress"], s["state"]["complete_by"],
             s["state"]["baseline_complete_by"]) for s in two_two] == [
        ("Red", "2025-06-30", None), ("Red", "2026-01-31", "2025-06-30"),
        ("Amber", "2026-01-31", "2025-06-30")]


def test_the_report_says_where_the_record_starts(jtai: Invoke, history_plan: Path) -> None:
    note = ("the plan's history starts on 2025-08-01: 2025-07-01 is earlier, so the plan is "
            "shown as it was when its record started")
    markdown = jtai("report", "--plan", str(history_plan), "--as-of", "2025-07-01",
                    "--format", "markdown").stdout
    assert f"\n- {note}\n" in markdown
    html = jtai("report", "--plan", str(history_plan), "--as-of", "2025-07-01").stdout
    assert f"<li>{note.replace(chr(39), '&#39;')}</li>" in html
    later = jtai("report", "--plan", str(history_plan), "--as-of", "2025-08-01",
                 "--format", "markdown").stdout
    assert "history starts" not in later


def make_action(updates: list[dict[str, object]], **fields: object) -> Action:
    return validate(Action, {"ref": "1.1", "action": "x", "owners": ["LA"], "theme": "t",
                             "plan_type": "p", "progress": "Red", **fields,
                             "updates": updates})


def test_what_the_history_cannot_vouch_for() -> None:
    action = make_action([
        {"date": "2025-05-01", "by": "A", "changes": {"progress": {"to": "Amber"}}},
        {"date": "2025-06-01", "by": "A", "changes": {"progress": {"from": "Amber", "to": "Red"},
                                                      "theme": {"from": "s", "to": "t"}}},
    ])
    found: list[Unvouched] = []
    # The June entry is undone; its theme change is not one the history undoes.
    assert action_on(action, date(2025, 5, 31), found).progress is RAG.AMBER
    assert [u.describe() for u in found] == [
        "1.1 theme: the value is today's (the history does not undo 'theme')"]
    found.clear()
    # Before May: the May entry gives no "from": progress stays today's, and is said to.
    assert action_on(action, date(2025, 4, 30), found).progress is RAG.RED
    assert [u.describe() for u in found] == [
        "1.1 theme: the value is today's (the history does not undo 'theme')",
        "1.1 progress: the value is today's (the entry of 2025-05-01 gives no earlier value)"]


def test_a_note_is_made_once_per_action_and_once_per_plan() -> None:
    # Two undone entries both change the theme, which the history does not undo: one note.
    action = make_action([
        {"date": "2025-05-01", "by": "A", "changes": {"theme": {"from": "r", "to": "s"}}},
        {"date": "2025-06-01", "by": "A", "changes": {"theme": {"from": "s", "to": "t"}}},
    ])
    found: list[Unvouched] = []
    action_on(action, date(2025, 4, 30), found)
    assert [u.describe() for u in found] == [
        "1.1 theme: the value is today's (the history does not undo 'theme')"]
    # A plan holding that action twice (the same ref: lint still reads such a plan) says
    # it once; another ref's note keeps its place after it.
    other = dataclasses.replace(action, ref="1.2")
    plan = validate(Plan, {
        "inspection": {"type": "JTAI", "area": "X", "start": "2025-01-01",
                       "end": "2025-01-05"},
        "objectives": [{"number": 1, "title": "T", "actions": []}]})
    plan = dataclasses.replace(plan, objectives=[dataclasses.replace(
        plan.objectives[0], actions=[action, other, action])])
    assert [u.describe() for u in recorded_on(plan, date(2025, 4, 30)).unvouched] == [
        "1.1 theme: the value is today's (the history does not undo 'theme')",
        "1.2 theme: the value is today's (the history does not undo 'theme')"]


def test_evidence_on_a_day_is_the_latest_recorded_by_then() -> None:
    action = make_action([
        {"date": "2025-05-01", "by": "A", "evidence": "Audit report"},
        {"date": "2025-06-01", "by": "A", "evidence": "Re-audit report"},
        {"date": "2025-07-01", "by": "A", "impact_evidence": "Survey"},
    ], evidence="Re-audit report", impact_evidence="Survey")
    may = action_on(action, date(2025, 5, 15))
    assert (may.evidence, may.impact_evidence) == ("Audit report", "Survey")
    found: list[Unvouched] = []
    assert action_on(action, date(2025, 6, 15), found).impact_evidence == "Survey"
    assert [u.describe() for u in found] == [
        "1.1 impact evidence: the value is today's (the history keeps no earlier text)"]
    assert [u.date for u, _after in timeline(action)] == [
        date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)]
    assert [after.evidence for _u, after in timeline(action)] == [
        "Audit report", "Re-audit report", "Re-audit report"]
