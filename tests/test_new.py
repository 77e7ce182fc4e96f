"""`jtai new DIR`: a partnership's plan repository, which passes its own checks as made."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

import jtaiplan
from conftest import REPO, Invoke
from helpers_ci import check_jsonschema
from import_fixtures import write_docx, write_tracker
from jtaiplan.cli.main import COMMANDS
from jtaiplan.planfile.skeleton import skeleton
from jtaiplan.scaffold.registry import HOOKS, WORKFLOWS
from jtaiplan.scaffold.repository import repository_files

VERSION = jtaiplan.__version__
INSPECTED = "24/02/2025 to 10/03/2025"
# The workflows follow jtai's command table (scaffold/registry.py).
BASE_FILES = [".gitignore", ".pre-commit-config.yaml", "README.md", "plan.schema.json",
              "plan.yaml", *(f".github/workflows/{w.file}" for w in WORKFLOWS
                             if w.command in COMMANDS)]
NEW_PLAN = ["--area", "Wokingham", "--start", "02/02/2026", "--end", "13/02/2026",
            "--agency", "WBC=Wokingham Borough Council", "--agency", "TVP=Thames Valley Police"]


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """git with no identity configured anywhere (as on a new machine or a CI runner)."""
    home = tmp_path / "home"
    home.mkdir()
    for name in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(name)
    settings = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
                "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **settings}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_from_word_passes_its_own_checks(jtai: Invoke, tmp_path: Path,
                                             git_env: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_docx(tmp_path / "plan.docx")
    monkeypatch.chdir(tmp_path)
    result = jtai("new", "ourplan", "--from", "plan.docx", "--area", "Reading",
                  "--inspected", INSPECTED)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    # The import's own review list, as `jtai import` says it.
    assert lines[:2] == [
        "plan.docx: objective tables; 10 objective(s), 20 action(s)",
        "agencies created (check their codes and names): TVP (TVP), Police (Police), CSC "
        "(CSC), BWSCP (BWSCP), BFfC (BFfC), Partnership (Partnership), KCC (Kent CC)"]
    assert ("  table 9, row 4, column 7: guess: 8.1 progress: no text; read Green from the "
            "cell's fill colour") in lines
    assert f"jtai: made ourplan: {len(BASE_FILES)} files in one commit (plan.yaml, " \
           "plan.schema.json, .gitignore, .pre-commit-config.yaml, workflows, README.md)" in lines
    # `jtai agency` is not a command of this jtai: no commands suggested that do not exist.
    assert ("  jtai agency list" in lines) is ("agency" in COMMANDS)

    repo = tmp_path / "ourplan"
    imported = tmp_path / "imported.yaml"
    assert jtai("import", str(source), "--area", "Reading", "--inspected", INSPECTED,
                "-o", str(imported)).exit_code == 0
    assert (repo / "plan.yaml").read_bytes() == imported.read_bytes()
    assert (repo / "plan.schema.json").read_bytes() == (
        REPO / "schema" / "plan.schema.json").read_bytes()

    # One commit holding every file, and nothing left over.
    assert git(repo, "log", "--format=%an <%ae>|%s").splitlines() == [
        "jtai <jtai@localhost>|The plan, its checks and CI: made by jtai new"]
    assert sorted(git(repo, "ls-files").splitlines()) == sorted(BASE_FILES)
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "branch", "--show-current") == "main\n"

    monkeypatch.chdir(repo)
    validated = jtai("validate")
    # The Word plan's two Blue actions without evidence are warnings, as on `jtai import`.
    assert (validated.exit_code, validated.stdout.splitlines()[-1]) == (
        0, "0 errors, 2 warnings")

    # The generated hooks, offline: `repo: local` runs the jtai on the PATH.
    pre_commit = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo,
        env={**git_env, "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                                 git_env.get("PATH", "")])},
        capture_output=True, text=True, timeout=300, check=False)
    assert pre_commit.returncode == 0, pre_commit.stdout + pre_commit.stderr
    assert [line.split("...")[0] + line.rsplit(".", 1)[-1]
            for line in pre_commit.stdout.splitlines()] == ["jtai validatePassed"]

    workflows = sorted((repo / ".github" / "workflows").glob("*.yml"))
    check_jsonschema("github-workflows", workflows)
    for workflow in workflows:
        text = workflow.read_text(encoding="utf-8")
        assert f'JTAI_VERSION: "{VERSION}"' in text, workflow.name
        assert '"jtaiplan==${JTAI_VERSION}"' in text and "git+" not in text, workflow.name


def test_new_plan_is_the_one_init_writes(jtai: Invoke, tmp_path: Path,
                                         git_env: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gitconfig").write_text("[user]\n\tname = Jo Bloggs\n\temail = jo@example.org\n",
                                        encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    made = jtai("new", "ourplan", *NEW_PLAN)
    assert made.exit_code == 0, made.stderr
    init = jtai("init", "--dry-run", *NEW_PLAN)
    assert (tmp_path / "ourplan" / "plan.yaml").read_text(encoding="utf-8") == init.stdout
    # The configured identity, not the fallback.
    assert git(tmp_path / "ourplan", "log", "--format=%an <%ae>") == (
        "Jo Bloggs <jo@example.org>\n")
    assert "agency" not in made.stderr


def test_gitignore_keeps_what_jtai_makes_out_of_git(jtai: Invoke, tmp_path: Path,
                                                    git_env: dict[str, str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert jtai("new", "ourplan", *NEW_PLAN).exit_code == 0
    repo = tmp_path / "ourplan"
    monkeypatch.chdir(repo)
    as_of = ("--as-of", "2026-03-01")
    for args in (("report", "-o", "report.html"), ("report", "-f", "markdown", "-o",
                                                    "report.md"),
                 ("export", "-o", "plan.xlsx"), ("export", "-o", "plan.docx"),
                 ("pack", "--all", "-o", "packs/"), ("calendar", "-o", "plan.ics")):
        done = jtai(*args, *as_of)
        assert done.exit_code == 0, (args, done.stderr)
    done = jtai("update", "1.1", "--progress", "amber", "--note", "Late", "--by", "Jo")
    assert done.exit_code == 0, done.stderr
    (repo / "returns").mkdir()
    (repo / "returns" / "TVP.xlsx").write_bytes((repo / "packs" / "TVP.xlsx").read_bytes())
    (repo / "outbox").mkdir()
    (repo / "outbox" / "TVP.eml").write_text("To: tvp@example.org\n", encoding="utf-8")
    (repo / "plan.yaml.lock").write_text("", encoding="utf-8")
    assert sorted(p.name for p in repo.iterdir()) == sorted([
        ".git", ".github", ".gitignore", ".pre-commit-config.yaml", "README.md", "outbox",
        "packs", "plan.docx", "plan.ics", "plan.schema.json", "plan.xlsx", "plan.yaml",
        "plan.yaml.lock", "report.html", "report.md", "returns"])
    # Only the change to the plan itself is left to commit.
    assert git(repo, "status", "--porcelain") == " M plan.yaml\n"


def test_dry_run_lists_the_files_and_writes_nothing(jtai: Invoke, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_docx(tmp_path / "plan.docx")
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    result = jtai("new", "ourplan", "--from", source.name, "--area", "Reading",
                  "--inspected", INSPECTED, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ourplan/plan.yaml", "ourplan/plan.schema.json", "ourplan/.gitignore",
        "ourplan/.pre-commit-config.yaml", "ourplan/.github/workflows/plan.yml",
        "ourplan/.github/workflows/pr-comment.yml", "ourplan/.github/workflows/site.yml",
        "ourplan/.github/workflows/remind.yml", "ourplan/README.md"]
    assert result.stderr.splitlines()[-1] == (
        "jtai: dry run, nothing written: would make the git repository ourplan with these 9 "
        "files and commit them")
    assert result.stderr.startswith("plan.docx: objective tables; 10 objective(s)")
    assert tree(tmp_path) == before
    assert not (tmp_path / "ourplan").exists()


@pytest.mark.parametrize("content", ["file", "folder"])
def test_a_folder_that_is_not_empty_is_refused(jtai: Invoke, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               content: str) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "ourplan"
    target.mkdir()
    if content == "file":
        (target / "notes.txt").write_text("ours\n", encoding="utf-8")
    else:
        (target / ".git").mkdir()
    before = tree(tmp_path), sorted(p.as_posix() for p in tmp_path.rglob("*"))
    result = jtai("new", "ourplan", *NEW_PLAN)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "jtai: ourplan is not empty; jtai new makes a repository only in a new or empty folder")
    assert (tree(tmp_path), sorted(p.as_posix() for p in tmp_path.rglob("*"))) == before


def test_an_empty_folder_is_used(jtai: Invoke, tmp_path: Path, git_env: dict[str, str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ourplan").mkdir()
    assert jtai("new", "ourplan", *NEW_PLAN).exit_code == 0
    assert sorted(git(tmp_path / "ourplan", "ls-files").splitlines()) == sorted(BASE_FILES)


@pytest.mark.parametrize(("args", "message"), [
    (["--inspected", INSPECTED], "jtai: --inspected is an option of the import: use it with "
                                 "--from FILE"),
    (["--map", "Agency=owners"], "jtai: --map is an option of the import: use it with "
                                 "--from FILE"),
    (["--from", "plan.docx", "--agency", "WBC=Wokingham"],
     "jtai: --agency is an option of a new plan, not of --from"),
    (["--from", "plan.docx", "--start", "02/02/2026"],
     "jtai: --start is an option of a new plan, not of --from"),
    (["--from", "missing.docx"], "jtai: missing.docx: no such file"),
])
def test_options_of_the_other_kind_of_plan_are_refused(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
        message: str) -> None:
    write_docx(tmp_path / "plan.docx")
    monkeypatch.chdir(tmp_path)
    result = jtai("new", "ourplan", *args)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (2, message)
    assert not (tmp_path / "ourplan").exists()


def test_workflows_come_from_the_command_table(tmp_path: Path) -> None:
    plan = skeleton("Wokingham", date(2026, 3, 1))

    def workflows(commands: set[str]) -> dict[str, str]:
        return {f.path.removeprefix(".github/workflows/"): f.text
                for f in repository_files(plan, version="9.8.7", commands=commands)
                if f.path.startswith(".github/")}

    assert list(workflows(set(COMMANDS))) == [
        w.file for w in WORKFLOWS if w.command in COMMANDS]
    assert list(workflows({"lint"})) == ["plan.yml"]
    everything = workflows(set(COMMANDS) | {"site", "remind"})
    assert list(everything) == ["plan.yml", "pr-comment.yml", "site.yml", "remind.yml"]
    for name, text in everything.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert 'JTAI_VERSION: "9.8.7"' in text
        command = next(w.command for w in WORKFLOWS if w.file == name)
        assert f"jtai {command}" in text, name
    check_jsonschema("github-workflows", sorted(tmp_path.glob("*.yml")))
    readme = next(f.text for f in repository_files(plan, version="9.8.7",
                                                   commands={"lint", "diff", "site"})
                  if f.path == "README.md")
    assert "- `.github/workflows/site.yml`: `jtai site` published" in readme
    assert "remind.yml" not in readme


def test_pre_commit_hooks_are_jtais_own() -> None:
    """The generated config runs the hooks jtaiplan's .pre-commit-hooks.yaml defines."""
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h.id, h.name, h.entry, h.files) for h in HOOKS] == [
        (h["id"], h["name"], h["entry"], h["files"]) for h in published]
    plan = skeleton("Wokingham", date(2026, 3, 1))
    config = yaml.safe_load(next(
        f.text for f in repository_files(plan, version=VERSION, commands=COMMANDS)
        if f.path == ".pre-commit-config.yaml"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"], h.get("stages"))
            for h in repo["hooks"]] == [
        ("jtai-validate", "jtai validate", "system", False, None),
        ("jtai-lint", "jtai lint", "system", False, ["manual"])]


@pytest.mark.parametrize("existed", [False, True])
def test_a_failed_commit_leaves_the_folder_as_it_was(jtai: Invoke, tmp_path: Path,
                                                     git_env: dict[str, str],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     existed: bool) -> None:
    # Signing demanded, and a signing program that always fails: git commit fails.
    (tmp_path / "home" / "gitconfig").write_text(
        "[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if existed:
        (tmp_path / "ourplan").mkdir()
    result = jtai("new", "ourplan", *NEW_PLAN)
    assert result.exit_code == 2
    assert result.stderr.startswith("jtai: git commit failed in ourplan: ")
    if existed:
        assert list((tmp_path / "ourplan").iterdir()) == []
    else:
        assert not (tmp_path / "ourplan").exists()


def test_after_an_import_the_agency_commands_are_shown_once_they_exist(
        jtai: Invoke, tmp_path: Path, git_env: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    write_docx(tmp_path / "plan.docx")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(COMMANDS, "agency", ("plan_cmds", "schema"))  # as if it were there
    result = jtai("new", "ourplan", "--from", "plan.docx", "--area", "Reading",
                  "--inspected", INSPECTED)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-5:] == [
        "Review the agencies the import made (codes, names, aliases), then commit:",
        "  jtai agency list",
        '  jtai agency rename CODE --code NEW --name "Full name"',
        "  jtai agency merge FROM INTO",
        "  jtai agency alias CODE ALIAS"]


def test_an_import_that_could_not_read_a_value_writes_nothing(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook
    from openpyxl.styles import Color, PatternFill

    source = write_tracker(tmp_path / "tracker.xlsx")
    book = load_workbook(source)
    book["Tracker"]["I18"].fill = PatternFill("solid", fgColor=Color(theme=5))
    book.save(source)
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    result = jtai("new", "ourplan", "--from", "tracker.xlsx", "--agencies", str(REPO / "plan.yaml"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == ("jtai: 1 value(s) could not be read; nothing written (fix the source "
                         "or use --map)")
    assert ("  Tracker!I18: cannot read: 6.1 progress: no text, and its fill is one of the "
            "workbook's theme colours, which jtai does not guess: type the rating (Blue, Green, "
            "Amber, Red)") in lines
    assert tree(tmp_path) == before
    assert not (tmp_path / "ourplan").exists()


def test_a_file_in_the_way_is_refused(jtai: Invoke, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ourplan").write_text("notes\n", encoding="utf-8")
    result = jtai("new", "ourplan", *NEW_PLAN)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        2, "jtai: ourplan exists and is not a folder")
    assert (tmp_path / "ourplan").read_text(encoding="utf-8") == "notes\n"
