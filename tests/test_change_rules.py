"""The change rules (JTAI501-505) of ``jtai lint --base REV``, in a real git repository.

A change made by hand that breaks a rule is found at its line in the new file; the same
change made with ``jtai update``/``complete``, which record notes, reasons and evidence,
is not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import Invoke
from test_diff import PlanRepo, make_repo

AS_OF = "2025-07-01"
Found = tuple[str, str, int, int, str]
"""(code, severity, line, column, message)."""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> PlanRepo:
    """The real plan committed on main; the working directory is the repository."""
    return make_repo(tmp_path, monkeypatch, jtai)


@pytest.fixture
def history_repo(repo: PlanRepo) -> PlanRepo:
    """The base commit also holds history: 2.2 went Amber and 3.1's date was revised (so
    3.1 has a baseline date)."""
    repo.jtai("update", "2.2", "--progress", "amber", "--note", "Workshop delayed", "--by",
              "T", "--on", "2025-06-01")
    repo.jtai("update", "3.1", "--due", "2025-09-30", "--reason", "Workshop moved", "--by",
              "T", "--on", "2025-06-01")
    repo.commit("history")
    return repo


def lint(repo: PlanRepo, *args: str) -> Result:
    """``jtai lint --base HEAD`` on plan.yaml in the repository, change rules only."""
    return repo.invoke("lint", "--plan", "plan.yaml", "--base", "HEAD", "--as-of", AS_OF,
                       "--select", "JTAI5", *args)


def found(repo: PlanRepo) -> list[Found]:
    result = lint(repo, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [(f["code"], f["severity"], f["line"], f["column"], f["message"])
            for f in json.loads(result.stdout)]


def assert_line(repo: PlanRepo, number: int, text: str) -> None:
    """The hard-coded line number still points where the test means."""
    assert repo.plan.read_text(encoding="utf-8").splitlines()[number - 1] == text


# --- each rule, broken by a hand edit ----------------------------------------------------


def test_jtai501_blue_without_evidence(repo: PlanRepo) -> None:
    repo.edit('        progress: Green\n        impact: Amber\n      - ref: "2.5"',
              '        progress: Blue\n        impact: Amber\n      - ref: "2.5"')
    assert_line(repo, 151, "        progress: Blue")
    result = lint(repo)
    assert result.exit_code == 1
    assert result.stdout == (
        "Errors (1):\n"
        "plan.yaml:151:19: JTAI501 2.4 moved to Blue with no evidence of completion\n"
        "    hint: `jtai complete 2.4 --evidence ...`\n"
        "\n"
        "1 error, 0 warnings as of 2025-07-01\n"
    )
    assert found(repo) == [
        ("JTAI501", "error", 151, 19, "2.4 moved to Blue with no evidence of completion")]


def test_jtai502_worse_without_note(repo: PlanRepo) -> None:
    repo.edit("        progress: Amber\n        impact:\n\n  - number: 2",
              "        progress: Red\n        impact:\n\n  - number: 2")
    assert_line(repo, 104, "        progress: Red")
    result = lint(repo)
    assert result.exit_code == 0  # a warning
    assert result.stdout == (
        "Warnings (1):\n"
        "plan.yaml:104:19: JTAI502 1.3's progress went from Amber to Red with no update note\n"
        "    hint: add the note with `jtai update ... --note`\n"
        "\n"
        "0 errors, 1 warning as of 2025-07-01\n"
    )
    assert lint(repo, "--strict").exit_code == 1


def test_a_first_impact_rating_is_not_a_deterioration(repo: PlanRepo) -> None:
    repo.edit("        progress: Amber\n        impact:\n\n  - number: 2",
              "        progress: Amber\n        impact: Red\n\n  - number: 2")
    assert_line(repo, 105, "        impact: Red")
    assert found(repo) == []



def test_jtai503_later_without_reason(repo: PlanRepo) -> None:
    repo.edit("        complete_by: 2025-07-30\n", "        complete_by: 2025-10-31\n")
    assert_line(repo, 182, "        complete_by: 2025-10-31")
    result = lint(repo)
    assert result.exit_code == 0
    assert result.stdout == (
        "Warnings (1):\n"
        "plan.yaml:182:22: JTAI503 3.2's complete-by moved from 2025-07-30 to 2025-10-31 "
        "without a reason\n"
        "    hint: record why with `jtai update ... --reason`\n"
        "\n"
        "0 errors, 1 warning as of 2025-07-01\n"
    )


def test_jtai503_by_jtai_update_without_reason(repo: PlanRepo) -> None:
    repo.change("update", "3.2", "--due", "2025-10-31")
    assert_line(repo, 182, "        complete_by: 2025-10-31")
    assert found(repo) == [("JTAI503", "warning", 182, 22, "3.2's complete-by moved from "
                            "2025-07-30 to 2025-10-31 without a reason")]


def test_jtai503_earlier_is_fine(repo: PlanRepo) -> None:
    repo.edit("        complete_by: 2025-07-30\n", "        complete_by: 2025-07-15\n")
    assert found(repo) == []


def test_jtai504_history_entry_edited(history_repo: PlanRepo) -> None:
    history_repo.edit("note: Workshop delayed", "note: Workshop cancelled")
    assert_line(history_repo, 134, "          - date: 2025-06-01")
    result = lint(history_repo)
    assert result.exit_code == 1
    assert result.stdout == (
        "Errors (1):\n"
        "plan.yaml:134:11: JTAI504 2.2's history was edited or entries were removed\n"
        "    hint: restore the old entries; add a new entry saying what was wrong\n"
        "\n"
        "1 error, 0 warnings as of 2025-07-01\n"
    )


def test_jtai504_history_entry_removed(history_repo: PlanRepo) -> None:
    history_repo.edit("        updates:\n          - date: 2025-06-01\n            by: T\n"
                      "            changes:\n              progress:\n                from: "
                      "Green\n                to: Amber\n            note: Workshop delayed\n",
                      "")
    # With the whole list gone, the finding is at the action.
    assert_line(history_repo, 123, '      - ref: "2.2"')
    assert found(history_repo) == [
        ("JTAI504", "error", 123, 9, "2.2's history was edited or entries were removed")]


def test_jtai504_not_for_an_appended_entry(history_repo: PlanRepo) -> None:
    history_repo.change("update", "2.2", "--note", "Workshop booked")
    assert found(history_repo) == []


def test_jtai505_baseline_changed(history_repo: PlanRepo) -> None:
    history_repo.edit("baseline_complete_by: 2025-06-30", "baseline_complete_by: 2025-08-31")
    assert_line(history_repo, 182, "        baseline_complete_by: 2025-08-31")
    result = lint(history_repo)
    assert result.exit_code == 1
    assert result.stdout == (
        "Errors (1):\n"
        "plan.yaml:182:31: JTAI505 3.1's baseline date changed to 2025-08-31 (was "
        "2025-06-30)\n"
        "    hint: restore baseline_complete_by: 2025-06-30\n"
        "\n"
        "1 error, 0 warnings as of 2025-07-01\n"
    )


def test_jtai505_baseline_removed(history_repo: PlanRepo) -> None:
    history_repo.edit("        baseline_complete_by: 2025-06-30\n", "")
    assert_line(history_repo, 178, '      - ref: "3.1"')
    assert found(history_repo) == [
        ("JTAI505", "error", 178, 9, "3.1's baseline date 2025-06-30 was removed")]


def test_jtai505_baseline_invented(repo: PlanRepo) -> None:
    """A baseline added by hand must be the date the action had."""
    repo.edit("        complete_by: 2025-07-30\n",
              "        complete_by: 2025-07-30\n        baseline_complete_by: 2025-01-31\n")
    assert_line(repo, 183, "        baseline_complete_by: 2025-01-31")
    assert found(repo) == [("JTAI505", "error", 183, 31,
                            "3.2's baseline date changed to 2025-01-31 (was 2025-07-30)")]


def test_every_rule_at_once(history_repo: PlanRepo) -> None:
    """All five in one change, in file order, each at its line in the new file."""
    history_repo.edit("        progress: Amber\n        impact:\n\n  - number: 2",
                      "        progress: Red\n        impact:\n\n  - number: 2")  # 1.3
    history_repo.edit("note: Workshop delayed", "note: Workshop cancelled")  # 2.2
    history_repo.edit('        progress: Green\n        impact: Amber\n      - ref: "2.5"',
                      '        progress: Blue\n        impact: Amber\n      - ref: "2.5"')
    history_repo.edit("baseline_complete_by: 2025-06-30", "baseline_complete_by: 2025-07-31")
    history_repo.edit("        complete_by: 2025-07-30\n", "        complete_by: 2025-10-31\n")
    for line, text in ((104, "        progress: Red"), (134, "          - date: 2025-06-01"),
                       (159, "        progress: Blue"),
                       (182, "        baseline_complete_by: 2025-07-31"),
                       (199, "        complete_by: 2025-10-31")):
        assert_line(history_repo, line, text)
    assert found(history_repo) == [
        ("JTAI502", "warning", 104, 19,
         "1.3's progress went from Amber to Red with no update note"),
        ("JTAI504", "error", 134, 11, "2.2's history was edited or entries were removed"),
        ("JTAI501", "error", 159, 19, "2.4 moved to Blue with no evidence of completion"),
        ("JTAI505", "error", 182, 31,
         "3.1's baseline date changed to 2025-07-31 (was 2025-06-30)"),
        ("JTAI503", "warning", 199, 22,
         "3.2's complete-by moved from 2025-07-30 to 2025-10-31 without a reason"),
    ]
    assert lint(history_repo).exit_code == 1


# --- the same changes made properly ------------------------------------------------------


def test_changes_made_with_jtai_break_no_change_rule(history_repo: PlanRepo) -> None:
    repo = history_repo
    repo.change("update", "1.3", "--progress", "red", "--note", "Audit postponed")
    repo.change("update", "2.5", "--impact", "red", "--note", "No effect seen yet")
    repo.change("update", "3.2", "--due", "2025-10-31", "--reason", "Data arrives late")
    repo.change("update", "3.1", "--due", "2025-12-31", "--reason", "Moved again")
    repo.change("complete", "2.4", "--evidence", "Dip sample reported in May")
    repo.change("update", "2.2", "--progress", "red", "--note", "Workshop cancelled")
    repo.change("add", "2", "--action", "Audit strategy meeting attendance", "--owner",
                "BFfC", "--theme", "Service Delivery and Design", "--plan-type",
                "Operational", "--due", "2026-03-31", "--progress", "blue")
    diff = json.loads(repo.jtai("diff", "HEAD", "--format", "json").stdout)
    assert diff["headline"] == "7 actions changed: 1 completed, 3 worse, 1 added"
    result = lint(repo)
    assert (result.exit_code, result.stdout) == (0, "no problems found as of 2025-07-01\n")
    assert found(repo) == []


def test_change_rules_need_base(repo: PlanRepo) -> None:
    repo.edit('        progress: Green\n        impact: Amber\n      - ref: "2.5"',
              '        progress: Blue\n        impact: Amber\n      - ref: "2.5"')
    result = repo.invoke("lint", "--plan", "plan.yaml", "--as-of", AS_OF, "--select", "JTAI5")
    assert (result.exit_code, result.stdout) == (0, "no problems found as of 2025-07-01\n")


def test_base_unknown_or_outside_git(repo: PlanRepo, tmp_path: Path) -> None:
    result = repo.invoke("lint", "--plan", "plan.yaml", "--base", "nosuch", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stderr == ("jtai: git does not know the revision 'nosuch'\n"
                             "    hint: use a branch, tag or commit: main, HEAD~1, origin/main\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(repo.plan, outside / "plan.yaml")
    result = repo.invoke("lint", "--plan", str(outside / "plan.yaml"), "--base", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"jtai: {outside.as_posix()} is not inside a git "
                                    "repository\n")


def test_rules_lists_the_change_rules(jtai: Invoke) -> None:
    result = jtai("rules")
    assert result.exit_code == 0
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("JTAI5")]
    assert [(words[0], words[1], words[2]) for words in lines] == [
        ("JTAI501", "error", "completed-without-evidence"),
        ("JTAI502", "warning", "worse-without-note"),
        ("JTAI503", "warning", "later-without-reason"),
        ("JTAI504", "error", "history-rewritten"),
        ("JTAI505", "error", "baseline-changed"),
    ]
    explained = jtai("rules", "JTAI504")
    assert explained.exit_code == 0
    assert "append-only" in explained.stdout
