"""Writing never loses or damages anything: line endings, BOM, non-English text,
permissions and symlinks are kept; a file changed meanwhile is not overwritten; concurrent
writers are serialised; a writer killed at any moment leaves a whole plan."""

from __future__ import annotations

import errno
import os
import random
import re
import select
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import jtaiplan.planfile.edit
from conftest import REAL_PLAN, Invoke
from helpers_plans import POLISH, URDU, WELSH, changed_lines, make_plan
from jtaiplan.errors import UpdateRefused
from jtaiplan.plan.model import RAG
from jtaiplan.planfile.edit import EditResult, UpdateRequest, update_action
from jtaiplan.planfile.loader import LoadedPlan, load_plan
from jtaiplan.planfile.lockplace import lock_file
from jtaiplan.planfile.writer import change_plan

ON = "2025-07-02"
UPDATE = ["update", "2.2", "--progress", "amber", "--note", "Workshop moved", "--by", "X",
          "--on", ON]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, symlinks and signals")


def leftovers(folder: Path) -> list[str]:
    """Files in ``folder`` other than the plan (its lock lives elsewhere: ``lockplace``)."""
    return sorted(p.name for p in folder.iterdir() if p.name != "plan.yaml")


def updated_lf(jtai: Invoke, tmp_path: Path, args: list[str]) -> bytes:
    """The real plan after ``args``, written with LF and no BOM: the reference result."""
    folder = tmp_path / "reference"
    folder.mkdir()
    plan = folder / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    result = jtai(*args, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    return plan.read_bytes()


# -- 5. what the file was is what it stays --------------------------------------------------


@pytest.mark.parametrize(("crlf", "bom"), [(True, False), (False, True), (True, True)])
def test_crlf_and_bom_are_kept(jtai: Invoke, tmp_path: Path, crlf: bool, bom: bool) -> None:
    expected = updated_lf(jtai, tmp_path, UPDATE)
    original = REAL_PLAN.read_bytes()
    if crlf:
        original, expected = (b.replace(b"\n", b"\r\n") for b in (original, expected))
    if bom:
        original, expected = (b"\xef\xbb\xbf" + b for b in (original, expected))
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(original)

    result = jtai(*UPDATE, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    written = plan.read_bytes()
    assert written == expected
    assert written.startswith(b"\xef\xbb\xbf") == bom
    assert written.count(b"\xef\xbb\xbf") == int(bom)
    if crlf:
        assert written.count(b"\n") == written.count(b"\r\n") > 300
    else:
        assert b"\r" not in written

    # A second change, and a no-op fmt, keep them too.
    assert jtai("complete", "2.2", "--evidence", "Minutes", "--by", "X", "--on", ON,
                "--plan", str(plan)).exit_code == 0
    written = plan.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") == bom
    assert (written.count(b"\n") == written.count(b"\r\n")) == crlf
    assert jtai("fmt", "--plan", str(plan)).exit_code == 0
    assert plan.read_bytes() == written


def test_welsh_polish_urdu_text_survives(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(12, seed=7), encoding="utf-8")
    note = f"{WELSH} – {POLISH} – {URDU}: “agreed”"
    before = plan.read_text(encoding="utf-8")
    for word in (WELSH, POLISH, URDU):
        assert word in before

    result = jtai("update", "1.1", "--note", note, "--by", "Siân Evans", "--on", ON,
                  "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert jtai("add", "1", "--action", f"Meet {URDU} and {WELSH}", "--owner", URDU,
                "--theme", "Information Sharing", "--plan-type", "Operational", "--due",
                "2026-01-31", "--by", "Łukasz Nowak", "--on", ON,
                "--plan", str(plan)).exit_code == 0

    raw = plan.read_bytes()
    text = raw.decode("utf-8")  # still UTF-8, and the words as words, never escaped
    for word in (WELSH, POLISH, URDU, "Siân Evans", "Łukasz Nowak", "“agreed”"):
        assert word.encode("utf-8") in raw
    assert "\\u" not in text and "\\x" not in text
    removed, _added = changed_lines(before, text)
    assert removed == []  # every existing line kept, byte for byte

    loaded = load_plan(plan)
    first = loaded.plan.actions()[0]
    assert first.updates[-1].note == note
    assert first.updates[-1].by == "Siân Evans"
    new = loaded.plan.objectives[0].actions[-1]
    assert new.action == f"Meet {URDU} and {WELSH}"
    assert new.owners == ["URDU"]


@POSIX
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664, 0o444])
def test_permissions_are_kept(jtai: Invoke, plan_copy: Path, mode: int) -> None:
    plan_copy.chmod(mode)
    try:
        result = jtai(*UPDATE, "--plan", str(plan_copy))
        assert result.exit_code == 0, result.stderr
        assert stat.S_IMODE(plan_copy.stat().st_mode) == mode
        assert action_progress(plan_copy, "2.2") is RAG.AMBER
    finally:
        plan_copy.chmod(0o644)


@POSIX
def test_new_plan_gets_ordinary_permissions(jtai: Invoke, tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        assert jtai("init", str(tmp_path / "plan.yaml")).exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "plan.yaml").stat().st_mode) == 0o640


@POSIX
def test_symlinked_plan_stays_a_symlink(jtai: Invoke, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "plan.yaml"
    shutil.copyfile(REAL_PLAN, target)
    (tmp_path / "work").mkdir()
    link = tmp_path / "work" / "plan.yaml"
    link.symlink_to(Path("..") / "shared" / "plan.yaml")

    result = jtai(*UPDATE, "--plan", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert link.readlink() == Path("..") / "shared" / "plan.yaml"
    assert action_progress(target, "2.2") is RAG.AMBER
    assert link.read_bytes() == target.read_bytes()
    # The lock is keyed by the real file, so writers through the link and through the
    # real path are serialised by the same lock.
    assert lock_file(link.resolve()) == lock_file(target)
    assert lock_file(link.resolve()).exists()
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["plan.yaml"]
    assert leftovers(tmp_path / "shared") == []


def action_progress(path: Path, ref: str) -> RAG:
    return next(a.progress for a in load_plan(path).plan.actions() if a.ref == ref)


# -- a change on disk meanwhile is never overwritten -----------------------------------------


HAND_EDIT = "\n# edited by hand while jtai was working\n"


def test_change_on_disk_during_update_is_refused(jtai: Invoke, plan_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    original = update_action
    calls: list[str] = []

    def meddling(loaded: LoadedPlan, ref: str, request: UpdateRequest) -> EditResult:
        calls.append(ref)
        with plan_copy.open("a", encoding="utf-8") as handle:
            handle.write(HAND_EDIT)
        return original(loaded, ref, request)

    monkeypatch.setattr(jtaiplan.planfile.edit, "update_action", meddling)
    expected = REAL_PLAN.read_text(encoding="utf-8") + HAND_EDIT
    result = jtai(*UPDATE, "--plan", str(plan_copy))
    assert calls == ["2.2"]
    assert result.exit_code == 1
    assert "changed on disk while jtai was working" in result.stderr
    assert "the plan file was not changed" in result.stderr
    assert plan_copy.read_text(encoding="utf-8") == expected
    assert leftovers(plan_copy.parent) == []


def test_change_on_disk_during_add_is_refused(jtai: Invoke, plan_copy: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    original = jtaiplan.planfile.edit.add_action

    def meddling(loaded: LoadedPlan, new: jtaiplan.planfile.edit.NewAction) -> EditResult:
        plan_copy.write_bytes(plan_copy.read_bytes().replace(b"Green", b"Amber", 1))
        return original(loaded, new)

    monkeypatch.setattr(jtaiplan.planfile.edit, "add_action", meddling)
    result = jtai("add", "2", "--action", "x", "--owner", "TVP", "--theme",
                  "Learning and Training", "--plan-type", "Operational", "--due", "2026-01-01",
                  "--by", "X", "--plan", str(plan_copy))
    assert result.exit_code == 1
    assert "changed on disk" in result.stderr
    assert plan_copy.read_bytes() == REAL_PLAN.read_bytes().replace(b"Green", b"Amber", 1)


@pytest.mark.parametrize("meddle", ["append", "delete", "same-size"])
def test_change_on_disk_library(plan_copy: Path, meddle: str) -> None:
    request = UpdateRequest(by="X", on=date(2025, 7, 2), progress=RAG.RED, note="n")
    original = plan_copy.read_bytes()
    changed = {"append": original + b"# more\n",
               "delete": b"",
               "same-size": original.replace(b"progress: Green", b"progress: Amber", 1)}[meddle]

    def edit(loaded: LoadedPlan) -> EditResult:
        if meddle == "delete":
            plan_copy.unlink()
        else:
            plan_copy.write_bytes(changed)
        return update_action(loaded, "2.2", request)

    with pytest.raises(UpdateRefused, match="changed on disk"):
        change_plan(plan_copy, edit)
    if meddle == "delete":
        assert not plan_copy.exists()
    else:
        assert plan_copy.read_bytes() == changed
    # Without meddling, the same change goes through.
    plan_copy.write_bytes(original)
    outcome = change_plan(plan_copy, lambda loaded: update_action(loaded, "2.2", request))
    assert outcome.written
    assert action_progress(plan_copy, "2.2") is RAG.RED


def test_failed_write_leaves_plan_and_no_temporary_file(jtai: Invoke, plan_copy: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    before = plan_copy.read_bytes()
    result = jtai(*UPDATE, "--plan", str(plan_copy))
    assert result.exit_code == 2, result.stderr
    assert "cannot write" in result.stderr
    assert "No space left on device" in result.stderr
    assert "internal error" not in result.stderr
    assert plan_copy.read_bytes() == before
    assert leftovers(plan_copy.parent) == []


def test_successful_writes_leave_no_temporary_files(jtai: Invoke, plan_copy: Path) -> None:
    for rag in ("amber", "red", "green"):
        assert jtai("update", "3.1", "--progress", rag, "--by", "X", "--on", ON,
                    "--plan", str(plan_copy)).exit_code == 0
    assert leftovers(plan_copy.parent) == []
    action = next(a for a in load_plan(plan_copy).plan.actions() if a.ref == "3.1")
    assert [u.changes["progress"].new for u in action.updates] == ["Amber", "Red", "Green"]


# -- 6. concurrent writers ------------------------------------------------------------------


def jtai_process(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "jtaiplan", *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120, check=False)


@pytest.mark.slow  # 100 process start-ups: 19 s on a quiet 2-core machine, 40 s on a busy one
def test_two_processes_updating_at_once_lose_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    # A writes 2.2 and 3.1 in turn, B writes 2.2 and 5.1: the same action and different ones.
    workers = {"A": ("2.2", "3.1"), "B": ("2.2", "5.1")}
    done: dict[str, list[tuple[str, str, int, str]]] = {name: [] for name in workers}
    start = threading.Barrier(len(workers))

    def work(name: str) -> None:
        refs = workers[name]
        start.wait()
        for i in range(50):
            ref, note = refs[i % 2], f"{name}-{i:02d} {URDU}"
            run = jtai_process("update", ref, "--note", note, "--by", name, "--on", ON,
                               "--plan", str(plan))
            done[name].append((ref, note, run.returncode, run.stderr))

    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(name,)) for name in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    for name in workers:
        assert len(done[name]) == 50
        failures = [(ref, note, code, err) for ref, note, code, err in done[name] if code]
        assert failures == [], failures
    loaded = load_plan(plan)  # valid
    history = {a.ref: [(u.by, u.note) for u in a.updates] for a in loaded.plan.actions()}
    assert sum(len(entries) for entries in history.values()) == 100
    for name in workers:
        for ref in workers[name]:
            mine = [note for by, note in history[ref] if by == name]
            expected = [note for r, note, _c, _e in done[name] if r == ref]
            assert mine == expected  # each once, in the order written
    assert len(history["2.2"]) == 50
    assert leftovers(tmp_path) == []
    # Two workers share the CPU: if they had not overlapped, this would take twice as long
    # as one; it is reported, not asserted (machines differ).
    print(f"100 updates by two concurrent processes took {elapsed:.1f} s")


# -- 7. a writer killed at any moment -------------------------------------------------------

CHILD = """
import os
import stat
import sys
import time
from datetime import date
from pathlib import Path

from jtaiplan.planfile.edit import UpdateRequest, update_action
from jtaiplan.plan.model import RAG
from jtaiplan.planfile.writer import change_plan

path, refs, tag, slow = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3], sys.argv[4]
started = False
if slow == "slow":
    # A disk that hangs: after the first write, flushing a file's data never ends. The
    # parent kills us there, the new plan in its temporary file but not yet in place.
    fsync = os.fsync

    def hanging_fsync(fd):
        if started and stat.S_ISREG(os.fstat(fd).st_mode):
            print("flushing", flush=True)
            time.sleep(600)
        fsync(fd)

    os.fsync = hanging_fsync
rags = [RAG.GREEN, RAG.AMBER, RAG.RED]
i = 0
while True:
    ref = refs[i % len(refs)]
    request = UpdateRequest(by="crash", on=date(2025, 7, 2), progress=rags[i % 3],
                            note=f"{tag}-{i}")
    change_plan(path, lambda loaded: update_action(loaded, ref, request))
    if i == 0:
        started = True
        print("ready", flush=True)
    i += 1
"""


def crash_notes(path: Path) -> set[str]:
    loaded = load_plan(path)  # parses and validates: a whole plan, old or new
    return {u.note or "" for a in loaded.plan.actions() for u in a.updates if u.by == "crash"}


class Child:
    """The crash test's writer process, read line by line with a deadline."""

    def __init__(self, plan: Path, refs: str, tag: str, *, slow: bool) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(plan), refs, tag, "slow" if slow else "fast"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, bufsize=0)
        self.pending = b""

    def expect(self, wanted: str, timeout: float = 60) -> None:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            line, newline, rest = self.pending.partition(b"\n")
            if newline:
                self.pending = rest
                if line.decode() == wanted:
                    return
                continue
            ready, _w, _x = select.select([self.process.stdout], [], [],
                                          max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.process.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                self.process.kill()
                _out, err = self.process.communicate()
                raise AssertionError(f"no '{wanted}' from the child: {err.decode()[-2000:]}")
            self.pending += chunk

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=30)
        assert self.process.returncode == -signal.SIGKILL


@POSIX
def test_writer_killed_at_random_moments_leaves_a_whole_plan(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(300, seed=11, with_history=True), encoding="utf-8")
    refs = ",".join(a.ref for a in load_plan(plan).plan.actions()[::37])
    rng = random.Random(2025)
    seen: set[str] = set()
    for round_ in range(8):
        child = Child(plan, refs, f"r{round_}", slow=False)
        child.expect("ready")
        delay = rng.uniform(0.0, 0.4)
        time.sleep(delay)
        child.kill()

        notes = crash_notes(plan)
        assert seen <= notes, f"round {round_} (killed after {delay:.2f} s) lost history"
        assert f"r{round_}-0" in notes
        seen = notes
        # Only the plan and perhaps the temporary file of an interrupted write:
        # never anything that took the plan's place.
        stray = leftovers(tmp_path)
        assert all(re.fullmatch(r"\.plan\.yaml\.\w+\.tmp", name) for name in stray), stray

    # Killed inside the write itself: the new text is in the temporary file, the plan is
    # still exactly the previous version.
    for round_ in range(3):
        tag = f"s{round_}"
        child = Child(plan, refs, tag, slow=True)
        child.expect("ready")
        before = plan.read_bytes()
        child.expect("flushing")
        assert plan.read_bytes() == before  # the new version is not in place yet...
        child.kill()
        assert plan.read_bytes() == before  # ...and a kill now leaves the old one whole
        notes = crash_notes(plan)
        assert notes == seen | {f"{tag}-0"}
        seen = notes
        temporary = [name for name in leftovers(tmp_path) if name.endswith(".tmp")]
        assert temporary, "the kill should have caught a write in progress"
        newest = max((tmp_path / name for name in temporary), key=lambda p: p.stat().st_mtime)
        assert f"{tag}-1" in newest.read_text(encoding="utf-8")

    # The lock died with its holders: the next writer gets it at once.
    began = time.monotonic()
    run = jtai_process("update", refs.split(",")[0], "--note", "after the crashes", "--by",
                       "X", "--on", ON, "--plan", str(plan))
    assert run.returncode == 0, run.stderr
    assert time.monotonic() - began < 20
    assert seen <= crash_notes(plan)
