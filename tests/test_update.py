"""`jtai update` and `jtai complete`: exactly the intended lines change, and every refusal
leaves the plan byte-identical with the right exit code and a message."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from helpers_plans import changed_lines, make_plan
from jtaiplan.plan.model import RAG, Action
from jtaiplan.planfile.loader import load_plan

ON = "2025-07-02"
NOTE = "Workshop moved to September"

# What `jtai update 2.2 --progress amber --note NOTE --by X --on 2025-07-02` must add after
# 2.2's last line (impact: Amber): the whole history entry, nothing else.
HISTORY_2_2 = [
    "        updates:",
    "          - date: 2025-07-02",
    "            by: X",
    "            changes:",
    "              progress:",
    "                from: Green",
    "                to: Amber",
    f"            note: {NOTE}",
]


def action_of(path: Path, ref: str) -> Action:
    return next(a for a in load_plan(path).plan.actions() if a.ref == ref)


def line_of(lines: list[str], ref: str, key: str) -> int:
    """Index of ``key``'s line inside action ``ref`` (a plain text search, independent of jtai)."""
    start = lines.index(f'      - ref: "{ref}"')
    for index in range(start + 1, len(lines)):
        if lines[index].startswith(f"        {key}:"):
            return index
        if not lines[index].startswith("        "):
            break
    raise AssertionError(f"{key} not in {ref}")


# -- 1. the change is exactly the intended lines --------------------------------------------


def test_update_changes_exactly_progress_line_and_appends_history(jtai: Invoke,
                                                                  plan_copy: Path) -> None:
    old = plan_copy.read_text(encoding="utf-8")
    result = jtai("update", "2.2", "--progress", "amber", "--note", NOTE, "--by", "X",
                  "--on", ON, "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert "2.2: progress Green → Amber" in result.stderr
    new = plan_copy.read_text(encoding="utf-8")

    removed, added = changed_lines(old, new)
    assert removed == ["        progress: Green"]
    assert added == ["        progress: Amber", *HISTORY_2_2]

    # ...and in the right places: the progress line of 2.2, the history right after its
    # last line (impact: Amber), before 2.3 begins.
    a, b = old.splitlines(), new.splitlines()
    progress = line_of(a, "2.2", "progress")
    impact = line_of(a, "2.2", "impact")
    assert a[impact + 1] == '      - ref: "2.3"'
    opcodes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    assert opcodes == [("replace", progress, progress + 1, progress, progress + 1),
                       ("insert", impact + 1, impact + 1, impact + 1, impact + 1 + 8)]
    assert b[impact + 1 + 8] == '      - ref: "2.3"'

    action = action_of(plan_copy, "2.2")
    assert action.progress is RAG.AMBER
    assert len(action.updates) == 1
    entry = action.updates[0]
    assert (entry.date, entry.by, entry.note) == (date(2025, 7, 2), "X", NOTE)
    assert entry.changes["progress"].old == "Green"
    assert entry.changes["progress"].new == "Amber"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_update_as_git_sees_it_one_deletion(jtai: Invoke, tmp_path: Path,
                                            real_plan: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = repo / "plan.yaml"
    plan.write_bytes(real_plan.read_bytes())

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org",
                               "-c", "core.autocrlf=false", *args], cwd=repo,
                              capture_output=True, text=True, check=True)
        return done.stdout

    git("init", "-q")
    git("add", "plan.yaml")
    git("commit", "-q", "-m", "plan")
    result = jtai("update", "2.2", "--progress", "amber", "--note", NOTE, "--by", "X",
                  "--on", ON, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert git("diff", "--numstat").split() == ["9", "1", "plan.yaml"]
    patch = git("diff", "-U0")
    assert "\n-        progress: Green\n+        progress: Amber\n" in patch
    assert "\n".join(f"+{line}" for line in HISTORY_2_2) in patch


def test_second_update_appends_to_existing_history(jtai: Invoke, plan_copy: Path) -> None:
    for note in ("first", "second"):
        result = jtai("update", "2.2", "--note", note, "--by", "X", "--on", ON,
                      "--plan", str(plan_copy))
        assert result.exit_code == 0, result.stderr
    old = plan_copy.read_text(encoding="utf-8")
    assert jtai("update", "2.2", "--impact", "red", "--note", "third", "--by", "Y",
                "--on", ON, "--plan", str(plan_copy)).exit_code == 0
    removed, added = changed_lines(old, plan_copy.read_text(encoding="utf-8"))
    assert removed == ["        impact: Amber"]
    assert added == ["        impact: Red",
                     "          - date: 2025-07-02",
                     "            by: Y",
                     "            changes:",
                     "              impact:",
                     "                from: Amber",
                     "                to: Red",
                     "            note: third"]
    assert [u.note for u in action_of(plan_copy, "2.2").updates] == ["first", "second", "third"]


def test_empty_impact_with_comment_keeps_comment(jtai: Invoke, plan_copy: Path) -> None:
    # 4.1 is written "impact:  # seed: ..."; the rating goes before the comment.
    old = plan_copy.read_text(encoding="utf-8")
    result = jtai("update", "4.1", "--impact", "amber", "--by", "X", "--on", ON,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    removed, added = changed_lines(old, plan_copy.read_text(encoding="utf-8"))
    assert len(removed) == 1
    assert removed[0].startswith("        impact:  # seed:")
    assert added[0] == removed[0].replace("impact:  #", "impact: Amber  #")
    assert added[1:] == ["        updates:", "          - date: 2025-07-02", "            by: X",
                         "            changes:", "              impact:", "                from:",
                         "                to: Amber"]
    assert action_of(plan_copy, "4.1").impact is RAG.AMBER


def test_same_rating_without_note_writes_nothing(jtai: Invoke, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = jtai("update", "2.2", "--progress", "GREEN", "--by", "X", "--plan", str(plan_copy))
    assert result.exit_code == 0
    assert "nothing to change" in result.stderr
    assert plan_copy.read_bytes() == before


def test_impact_evidence_is_recorded(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("update", "2.2", "--impact-evidence", "Audit: fewer delays", "--by", "X",
                  "--on", ON, "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    action = action_of(plan_copy, "2.2")
    assert action.impact_evidence == "Audit: fewer delays"
    assert len(action.updates) == 1
    assert action.updates[0].impact_evidence == "Audit: fewer delays"
    assert action.updates[0].changes == {}


def test_long_text_replacing_existing_value(jtai: Invoke, plan_copy: Path) -> None:
    # Longer than the emitter's line width (4096): written over several lines, which must
    # be indented under their key when they replace a value already there.
    # Written as `jtai fmt` would write it, so `jtai fmt --check` stays green.
    long = " ".join(f"finding{i}" for i in range(700))
    for text in ("short evidence", long, "0" + " word" * 814 + "0", long + ": and more"):
        result = jtai("update", "2.2", "--evidence", text, "--impact-evidence", text[::-1],
                      "--note", text, "--by", "X", "--on", ON, "--plan", str(plan_copy))
        assert result.exit_code == 0, result.stderr
        action = action_of(plan_copy, "2.2")
        assert (action.evidence, action.impact_evidence) == (text, text[::-1])
        assert action.updates[-1].note == text
        check = jtai("fmt", "--check", "--plan", str(plan_copy))
        assert check.exit_code == 0, check.stdout[:3000]
    assert max(map(len, plan_copy.read_text(encoding="utf-8").splitlines())) <= 4096 + 20


def test_plan_without_final_newline(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    text = make_plan(3, seed=4).rstrip("\n")
    # Make the last action the last thing in the file, with no line break after it.
    text = text[: text.index("\nlint:")]
    plan.write_text(text, encoding="utf-8")
    last = load_plan(plan).plan.actions()[-1].ref
    result = jtai("update", last, "--progress", "red", "--note", "late", "--by", "X",
                  "--on", ON, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    new = plan.read_text(encoding="utf-8")
    assert new.startswith(text[: text.rindex("progress:")])
    action = action_of(plan, last)
    assert action.progress is RAG.RED
    assert action.updates[-1].note == "late"


# -- 2. complete-by moves keep a baseline ----------------------------------------------------


def test_complete_by_moves_keep_first_baseline(jtai: Invoke, plan_copy: Path) -> None:
    old = plan_copy.read_text(encoding="utf-8")
    result = jtai("update", "1.2", "--due", "30/07/2025", "--reason", "Audit team short-staffed",
                  "--by", "X", "--on", "30.06.25", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    first = plan_copy.read_text(encoding="utf-8")
    removed, added = changed_lines(old, first)
    assert removed == ["        complete_by: 2025-06-30"]
    assert added == ["        complete_by: 2025-07-30",
                     "        baseline_complete_by: 2025-06-30",
                     "        updates:",
                     "          - date: 2025-06-30",
                     "            by: X",
                     "            changes:",
                     "              complete_by:",
                     "                from: 2025-06-30",
                     "                to: 2025-07-30",
                     "            reason: Audit team short-staffed"]
    lines = first.splitlines()
    assert lines[line_of(lines, "1.2", "complete_by") + 1] == \
        "        baseline_complete_by: 2025-06-30"

    result = jtai("update", "1.2", "--due", "30.09.25", "--by", "Y", "--on", "2025-07-10",
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    removed, added = changed_lines(first, plan_copy.read_text(encoding="utf-8"))
    assert removed == ["        complete_by: 2025-07-30"]
    assert added[0] == "        complete_by: 2025-09-30"
    assert not any("baseline" in line for line in added)

    action = action_of(plan_copy, "1.2")
    assert action.complete_by == date(2025, 9, 30)
    assert action.baseline_complete_by == date(2025, 6, 30)
    assert action.date_revised
    assert [u.reason for u in action.updates] == ["Audit team short-staffed", None]
    assert [(u.changes["complete_by"].old, u.changes["complete_by"].new)
            for u in action.updates] == [("2025-06-30", "2025-07-30"),
                                         ("2025-07-30", "2025-09-30")]

    # As of the second move's day (before it, --as-of shows the plan as it was then).
    show = jtai("show", "1.2", "--plan", str(plan_copy), "--as-of", "2025-07-10")
    assert show.exit_code == 0
    assert re.search(r"^Complete by: +2025-09-30 \(revised\)$", show.stdout, re.MULTILINE)
    assert re.search(r"^Baseline date: +2025-06-30$", show.stdout, re.MULTILINE)
    assert "reason: Audit team short-staffed" in show.stdout

    markdown = jtai("status", "--plan", str(plan_copy), "--as-of", "2025-07-10",
                    "--objective", "1", "--format", "markdown")
    assert "2025-09-30 (revised)" in markdown.stdout


def test_status_table_shows_revised(jtai: Invoke, plan_copy: Path) -> None:
    assert jtai("update", "1.2", "--due", "2025-09-30", "--by", "X", "--on", ON,
                "--plan", str(plan_copy)).exit_code == 0
    table = jtai("status", "--plan", str(plan_copy), "--as-of", ON, "--objective", "1")
    assert table.exit_code == 0
    assert "2025-09-30 (revised)" in table.stdout



def test_due_on_commented_line_and_on_status_word(jtai: Invoke, plan_copy: Path) -> None:
    # 10.1's date carries a comment: the comment stays with complete_by.
    old = plan_copy.read_text(encoding="utf-8")
    assert jtai("update", "10.1", "--due", "2025-08-31", "--by", "X", "--on", ON,
                "--plan", str(plan_copy)).exit_code == 0
    removed, added = changed_lines(old, plan_copy.read_text(encoding="utf-8"))
    assert removed[0].startswith("        complete_by: 2025-06-30  # seed:")
    assert added[:2] == [removed[0].replace("2025-06-30", "2025-08-31"),
                         "        baseline_complete_by: 2025-06-30"]
    # 1.1 says "In place": there is no date to keep as a baseline.
    assert jtai("update", "1.1", "--due", "2025-08-31", "--by", "X", "--on", ON,
                "--plan", str(plan_copy)).exit_code == 0
    action = action_of(plan_copy, "1.1")
    assert action.complete_by == date(2025, 8, 31)
    assert action.baseline_complete_by is None
    assert action.updates[-1].changes["complete_by"].old == "In place"


# -- 3. complete ---------------------------------------------------------------------------


def test_complete_sets_blue_completed_on_and_evidence(jtai: Invoke, plan_copy: Path) -> None:
    old = plan_copy.read_text(encoding="utf-8")
    result = jtai("complete", "2.2", "--evidence", "Workshop held 30 June: minutes on file",
                  "--by", "X", "--on", "01/07/2025", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    removed, added = changed_lines(old, plan_copy.read_text(encoding="utf-8"))
    assert removed == ["        progress: Green"]
    assert added == ["        progress: Blue",
                     "        completed_on: 2025-07-01",
                     "        evidence: 'Workshop held 30 June: minutes on file'",
                     "        updates:",
                     "          - date: 2025-07-01",
                     "            by: X",
                     "            changes:",
                     "              progress:",
                     "                from: Green",
                     "                to: Blue",
                     "              completed_on:",
                     "                from:",
                     "                to: 2025-07-01",
                     "            evidence: 'Workshop held 30 June: minutes on file'"]
    action = action_of(plan_copy, "2.2")
    assert action.progress is RAG.BLUE
    assert action.completed_on == date(2025, 7, 1)
    assert action.evidence == "Workshop held 30 June: minutes on file"


def test_complete_requires_evidence(jtai: Invoke, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = jtai("complete", "2.2", "--by", "X", "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert "--evidence" in result.stderr
    result = jtai("complete", "2.2", "--evidence", "  ", "--by", "X", "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert "--evidence must not be empty" in result.stderr
    assert plan_copy.read_bytes() == before


# -- 4. refusals leave the file byte-identical ----------------------------------------------

U = ["--by", "X", "--on", ON]
ADD = ["add", "2", "--action", "New action", "--owner", "BFfC", "--theme",
       "Learning and Training", "--plan-type", "Operational", *U]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["update", "2.2", "--progress", "Purple", *U], 2, "'Purple' is not a RAG rating"),
    (["update", "2.2", "--impact", "Ambre", *U], 2, "'Ambre' is not a RAG rating"),
    ([*ADD[:5], "Nobody", *ADD[6:], "--due", "2025-09-30"], 2, "unknown agency 'Nobody'"),
    (["update", "2.2", "--due", "31/02/2025", *U], 2, "'31/02/2025' is not a real date"),
    (["update", "2.2", "--due", "06/30/2025", *U], 2, "is not a real date"),
    (["update", "2.2", "--note", "n", "--by", "X", "--on", "31/02/2025"], 2,
     "'31/02/2025' is not a real date"),
    ([*ADD, "--due", "31/02/2025"], 2, "'31/02/2025' is not a real date"),
    ([*ADD, "--due", "2025-13-01"], 2, "is not a real date"),
    (["update", "99.9", "--progress", "amber", *U], 2, "no action 99.9 in the plan"),
    (["complete", "99.9", "--evidence", "e", *U], 2, "no action 99.9 in the plan"),
    (["update", "2.2", "--note", "bell\x07here", *U], 2, "control character U+0007"),
    (["update", "2.2", "--note", "next\x85line", *U], 2, "control character U+0085"),
    (["update", "2.2", "--reason", "x\x1by", *U], 2, "--reason contains the control character"),
    (["update", "2.2", "--note", "", *U], 2, "--note must not be empty"),
    (["update", "2.2", "--note", " \t ", *U], 2, "--note must not be empty"),
    (["update", "2.2", *U], 2, "nothing to update"),
    (["update", "2.2", "--note", "x" * 20_001, *U], 1, "would make the plan invalid"),
])
def test_refusal_leaves_plan_byte_identical(jtai: Invoke, plan_copy: Path, args: list[str],
                                            code: int, message: str) -> None:
    before = plan_copy.read_bytes()
    result = jtai(*args, "--plan", str(plan_copy))
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert result.stderr.startswith(("jtai: ", "plan.yaml:", str(plan_copy)))
    assert "Traceback" not in result.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(p.name for p in plan_copy.parent.iterdir()) in (
        ["plan.yaml"], ["plan.yaml", "plan.yaml.lock"])


@pytest.mark.parametrize(("damage", "message"), [
    (("progress: Green", "progress: Purple"), "JTAI002"),
    (("owners: [BFfC]", "owners: [Nobody]"), "JTAI203"),
    (("  - number: 3", "  - number: 3\n bad: [indent"), "JTAI001"),
])
def test_already_invalid_plan_is_refused(jtai: Invoke, plan_copy: Path,
                                         damage: tuple[str, str], message: str) -> None:
    plan_copy.write_text(plan_copy.read_text(encoding="utf-8").replace(*damage, 1),
                         encoding="utf-8")
    before = plan_copy.read_bytes()
    for args in (["update", "3.1", "--progress", "amber", *U],
                 ["complete", "3.1", "--evidence", "done", *U],
                 [*ADD, "--due", "2025-09-30"]):
        result = jtai(*args, "--plan", str(plan_copy))
        assert result.exit_code == 1, result.stderr
        assert message in result.stderr
        assert plan_copy.read_bytes() == before
