"""``jtai changes`` and ``jtai meeting``: what moved between two meetings (issue 23)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from history_plans import build_history
from jtaiplan.plan.meetings import resolve_since
from jtaiplan.planfile.loader import load_plan


@pytest.fixture
def history_plan(jtai: Invoke, plan_copy: Path) -> Path:
    build_history(jtai, plan_copy)
    for day, name in (("2025-07-09", "MASA Monitoring Group"), ("2025-10-01", None)):
        args = ("meeting", "add", day, "--plan", str(plan_copy))
        result = jtai(*args, *(("--name", name) if name else ()))
        assert result.exit_code == 0, result.stderr
    return plan_copy


def listed(jtai: Invoke, plan: Path, *args: str) -> list[tuple[str, str, str, str]]:
    result = jtai("changes", "--plan", str(plan), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [(c["kind"], c["ref"], c["date"], c["by"]) for c in json.loads(result.stdout)["changes"]]


def test_every_entry_in_the_window_deteriorations_first(jtai: Invoke, history_plan: Path
                                                        ) -> None:
    assert listed(jtai, history_plan, "--since", "2025-08-01", "--until", "2025-12-31") == [
        ("worse", "2.2", "2025-08-01", "Jo Smith"),
        ("worse", "2.2", "2025-09-15", "Jo Smith"),
        ("better", "2.2", "2025-11-03", "Jo Smith"),
        ("completed", "2.3", "2025-10-20", "Jo Smith"),
        ("date", "3.1", "2025-11-03", "Jo Smith"),
        ("added", "2.6", "2025-09-01", "Jo Smith"),
        ("noted", "1.2", "2025-08-01", "Jo Smith"),
    ]
    # Both ends included; nothing outside.
    assert listed(jtai, history_plan, "--since", "2025-09-15", "--until", "2025-10-20") == [
        ("worse", "2.2", "2025-09-15", "Jo Smith"),
        ("completed", "2.3", "2025-10-20", "Jo Smith"),
    ]
    assert listed(jtai, history_plan, "--since", "2025-09-16", "--until", "2025-10-19") == []


def test_text_output(jtai: Invoke, history_plan: Path) -> None:
    result = jtai("changes", "--plan", str(history_plan), "--since", "2025-09-01",
                  "--until", "2025-10-31")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Changes 2025-09-01 to 2025-10-31: 1 worse, 1 completed, 1 added\n"
        "\n"
        "Worse (1)\n"
        "  Objective 2: STRATEGY MEETINGS\n"
        "    2.2  2025-09-15  Jo Smith: complete by 2025-06-30 → 2026-01-31\n"
        "      reason: Trainer unavailable\n"
        "\n"
        "Completed (1)\n"
        "  Objective 2: STRATEGY MEETINGS\n"
        "    2.3  2025-10-20  Jo Smith: progress Green → Blue, completed on — → 2025-10-20\n"
        "      evidence: Kent peer review report\n"
        "\n"
        "Added (1)\n"
        "  Objective 2: STRATEGY MEETINGS\n"
        "    2.6  2025-09-01  Jo Smith: added: Audit strategy meeting attendance\n"
        "      note: action added\n")


def test_markdown_and_csv(jtai: Invoke, history_plan: Path) -> None:
    markdown = jtai("changes", "--plan", str(history_plan), "--since", "2025-11-01",
                    "--until", "2025-11-30", "--format", "markdown")
    assert markdown.stdout.splitlines()[0] == \
        "**Changes 2025-11-01 to 2025-11-30: 1 better, 1 date moved**"
    assert "| 3.1 | 2025-11-03 | Jo Smith | complete by 2025-06-30 → 2025-05-31 | " \
           "reason: Done sooner |" in markdown.stdout
    table = jtai("changes", "--plan", str(history_plan), "--since", "2025-11-01",
                 "--until", "2025-11-30", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["kind"], r["ref"], r["changes"], r["note"]) for r in rows] == [
        ("better", "2.2", "progress Red → Amber", "Workshop booked"),
        ("date", "3.1", "complete by 2025-06-30 → 2025-05-31", "")]


def test_filters_as_status(jtai: Invoke, history_plan: Path) -> None:
    assert listed(jtai, history_plan, "--since", "2025-08-01", "--until", "2025-12-31",
                  "--objective", "3") == [("date", "3.1", "2025-11-03", "Jo Smith")]
    unknown = jtai("changes", "--plan", str(history_plan), "--since", "2025-08-01",
                   "--owner", "NOPE")
    assert unknown.exit_code == 2


def test_since_last_and_previous_meeting(jtai: Invoke, history_plan: Path) -> None:
    assert listed(jtai, history_plan, "--since", "last-meeting", "--until", "2025-10-31") == [
        ("completed", "2.3", "2025-10-20", "Jo Smith")]
    assert [c[1:3] for c in listed(jtai, history_plan, "--since", "previous-meeting",
                                   "--until", "2025-10-31")] == [
        ("2.2", "2025-08-01"), ("2.2", "2025-09-15"), ("2.3", "2025-10-20"),
        ("2.6", "2025-09-01"), ("1.2", "2025-08-01")]
    plan = load_plan(history_plan).plan
    assert resolve_since(plan, "last-meeting", date(2025, 9, 30)) == date(2025, 7, 9)
    assert resolve_since(plan, "last-meeting", date(2025, 10, 1)) == date(2025, 10, 1)
    assert resolve_since(plan, "previous-meeting", date(2025, 10, 1)) == date(2025, 7, 9)
    assert resolve_since(plan, "1/8/2025", date(2025, 10, 1)) == date(2025, 8, 1)
    none = jtai("changes", "--plan", str(history_plan), "--since", "previous-meeting",
                "--until", "2025-09-30")
    assert none.exit_code == 2
    assert none.stderr.splitlines()[0] == ("jtai: --since previous-meeting: the plan records "
                                           "1 meeting on or before 2025-09-30")


def test_meeting_add_is_a_one_line_edit(jtai: Invoke, history_plan: Path) -> None:
    before = history_plan.read_bytes()
    dry = jtai("meeting", "add", "2025-12-10", "--name", "Board", "--plan", str(history_plan),
               "--dry-run")
    assert dry.exit_code == 0
    assert [line for line in dry.stdout.splitlines() if line.startswith(("+", "-"))
            and not line.startswith(("+++", "---"))] == ["+  - date: 2025-12-10",
                                                         "+    name: Board"]
    assert history_plan.read_bytes() == before
    again = jtai("meeting", "add", "2025-07-09", "--name", "MASA Monitoring Group",
                 "--plan", str(history_plan))
    assert again.exit_code == 0
    assert history_plan.read_bytes() == before
    listing = jtai("meeting", "list", "--plan", str(history_plan))
    assert listing.stdout == "2025-07-09  MASA Monitoring Group\n2025-10-01\n"
    bad = jtai("meeting", "add", "31/02/2025", "--plan", str(history_plan))
    assert bad.exit_code == 2
    assert history_plan.read_bytes() == before
