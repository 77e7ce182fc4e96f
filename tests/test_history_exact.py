"""The history subpackage pinned exactly (issue 25): what git is asked and how its answers
are read (gitio), the per-action history with the commit that brought each entry in (log),
and the plan at other revisions (revisions). Each test builds its own git repository in
tmp_path; git sees no configuration but the repository's own (test_diff.isolate_git), and
jtai runs from a folder outside it, so that every git call must name the plan's folder."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

import pytest

from jtaiplan.errors import CannotRun
from jtaiplan.history import gitio
from jtaiplan.history.gitio import (
    BlameCommit,
    blame,
    init_and_commit,
    renamed_from,
    run_git,
    user_name,
)
from jtaiplan.history.log import commit_record, history, history_across
from jtaiplan.history.revisions import _link_target, load_versions
from jtaiplan.planfile.loader import load_plan
from jtaiplan.planfile.portfolio import load_portfolio
from test_diff import isolate_git

HEADER = """\
version: 1
inspection:
  type: JTAI
  name: Joint Targeted Area Inspection
  area: Reading
  start: 2025-02-24
  end: 2025-03-10
  plan_title: Multi-Agency Improvement Plan
area_for_priority_action: Partnership working.
summary_of_change:
  heading: SUMMARY OF CHANGE REQUIRED
  introduction: The areas.
  areas:
    - Sharing information.
characteristics_of_good: Children are heard.
rag_key:
  Blue: Completed
  Green: On track
  Amber: At risk
  Red: Off track
risk_levels:
  moderate: Moderate
  high: High
themes:
  - Information Sharing
plan_types: [Operational]
complete_by_words: [In place]
agencies:
  - code: TVP
    name: Thames Valley Police
objectives:
  - number: 1
    title: Sharing
    risk: high
    lead: TVP
    characteristics_of_good: Shared.
    actions:
"""
"""37 lines: the first action's ref is on line 38."""


def action(ref: str, updates: str = "", owner: str = "TVP") -> str:
    """An action of 9 lines, then ``updates:`` and its entries as given (already indented)."""
    text = (f'      - ref: "{ref}"\n'
            "        multi_agency: false\n"
            "        action: Share the data.\n"
            "        complete_by: 2025-09-30\n"
            f"        owners: [{owner}]\n"
            "        theme: Information Sharing\n"
            "        plan_type: Operational\n"
            "        progress: Green\n"
            "        impact:\n")
    return text + ("        updates:\n" + updates if updates else "")


def entry(day: str, by: str, note: str | None = None) -> str:
    return (f"          - date: {day}\n            by: {by}\n"
            + (f"            note: {note}\n" if note else ""))


@dataclass
class Repo:
    root: Path

    def git(self, *args: str, when: str | None = None) -> str:
        env = dict(os.environ)
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                              check=False, env=env)
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    def commit(self, message: str, when: str = "2025-07-01T09:00:00Z") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, when=when)
        return self.git("rev-parse", "HEAD")

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """An empty repository on branch ``work``; the tests run from a folder outside it."""
    isolate_git(tmp_path, monkeypatch)
    root = tmp_path / "repo"
    root.mkdir()
    made = Repo(root)
    made.git("init", "-q", "-b", "work")
    made.git("config", "user.name", "Test Person")
    made.git("config", "user.email", "test@example.org")
    made.git("config", "commit.gpgsign", "false")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return made


def epoch(when: str) -> int:
    return int(datetime.fromisoformat(when).timestamp())


# --- run_git: why git could not run ------------------------------------------------------

def test_git_that_does_not_answer_in_time_is_stopped_and_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "bin"
    slow.mkdir()
    (slow / "git").write_text("#!/bin/sh\nexec /bin/sleep 5\n", encoding="utf-8")
    (slow / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(slow))
    monkeypatch.setattr(gitio, "GIT_TIMEOUT", 0.3)
    started = time.monotonic()
    with pytest.raises(CannotRun) as caught:
        run_git(["config", "user.name"], tmp_path)
    assert caught.value.message == "git config user.name did not answer in 0.3 s"
    assert time.monotonic() - started < 4


def test_git_not_on_the_path_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(CannotRun) as caught:
        run_git(["status"], tmp_path)
    assert caught.value.message == "git is not installed (or not on PATH)"


def test_git_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CannotRun) as caught:
        run_git(["status"], tmp_path / "gone")
    assert caught.value.message == f"cannot run git in {tmp_path.as_posix()}/gone: no such folder"


def test_git_in_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    afile = tmp_path / "plan.yaml"
    afile.write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        run_git(["status"], afile)
    assert caught.value.message == f"cannot run git in {afile.as_posix()}: Not a directory"


# --- user_name ---------------------------------------------------------------------------

def test_user_name_is_the_plan_folders_setting(repo: Repo, tmp_path: Path) -> None:
    assert user_name(repo.root) == "Test Person"
    # Outside any repository, with no global setting: none (not an empty name).
    assert user_name(tmp_path / "elsewhere") is None


def test_a_blank_user_name_is_no_name(repo: Repo) -> None:
    repo.git("config", "user.name", "  ")
    assert user_name(repo.root) is None


def test_a_user_name_not_in_utf8_is_read_with_a_replacement_character(repo: Repo) -> None:
    config = repo.root / ".git" / "config"
    config.write_bytes(config.read_bytes().replace(b"Test Person", b"Jos\xe9 Smith"))
    assert user_name(repo.root) == "Jos\ufffd Smith"


# --- blame -------------------------------------------------------------------------------

def test_blame_reads_a_file_not_in_utf8_line_by_line(repo: Repo) -> None:
    (repo.root / "notes.txt").write_bytes(b"caf\xe9\nplain\n")
    sha = repo.commit("notes", when="2025-07-01T09:00:00Z")
    commit = BlameCommit(sha, "Test Person", epoch("2025-07-01T09:00:00+00:00"), "notes")
    assert blame(repo.root / "notes.txt") == [commit, commit]


# --- init_and_commit ---------------------------------------------------------------------

@pytest.fixture
def bare_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git with no identity anywhere; returns the global configuration file to fill. jtai
    runs from a folder in no repository: git pointed at the wrong folder commits nothing
    anywhere that matters."""
    isolate_git(tmp_path, monkeypatch)
    config = tmp_path / "home" / ".gitconfig"
    config.write_text("[commit]\n\tgpgsign = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return config


def new_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ourplan"
    folder.mkdir()
    (folder / "plan.yaml").write_text("version: 1\n", encoding="utf-8")
    return folder


def git_out(folder: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                          check=True).stdout


def test_a_new_repository_holds_everything_in_one_commit_on_main(
        tmp_path: Path, bare_git: Path) -> None:
    with bare_git.open("a", encoding="utf-8") as handle:
        handle.write("[user]\n\tname = Jo Bloggs\n\temail = jo@example.org\n")
    folder = new_folder(tmp_path)
    (folder / "docs").mkdir()
    (folder / "docs" / "README.md").write_text("Our plan.\n", encoding="utf-8")
    init_and_commit(folder, "The plan: made by jtai new")
    assert git_out(folder, "log", "--format=%an <%ae>|%s") == (
        "Jo Bloggs <jo@example.org>|The plan: made by jtai new\n")
    assert git_out(folder, "branch", "--show-current") == "main\n"
    assert git_out(folder, "ls-files") == "docs/README.md\nplan.yaml\n"
    assert git_out(folder, "status", "--porcelain") == ""


@pytest.mark.parametrize(("global_has", "other_repo_has"), [
    ("name = Jo Bloggs", "email = jo@example.org"),
    ("email = jo@example.org", "name = Jo Bloggs")])
def test_half_an_identity_commits_under_jtais_own(
        tmp_path: Path, bare_git: Path, monkeypatch: pytest.MonkeyPatch,
        global_has: str, other_repo_has: str) -> None:
    """Only the new folder's own settings count: jtai run from inside another repository
    that holds the other half of an identity still commits as jtai."""
    with bare_git.open("a", encoding="utf-8") as handle:
        handle.write(f"[user]\n\t{global_has}\n")
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    with (other / ".git" / "config").open("a", encoding="utf-8") as handle:
        handle.write(f"[user]\n\t{other_repo_has}\n")
    monkeypatch.chdir(other)
    folder = new_folder(tmp_path)
    init_and_commit(folder, "first")
    assert git_out(folder, "log", "--format=%an <%ae>") == "jtai <jtai@localhost>\n"


def failing_hook(bare_git: Path, tmp_path: Path, script: bytes) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_bytes(b"#!/bin/sh\n" + script)
    (hooks / "pre-commit").chmod(0o755)
    with bare_git.open("a", encoding="utf-8") as handle:
        handle.write(f"[core]\n\thooksPath = {hooks.as_posix()}\n")


def test_a_failed_commit_says_gits_last_line(tmp_path: Path, bare_git: Path) -> None:
    failing_hook(bare_git, tmp_path,
                 b"echo 'first line' >&2\necho 'second line' >&2\n"
                 b"printf 'the plan is caf\\351\\n' >&2\nexit 1\n")
    folder = new_folder(tmp_path)
    with pytest.raises(CannotRun) as caught:
        init_and_commit(folder, "first")
    assert caught.value.message == (
        f"git commit failed in {folder.as_posix()}: the plan is caf\ufffd")


def test_a_failed_commit_without_a_word_from_git(tmp_path: Path, bare_git: Path) -> None:
    failing_hook(bare_git, tmp_path, b"exit 1\n")
    folder = new_folder(tmp_path)
    with pytest.raises(CannotRun) as caught:
        init_and_commit(folder, "first")
    assert caught.value.message == f"git commit failed in {folder.as_posix()}: no message"


# --- history: each entry's lines and the commit that brought it in -----------------------

T1, T2, T3 = "2025-07-01T09:00:00Z", "2025-07-05T09:00:00Z", "2025-07-06T09:00:00Z"
BLAMED_PLAN = (HEADER
               + action("1.1", entry("2025-07-01", "Jo", "First")
                        + entry("2025-07-02", "Sam", "Second")
                        + entry("2025-07-03", "Al", "Third"))
               + action("1.2", entry("2025-07-04", "Kim")))
"""1.1's entries on lines 48-50, 51-53 and 54-56; 1.2's on 67-68, the end of the file."""


@pytest.fixture
def blamed(repo: Repo) -> tuple[Path, list[str]]:
    """Entries written in one commit, then partly rewritten by two later ones, and partly
    edited in the working tree."""
    plan = repo.write("plan.yaml", BLAMED_PLAN)
    first = repo.commit("plan", when=T1)
    repo.edit("plan.yaml", "by: Sam", "by: Samira")
    repo.edit("plan.yaml", "by: Al", "by: Alan")
    repo.edit("plan.yaml", "note: Third", "note: Third, checked")
    second = repo.commit("reformat", when=T2)
    repo.edit("plan.yaml", "note: Second", "note: Second, checked")
    third = repo.commit("recheck", when=T3)
    repo.edit("plan.yaml", "note: First", "note: First, edited")
    repo.edit("plan.yaml", "by: Kim", "by: Kimberley")
    return plan, [first, second, third]


def test_each_entry_has_its_lines_and_the_commit_that_brought_most_of_it(
        blamed: tuple[Path, list[str]]) -> None:
    plan, (first, second, _third) = blamed
    entries = history(load_plan(plan))
    assert [(e.ref, e.update.by, e.first_line, e.last_line,
             e.commit.sha if e.commit else "none") for e in entries] == [
        # One line edited in the working tree: the entry is not committed yet, whichever
        # line it is (the last line of the file here).
        ("1.2", "Kimberley", 67, 68, "0" * 40),
        # Two of three lines rewritten by the second commit: the second.
        ("1.1", "Alan", 54, 56, second),
        # One line from each commit: the earliest.
        ("1.1", "Samira", 51, 53, first),
        # Its last line edited in the working tree.
        ("1.1", "Jo", 48, 50, "0" * 40),
    ]


def test_history_records_name_the_commit(blamed: tuple[Path, list[str]]) -> None:
    plan, (first, second, _third) = blamed
    records = [e.record() for e in history(load_plan(plan), "1.1")]
    assert records == [
        {"ref": "1.1", "date": "2025-07-03", "by": "Alan", "changes": {},
         "note": "Third, checked", "line": 54,
         "commit": {"sha": second, "author": "Test Person", "date": "2025-07-05",
                    "summary": "reformat"}},
        {"ref": "1.1", "date": "2025-07-02", "by": "Samira", "changes": {},
         "note": "Second, checked", "line": 51,
         "commit": {"sha": first, "author": "Test Person", "date": "2025-07-01",
                    "summary": "plan"}},
        {"ref": "1.1", "date": "2025-07-01", "by": "Jo", "changes": {},
         "note": "First, edited", "line": 48,
         "commit": {"sha": None, "author": None, "date": None,
                    "summary": "not committed yet"}},
    ]


def test_history_without_git_has_no_commits(blamed: tuple[Path, list[str]]) -> None:
    plan, _shas = blamed
    entries = history(load_plan(plan), use_git=False)
    assert [(e.update.by, e.commit) for e in entries] == [
        ("Kimberley", None), ("Alan", None), ("Samira", None), ("Jo", None)]
    assert entries[0].record() == {"ref": "1.2", "date": "2025-07-04", "by": "Kimberley",
                                   "changes": {}, "line": 67, "commit": None}


def test_a_plan_on_one_line_has_its_entries_blamed(repo: Repo) -> None:
    """A plan written as JSON (one line) is read too: its entries are on line 1."""
    import json

    import yaml

    data = yaml.safe_load(BLAMED_PLAN)
    plan = repo.write("plan.yaml", json.dumps(data, default=str) + "\n")
    sha = repo.commit("plan as JSON", when=T1)
    entries = history(load_plan(plan), "1.2")
    assert [(e.first_line, e.last_line, e.commit.sha if e.commit else None)
            for e in entries] == [(1, 1, sha)]


def test_entries_of_a_flow_list_end_on_their_own_line(repo: Repo) -> None:
    plan = repo.write("plan.yaml", HEADER + action("1.1") + (
        "        updates: [{date: 2025-07-01, by: Jo},\n"
        "                  {date: 2025-07-02, by: Sam}]\n"))
    entries = history(load_plan(plan), use_git=False)
    assert [(e.update.by, e.first_line, e.last_line) for e in entries] == [
        ("Sam", 48, 48), ("Jo", 47, 47)]


@pytest.fixture
def utc_plus_14() -> Iterator[None]:
    """The process's local time is 14 hours ahead of UTC (Kiritimati)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_commit_dates_are_utc_days(utc_plus_14: None) -> None:
    """20:00 UTC on 1 July is already 2 July at UTC+14: the record says 1 July wherever
    jtai runs."""
    assert time.localtime(epoch("2025-07-01T20:00:00+00:00")).tm_mday == 2
    when = epoch("2025-07-01T20:00:00+00:00")
    assert commit_record(BlameCommit("a" * 40, "Jo", when, "s")) == {
        "sha": "a" * 40, "author": "Jo", "date": "2025-07-01", "summary": "s"}


# --- history_across ----------------------------------------------------------------------

@pytest.fixture
def two_plans(repo: Repo) -> Path:
    folder = repo.root / "plans"
    folder.mkdir()
    (folder / "alpha.yaml").write_text(
        HEADER + action("1.1", entry("2025-07-01", "Jo"))
        + action("1.2", entry("2025-07-05", "Kim")), encoding="utf-8")
    (folder / "beta.yaml").write_text(
        HEADER + action("1.1", entry("2025-07-03", "Sam"))
        + action("1.2", entry("2025-07-02", "Lee")), encoding="utf-8")
    repo.commit("two plans")
    return folder


def test_history_of_several_plans_is_newest_first_across_them(two_plans: Path) -> None:
    entries = history_across(load_portfolio([two_plans]))
    assert [(e.plan, e.ref, e.update.by, e.commit is not None) for e in entries] == [
        ("alpha", "1.2", "Kim", True), ("beta", "1.1", "Sam", True),
        ("beta", "1.2", "Lee", True), ("alpha", "1.1", "Jo", True)]


def test_history_of_one_qualified_ref_among_several_plans(two_plans: Path) -> None:
    entries = history_across(load_portfolio([two_plans]), "beta:1.1", use_git=False)
    assert [(e.plan, e.ref, e.update.by, e.commit) for e in entries] == [
        ("beta", "1.1", "Sam", None)]


def test_history_of_several_plans_without_git(two_plans: Path) -> None:
    entries = history_across(load_portfolio([two_plans]), use_git=False)
    assert [e.commit for e in entries] == [None, None, None, None]


# --- default_base: the revision jtai diff compares with ----------------------------------

@pytest.fixture
def two_commits(repo: Repo) -> tuple[Path, str, str]:
    plan = repo.write("plan.yaml", HEADER + action("1.1"))
    first = repo.commit("plan", when=T1)
    repo.edit("plan.yaml", "progress: Green", "progress: Amber")
    second = repo.commit("amber", when=T2)
    return plan, first, second


def test_the_base_is_the_merge_base_with_origins_default_branch(
        repo: Repo, two_commits: tuple[Path, str, str]) -> None:
    plan, first, _second = two_commits
    repo.git("update-ref", "refs/remotes/origin/trunk", first)
    repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    versions = load_versions(plan, None, None)
    assert versions.base_label == f"merge-base {first[:10]}"
    assert versions.head_label == "working tree"


@pytest.mark.parametrize("ref", ["refs/remotes/origin/main", "refs/remotes/origin/master",
                                 "refs/heads/main", "refs/heads/master"])
def test_the_base_is_the_merge_base_with_a_usual_default_branch(
        repo: Repo, two_commits: tuple[Path, str, str], ref: str) -> None:
    plan, first, _second = two_commits
    repo.git("update-ref", ref, first)
    assert load_versions(plan, None, None).base_label == f"merge-base {first[:10]}"


def test_the_branch_checked_out_is_not_its_own_base(
        repo: Repo, two_commits: tuple[Path, str, str]) -> None:
    plan, first, second = two_commits
    repo.git("branch", "-m", "main")
    repo.git("update-ref", "refs/heads/master", first)
    assert load_versions(plan, None, None).base_label == f"merge-base {first[:10]}"
    repo.git("branch", "-D", "master")
    assert load_versions(plan, None, None).base_label == f"HEAD {second[:10]}"


# --- renamed plans -----------------------------------------------------------------------

def test_a_renamed_plan_is_compared_with_its_old_name(repo: Repo) -> None:
    """Among other changes (an edit listed first, another rename), and with git's own rename
    detection turned off in the repository: jtai asks for it."""
    repo.git("config", "diff.renames", "false")
    repo.write("a.txt", "one\n")
    repo.write("b-old.txt", "".join(f"line {n}\n" for n in range(20)))
    repo.write("old.yaml", HEADER + action("1.1"))
    first = repo.commit("plan", when=T1)
    repo.write("a.txt", "two\n")
    repo.git("mv", "b-old.txt", "b-new.txt")
    repo.git("mv", "old.yaml", "plan.yaml")
    repo.edit("plan.yaml", "progress: Green", "progress: Amber")
    repo.commit("renamed", when=T2)
    # The working tree's plan is nothing like the old one: only HEAD has the rename.
    repo.write("plan.yaml", "x: 1\n")
    versions = load_versions(repo.root / "plan.yaml", "HEAD~1", "HEAD")
    assert versions.base is not None
    assert versions.base_label == f"HEAD~1 (old.yaml) {first[:10]}"
    assert versions.base.name == f"{first[:10]}:old.yaml"
    assert versions.head_label == "HEAD"
    assert [a.progress.value for a in versions.base.plan.actions()] == ["Green"]
    assert [a.progress.value for a in versions.head.plan.actions()] == ["Amber"]


@pytest.fixture
def alarm() -> Iterator[None]:
    """A search that never ends fails the test instead of hanging it."""
    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError("still searching after 10 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_other_renames_and_edits_are_passed_over(repo: Repo, alarm: None) -> None:
    for name in ("a.txt", "b.txt"):
        repo.write(name, f"{name}\n")
    for name in ("one.txt", "two.txt"):
        repo.write(name, "".join(f"{name} {n}\n" for n in range(20)))
    base = repo.commit("files", when=T1)
    repo.write("a.txt", "changed\n")
    repo.write("b.txt", "changed\n")
    repo.git("mv", "one.txt", "one-renamed.txt")
    repo.git("mv", "two.txt", "two-renamed.txt")
    head = repo.commit("renames", when=T2)
    assert renamed_from(base, head, "plan.yaml", repo.root) is None
    assert renamed_from(base, head, "two-renamed.txt", repo.root) == "two.txt"


def test_an_old_name_not_in_utf8_is_read_with_a_replacement_character(repo: Repo) -> None:
    old = os.fsdecode(b"old\xff.yaml")
    (repo.root / old).write_text("".join(f"line {n}\n" for n in range(20)), encoding="utf-8")
    base = repo.commit("old", when=T1)
    repo.git("mv", old, "plan.yaml")
    head = repo.commit("new", when=T2)
    assert renamed_from(base, head, "plan.yaml", repo.root) == "old\ufffd.yaml"


# --- revisions: the plan at a revision ---------------------------------------------------

def test_a_plan_whose_owners_are_unregistered_is_still_compared(repo: Repo) -> None:
    """Integrity problems (an owner no agency has) are lint's to report: the versions load."""
    plan = repo.write("plan.yaml", HEADER + action("1.1", owner="XYZ"))
    first = repo.commit("plan", when=T1)
    repo.edit("plan.yaml", "progress: Green", "progress: Amber")
    versions = load_versions(plan, "HEAD", None)
    assert versions.base is not None and versions.base_label == f"HEAD {first[:10]}"
    assert [a.owners for a in versions.base.plan.actions()] == [["XYZ"]]
    assert [a.owners for a in versions.head.plan.actions()] == [["XYZ"]]
    repo.commit("amber", when=T2)
    versions = load_versions(plan, "HEAD~1", "HEAD")
    assert versions.base is not None and versions.head_label == "HEAD"
    assert [a.progress.value for a in versions.base.plan.actions()] == ["Green"]
    assert [a.progress.value for a in versions.head.plan.actions()] == ["Amber"]


def test_a_base_revision_that_is_not_a_plan_is_named_with_its_problem(repo: Repo) -> None:
    plan = repo.write("plan.yaml", HEADER.replace("version: 1\n", "version: [1\n"))
    first = repo.commit("broken", when=T1)
    repo.write("plan.yaml", HEADER + action("1.1"))
    with pytest.raises(CannotRun) as caught:
        load_versions(plan, "HEAD", None)
    assert caught.value.message == (
        f"the plan at {first[:10]} (plan.yaml) cannot be read: YAML syntax error: did not "
        "find expected ',' or ']' (while parsing a flow sequence)")


def test_a_plan_that_is_not_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CannotRun) as caught:
        load_versions(Path("missing.yaml"), None, None)
    assert caught.value.message == "missing.yaml: no such file"


def test_a_link_that_cannot_be_read_is_a_missing_file(tmp_path: Path) -> None:
    assert _link_target(tmp_path / "not-a-link") == "a missing file"


def test_a_plan_outside_the_checkout_git_is_pointed_at(
        repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("README.md", "x\n")
    repo.commit("readme")
    folder = tmp_path / "loose"
    folder.mkdir()
    plan = folder / "plan.yaml"
    plan.write_text(HEADER + action("1.1"), encoding="utf-8")
    monkeypatch.setenv("GIT_DIR", str(repo.root / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo.root))
    with pytest.raises(CannotRun) as caught:
        load_versions(plan, None, None)
    assert caught.value.message == (f"{plan.as_posix()} is not inside the git checkout "
                                    f"{repo.root.as_posix()}")

