"""``jtai diff`` (and ``lint --base``) on a plan reached through a symbolic link: the right
answer when the link leads into a git checkout, a clear error (exit 2) otherwise, never a
bug (exit 3).

Before the fix: a loop of links, or a path through a file, ended in an internal error
(exit 3, for ``jtai update`` on such a link too); a link whose target is missing was
reported as "git is not installed"; a link leading out of the checkout was reported as
the target's folder "not inside a git repository", without naming the link.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Invoke
from test_diff import PlanRepo, isolate_git, make_repo

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links")

HINT = "    hint: pass --plan with the path of the plan in its git checkout\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jtai: Invoke) -> PlanRepo:
    return make_repo(tmp_path, monkeypatch, jtai)


def test_link_from_outside_into_the_checkout_gives_the_right_answer(
        repo: PlanRepo, tmp_path: Path, jtai: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.change("update", "2.2", "--progress", "red", "--note", "Workshop cancelled")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    link = outside / "reading.yaml"
    link.symlink_to(repo.plan)
    expected = jtai("diff", "--plan", str(repo.plan))
    assert expected.exit_code == 0 and "2.2" in expected.stdout
    monkeypatch.chdir(outside)
    for plan in (str(link), "reading.yaml"):
        result = jtai("diff", "--plan", plan)
        assert (result.exit_code, result.stdout) == (0, expected.stdout), result.stderr
    # A folder link on the way in is followed too.
    (outside / "checkout").symlink_to(repo.root, target_is_directory=True)
    result = jtai("diff", "HEAD", "--plan", "checkout/plan.yaml", "--format", "json")
    assert (result.exit_code, result.stdout) == (
        0, jtai("diff", "HEAD", "--plan", str(repo.plan), "--format", "json").stdout)
    lint = jtai("lint", "--base", "HEAD", "--plan", plan, "--as-of", "2025-07-01",
                "--select", "JTAI5", "--format", "json")
    assert lint.exit_code == 0, lint.stderr


def test_link_in_the_checkout_leading_out_of_it(repo: PlanRepo, tmp_path: Path,
                                                jtai: Invoke) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "plan.yaml"
    repo.plan.rename(target)
    repo.plan.symlink_to(target)
    for command in (("diff",), ("lint", "--base", "HEAD")):
        result = jtai(*command, "--plan", str(repo.plan))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"jtai: {repo.plan.name} leads to {target.as_posix()}, which is not inside a git "
            "repository\n    hint: git keeps a symbolic link, not the plan it points at: run "
            "jtai diff on the plan in its own git checkout\n")


def test_links_that_lead_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 jtai: Invoke) -> None:
    isolate_git(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    Path("loop.yaml").symlink_to("loop.yaml")
    Path("dangling.yaml").symlink_to(tmp_path / "gone" / "plan.yaml")
    Path("a-file").write_text("not a folder\n", encoding="utf-8")
    Path("through-a-file.yaml").symlink_to("a-file/plan.yaml")
    expected = {
        "loop.yaml": "jtai: loop.yaml: cannot follow the path to the plan: a loop of "
                     "symbolic links\n",
        "dangling.yaml": "jtai: dangling.yaml: no such file (a symbolic link to "
                         f"{(tmp_path / 'gone' / 'plan.yaml').as_posix()}, which does not "
                         "exist)\n",
        "through-a-file.yaml": "jtai: through-a-file.yaml: cannot follow the path to the "
                               "plan: Not a directory\n",
    }
    for name, message in expected.items():
        result = jtai("diff", "--plan", name)
        assert (result.exit_code, result.stderr) == (2, message + HINT), name


def test_writing_through_a_loop_of_links_is_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    jtai: Invoke) -> None:
    isolate_git(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    Path("loop.yaml").symlink_to("loop.yaml")
    # git knows who is changing the plan, so jtai gets as far as the file.
    (tmp_path / "home" / ".gitconfig").write_text("[user]\n\tname = Test Person\n",
                                                  encoding="utf-8")
    for args in (("update", "1.1", "--note", "x"), ("update", "1.1", "--note", "x", "--by", "A"),
                 ("fmt",)):
        result = jtai(*args, "--plan", "loop.yaml")
        assert result.exit_code == 2, args
        assert result.stderr.startswith(
            "jtai: loop.yaml is a symbolic link that leads back to itself\n"), args
