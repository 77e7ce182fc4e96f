"""The plan's lock never lands in the user's folder, and still serialises writers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import jtaiplan.planfile.atomicfile as atomicfile
from conftest import REAL_PLAN, Invoke
from jtaiplan.errors import CannotRun
from jtaiplan.planfile.atomicfile import locked
from jtaiplan.planfile.edit import EditResult
from jtaiplan.planfile.loader import LoadedPlan
from jtaiplan.planfile.lockplace import lock_file
from jtaiplan.planfile.writer import change_plan

UPDATE = ["update", "2.2", "--progress", "amber", "--note", "Workshop moved", "--by", "X",
          "--on", "2025-07-02"]


def git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


@pytest.mark.parametrize("dry", [False, True])
def test_a_write_leaves_only_the_plan_in_its_folder(jtai: Invoke, plan_copy: Path,
                                                    dry: bool) -> None:
    result = jtai(*UPDATE, *(["--dry-run"] if dry else []), "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == ["plan.yaml"]


def test_in_a_repository_the_lock_is_under_git(jtai: Invoke, tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / "plans").mkdir()
    plan = tmp_path / "plans" / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    result = jtai(*UPDATE, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    where = lock_file(plan)
    assert where.parent == tmp_path / ".git" / "jtai-locks"
    assert where.name.startswith("plan.yaml-") and where.name.endswith(".lock")
    assert where.exists()
    status = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert status == "?? plans/\n"
    assert sorted(p.name for p in plan.parent.iterdir()) == ["plan.yaml"]


def test_a_worktree_locks_under_the_folder_its_git_file_names(tmp_path: Path) -> None:
    real_git = tmp_path / "repo" / ".git" / "worktrees" / "w"
    real_git.mkdir(parents=True)
    tree = tmp_path / "w"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {real_git}\n", encoding="utf-8")
    assert lock_file(tree / "plan.yaml").parent == real_git / "jtai-locks"


def test_outside_a_repository_the_lock_is_in_the_users_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    one, other = lock_file(tmp_path / "a" / "plan.yaml"), lock_file(tmp_path / "b" / "plan.yaml")
    assert one.parent == tmp_path / "cache" / "locks"
    assert one != other  # keyed by the real path: two plans never wait for each other


def test_a_held_lock_still_stops_a_second_writer(plan_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomicfile, "LOCK_TIMEOUT_SECONDS", 0.2)
    before = plan_copy.read_bytes()

    def edit(loaded: LoadedPlan) -> EditResult:
        raise AssertionError("the edit must not run while another writer holds the lock")

    with locked(plan_copy), pytest.raises(CannotRun) as caught:
        change_plan(plan_copy, edit)
    assert "is being changed by another jtai" in str(caught.value)
    assert str(lock_file(plan_copy)) in (caught.value.hint or "")
    assert plan_copy.read_bytes() == before
