"""`jtai site`'s folder writing pinned exactly: which files a build writes, leaves unchanged
and removes, that it never touches anything outside the site's folder or not in its
manifest, and the exact refusals (message and hint) when it cannot write."""

from __future__ import annotations

import errno
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from conftest import REAL_PLAN
from jtaiplan.errors import CannotRun
from jtaiplan.history import gitio
from jtaiplan.planfile.loader import load_plan
from jtaiplan.scaffold.repository import NewFile, create_repository
from jtaiplan.views.site import SiteOptions, SitePlan, _Names, site_pages, update_entry
from jtaiplan.views.sitewrite import MANIFEST, SiteWrite, write_site


def _manifest(*names: str) -> bytes:
    return ("# Written by `jtai site`: the files of this site. Do not edit.\n"
            + "".join(f"{name}\n" for name in names)).encode("utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_new_site_writes_every_file_in_nested_folders(tmp_path: Path) -> None:
    files = {"index.html": b"<p>home</p>", "plans/reading/actions/a1.html": b"<p>a1</p>",
             "plans/reading/index.html": b"<p>r</p>", MANIFEST: _manifest("index.html")}
    result = write_site(files, tmp_path / "site")
    assert result == SiteWrite(written=["index.html", "plans/reading/actions/a1.html",
                                        "plans/reading/index.html", MANIFEST],
                               unchanged=[], removed=[])
    assert _tree(tmp_path / "site") == files


def test_a_folder_with_other_files_and_no_manifest_is_refused_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(b"mine")
    with pytest.raises(CannotRun) as caught:
        write_site({"index.html": b"x"}, folder)
    assert caught.value.message == (
        "-o work: this folder is not empty and is not a site jtai built "
        "(no .jtai-site in it); nothing was written")
    assert caught.value.hint == (
        "name a new or empty folder, or add --force to write the site's files "
        "into it (other files there are kept)")
    assert _tree(folder) == {"notes.txt": b"mine"}


def _built(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "site"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_a_rebuild_rewrites_only_changed_and_new_files(tmp_path: Path) -> None:
    folder = _built(tmp_path, {"a.html": b"same", "b.html": b"abcd", "CNAME": b"plan.example",
                               MANIFEST: _manifest("a.html", "b.html")})
    files = {"a.html": b"same", "b.html": b"wxyz", "c.html": b"new",
             MANIFEST: _manifest("a.html", "b.html", "c.html")}
    result = write_site(files, folder)
    assert result == SiteWrite(written=["b.html", "c.html", MANIFEST],
                               unchanged=["a.html"], removed=[])
    assert _tree(folder) == files | {"CNAME": b"plan.example"}


def test_a_rebuild_removes_pages_no_longer_built_and_their_emptied_folders(
        tmp_path: Path) -> None:
    folder = _built(tmp_path, {
        "index.html": b"i", "gone.html": b"g", "plans/old/index.html": b"o",
        "plans/kept/index.html": b"k", "plans/kept/extra.html": b"e", "logo.png": b"L",
        MANIFEST: _manifest("gone.html", "index.html", "missing.html",
                            "plans/kept/extra.html", "plans/kept/index.html",
                            "plans/old/index.html")})
    files = {"index.html": b"i", "plans/kept/index.html": b"k", MANIFEST: _manifest("x")}
    result = write_site(files, folder)
    assert result == SiteWrite(written=[MANIFEST], unchanged=["index.html",
                                                              "plans/kept/index.html"],
                               removed=["gone.html", "plans/kept/extra.html",
                                        "plans/old/index.html"])
    assert _tree(folder) == {"index.html": b"i", "logo.png": b"L", MANIFEST: _manifest("x"),
                             "plans/kept/index.html": b"k"}
    assert not (folder / "plans" / "old").exists()
    assert folder.is_dir()


def test_a_manifest_never_removes_outside_the_site_nor_a_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    folder = _built(tmp_path, {"index.html": b"i", "sub/page.html": b"p",
                               MANIFEST: _manifest("../outside.txt", "sub")})
    result = write_site({"index.html": b"i", MANIFEST: _manifest("index.html")}, folder)
    assert result == SiteWrite(written=[MANIFEST], unchanged=["index.html"], removed=[])
    assert outside.read_bytes() == b"keep"
    assert (folder / "sub" / "page.html").read_bytes() == b"p"


def test_a_file_where_a_folder_must_go_is_refused_naming_it(tmp_path: Path) -> None:
    folder = _built(tmp_path, {"plans": b"not a folder", MANIFEST: _manifest("index.html")})
    with pytest.raises(CannotRun) as caught:
        write_site({"plans/index.html": b"p"}, folder)
    assert caught.value.message == "cannot write site/plans: File exists"
    assert caught.value.hint == "the site may be half written: run jtai site again"


def test_an_error_without_a_file_name_names_the_site_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(CannotRun) as caught:
        write_site({"index.html": b"p"}, tmp_path / "site")
    assert caught.value.message == "cannot write site: No space left on device"
    assert caught.value.hint == "the site may be half written: run jtai site again"


def test_an_error_without_a_reason_is_shown_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def odd(self: Path, data: bytes) -> int:
        raise OSError("disk went away")
    monkeypatch.setattr(Path, "write_bytes", odd)
    with pytest.raises(CannotRun) as caught:
        write_site({"index.html": b"p"}, tmp_path / "site")
    assert caught.value.message == "cannot write site: disk went away"


# `jtai new`'s repository writing: all or nothing, exact refusals.

def _files(tmp_path: Path) -> list[NewFile]:
    return [NewFile("plan.yaml", "version: 1\n"), NewFile("docs/deep/é.md", "café\n")]


def test_a_new_repository_is_made_in_a_folder_whose_parents_are_missing(
        tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "plan"
    create_repository(folder, _files(tmp_path))
    assert {p: b for p, b in _tree(folder).items() if not p.startswith(".git/")} == {
        "plan.yaml": b"version: 1\n", "docs/deep/\u00e9.md": "café\n".encode()}
    assert (folder / ".git" / "HEAD").is_file()


def test_without_git_nothing_is_made_and_the_refusal_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    folder = tmp_path / "plan"
    with pytest.raises(CannotRun) as caught:
        create_repository(folder, _files(tmp_path))
    assert caught.value.message == ("git is not installed (or not on PATH); jtai new makes "
                                    "a git repository")
    assert caught.value.hint == "install git, then run jtai new again"
    assert not folder.exists()


def test_a_file_listed_twice_is_never_overwritten_and_nothing_is_left(
        tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    folder.mkdir()
    files = [NewFile("plan.yaml", "one\n"), NewFile("x/plan.yaml", "a\n"),
             NewFile("plan.yaml", "two\n")]
    with pytest.raises(CannotRun) as caught:
        create_repository(folder, files)
    assert caught.value.message == "plan/plan.yaml already exists; it was left as it is"
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_a_failure_keeps_its_own_error_when_the_new_folder_is_already_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cleaning up after a failure never replaces the failure the user needs to see."""
    def vanish(folder: Path, message: str) -> None:
        shutil.rmtree(folder)
        raise CannotRun("git init failed in plan: no message")
    monkeypatch.setattr(gitio, "init_and_commit", vanish)
    folder = tmp_path / "plan"
    with pytest.raises(CannotRun) as caught:
        create_repository(folder, _files(tmp_path))
    assert caught.value.message == "git init failed in plan: no message"
    assert not folder.exists()


# The site's pages: file names, links and history entries.

def test_agency_codes_that_differ_only_in_case_get_pages_apart() -> None:
    plan = cast(Any, SimpleNamespace(objectives=[]))
    index = cast(Any, SimpleNamespace(codes=lambda: ["x", "AB", "ab", "X", "Ab", "x-2"]))
    assert _Names.of(plan, index).agencies == {
        "AB": "agency-AB.html", "Ab": "agency-Ab-2.html", "X": "agency-X.html",
        "ab": "agency-ab-3.html", "x": "agency-x-2.html", "x-2": "agency-x-2-2.html"}


def test_a_history_entry_names_its_month_objective_and_action() -> None:
    objective = cast(Any, SimpleNamespace(number=3))
    action = cast(Any, SimpleNamespace(ref="3.2", action="Audit the front door"))
    update = cast(Any, SimpleNamespace(
        date=date(2025, 1, 31), by="Ann", note="n", evidence="e", impact_evidence="i",
        reason="r", changes={"due_date": SimpleNamespace(old="2025-01-01", new="2025-02-01")}))
    assert update_entry(objective, action, update, 7) == {
        "date": "2025-01-31", "month": "January 2025", "ref": "3.2", "objective": 3,
        "action": "Audit the front door", "by": "Ann",
        "changes": [{"field": "due date", "old": "2025-01-01", "new": "2025-02-01"}],
        "note": "n", "evidence": "e", "impact_evidence": "i", "reason": "r", "position": 7}


def test_one_plan_links_to_no_portfolio_and_several_plans_share_a_home() -> None:
    loaded = load_plan(REAL_PLAN)
    options = SiteOptions(as_of=date(2025, 6, 1))
    alone = site_pages([SitePlan("reading", loaded)], options)
    assert {page.context["pages"]["portfolio"] for page in alone} == {None}
    assert alone[0].context["plan_id"] is None
    both = site_pages([SitePlan("a", loaded), SitePlan("b", loaded)], options)
    home = both[0]
    assert (home.path, home.template) == ("index.html", "site/portfolio.html.j2")
    assert home.context["pages"] == {"style": "style.css", "home": "index.html",
                                     "portfolio": None}
    assert home.context["filters"] == {}
    assert {page.context["pages"]["portfolio"] for page in both[1:]} == {"../index.html"}
