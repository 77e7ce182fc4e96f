"""``jtai diff`` between git revisions, in a real temporary git repository.

Each test commits a copy of the real plan, changes it with ``jtai update``/``complete``/``add``
or by hand, and checks the exact output in text, Markdown and JSON. Also the GitHub
Action (action.yml) and the example pull-request comment workflow.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from conftest import REAL_PLAN, REPO, Invoke

ON = "2025-07-02"
"""The date of every change the tests make."""


@dataclass
class PlanRepo:
    """A temporary git repository holding a committed copy of the real plan."""

    root: Path
    plan: Path
    invoke: Invoke

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result.stdout.strip()

    def commit(self, message: str) -> str:
        """Commit everything; return the new commit's full hash."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def head(self, rev: str = "HEAD") -> str:
        """The first ten hex digits of a revision's hash, as jtai's labels show it."""
        return self.git("rev-parse", rev)[:10]

    def jtai(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.invoke(*args, "--plan", str(self.plan), env=env)

    def change(self, command: str, *args: str) -> None:
        """``jtai update|complete|add ...`` by T on 2025-07-02; it must succeed."""
        result = self.jtai(command, *args, "--by", "T", "--on", ON)
        assert result.exit_code == 0, result.stderr

    def edit(self, old: str, new: str) -> None:
        """A hand edit: replace text that occurs exactly once in the plan."""
        text = self.plan.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        self.plan.write_text(text.replace(old, new), encoding="utf-8")

    def diff(self, *args: str) -> Result:
        result = self.jtai("diff", *args)
        assert result.exit_code == 0, result.stderr
        return result

    def line_of(self, text: str) -> int:
        """The 1-based line of the plan on which ``text`` occurs (exactly once)."""
        lines = self.plan.read_text(encoding="utf-8").splitlines()
        found = [n for n, line in enumerate(lines, 1) if text in line]
        assert len(found) == 1, f"{text!r} is on lines {found}"
        return found[0]


def isolate_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git sees no configuration of the developer's or the machine's, and no repository
    above ``tmp_path``."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_DIR",
                 "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_AUTHOR_NAME",
                 "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_CONFIG_PARAMETERS",
                 "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(name, raising=False)


def make_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke, *,
              with_plan: bool = True) -> PlanRepo:
    """A repository on branch main whose first commit holds the plan (or only a README)."""
    isolate_git(tmp_path, monkeypatch)
    root = tmp_path / "repo"
    root.mkdir()
    repo = PlanRepo(root, root / "plan.yaml", invoke)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Test Person")
    repo.git("config", "user.email", "test@example.org")
    repo.git("config", "commit.gpgsign", "false")
    if with_plan:
        shutil.copyfile(REAL_PLAN, repo.plan)
    else:
        (root / "README.md").write_text("A repository without a plan yet.\n", encoding="utf-8")
    repo.commit("the plan as inspected")
    monkeypatch.chdir(root)
    return repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> PlanRepo:
    return make_repo(tmp_path, monkeypatch, jtai)


# --- the change from the issue: jtai update 2.2 --progress red --note x -------------------


def test_update_to_red_in_text(repo: PlanRepo) -> None:
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    assert repo.diff().stdout == (
        f"1 action changed: 1 worse (HEAD {repo.head()} → working tree)\n"
        "  2.2    progress Green → Red (worse)\n"
        "         note: x\n"
    )


def test_update_to_red_in_markdown(repo: PlanRepo) -> None:
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    assert repo.diff("HEAD", "--format", "markdown").stdout == (
        "### Plan changes: 1 action changed: 1 worse\n"
        "\n"
        f"Compared HEAD {repo.head()} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 2.2 | **progress Green → Red (worse)** | note: x |\n"
    )


def test_update_to_red_in_json(repo: PlanRepo) -> None:
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    assert json.loads(repo.diff("HEAD", "--format", "json").stdout) == {
        "base": f"HEAD {repo.head()}",
        "head": "working tree",
        "headline": "1 action changed: 1 worse",
        "actions": [{
            "ref": "2.2", "kind": "changed",
            "moves": [{"field": "progress", "from": "Green", "to": "Red",
                       "direction": "worse"}],
            "new_history": [{"date": ON, "by": "T",
                             "changes": {"progress": {"from": "Green", "to": "Red"}},
                             "note": "x"}],
            "history_rewritten": False,
        }],
        "objectives": [],
    }


def test_no_change(repo: PlanRepo) -> None:
    assert repo.diff().stdout == f"no changes to the plan (HEAD {repo.head()} → working tree)\n"
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: no changes to the plan\n"
        "\n"
        f"Compared HEAD {repo.head()} with working tree.\n"
    )


# --- what moved -------------------------------------------------------------------------


def rag_both_ways(repo: PlanRepo) -> None:
    repo.change("update", "2.3", "--progress", "amber", "--note", "Kent's review delayed")
    repo.change("update", "1.2", "--progress", "green", "--note", "Audit under way")
    repo.change("update", "2.5", "--impact", "green")
    # By hand: 1.3 Amber to Red with no note, 2.4's impact Amber to Red.
    repo.edit("        progress: Amber\n        impact:\n\n  - number: 2",
              "        progress: Red\n        impact:\n\n  - number: 2")
    repo.edit("        progress: Green\n        impact: Amber\n      - ref: \"2.5\"",
              "        progress: Green\n        impact: Red\n      - ref: \"2.5\"")


def test_rag_moves_both_ways_worst_first(repo: PlanRepo) -> None:
    rag_both_ways(repo)
    base = repo.head()
    assert repo.diff().stdout == (
        f"5 actions changed: 3 worse, 2 better (HEAD {base} → working tree)\n"
        "  1.3    progress Amber → Red (worse)\n"
        "  2.3    progress Green → Amber (worse)\n"
        "         note: Kent's review delayed\n"
        "  2.4    impact Amber → Red (worse)\n"
        "  1.2    progress Amber → Green (better)\n"
        "         note: Audit under way\n"
        "  2.5    impact Amber → Green (better)\n"
    )
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 5 actions changed: 3 worse, 2 better\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 1.3 | **progress Amber → Red (worse)** |  |\n"
        "| 2.3 | **progress Green → Amber (worse)** | note: Kent's review delayed |\n"
        "| 2.4 | **impact Amber → Red (worse)** |  |\n"
        "| 1.2 | progress Amber → Green (better) | note: Audit under way |\n"
        "| 2.5 | impact Amber → Green (better) |  |\n"
    )
    document = json.loads(repo.diff("--format", "json").stdout)
    assert [(a["ref"], [(m["field"], m["from"], m["to"], m["direction"]) for m in a["moves"]],
             [u.get("note") for u in a["new_history"]]) for a in document["actions"]] == [
        ("1.3", [("progress", "Amber", "Red", "worse")], []),
        ("2.3", [("progress", "Green", "Amber", "worse")], ["Kent's review delayed"]),
        ("2.4", [("impact", "Amber", "Red", "worse")], []),
        ("1.2", [("progress", "Amber", "Green", "better")], ["Audit under way"]),
        ("2.5", [("impact", "Amber", "Green", "better")], [None]),
    ]


def test_completion(repo: PlanRepo) -> None:
    repo.change("complete", "2.4", "--evidence", "Checklist in use since May",
                "--note", "Dip sample done")
    base = repo.head()
    assert repo.diff().stdout == (
        f"1 action changed: 1 completed (HEAD {base} → working tree)\n"
        "  2.4    progress Green → Blue (completed); completed on — → 2025-07-02; "
        "evidence changed\n"
        "         note: Dip sample done\n"
    )
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 1 action changed: 1 completed\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 2.4 | progress Green → Blue (completed); completed on — → 2025-07-02; evidence "
        "changed | note: Dip sample done |\n"
    )
    [action] = json.loads(repo.diff("--format", "json").stdout)["actions"]
    assert action["moves"] == [
        {"field": "progress", "from": "Green", "to": "Blue", "direction": "completed"},
        {"field": "completed_on", "from": None, "to": ON, "direction": "changed"},
        {"field": "evidence", "from": None, "to": "Checklist in use since May",
         "direction": "changed"},
    ]
    assert action["new_history"] == [{
        "date": ON, "by": "T",
        "changes": {"progress": {"from": "Green", "to": "Blue"},
                    "completed_on": {"to": ON}},
        "note": "Dip sample done", "evidence": "Checklist in use since May"}]


def test_complete_by_later_with_and_without_reason(repo: PlanRepo) -> None:
    repo.change("update", "3.1", "--due", "2025-09-30", "--reason", "Workshop moved")
    repo.change("update", "3.2", "--due", "2025-10-31")
    repo.edit("complete_by: 2025-05-30\n        owners: [BFfC]\n        owners_as_written: "
              "BFFC\n", "complete_by: 2025-05-01\n        owners: [BFfC]\n        "
              "owners_as_written: BFFC\n")  # 2.5 earlier, by hand
    base = repo.head()
    assert repo.diff().stdout == (
        f"3 actions changed (HEAD {base} → working tree)\n"
        "  2.5    complete by 2025-05-30 → 2025-05-01 (earlier)\n"
        "  3.1    complete by 2025-06-30 → 2025-09-30 (later); "
        "baseline date — → 2025-06-30\n"
        "         reason: Workshop moved\n"
        "  3.2    complete by 2025-07-30 → 2025-10-31 (later); "
        "baseline date — → 2025-07-30\n"
    )
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 3 actions changed\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 2.5 | complete by 2025-05-30 → 2025-05-01 (earlier) |  |\n"
        "| 3.1 | complete by 2025-06-30 → 2025-09-30 (later); baseline date — → 2025-06-30 "
        "| reason: Workshop moved |\n"
        "| 3.2 | complete by 2025-07-30 → 2025-10-31 (later); baseline date — → 2025-07-30 "
        "|  |\n"
    )
    moves = {a["ref"]: a["moves"][0] for a in
             json.loads(repo.diff("--format", "json").stdout)["actions"]}
    assert moves == {
        "2.5": {"field": "complete_by", "from": "2025-05-30", "to": "2025-05-01",
                "direction": "earlier"},
        "3.1": {"field": "complete_by", "from": "2025-06-30", "to": "2025-09-30",
                "direction": "later"},
        "3.2": {"field": "complete_by", "from": "2025-07-30", "to": "2025-10-31",
                "direction": "later"},
    }


def test_actions_added_and_removed(repo: PlanRepo) -> None:
    repo.change("add", "2", "--action", "Audit strategy meeting attendance", "--owner",
                "BFfC,TVP", "--theme", "Service Delivery and Design", "--plan-type",
                "Operational", "--due", "2026-03-31")
    text = repo.plan.read_text(encoding="utf-8")
    start = text.index('      - ref: "10.2"')
    repo.plan.write_text(text[:start] + text[text.index("lint:\n"):], encoding="utf-8")
    base = repo.head()
    assert repo.diff().stdout == (
        f"2 actions changed: 1 added, 1 removed (HEAD {base} → working tree)\n"
        "  10.2   removed\n"
        "  2.6    added: Audit strategy meeting attendance\n"
        "         note: action added\n"
    )
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 2 actions changed: 1 added, 1 removed\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 10.2 | removed |  |\n"
        "| 2.6 | added: Audit strategy meeting attendance | note: action added |\n"
    )
    document = json.loads(repo.diff("--format", "json").stdout)
    assert [(a["ref"], a["kind"], a["moves"], len(a["new_history"]))
            for a in document["actions"]] == [("10.2", "removed", [], 0),
                                              ("2.6", "added", [], 1)]


def test_text_and_objective_changed_by_hand(repo: PlanRepo) -> None:
    repo.edit("action: Undertake a multi-agency audit of domestic abuse",
              "action: Undertake a multi-agency audit of domestic abuse and coercive control")
    repo.edit("    risk: high\n    lead: BFfC  # seed: BFFC\n",
              "    risk: moderate\n    lead: TVP\n")
    repo.edit("characteristics_of_good: There is timely and consistent information-sharing",
              "characteristics_of_good: There is prompt and consistent information-sharing")
    base = repo.head()
    assert repo.diff().stdout == (
        f"1 action changed, 2 objectives changed (HEAD {base} → working tree)\n"
        "  1.3    text changed\n"
        "  objective 2: lead BFfC → TVP; risk high → moderate\n"
        "  objective 3: characteristics of good changed\n"
    )
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 1 action changed, 2 objectives changed\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 1.3 | text changed |  |\n"
        "\n"
        "| Objective | What changed |\n"
        "| --- | --- |\n"
        "| 2 | lead BFfC → TVP; risk high → moderate |\n"
        "| 3 | characteristics of good changed |\n"
    )
    document = json.loads(repo.diff("--format", "json").stdout)
    assert document["actions"][0]["moves"] == [{
        "field": "action", "direction": "changed",
        "from": "Undertake a multi-agency audit of domestic abuse that includes hearing the "
                "voice and understanding the experience of children",
        "to": "Undertake a multi-agency audit of domestic abuse and coercive control that "
              "includes hearing the voice and understanding the experience of children"}]
    assert document["objectives"] == [
        {"objective": 2, "moves": [
            {"field": "lead", "from": "BFfC", "to": "TVP", "direction": "changed"},
            {"field": "risk", "from": "high", "to": "moderate", "direction": "changed"}]},
        {"objective": 3, "moves": [
            {"field": "characteristics_of_good", "direction": "changed",
             "from": "There is timely and consistent information-sharing about risks, needs "
                     "and plans for children.",
             "to": "There is prompt and consistent information-sharing about risks, needs "
                   "and plans for children."}]},
    ]


def test_new_history_entry_only(repo: PlanRepo) -> None:
    repo.change("update", "2.2", "--note", "Workshop booked for 9 September")
    repo.change("update", "2.2", "--evidence", "Invitations sent")
    base = repo.head()
    assert repo.diff().stdout == (
        f"1 action changed (HEAD {base} → working tree)\n"
        "  2.2    evidence changed\n"
        "         note: Workshop booked for 9 September\n"
    )
    repo.git("checkout", "--", "plan.yaml")
    repo.change("update", "2.2", "--note", "Workshop booked | 9 September")
    assert repo.diff("--format", "markdown").stdout == (
        "### Plan changes: 1 action changed\n"
        "\n"
        f"Compared HEAD {base} with working tree.\n"
        "\n"
        "| Ref | What changed | Notes |\n"
        "| --- | --- | --- |\n"
        "| 2.2 | history entry added | note: Workshop booked \\| 9 September |\n"
    )
    [action] = json.loads(repo.diff("--format", "json").stdout)["actions"]
    assert action == {"ref": "2.2", "kind": "changed", "moves": [],
                      "new_history": [{"date": ON, "by": "T", "changes": {},
                                       "note": "Workshop booked | 9 September"}],
                      "history_rewritten": False}


# --- which versions are compared ---------------------------------------------------------


def test_default_base_is_the_merge_base_with_main(repo: PlanRepo) -> None:
    fork = repo.head()
    repo.git("checkout", "-q", "-b", "feature")
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    repo.commit("2.2 is red")
    repo.git("checkout", "-q", "main")
    repo.change("update", "1.2", "--progress", "red", "--note", "on main")
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    expected = "  2.2    progress Green → Red (worse)\n         note: x\n"
    # Against the fork point: main's later change to 1.2 is not this branch's change.
    assert repo.diff().stdout == (
        f"1 action changed: 1 worse (merge-base {fork} → working tree)\n" + expected)
    assert repo.diff("HEAD~1", "HEAD").stdout == (
        f"1 action changed: 1 worse (HEAD~1 {fork} → HEAD)\n" + expected)
    # Against main's tip the branch would seem to undo 1.2 (and rewrite its history).
    assert repo.diff("main").stdout == (
        f"2 actions changed: 1 worse, 1 better (main {repo.head('main')} → working tree)\n"
        + expected + "  1.2    progress Red → Amber (better); history rewritten\n")


def test_default_head_is_the_working_tree(repo: PlanRepo) -> None:
    base = repo.head()
    repo.change("update", "2.2", "--progress", "amber", "--note", "committed")
    repo.commit("2.2 amber")
    repo.change("update", "2.5", "--progress", "red", "--note", "not committed yet")
    both = repo.diff("HEAD~1").stdout
    assert both == (
        f"2 actions changed: 2 worse (HEAD~1 {base} → working tree)\n"
        "  2.2    progress Green → Amber (worse)\n"
        "         note: committed\n"
        "  2.5    progress Green → Red (worse)\n"
        "         note: not committed yet\n"
    )
    assert repo.diff("HEAD~1", "HEAD").stdout == (
        f"1 action changed: 1 worse (HEAD~1 {base} → HEAD)\n"
        "  2.2    progress Green → Amber (worse)\n"
        "         note: committed\n"
    )
    assert repo.diff("HEAD").stdout == (
        f"1 action changed: 1 worse (HEAD {repo.head()} → working tree)\n"
        "  2.5    progress Green → Red (worse)\n"
        "         note: not committed yet\n"
    )


def test_renamed_plan_is_found_at_base(repo: PlanRepo) -> None:
    fork = repo.head()
    repo.git("checkout", "-q", "-b", "feature")
    (repo.root / "plans").mkdir()
    repo.git("mv", "plan.yaml", "plans/reading.yaml")
    repo.plan = repo.root / "plans" / "reading.yaml"
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    repo.commit("move the plan into plans/")
    expected = "  2.2    progress Green → Red (worse)\n         note: x\n"
    assert repo.diff().stdout == (
        f"1 action changed: 1 worse (merge-base (plan.yaml) {fork} → working tree)\n"
        + expected)
    assert repo.diff("main", "HEAD").stdout == (
        f"1 action changed: 1 worse (main (plan.yaml) {fork} → HEAD)\n" + expected)
    document = json.loads(repo.diff("main", "HEAD", "--format", "json").stdout)
    assert (document["base"], document["head"]) == (f"main (plan.yaml) {fork}", "HEAD")


def test_plan_missing_at_base_is_all_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           jtai: Invoke) -> None:
    repo = make_repo(tmp_path, monkeypatch, jtai, with_plan=False)
    base = repo.head()
    shutil.copyfile(REAL_PLAN, repo.plan)
    lines = repo.diff("HEAD").stdout.splitlines()
    assert lines[0] == f"20 actions changed: 20 added (HEAD {base} → working tree)"
    assert lines[1] == "  1.1    added: ABE Interviewing with police is in place – to upskill " \
        "social workers and police officers when undertaking Sect 47 enquiries."
    assert len(lines) == 21
    assert all(" added: " in line for line in lines[1:])
    repo.commit("add the plan")
    document = json.loads(repo.diff("HEAD~1", "HEAD", "--format", "json").stdout)
    assert document["headline"] == "20 actions changed: 20 added"
    refs = [a["ref"] for a in document["actions"]]
    assert refs == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2",
                    "4.1", "5.1", "6.1", "6.2", "6.3", "7.1", "8.1", "9.1", "10.1", "10.2"]
    assert {a["kind"] for a in document["actions"]} == {"added"}
    assert document["objectives"] == []


# --- when it cannot run ------------------------------------------------------------------


def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  jtai: Invoke) -> None:
    isolate_git(tmp_path, monkeypatch)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(REAL_PLAN, outside / "plan.yaml")
    monkeypatch.chdir(outside)
    result = jtai("diff", "--plan", "plan.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"jtai: {outside.as_posix()} is not inside a git repository\n"
        "    hint: jtai diff compares plan.yaml between commits: run it in the plan's git "
        "checkout\n")
    assert "Traceback" not in result.output


def test_unknown_revision(repo: PlanRepo) -> None:
    for args in (("nosuch",), ("HEAD", "nosuch"), ("HEAD~5",)):
        result = repo.jtai("diff", *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        bad = args[-1]
        assert result.stderr == (
            f"jtai: git does not know the revision '{bad}'\n"
            "    hint: use a branch, tag or commit: main, HEAD~1, origin/main\n")


def test_plan_missing_at_head_revision(repo: PlanRepo) -> None:
    (repo.root / "notes.txt").write_text("no plan here\n", encoding="utf-8")
    repo.git("rm", "-q", "plan.yaml")
    repo.commit("remove the plan")
    shutil.copyfile(REAL_PLAN, repo.plan)
    result = repo.jtai("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith("jtai: plan.yaml does not exist at HEAD\n")


def test_plan_unreadable_at_base(repo: PlanRepo) -> None:
    repo.edit("version: 1\n", "version: 1\nobjectives: [\n")
    bad = repo.commit("a broken plan")[:10]
    shutil.copyfile(REAL_PLAN, repo.plan)
    result = repo.jtai("diff", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"jtai: the plan at {bad} (plan.yaml) cannot be read: ")
    assert "Traceback" not in result.output


# --- a huge change stays a postable comment ---------------------------------------------


def generated_plan(objectives: int, per_objective: int, *, progress: str = "Green",
                   lead: str = "BFfC", extra_text: str = "") -> str:
    """The real plan's header with ``objectives`` x ``per_objective`` simple actions."""
    source = REAL_PLAN.read_text(encoding="utf-8")
    out = [source[:source.index("objectives:\n")], "objectives:\n"]
    for o in range(1, objectives + 1):
        out.append(f"  - number: {o}\n    title: OBJECTIVE {o}\n    risk: high\n"
                   f"    lead: {lead}\n    actions:\n")
        for a in range(1, per_objective + 1):
            out.append(f'      - ref: "{o}.{a}"\n'
                       f"        action: Action {o}.{a}{extra_text}\n"
                       "        complete_by: 2025-06-30\n"
                       "        owners: [BFfC]\n"
                       "        theme: Service Delivery and Design\n"
                       "        plan_type: Operational\n"
                       f"        progress: {progress}\n")
    return "".join(out)


def test_huge_diff_markdown_is_summarised_under_64_kb(repo: PlanRepo) -> None:
    repo.plan.write_text(generated_plan(300, 10), encoding="utf-8")
    repo.commit("a plan of 3000 actions")
    # Every action worse, every objective's lead changed.
    repo.plan.write_text(generated_plan(300, 10, progress="Red", lead="TVP"), encoding="utf-8")
    text = repo.diff("--format", "markdown").stdout
    assert len(text.encode("utf-8")) < 64 * 1024
    lines = text.splitlines()
    assert lines[0] == "### Plan changes: 3000 actions changed, 300 objectives changed: " \
        "3000 worse"
    assert lines[4:7] == ["| Ref | What changed | Notes |", "| --- | --- | --- |",
                          "| 1.1 | **progress Green → Red (worse)** |  |"]
    shown = sum(1 for line in lines if line.endswith("| **progress Green → Red (worse)** |  |"))
    assert 500 < shown < 3000
    # It says it summarised, for the actions and for the objectives that did not fit.
    assert lines[-3:] == [
        f"…and {3000 - shown} more changed actions: run `jtai diff` locally for the full list.",
        "",
        "…and 300 more changed objectives: run `jtai diff` locally for the full list."]
    # JSON is not a comment: it lists everything.
    document = json.loads(repo.diff("--format", "json").stdout)
    assert (len(document["actions"]), len(document["objectives"])) == (3000, 300)


def test_huge_diff_keeps_objectives_within_the_limit(repo: PlanRepo) -> None:
    """Few actions but thousands of changed objectives: the objectives table is cut too."""
    repo.plan.write_text(generated_plan(3000, 1), encoding="utf-8")
    repo.commit("a plan of 3000 objectives")
    repo.plan.write_text(generated_plan(3000, 1, lead="TVP"), encoding="utf-8")
    text = repo.diff("--format", "markdown").stdout
    assert len(text.encode("utf-8")) < 64 * 1024
    lines = text.splitlines()
    assert lines[:7] == ["### Plan changes: 3000 objectives changed", "",
                         f"Compared HEAD {repo.head()} with working tree.", "",
                         "| Objective | What changed |", "| --- | --- |",
                         "| 1 | lead BFfC → TVP |"]
    shown = sum(1 for line in lines if line.endswith(" | lead BFfC → TVP |"))
    assert 1000 < shown < 3000
    assert lines[-1] == (f"…and {3000 - shown} more changed objectives: run `jtai diff` "
                         "locally for the full list.")


def test_huge_diff_counts_bytes_not_characters(repo: PlanRepo) -> None:
    # Added actions show their text: three bytes a character here.
    repo.git("rm", "-q", "plan.yaml")
    repo.commit("no plan at the base")
    repo.plan.write_text(generated_plan(10, 300, extra_text=" " + "検査" * 40),
                         encoding="utf-8")
    text = repo.diff("HEAD", "--format", "markdown").stdout
    assert len(text.encode("utf-8")) < 64 * 1024
    assert text.splitlines()[0] == "### Plan changes: 3000 actions changed: 3000 added"
    assert text.endswith(" more changed actions: run `jtai diff` locally for the full list.\n")


# --- the GitHub Action and the pull-request comment workflow -----------------------------


def load_yaml(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_action_yml_is_a_composite_action() -> None:
    action = load_yaml(REPO / "action.yml")
    assert action["name"] == "jtai plan check"
    inputs = action["inputs"]
    assert set(inputs) == {"plan", "as-of", "base", "python-version"}
    assert inputs["plan"]["default"] == "plan.yaml"
    assert inputs["python-version"]["default"] == "3.12"
    assert not inputs["as-of"].get("default") and not inputs["base"].get("default")
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    scripts = [step["run"] for step in steps if "run" in step]
    assert any('"jtaiplan==${JTAI_VERSION}"' in s and "pip install" in s for s in scripts)
    assert any("args=(lint " in s and 'jtai "${args[@]}"' in s for s in scripts)
    assert any("args=(diff " in s and "--format=markdown" in s and "GITHUB_STEP_SUMMARY" in s
               for s in scripts)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"


def test_action_yml_never_expands_inputs_inside_scripts() -> None:
    """Inputs reach the shell only as environment variables: an input that contains
    ``"; curl ...`` is then data, never code."""
    action = load_yaml(REPO / "action.yml")
    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert "${{ inputs." not in step["run"]
            assert "${{" not in step["run"], "expressions belong in env:, not in run:"
    env: dict[str, str] = {}
    for step in steps:
        env.update(step.get("env", {}))
    assert env["INPUT_PLAN"] == "${{ inputs.plan }}"
    assert env["INPUT_AS_OF"] == "${{ inputs.as-of }}"
    assert env["INPUT_BASE"] == "${{ inputs.base }}"
    scripts = "\n".join(step["run"] for step in steps if "run" in step)
    for name in ("INPUT_PLAN", "INPUT_AS_OF", "INPUT_BASE"):
        assert f'"${name}"' in scripts


def action_scripts() -> list[tuple[str, dict[str, str]]]:
    """The action's shell steps after the installation, with their env."""
    steps = load_yaml(REPO / "action.yml")["runs"]["steps"]
    return [(step["run"], step.get("env", {})) for step in steps
            if "run" in step and "pip install" not in step["run"]]


def run_action(repo: PlanRepo, tmp_path: Path, inputs: dict[str, str]
               ) -> tuple[list[subprocess.CompletedProcess[str]], str]:
    """Run the action's scripts as a runner would, with jtai from this checkout's venv."""
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    values = {"plan": "plan.yaml", "as-of": "", "base": "", **inputs}
    results = []
    for script, env_template in action_scripts():
        env = dict(os.environ, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary),
                   RUNNER_TEMP=str(tmp_path),
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        for name, template in env_template.items():
            key = template.removeprefix("${{ inputs.").removesuffix(" }}")
            env[name] = values[key]
        results.append(subprocess.run(["bash", "-e", "-c", script], cwd=repo.root, env=env,
                                      capture_output=True, text=True, check=False))
    return results, summary.read_text(encoding="utf-8")


def test_action_scripts_run(repo: PlanRepo, tmp_path: Path) -> None:
    if shutil.which("bash") is None or not (Path(sys.executable).parent / "jtai").exists():
        pytest.skip("needs bash, and jtai installed beside the running Python")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit('        progress: Green\n        impact: Amber\n      - ref: "2.5"',
              '        progress: Blue\n        impact: Amber\n      - ref: "2.5"')
    repo.commit("2.4 done, by hand")
    assert repo.plan.read_text(encoding="utf-8").splitlines()[151 - 1] == \
        "        progress: Blue"
    (diff_step, lint_step), summary = run_action(
        repo, tmp_path, {"as-of": "2025-04-01", "base": "main"})
    assert diff_step.returncode == 0, diff_step.stderr
    assert lint_step.returncode == 1  # as of April the plan's only error is JTAI501
    assert [line for line in lint_step.stdout.splitlines() if "JTAI5" in line] == [
        "::error file=plan.yaml,line=151,col=19,title=JTAI501 completed-without-evidence::"
        "2.4 moved to Blue with no evidence of completion%0A`jtai complete 2.4 --evidence ...`"]
    assert summary.startswith(
        "### Plan changes: 1 action changed: 1 completed\n\n"
        f"Compared main {repo.head('main')} with working tree.\n")
    assert "| 2.4 | progress Green → Blue (completed) |  |\n" in summary
    assert "## jtai lint\n\n1 error, " in summary

    # No base: the lint has no change rules; the diff compares with the merge-base.
    (diff_step, lint_step), summary = run_action(repo, tmp_path, {"as-of": "2025-04-01"})
    assert (diff_step.returncode, lint_step.returncode) == (0, 0)
    assert "JTAI5" not in lint_step.stdout
    assert f"Compared merge-base {repo.head('main')} with working tree." in summary

    # Hostile inputs are data: they name a file and a revision that do not exist.
    marker = tmp_path / "pwned"
    (diff_step, lint_step), summary = run_action(
        repo, tmp_path, {"plan": f'x"; touch {marker}; echo "', "base": f"$(touch {marker})"})
    assert not marker.exists()
    assert "::warning title=jtai diff::" in diff_step.stdout
    assert lint_step.returncode == 2
    assert summary == ""


def test_pr_comment_workflow_parses() -> None:
    workflow = load_yaml(REPO / ".github" / "workflows" / "pr-comment.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare on as true
    assert isinstance(triggers, dict)
    assert "pull_request" in triggers
    assert workflow["permissions"]["pull-requests"] == "write"
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    scripts = "\n".join(s["run"] for s in steps if "run" in s)
    assert 'jtai diff "origin/$BASE_REF" HEAD --format markdown > diff.md' in scripts
    assert "gh pr comment" in scripts and "--edit-last" in scripts
    for step in steps:
        assert "${{ github.base_ref" not in step.get("run", ""), "base_ref goes through env:"


# --- a plan whose agencies live in a shared registry (agencies_from) ------------------------


def _shared_registry_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          invoke: Invoke) -> PlanRepo:
    """The real plan in plans/, its agencies moved to ../agencies.yaml, committed."""
    repo = make_repo(tmp_path, monkeypatch, invoke, with_plan=False)
    lines = REAL_PLAN.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("agencies:\n")
    end = lines.index("objectives:\n")
    (repo.root / "agencies.yaml").write_text("".join(lines[start:end]), encoding="utf-8")
    (repo.root / "plans").mkdir()
    repo.plan = repo.root / "plans" / "plan.yaml"
    repo.plan.write_text("".join([*lines[:start], "agencies_from: ../agencies.yaml\n",
                                  *lines[end:]]), encoding="utf-8")
    repo.commit("the plan, its agencies shared")
    return repo


def test_diff_reads_a_shared_registry_beside_the_plan_from_any_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> None:
    repo = _shared_registry_repo(tmp_path, monkeypatch, jtai)
    repo.change("update", "2.2", "--progress", "red", "--note", "x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert repo.diff().stdout == (
        f"1 action changed: 1 worse (HEAD {repo.head()} → working tree)\n"
        "  2.2    progress Green → Red (worse)\n"
        "         note: x\n"
    )


def test_the_plan_at_a_revision_is_read_with_the_registry_of_that_revision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> None:
    """After an agency's code is renamed in the shared registry, the base revision's
    owners name a code only that revision's registry knows."""
    repo = _shared_registry_repo(tmp_path, monkeypatch, jtai)
    base = repo.head()
    renamed = repo.jtai("agency", "rename", "TVP", "--code", "TVPol")
    assert renamed.exit_code == 0, renamed.stderr
    repo.commit("TVP is TVPol now")
    # Only git has the registries now: each revision's must come from that revision.
    (repo.root / "agencies.yaml").unlink()
    result = repo.jtai("diff", base, "HEAD")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"3 actions changed, 4 objectives changed ({base} {base} → HEAD)\n"
        "  1.1    owners TVP, BFfC → TVPol, BFfC\n"
        "  5.1    owners TVP, BFfC → TVPol, BFfC\n"
        "  8.1    owners TVP → TVPol\n"
        "  objective 1: lead TVP → TVPol\n"
        "  objective 5: lead TVP → TVPol\n"
        "  objective 7: lead TVP → TVPol\n"
        "  objective 8: lead TVP → TVPol\n"
    )


def test_a_registry_missing_at_the_base_revision_is_named_with_that_revision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> None:
    repo = _shared_registry_repo(tmp_path, monkeypatch, jtai)
    (repo.root / "plans" / "old.yaml").write_text(
        repo.plan.read_text(encoding="utf-8").replace("../agencies.yaml", "../gone.yaml"),
        encoding="utf-8")
    base = repo.commit("a plan naming a registry that was never committed")[:10]
    (repo.root / "gone.yaml").write_text((repo.root / "agencies.yaml").read_text("utf-8"),
                                         encoding="utf-8")
    result = repo.invoke("diff", "HEAD", "--plan", str(repo.root / "plans" / "old.yaml"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"jtai: the plan at {base} (plans/old.yaml) cannot be read: agencies_from: "
        "no such file ../gone.yaml")
