"""The validated-plan cache's switches, folder check and key, pinned exactly: which words
turn a flag off, when a folder or key is trusted, and how the key file is made (its mode,
its folder's mode, a key another run made first)."""

from __future__ import annotations

import os
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers_plans import SMALL_PLAN
from jtaiplan.errors import CannotRun, PlanInvalid, UpdateRefused
from jtaiplan.planfile import atomicfile, blockyaml, plancache
from jtaiplan.planfile.agency_edit import AgencyOutcome, FileChange, RegistryEdit, change_registry
from jtaiplan.planfile.portfolio import load_each, load_portfolio
from jtaiplan.planfile.schemacopy import SCHEMA_FILE, Found, schema_beside
from jtaiplan.planfile.skeleton import skeleton
from jtaiplan.planfile.sourcemap import Position, SourceMap
from jtaiplan.planfile.textedit import Splice
from jtaiplan.planfile.textfile import read_source
from jtaiplan.planfile.writer import unified_diff


@pytest.fixture(autouse=True)
def fresh_cache_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plancache, "_CHECKED", {})
    monkeypatch.setattr(plancache, "_KEYS", {})
    monkeypatch.setattr(plancache, "_REASONS", {})
    monkeypatch.delenv("JTAI_DEBUG", raising=False)


@pytest.mark.parametrize("value", ["", "0", "false", " False ", "FALSE", "no", "No", "NO"])
def test_ci_set_to_a_word_for_off_leaves_the_cache_on(
        value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", value)
    assert plancache.cache_folder() == tmp_path / "cache"


@pytest.mark.parametrize("value", ["1", "true", "yes", "XX0XX", "XXfalseXX", "XXnoXX"])
def test_ci_set_to_anything_else_turns_the_cache_off(
        value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CI", value)
    assert plancache.cache_folder() is None


def test_on_windows_only_the_existence_of_a_file_is_checked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "cache.key"
    key.write_bytes(b"k")
    key.chmod(0o666)
    assert plancache._private(key, 0o077) == (
        f"{key} can be written or read by others (mode 666)")
    monkeypatch.setattr(sys, "platform", "win32")
    assert plancache._private(key, 0o077) is None


def test_a_cache_folder_others_may_only_enter_is_usable(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o711)
    assert plancache._usable(folder) is True
    assert plancache._REASONS == {}


def test_a_cache_folder_others_may_write_is_not_usable(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    folder.chmod(0o702)
    assert plancache._usable(folder) is False
    reasons = plancache._REASONS
    assert reasons == {
        f"{folder} can be written or read by others (mode 702)":
            f"{folder} can be written or read by others (mode 702)"}


def test_a_cache_folder_not_made_yet_is_not_usable_and_looked_at_again(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    assert plancache._usable(folder) is False
    assert plancache._CHECKED == {}
    folder.mkdir(mode=0o700)
    assert plancache._usable(folder) is True


def test_a_key_is_made_private_in_a_private_folder(tmp_path: Path) -> None:
    os.umask(old := os.umask(0o022))
    try:
        path = tmp_path / "config" / "jtaiplan" / "cache.key"
        key = plancache._read_key(path, True)
        assert key is not None
        assert len(key) == 32
        assert path.read_bytes() == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert plancache._read_key(path, True) == key
        assert plancache._read_key(path, False) == key
    finally:
        os.umask(old)


def test_a_key_is_made_in_a_folder_that_is_already_there(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    key = plancache._read_key(path, True)
    assert key is not None
    assert path.read_bytes() == key
    assert len(key) == 32


def test_without_create_a_missing_key_is_not_made(tmp_path: Path) -> None:
    path = tmp_path / "config" / "cache.key"
    assert plancache._read_key(path, False) is None
    assert not path.exists()
    assert not path.parent.exists()


def test_a_key_that_cannot_be_made_is_none(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("a file where the folder should be", encoding="utf-8")
    assert plancache._read_key(tmp_path / "config" / "cache.key", True) is None


def test_a_key_another_run_made_first_is_read_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.key"
    theirs = bytes(range(32))
    real_open = os.open

    def other_run_first(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        if not path.exists():
            path.write_bytes(theirs)
            path.chmod(0o600)
        return real_open(file, flags, mode)

    monkeypatch.setattr(os, "open", other_run_first)
    assert plancache._read_key(path, True) == theirs
    assert path.read_bytes() == theirs


def test_a_key_of_the_wrong_length_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    path.write_bytes(b"short")
    path.chmod(0o600)
    assert plancache._read_key(path, False) is None
    assert plancache._read_key(path, True) is None


def test_a_key_open_to_others_turns_the_cache_off_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JTAI_DEBUG", "1")
    path = tmp_path / "cache.key"
    path.write_bytes(bytes(32))
    path.chmod(0o640)
    assert plancache._read_key(path, False) is None
    reason = f"{path} can be written or read by others (mode 640)"
    reasons = plancache._REASONS
    assert reasons == {reason: reason}
    assert capsys.readouterr().err == f"jtai: cache off for this run: {reason}\n"


# -- the agency commands' change: dry run, refusals, a file changed meanwhile ---------------

AGENCY_PLAN = SMALL_PLAN

SHARED_PLAN = AGENCY_PLAN.replace("agencies:\n  - code: Police\n    name: Police\n",
                                  "agencies_from: agencies.yaml\n")
SHARED = "version: 1\nagencies:\n  - code: Police\n    name: Police\n"


def _splice(text: str, old: str, new: str) -> Splice:
    start = text.index(old)
    return Splice(start, start + len(old), new)


def test_a_dry_run_names_each_file_and_its_diff_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("plan.yaml")
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    outcome = change_registry(path, lambda e: e.alias("Police", ["TVP"]), dry_run=True)
    assert outcome.summary == "Police: alias TVP added"
    diff = unified_diff(AGENCY_PLAN, AGENCY_PLAN.replace(
        "    name: Police\n", "    name: Police\n    aliases: [TVP]\n", 1), "plan.yaml")
    assert outcome.files == [FileChange(path, diff, False)]
    assert path.read_text(encoding="utf-8") == AGENCY_PLAN
    written = change_registry(path, lambda e: e.alias("Police", ["TVP"]))
    assert written.files == [FileChange(path, diff, True)]


def test_a_change_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    outcome = change_registry(path, lambda e: e.alias("Police", ["Police"]))
    assert outcome == AgencyOutcome("Police already has every alias given", [])
    assert path.read_text(encoding="utf-8") == AGENCY_PLAN


def test_a_plan_changed_on_disk_meanwhile_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("plan.yaml")
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    meanwhile = AGENCY_PLAN.replace("Joint visits", "Joint home visits")

    def change(edit: RegistryEdit) -> str:
        summary = edit.alias("Police", ["TVP"])
        path.write_text(meanwhile, encoding="utf-8")
        return summary

    with pytest.raises(UpdateRefused) as caught:
        change_registry(path, change)
    assert (caught.value.message, caught.value.hint, caught.value.findings) == (
        "plan.yaml changed on disk while jtai was working", "run the command again", [])
    assert path.read_text(encoding="utf-8") == meanwhile


def test_a_change_that_would_make_the_plan_invalid_is_refused_with_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("plan.yaml")
    path.write_text(AGENCY_PLAN, encoding="utf-8")

    def change(edit: RegistryEdit) -> str:
        edit.plan.splices.append(_splice(AGENCY_PLAN, "progress: Green", "progress: Purple"))
        return "changed"

    with pytest.raises(UpdateRefused) as caught:
        change_registry(path, change)
    refusal = caught.value
    assert refusal.message == "the change would make the plan invalid"
    assert [(f.file, f.line, f.column) for f in refusal.findings] == [
        ("plan.yaml (as it would be after the change)", 14, 19)]
    assert path.read_text(encoding="utf-8") == AGENCY_PLAN


def test_a_change_that_would_make_the_shared_registry_invalid_is_refused_with_its_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(SHARED_PLAN, encoding="utf-8")
    Path("agencies.yaml").write_text(SHARED, encoding="utf-8")

    def change(edit: RegistryEdit) -> str:
        assert edit.shared is not None
        edit.shared.splices.append(_splice(SHARED, "version: 1", "version: 7"))
        return "changed"

    with pytest.raises(UpdateRefused) as caught:
        change_registry(Path("plan.yaml"), change)
    refusal = caught.value
    assert refusal.message == "the change would make the shared registry invalid"
    assert [(f.file, f.line, f.column) for f in refusal.findings] == [
        ("agencies.yaml (as it would be after the change)", 1, 10)]
    assert Path("agencies.yaml").read_text(encoding="utf-8") == SHARED



def test_the_agency_commands_read_the_plan_through_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan just read is validated once and stored, so the next command reads it back."""
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(plancache, "_PRUNED", set())
    path = tmp_path / "plan.yaml"
    path.write_text(AGENCY_PLAN, encoding="utf-8")
    change_registry(path, lambda e: e.alias("Police", ["Police"]))
    assert plancache.read(read_source(path), "plan") is not None


# -- block YAML: what only ruamel writes -----------------------------------------------------

@pytest.mark.parametrize("data", [
    {"a\nb": 1},
    {"items": [[1]]},
    {"items": [{}]},
    {"items": [None]},
    {"items": [[]]},
])
def test_a_multi_line_key_and_a_list_item_that_is_a_list_empty_or_null_are_left_to_ruamel(
        data: dict[str, Any]) -> None:
    assert blockyaml.dump(data) is None


def test_a_key_with_a_colon_is_quoted_like_a_value() -> None:
    assert blockyaml.dump({"a: b": 1, "items": [{"k": "v"}, 2]}) == (
        "'a: b': 1\nitems:\n  - k: v\n  - 2\n")


# -- the schema copy beside a new plan -------------------------------------------------------

def test_a_schema_copy_that_cannot_be_read_counts_as_different(tmp_path: Path) -> None:
    (tmp_path / SCHEMA_FILE).mkdir()
    assert schema_beside(tmp_path / "plan.yaml").found is Found.DIFFERENT
    (tmp_path / SCHEMA_FILE).rmdir()
    (tmp_path / SCHEMA_FILE).write_bytes(b"\xff\xfe not UTF-8")
    assert schema_beside(tmp_path / "plan.yaml").found is Found.DIFFERENT


def test_a_schema_copy_made_by_someone_else_meanwhile_is_left_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy = schema_beside(Path("plan.yaml"))
    assert copy.found is Found.NONE
    Path(SCHEMA_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        copy.write()
    assert str(caught.value) == f"{SCHEMA_FILE} already exists; it was left as it is"
    assert Path(SCHEMA_FILE).read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SCHEMA_FILE]


def test_without_hard_links_a_new_file_is_still_made_only_if_its_name_is_free(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: Path, target: Path) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.chdir(tmp_path)
    copy = schema_beside(Path("plan.yaml"))
    copy.write()
    assert Path(SCHEMA_FILE).read_text(encoding="utf-8") == copy.text
    assert sorted(p.name for p in tmp_path.iterdir()) == [SCHEMA_FILE]
    with pytest.raises(CannotRun) as caught:
        atomicfile.write_atomic(Path(SCHEMA_FILE), b"{}", exclusive=True)
    assert str(caught.value) == (
        f"cannot write {SCHEMA_FILE}: File exists; it was left as it was")
    assert Path(SCHEMA_FILE).read_text(encoding="utf-8") == copy.text
    assert sorted(p.name for p in tmp_path.iterdir()) == [SCHEMA_FILE]


def test_a_change_only_to_the_shared_registry_still_checks_the_plan_against_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(SHARED_PLAN, encoding="utf-8")
    Path("agencies.yaml").write_text(SHARED, encoding="utf-8")

    def change(edit: RegistryEdit) -> str:
        assert edit.shared is not None
        edit.shared.splices.append(_splice(SHARED, "code: Police\n    name: Police",
                                           "code: TVP\n    name: Thames Valley Police"))
        return "changed"

    with pytest.raises(UpdateRefused) as caught:
        change_registry(Path("plan.yaml"), change)
    assert caught.value.message == "the change would make the plan invalid"
    assert [(f.code, f.message, f.file, f.line) for f in caught.value.findings] == [
        ("JTAI203", "lead 'Police' of objective 1 is not a registered agency",
         "plan.yaml (as it would be after the change)", 7),
        ("JTAI203", "owner 'Police' of 1.1 is not a registered agency",
         "plan.yaml (as it would be after the change)", 11)]
    assert Path("agencies.yaml").read_text(encoding="utf-8") == SHARED


# -- several plans: integrity checked unless asked not to, the duplicate-id hint --------------

UNREGISTERED = AGENCY_PLAN.replace("owners: [Police]", "owners: [Nobody]")


def test_a_portfolio_checks_each_plans_integrity_unless_told_not_to(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(UNREGISTERED, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_portfolio([tmp_path])
    assert [f.message for f in caught.value.findings] == [
        "owner 'Nobody' of 1.1 is not a registered agency"]
    loose = load_portfolio([tmp_path], integrity=False)
    assert [e.loaded.plan.objectives[0].actions[0].owners for e in loose.entries] == [
        ["Nobody"]]


def test_each_plan_read_one_by_one_checks_integrity_unless_told_not_to(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(UNREGISTERED, encoding="utf-8")
    each, notes = load_each([tmp_path])
    results = list(each)
    assert notes == []
    assert [type(r).__name__ for r in results] == ["PlanInvalid"]
    assert isinstance(results[0], PlanInvalid)
    assert [f.message for f in results[0].findings] == [
        "owner 'Nobody' of 1.1 is not a registered agency"]
    loose, _ = load_each([tmp_path], integrity=False)
    assert [type(r).__name__ for r in loose] == ["LoadedPlan"]


def test_two_plans_with_one_id_are_refused_with_how_to_fix_it(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("id: same\n" + AGENCY_PLAN, encoding="utf-8")
    with pytest.raises(CannotRun) as caught:
        load_portfolio([tmp_path])
    assert caught.value.hint == "give one of them its own id: key (e.g. id: wokingham-ilacs)"


# -- the new plan's skeleton and where findings stand ----------------------------------------

def test_the_skeletons_example_is_led_by_the_last_agency_and_owned_by_the_first_two() -> None:
    text = skeleton("Reading", date(2025, 3, 10), agencies=[
        ("A", "Alpha", ["Al", "Alf"]), ("B", "Beta", []), ("C", "Gamma", [])])
    lines = text.splitlines()
    assert "    lead: C" in lines
    assert "        owners: [A, B]" in lines
    assert "    aliases: [Al, Alf]" in lines
    assert lines.count("    aliases: [Al, Alf]") == 1


def test_a_finding_past_the_last_item_of_a_list_stands_at_the_list() -> None:
    source = SourceMap(yaml.compose("items:\n  - a\n  - b\n"))
    assert source.locate(("items", 1)) == Position(3, 5)
    assert source.locate(("items", 2)) == Position(2, 3)
    assert source.node(("items", 2))[1] is False


def test_a_key_is_made_in_binary_mode_where_the_platform_has_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``O_BINARY`` exists only on Windows; given one, the key file is opened with it."""
    binary = 0x40000000
    monkeypatch.setattr(os, "O_BINARY", binary, raising=False)
    seen: list[int] = []
    real_open = os.open

    def recording(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        seen.append(flags)
        return real_open(file, flags & ~binary, mode)

    monkeypatch.setattr(os, "open", recording)
    assert plancache._read_key(tmp_path / "cache.key", True) is not None
    assert seen == [os.O_WRONLY | os.O_CREAT | os.O_EXCL | binary]
