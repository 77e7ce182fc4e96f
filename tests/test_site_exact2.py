"""Exact pins for `jtai new`'s repository: the files it renders, and its refusals."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, Invoke
from jtaiplan.errors import CannotRun
from jtaiplan.planfile.skeleton import skeleton
from jtaiplan.scaffold.repository import _renderer, refuse_unless_empty, repository_files
from jtaiplan.views.sitewrite import check_folder, previous_files


def _untitled_plan() -> str:
    plan = skeleton("Wokingham", date(2026, 3, 1))
    return "".join(line for line in plan.splitlines(keepends=True) if "plan_title" not in line)


def test_every_file_of_a_new_repository_is_exactly_the_released_text() -> None:
    """Digests pin every byte: whitespace control, comments, escaping, trailing newlines."""
    files = repository_files(_untitled_plan(), version="9.8.7",
                             commands={"lint", "diff", "site", "remind"})
    assert {f.path: hashlib.sha256(f.text.encode("utf-8")).hexdigest() for f in files} == {
        "plan.yaml": "ea81bf728b0d3842b41744bb472c0ced8d272c022ebe491da0347a4866a612b1",
        "plan.schema.json": "58439408ec19d4f41c12965ac708bd7f7c5c10bc325b8b212558c5c0bdb29afa",
        ".gitignore": "b12cf334025bbf484139554082cf3961b8791a956a8fb7c029cf0b7ee0f160ec",
        ".pre-commit-config.yaml":
            "7a3d757d3fa4819bf142998cee0e4fd5adbc7da2ac6b72ae58d55de71965ee78",
        ".github/workflows/plan.yml":
            "0739b82d723d98a08af4f2fca529f52a4781ccac4c672dd779bc2b33d2061ac3",
        ".github/workflows/pr-comment.yml":
            "5172b6a6187dfb2ee60cd6f89b52b004f3d7241d37dbb35378bffd1b9dbe46c3",
        ".github/workflows/site.yml":
            "c1c4b79447da59f41e6b0ddca53dfeedc10163bc450e424fa1031963cb680e9a",
        ".github/workflows/remind.yml":
            "874c567c0c5c6307993b889e8226358babeeb47f5f5004402294680f2520c4be",
        "README.md": "bc46e789637b271938c6e597eb547c96312e8b87e448deb1597bda56f2200f8d"}


def test_a_plan_without_a_title_is_called_improvement_plan_in_the_readme() -> None:
    [readme] = [f.text for f in repository_files(_untitled_plan(), version="9.8.7",
                                                 commands={"lint"}) if f.path == "README.md"]
    assert readme.splitlines()[0] == "# Wokingham: improvement plan"
    assert readme.endswith("`jtai COMMAND --help` for any command\n")


def test_an_invalid_new_plan_is_refused_with_its_problems() -> None:
    with pytest.raises(CannotRun) as caught:
        repository_files("inspection: [\n", version="9.8.7", commands={"lint"})
    assert caught.value.message.startswith("the new plan is not valid: ")
    assert caught.value.hint == ""


def test_a_template_naming_a_missing_value_fails_rather_than_rendering_blank() -> None:
    with pytest.raises(jinja2.UndefinedError):
        _renderer()("README.md.j2", {})


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "ourplan"
    target.write_bytes(b"mine\n")
    with pytest.raises(CannotRun) as caught:
        refuse_unless_empty(target)
    assert (caught.value.message, caught.value.hint, caught.value.exit_code) == (
        f"{target.as_posix()} exists and is not a folder",
        "name a new folder for the plan repository", 2)
    assert target.read_bytes() == b"mine\n"


def test_a_folder_holding_anything_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".keep").write_bytes(b"")
    with pytest.raises(CannotRun) as caught:
        refuse_unless_empty(tmp_path)
    assert (caught.value.message, caught.value.hint) == (
        f"{tmp_path.as_posix()} is not empty; jtai new makes a repository only in a new "
        "or empty folder",
        "name a new folder, or use `jtai init` to add a plan to an existing one")


def test_a_new_or_empty_folder_is_accepted(tmp_path: Path) -> None:
    refuse_unless_empty(tmp_path)
    refuse_unless_empty(tmp_path / "missing")
    assert list(tmp_path.iterdir()) == []


def test_the_manifest_lists_the_previous_files_without_its_comment_or_blank_lines(
        tmp_path: Path) -> None:
    (tmp_path / ".jtai-site").write_bytes(
        "# Written by `jtai site`: the files of this site. Do not edit.\n"
        "index.html\n\nagency/é.html\n".encode())
    assert previous_files(tmp_path) == ["index.html", "agency/é.html"]


def test_a_manifest_that_cannot_be_read_is_refused_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / ".jtai-site").mkdir()
    with pytest.raises(CannotRun) as caught:
        previous_files(tmp_path)
    assert (caught.value.message, caught.value.hint) == (
        f"cannot read {tmp_path.as_posix()}/.jtai-site: Is a directory", "")


def test_a_file_named_as_the_site_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.write_bytes(b"mine\n")
    with pytest.raises(CannotRun) as caught:
        check_folder(target, force=True)
    assert (caught.value.message, caught.value.hint, caught.value.exit_code) == (
        f"-o {target.as_posix()}: this is a file, not a folder",
        "name a folder for the site, e.g. -o site", 2)
    assert target.read_bytes() == b"mine\n"


def test_a_folder_that_is_not_a_site_is_refused_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"mine\n")
    with pytest.raises(CannotRun) as caught:
        check_folder(tmp_path, force=False)
    assert (caught.value.message, caught.value.hint) == (
        f"-o {tmp_path.as_posix()}: this folder is not empty and is not a site jtai built "
        "(no .jtai-site in it); nothing was written",
        "name a new or empty folder, or add --force to write the site's files into it "
        "(other files there are kept)")
    assert check_folder(tmp_path, force=True) == []
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_bytes() == b"mine\n"


def test_every_plan_page_says_when_it_was_generated(
        jtai: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772323200")
    monkeypatch.chdir(REPO)
    out = tmp_path / "site"
    assert jtai("site", "-o", str(out)).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count(" Generated 2026-03-01 00:00 UTC from plan.yaml by jtai.</p>") == 1
