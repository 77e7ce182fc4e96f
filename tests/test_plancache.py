"""The validated-plan cache (issue 15): faster, never different.

A file read before byte for byte comes back from the cache without PyYAML or pydantic; a
changed file, a damaged entry, another version's entry or an unusable folder is a miss and
the plan is read as if there were no cache.
"""

from __future__ import annotations

import hmac
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from jtaiplan.errors import PlanInvalid
from jtaiplan.planfile import loader, plancache
from jtaiplan.planfile.loader import load_plan
from jtaiplan.planfile.textfile import SourceText


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("JTAI_CACHE_DIR", str(folder))
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)  # CI turns the cache off; these test it on
    # A key of the test's own: some tests spoil theirs, and the run's is shared.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(plancache, "_CHECKED", {})
    monkeypatch.setattr(plancache, "_KEYS", {})
    monkeypatch.setattr(plancache, "_REASONS", {})
    return folder


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files each load had to validate (a cache miss), in order."""
    seen: list[str] = []
    real = loader._validate

    def counting(source):  # type: ignore[no-untyped-def]
        seen.append(source.path.name)
        return real(source)

    monkeypatch.setattr(loader, "_validate", counting)
    return seen


def test_a_second_load_of_the_same_bytes_is_a_hit_and_equal(
        plan_copy: Path, cache: Path, validations: list[str]) -> None:
    first = load_plan(plan_copy)
    second = load_plan(plan_copy)
    assert validations == ["plan.yaml"]
    assert second.plan == first.plan
    assert second.data == first.data
    assert second.plan is not first.plan
    assert len(list(cache.glob("jtai-*.cache"))) == 1


def test_positions_of_a_cached_plan_are_found_when_asked(
        plan_copy: Path, cache: Path, validations: list[str]) -> None:
    load_plan(plan_copy)
    cached = load_plan(plan_copy)
    assert validations == ["plan.yaml"]
    where = cached.sourcemap.locate(("objectives", 1, "actions", 2, "complete_by"))
    fresh = loader._validate(cached.source)[2].locate(
        ("objectives", 1, "actions", 2, "complete_by"))
    assert where is not None and where == fresh


def test_a_changed_file_is_validated_again(
        plan_copy: Path, cache: Path, validations: list[str]) -> None:
    load_plan(plan_copy)
    plan_copy.write_bytes(plan_copy.read_bytes() + b"# a comment\n")
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]


def test_a_file_made_invalid_after_a_hit_is_reported_with_its_line(
        plan_copy: Path, cache: Path) -> None:
    load_plan(plan_copy)
    text = plan_copy.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "progress:" in row)
    plan_copy.write_text(text.replace("progress: ", "progress: Purple #", 1), encoding="utf-8")
    with pytest.raises(PlanInvalid) as raised:
        load_plan(plan_copy)
    assert [(f.code, f.line) for f in raised.value.findings] == [("JTAI002", line)]


def test_an_integrity_problem_is_found_again_on_a_hit_at_the_same_line(
        plan_copy: Path, cache: Path, validations: list[str]) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text.replace("owners: [TVP]", "owners: [NOBODY]", 1),
                         encoding="utf-8")
    found = []
    for _ in range(2):
        with pytest.raises(PlanInvalid) as raised:
            load_plan(plan_copy)
        found.append([(f.code, f.line, f.message) for f in raised.value.findings])
    assert validations == ["plan.yaml"]
    assert found[0] == found[1]
    assert found[0] == [("JTAI203", 282, "owner 'NOBODY' of 8.1 is not a registered agency")]


@pytest.mark.parametrize("damage", [b"", b"jtaiplc1", b"garbage" * 10, "truncate"])
def test_a_damaged_entry_is_a_miss_and_is_replaced(
        plan_copy: Path, cache: Path, validations: list[str], damage: bytes | str) -> None:
    load_plan(plan_copy)
    (entry,) = cache.glob("jtai-*.cache")
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2] if damage == "truncate" else damage)
    assert load_plan(plan_copy).plan.inspection.area == "Reading"
    assert entry.read_bytes() == whole
    assert validations == ["plan.yaml", "plan.yaml"]


def test_an_entry_made_by_other_code_is_a_miss(
        plan_copy: Path, cache: Path, validations: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    load_plan(plan_copy)
    monkeypatch.setattr(plancache, "_STAMPS", {"plan": b"\0" * 32})
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]


def test_the_stamp_follows_the_validating_code(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed deciding module (an editable install being worked on) is another stamp."""
    package = tmp_path / "jtaiplan"
    for name in plancache._DECIDING:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("x = 1\n")
    monkeypatch.setattr(plancache, "__file__", str(package / "planfile" / "plancache.py"))
    monkeypatch.setattr(plancache, "_STAMPS", {})
    before = plancache._stamp("plan")
    (package / "plan" / "constraints.py").write_text("x = 22\n")
    monkeypatch.setattr(plancache, "_STAMPS", {})
    assert plancache._stamp("plan") != before


def test_no_cache_when_turned_off(plan_copy: Path, cache: Path, validations: list[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTAI_NO_CACHE", "1")
    load_plan(plan_copy)
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]
    assert not cache.exists()


def test_a_folder_that_cannot_be_used_never_fails_a_run(
        plan_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        jtai: Invoke) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("JTAI_CACHE_DIR", str(blocker / "cache"))
    for _ in range(2):
        result = jtai("status", "--plan", str(plan_copy), "--as-of", "2026-01-01",
                        "--format", "json")
        assert result.exit_code == 0, result.output
    assert blocker.read_text() == "a file where the cache folder should be\n"


def test_the_platform_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JTAI_CACHE_DIR", raising=False)
    monkeypatch.delenv("JTAI_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)  # .ci/run sets it, and it turns the cache off
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert plancache.cache_folder() == tmp_path / "xdg" / "jtaiplan"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert plancache.cache_folder() == tmp_path / "local" / "jtaiplan" / "Cache"
    monkeypatch.setenv("JTAI_CACHE_DIR", str(tmp_path / "mine"))
    assert plancache.cache_folder() == tmp_path / "mine"


def test_a_shared_registry_is_cached_and_its_changes_are_seen(
        tmp_path: Path, cache: Path, jtai: Invoke) -> None:
    shared = tmp_path / "agencies.yaml"
    shared.write_text("agencies:\n  - {code: TVP, name: Thames Valley Police}\n",
                      encoding="utf-8")
    text = REAL_PLAN.read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("agencies:\n", "agencies_from: agencies.yaml\nagencies:\n", 1),
                    encoding="utf-8")
    args = ("lint", "--plan", str(plan), "--as-of", "2025-07-01", "--select", "JTAI207",
            "--format", "json")
    assert jtai(*args).exit_code == 0
    assert jtai(*args).exit_code == 0
    assert len(list(cache.glob("jtai-*.cache"))) == 2  # the plan and the registry
    shared.write_text("agencies:\n  - {code: TVP, name: Thames Valley Constabulary}\n",
                      encoding="utf-8")
    result = jtai(*args)
    assert result.exit_code == 1, result.output
    assert [f["code"] for f in json.loads(result.stdout)] == ["JTAI207"]


def _modules_after(args: list[str], env: dict[str, str]) -> set[str]:
    probe = ("import atexit, json, sys\nfrom jtaiplan.cli.main import main\n"
             "atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in "
             "sys.modules})), file=sys.stderr))\n"
             f"sys.argv = ['jtai', *{args!r}]\nmain()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_status_from_the_cache_imports_neither_pydantic_nor_pyyaml(
        plan_copy: Path, cache: Path) -> None:
    env = {**os.environ, "JTAI_CACHE_DIR": str(cache)}
    args = ["status", "--plan", str(plan_copy), "--as-of", "2026-01-01", "--format", "json"]
    assert {"pydantic", "yaml"} <= _modules_after(args, env)  # the first run validates
    assert {"pydantic", "yaml"} & _modules_after(args, env) == set()


def test_text_edited_in_memory_is_never_taken_for_the_file_read_before(
        plan_copy: Path, cache: Path, validations: list[str]) -> None:
    """`jtai apply` pairs a file's bytes with the text each change leaves: that text is
    validated, never served as the plan the bytes gave."""
    from jtaiplan.planfile.loader import parse_plan
    from jtaiplan.planfile.textfile import SourceText

    first = load_plan(plan_copy)
    edited = first.source.text.replace("progress: Green", "progress: Red", 1)
    for cached in (False, True):
        after = parse_plan(SourceText(plan_copy, edited, first.source.newline,
                                      first.source.bom, first.source.raw), cached=cached)
        assert after.plan != first.plan
        assert sum(a.progress == "Red" for a in after.plan.actions()) == \
            sum(a.progress == "Red" for a in first.plan.actions()) + 1
    assert validations == ["plan.yaml"] * 3


def test_the_folder_keeps_the_most_recent_entries_once_a_run(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run (a process) prunes once, after its first write: the runs below load one
    new plan each and the folder keeps 3; a run that writes 3 prunes after the first."""
    monkeypatch.setattr(plancache, "KEEP", 3)
    pruned: set[Path] = set()
    monkeypatch.setattr(plancache, "_PRUNED", pruned)
    plans = []
    for k in range(5):
        path = tmp_path / f"plan-{k}.yaml"
        path.write_bytes(REAL_PLAN.read_bytes())
        plans.append(path)
        pruned.clear()  # a new run
        load_plan(path)
        assert len(list(cache.glob("jtai-*.cache"))) == min(k + 1, 3)
    newest = {plancache._entry(load_plan(p).source, "plan") for p in plans[2:]}
    assert set(cache.glob("jtai-*.cache")) == newest
    pruned.clear()
    for k in range(5, 8):
        path = tmp_path / f"plan-{k}.yaml"
        path.write_bytes(REAL_PLAN.read_bytes())
        load_plan(path)
    assert len(list(cache.glob("jtai-*.cache"))) == 5  # 3 kept after the first, then 2 more


def test_import_reads_the_agencies_of_a_plan_read_before_from_the_cache(
        plan_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jtaiplan.office.intake.importer import load_agencies
    from jtaiplan.planfile import yamlread

    fresh = load_agencies(plan_copy)
    load_plan(plan_copy)

    def no_parsing(source):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlread, "compose", no_parsing)
    assert load_agencies(plan_copy) == fresh
    assert [a.code for a in fresh][:3] == ["BFfC", "TVP", "BWSCP"]


# --- what a cache folder may hold and who may write it (issue 21) -------------------------


def _planted(source: SourceText, body: bytes, mac: bytes = b"\0" * 32) -> bytes:
    """An entry with the right name and header (both derivable from public facts)."""
    return (plancache._MAGIC + plancache._stamp("plan") + plancache._content_digest(source)
            + mac + body)


class _Marker:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        # Unpickling this opens (creates) the marker file: code run by a read.
        return (open, (self.path, "w"))


def test_a_planted_entry_never_runs_code(plan_copy: Path, cache: Path,
                                         validations: list[str], tmp_path: Path) -> None:
    first = load_plan(plan_copy)
    (entry,) = cache.glob("jtai-*.cache")
    marker = tmp_path / "ran"
    body = pickle.dumps((_Marker(str(marker)), None))
    for mac in (b"\0" * 32, hmac.new(b"k" * 32, body, "sha256").digest()):
        entry.write_bytes(_planted(first.source, body, mac))
        assert load_plan(plan_copy).plan == first.plan
        assert not marker.exists()
    assert validations == ["plan.yaml"] * 3


def test_an_entry_of_the_wrong_shape_is_a_miss(plan_copy: Path, cache: Path,
                                               validations: list[str], jtai: Invoke) -> None:
    first = load_plan(plan_copy)
    (entry,) = cache.glob("jtai-*.cache")
    key = plancache._key(False)
    assert key is not None
    head = _planted(first.source, b"")[:-32]
    for shape in (("x", 1), {"a": 1}, (first.data, first.data), (None, first.plan), 7):
        body = pickle.dumps(shape)
        entry.write_bytes(head + plancache._mac(key, head, body) + body)
        assert plancache.read(first.source, "plan") is None
        assert load_plan(plan_copy).plan == first.plan
        entry.write_bytes(head + plancache._mac(key, head, body) + body)
        result = jtai("status", "--plan", str(plan_copy), "--as-of", "2026-01-01",
                      "--format", "json")
        assert result.exit_code == 0, result.stderr
    assert validations == ["plan.yaml"] * 11


def test_pruning_removes_only_jtais_own_entries(tmp_path: Path, cache: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plancache, "KEEP", 1)
    monkeypatch.setattr(plancache, "_PRUNED", set())
    cache.mkdir(mode=0o700)
    foreign = ["results.pickle", "jtai-notes.cache", f"{'a' * 40}.pickle", "x.cache"]
    for name in foreign:
        (cache / name).write_text("someone else's\n")
    for k in range(3):
        path = tmp_path / f"plan-{k}.yaml"
        path.write_bytes(REAL_PLAN.read_bytes())
        plancache._PRUNED.clear()
        load_plan(path)
    assert sorted(p.name for p in cache.iterdir() if not plancache._OWN.match(p.name)) == \
        sorted(foreign)
    assert len([p for p in cache.iterdir() if plancache._OWN.match(p.name)]) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_not_used(plan_copy: Path, cache: Path,
                                               validations: list[str], mode: int,
                                               jtai: Invoke) -> None:
    cache.mkdir()
    cache.chmod(mode)
    load_plan(plan_copy)
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]
    assert list(cache.iterdir()) == []
    for run in (plancache._CHECKED, plancache._REASONS):
        run.clear()  # each jtai run looks once
    quiet = jtai("status", "--plan", str(plan_copy), "--as-of", "2026-01-01")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    for run in (plancache._CHECKED, plancache._REASONS):
        run.clear()
    said = jtai("--debug", "status", "--plan", str(plan_copy), "--as-of", "2026-01-01")
    assert said.exit_code == 0
    assert said.stderr == f"jtai: cache off for this run: {cache} can be written or read " \
        f"by others (mode {mode:o})\n"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0,
                    reason="making a folder another user's needs root")
def test_a_folder_of_another_user_is_not_used(plan_copy: Path, cache: Path,
                                              validations: list[str]) -> None:
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, -1)
    load_plan(plan_copy)
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_key_is_private_and_outside_the_folder(plan_copy: Path, cache: Path,
                                                   validations: list[str]) -> None:
    load_plan(plan_copy)
    key = plancache.key_file()
    assert cache not in key.parents
    assert (key.stat().st_mode & 0o777, len(key.read_bytes())) == (0o600, 32)
    key.chmod(0o644)  # readable by others: anyone could sign an entry
    plancache._KEYS.clear()
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]


@pytest.mark.parametrize("value", ["1", "true"])
def test_ci_turns_the_cache_off(plan_copy: Path, cache: Path, validations: list[str],
                                monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    load_plan(plan_copy)
    load_plan(plan_copy)
    assert validations == ["plan.yaml", "plan.yaml"]
    assert not cache.exists()
