"""`jtai history` (newest first by date, with the commit that brought each entry in) and
`jtai calendar` (parsed back with the icalendar package), and what `jtai status` imports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Invoke
from test_diff import make_repo

AS_OF = "2025-07-01"


def test_history_of_2_2_after_two_updates_newest_first_with_commits(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path, monkeypatch, jtai)
    assert repo.jtai("update", "2.2", "--progress", "amber", "--note", "Workshop moved",
                     "--by", "Jo", "--on", "2025-07-02").exit_code == 0
    first = repo.commit("2.2 amber")
    assert repo.jtai("update", "2.2", "--progress", "red", "--note", "No venue",
                     "--by", "Sam", "--on", "2025-08-01").exit_code == 0
    second = repo.commit("2.2 red")
    result = repo.jtai("history", "2.2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2.2  2025-08-01  Sam  progress Amber → Red",
        "    note: No venue",
        f"    commit {second[:10]} by Test Person on {_day_of(repo, second)}: 2.2 red",
        "2.2  2025-07-02  Jo  progress Green → Amber",
        "    note: Workshop moved",
        f"    commit {first[:10]} by Test Person on {_day_of(repo, first)}: 2.2 amber",
    ]
    # Written later but dated earlier: ordered by date, not by file order; not yet committed.
    assert repo.jtai("update", "2.2", "--note", "Venue found", "--by", "Al",
                     "--on", "2025-07-15").exit_code == 0
    document = json.loads(repo.jtai("history", "2.2", "--format", "json").stdout)
    assert [(e["date"], e["by"]) for e in document["entries"]] == [
        ("2025-08-01", "Sam"), ("2025-07-15", "Al"), ("2025-07-02", "Jo")]
    assert [e["commit"]["sha"] for e in document["entries"]] == [second, None, first]
    assert document["entries"][0]["changes"] == {"progress": {"from": "Amber", "to": "Red"}}


def _day_of(repo: object, sha: str) -> str:
    stamp = repo.git("show", "-s", "--format=%at", sha)  # type: ignore[attr-defined]
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(stamp), tz=UTC).date().isoformat()


def test_history_of_all_actions_outside_git(jtai: Invoke, plan_copy: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(plan_copy.parent.parent))
    plan = str(plan_copy)
    for ref, on in (("8.1", "2025-07-03"), ("1.2", "2025-07-09")):
        assert jtai("update", ref, "--note", f"Note {ref}", "--by", "X", "--on", on,
                    "--plan", plan).exit_code == 0
    result = jtai("history", "--plan", plan)
    assert result.stdout.splitlines() == [
        "1.2  2025-07-09  X", "    note: Note 1.2", "8.1  2025-07-03  X", "    note: Note 8.1"]


def test_history_of_an_unknown_ref(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("history", "2.99", "--plan", str(real_plan))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "jtai: no action 2.99 in the plan"


def open_dated(jtai: Invoke, plan: Path) -> set[str]:
    rows = json.loads(jtai("status", "--plan", str(plan), "--as-of", AS_OF, "--format",
                           "json").stdout)["actions"]
    return {r["ref"] for r in rows if r["due"] and r["progress"] != "Blue"}


def test_calendar_one_event_per_open_dated_action_stable_uids(jtai: Invoke, real_plan: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    result = jtai("calendar", "-o", str(out), "--plan", str(real_plan), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(out.read_bytes())
    events = calendar.walk("VEVENT")
    expected = open_dated(jtai, real_plan)
    assert len(expected) == 17
    assert result.stderr == f"jtai: wrote {out.as_posix()}: 17 events\n"
    refs = {str(e["summary"]).split(" ")[0] for e in events}
    assert refs == expected and len(events) == len(expected)
    by_ref = {str(e["summary"]).split(" ")[0]: e for e in events}
    event = by_ref["8.1"]
    assert event.decoded("dtstart") == date(2025, 6, 30)
    assert event.decoded("dtend") == date(2025, 7, 1)
    assert "Owners: Thames Valley Police (TVP)" in str(event["description"])
    assert "Refresh and update partnership knowledge of MARAC" in str(event["description"])
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("trigger") == timedelta(days=-7)
    assert str(event["uid"]).endswith("-8.1@jtaiplan")
    again = jtai("calendar", "--plan", str(real_plan), "--as-of", "2025-09-01")
    uids = {str(e["uid"]) for e in Calendar.from_ical(again.stdout.encode()).walk("VEVENT")}
    assert uids == {str(e["uid"]) for e in events}
    # Byte-identical for the same inputs: nothing depends on the clock.
    twice = jtai("calendar", "--plan", str(real_plan), "--as-of", AS_OF)
    assert twice.stdout.encode().replace(b"\r\n", b"\n") == \
        out.read_bytes().replace(b"\r\n", b"\n")


def test_calendar_takes_the_status_filters(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("calendar", "--owner", "TVP", "--plan", str(real_plan), "--as-of", AS_OF)
    events = Calendar.from_ical(result.stdout.encode()).walk("VEVENT")
    assert sorted(str(e["summary"]).split(" ")[0] for e in events) == ["5.1", "8.1"]


def test_status_imports_no_office_library(real_plan: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from jtaiplan.cli.main import app\n"
        f"r = CliRunner().invoke(app, ['status', '--plan', {str(real_plan)!r}, '--as-of', "
        f"'{AS_OF}'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'openpyxl', 'icalendar', 'docx'}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
