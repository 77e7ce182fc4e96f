"""A change recorded with a backdated ``--on`` is appended last (history is append-only),
yet it is not the newest: the rules, ``status``, ``show`` and reports read the entry with the
latest *date*.

Before the fix every reader took ``updates[-1]``: after the two changes below JTAI105 fired
for 1.2 (the last entry, the backdated one, has no note), JTAI107 said 1.2 was last updated
2025-05-02, and status, show and the report showed the backdated entry as the latest.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from conftest import Invoke
from jtaiplan.plan.constraints import validate
from jtaiplan.plan.model import Action, Update, as_data

RECENT = {"date": "2025-06-25", "by": "Ann Lead", "note": "Escalated to the partnership board"}


def record_twice(jtai: Invoke, plan: Path) -> None:
    """Red with a note on 25 June, then evidence recorded later but dated 2 May."""
    assert jtai("update", "1.2", "--progress", "red", "--note", RECENT["note"], "--by",
                RECENT["by"], "--on", RECENT["date"], "--plan", str(plan)).exit_code == 0
    assert jtai("update", "1.2", "--evidence", "Minutes of the May meeting", "--by", "Bo Late",
                "--on", "02/05/2025", "--plan", str(plan)).exit_code == 0
    text = plan.read_text(encoding="utf-8")
    # The file keeps the order of recording: the backdated entry is last.
    assert text.index("date: 2025-06-25") < text.index("date: 2025-05-02")


def findings(jtai: Invoke, plan: Path, code: str, as_of: str) -> list[dict[str, object]]:
    result = jtai("lint", "--plan", str(plan), "--select", code, "--as-of", as_of,
                  "--format", "json", "--exit-zero")
    assert result.exit_code == 0, result.stderr
    return [f for f in json.loads(result.stdout) if f["ref"] == "1.2"]


def test_red_note_rule_reads_the_newest_entry(jtai: Invoke, plan_copy: Path) -> None:
    record_twice(jtai, plan_copy)
    assert findings(jtai, plan_copy, "JTAI105", "2025-07-01") == []


def test_red_note_rule_still_fires_when_the_newest_entry_has_no_note(
        jtai: Invoke, plan_copy: Path) -> None:
    assert jtai("update", "1.2", "--progress", "red", "--note", "old news", "--by", "A",
                "--on", "2025-05-01", "--plan", str(plan_copy)).exit_code == 0
    assert jtai("update", "1.2", "--evidence", "Audit report", "--by", "B",
                "--on", "2025-06-01", "--plan", str(plan_copy)).exit_code == 0
    [finding] = findings(jtai, plan_copy, "JTAI105", "2025-07-01")
    assert finding["message"] == "1.2 is Red with no update note saying what is being done"


def test_not_reviewed_rule_reads_the_newest_date_and_points_at_it(
        jtai: Invoke, plan_copy: Path) -> None:
    record_twice(jtai, plan_copy)
    # 25 days after 25 June: reviewed within the 42-day cadence.
    assert findings(jtai, plan_copy, "JTAI107", "2025-07-20") == []
    [finding] = findings(jtai, plan_copy, "JTAI107", "2025-08-07")
    assert finding["message"] == ("1.2 was last updated 2025-06-25, 43 days ago (review "
                                  "cadence 42 days)")
    lines = plan_copy.read_text(encoding="utf-8").splitlines()
    assert lines[int(str(finding["line"])) - 1].strip() == "- date: 2025-06-25"


def test_status_show_and_report_give_the_newest_entry(jtai: Invoke, plan_copy: Path) -> None:
    record_twice(jtai, plan_copy)
    status = jtai("status", "--plan", str(plan_copy), "--as-of", "2025-07-01", "--format",
                  "json")
    [row] = [r for r in json.loads(status.stdout)["actions"] if r["ref"] == "1.2"]
    assert row["latest_update"] == RECENT
    show = jtai("show", "1.2", "--plan", str(plan_copy), "--as-of", "2025-07-01", "--format",
                "json")
    record = json.loads(show.stdout)
    assert record["latest_update"] == RECENT
    # The raw history keeps the file's order.
    assert [u["date"] for u in record["updates"]] == ["2025-06-25", "2025-05-02"]
    report = jtai("report", "--plan", str(plan_copy), "--as-of", "2025-07-01", "--format",
                  "markdown")
    rows = [line for line in report.stdout.splitlines() if line.startswith("| 1.2 |")]
    last_cell = "| " + RECENT["note"] + " |"
    assert any(row.endswith(last_cell) for row in rows), rows


def test_show_text_lists_history_by_date(jtai: Invoke, plan_copy: Path) -> None:
    record_twice(jtai, plan_copy)
    text = jtai("show", "1.2", "--plan", str(plan_copy), "--as-of", "2025-07-01").stdout
    history = text[text.index("History:"):].splitlines()
    dated = [line.strip() for line in history if line.startswith("  2025-")]
    assert dated == ["2025-05-02  Bo Late: note",
                     "2025-06-25  Ann Lead: progress Amber → Red"]


def test_latest_update_ties_go_to_the_entry_recorded_last() -> None:
    entries = [validate(Update, {"date": day, "by": by})
               for day, by in (("2025-06-01", "first"), ("2025-06-03", "newest"),
                               ("2025-05-01", "backdated"), ("2025-06-03", "same day, later"))]
    action = validate(Action, {
        "ref": "1.1", "action": "x", "owners": ["LA"], "theme": "t", "plan_type": "p",
        "progress": "Green", "updates": [as_data(u) for u in entries]})
    assert action.latest_update_index == 3
    assert action.latest_update is not None and action.latest_update.by == "same day, later"
    assert [u.by for u in action.updates_by_date()] == [
        "backdated", "first", "newest", "same day, later"]
    no_history = dataclasses.replace(action, updates=[])
    assert no_history.latest_update is None and no_history.latest_update_index is None
