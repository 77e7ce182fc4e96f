"""Issue 25: the eight behaviours on the paths where data comes in or goes out that nothing
pinned. Each test is named for its behaviour and was seen to fail on the bug it exists for
(bench/mutation.md, "The eight behaviours of issue 25", says which bug, applied by hand).

Written against public behaviour only (the CLI's exit codes, files and output), so that the
modules behind it can change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from conftest import REAL_PLAN, Invoke

SOURCE_PACKAGE = Path(__file__).resolve().parent.parent / "src" / "jtaiplan"
LIMIT = 20_000  # the most characters a text field of the plan holds (README, "Text")
ON = "2025-07-10"


@pytest.fixture
def in_tmp(tmp_path: Path, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work beside a copy of plan.yaml, so that paths print as `plan.yaml`, `r.xlsx`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tvp_return(jtai: Invoke, name: str, cells: dict[str, object]) -> str:
    """TVP's pack as of 2025-07-01 (row 2 is 5.1, row 3 is 8.1), filled in and saved."""
    made = jtai("pack", "--owner", "TVP", "-o", "pack.xlsx", "--as-of", "2025-07-01")
    assert made.exit_code == 0, made.stderr
    book = load_workbook("pack.xlsx")
    for cell, value in cells.items():
        book["Return"][cell] = value
    book.save(name)
    return name


# 1. All or nothing across files.

def test_a_clean_return_applied_with_a_bad_one_is_refused_too(jtai: Invoke,
                                                             in_tmp: Path) -> None:
    clean = tvp_return(jtai, "clean.xlsx", {"H2": "Amber", "J2": "Training delayed"})
    bad = tvp_return(jtai, "bad.xlsx", {"H3": "Amberish"})
    before = Path("plan.yaml").read_bytes()
    result = jtai("apply", clean, bad, "--on", ON)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bad.xlsx: Return!H3: New progress: 'Amberish' is not a RAG rating",
        "    hint: choose Blue, Green, Amber or Red from the list",
        "jtai: refused: 1 problem in the returns; the plan file was not changed",
        "    hint: fix them in the workbook (or ask the agency to) and apply it again; "
        "nothing was applied",
    ]
    assert Path("plan.yaml").read_bytes() == before
    # The clean return alone is fine: it was refused only for its company.
    assert jtai("apply", clean, "--on", ON).exit_code == 0
    assert Path("plan.yaml").read_bytes() != before


# 2. A note of exactly the limit.

def test_a_note_of_exactly_the_limit_is_accepted_by_update(jtai: Invoke,
                                                          plan_copy: Path) -> None:
    note = "x" * LIMIT
    result = jtai("update", "2.2", "--note", note, "--by", "ICB", "--on", ON,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    action = _action(plan_copy, "2.2")
    assert action["updates"][-1]["note"] == note


def test_a_note_of_exactly_the_limit_is_accepted_from_a_return(jtai: Invoke,
                                                              in_tmp: Path) -> None:
    note = "y" * LIMIT
    returned = tvp_return(jtai, "r.xlsx", {"J2": note})
    result = jtai("apply", returned, "--on", ON)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "jtai: r.xlsx: 5.1: note recorded"
    assert _action(Path("plan.yaml"), "5.1")["updates"][-1]["note"] == note


# 3. The cell named for a column added by hand.

@pytest.mark.parametrize("column", ["N", "P"])
def test_a_column_added_by_hand_is_named_at_its_own_header_cell(jtai: Invoke, in_tmp: Path,
                                                                column: str) -> None:
    # N is the first column after the pack's thirteen; P leaves two empty columns between.
    returned = tvp_return(jtai, "r.xlsx", {f"{column}1": "My comments",
                                           f"{column}2": "see email", "J2": "A note"})
    before = Path("plan.yaml").read_bytes()
    result = jtai("apply", returned, "--on", ON)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"r.xlsx: Return!{column}1: a column added by hand ('My comments'), which jtai would "
        "not read",
        "    hint: remove it and put what it says in Note",
    ]
    assert Path("plan.yaml").read_bytes() == before


# 4 and 5. Import: the bare letter "A", the "Timescales" header.

def _imported_csv(jtai: Invoke, tmp_path: Path, text: str, *extra: str) -> dict[str, Any]:
    source = tmp_path / "tracker.csv"
    source.write_text(text, encoding="utf-8")
    result = jtai("import", str(source), "-o", str(tmp_path / "x.yaml"), "--dry-run", *extra)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = yaml.safe_load(result.stdout)
    return data


INSPECTED = ("--area", "Anytown", "--inspected", "03/03/2025 to 14/03/2025")


@pytest.mark.parametrize(("letter", "rating"), [("A", "Amber"), ("a", "Amber"),
                                                ("B", "Blue"), ("G", "Green"), ("R", "Red")])
def test_a_rag_given_as_a_bare_letter_imports_as_its_colour(jtai: Invoke, tmp_path: Path,
                                                            letter: str, rating: str) -> None:
    data = _imported_csv(jtai, tmp_path, f"Ref,Action,Owners,RAG\n1.1,Map the offer,ICB,"
                                         f"{letter}\n", *INSPECTED)
    assert data["objectives"][0]["actions"][0]["progress"] == rating


def test_the_timescales_header_maps_to_complete_by(jtai: Invoke, tmp_path: Path) -> None:
    data = _imported_csv(jtai, tmp_path, "Ref,Action,Owners,RAG,Timescales\n"
                                         "1.1,Map the offer,ICB,Green,31/03/2026\n"
                                         "1.2,Train staff,ICB,Amber,30.09.26\n", *INSPECTED)
    actions = data["objectives"][0]["actions"]
    assert [(a["ref"], str(a["complete_by"])) for a in actions] == [
        ("1.1", "2026-03-31"), ("1.2", "2026-09-30")]


# 6. An inspection of one day.

def test_a_one_day_inspection_is_accepted_from_inspected(jtai: Invoke, tmp_path: Path) -> None:
    data = _imported_csv(jtai, tmp_path, "Ref,Action,Owners,RAG\n1.1,Map the offer,ICB,Green\n",
                         "--area", "Anytown", "--inspected", "05/03/2025 to 05/03/2025")
    assert (str(data["inspection"]["start"]), str(data["inspection"]["end"])) == (
        "2025-03-05", "2025-03-05")


def test_a_one_day_inspection_is_accepted_from_a_title_line(jtai: Invoke,
                                                           tmp_path: Path) -> None:
    data = _imported_csv(jtai, tmp_path, "Joint Targeted Area Inspection: Anytown\n"
                                         "5 March 2025 - 5 March 2025\n"
                                         "Ref,Action,Owners,RAG\n1.1,Map the offer,ICB,Green\n")
    inspection = data["inspection"]
    assert (inspection["area"], str(inspection["start"]), str(inspection["end"])) == (
        "Anytown", "2025-03-05", "2025-03-05")


# 7. The validated-plan cache and the code that decides it.

# The modules whose code decides what plan.yaml validates to: the model, its constraints
# and text policy, the date grammar, the loader and the YAML reader.
DECIDING = ("plan/model.py", "plan/constraints.py", "plan/textpolicy.py", "plan/dates.py",
            "planfile/loader.py", "planfile/yamlread.py")


def test_a_same_size_change_to_a_deciding_module_invalidates_the_cache(tmp_path: Path) -> None:
    """jtai run from a copy of its package (an editable install being worked on): after a
    change of the same size to any module that decides validation, the next run validates
    again and rewrites the cache entry; with no change, it reads the entry and writes
    nothing. Whatever the entry's format, a hit writes nothing and a miss writes."""
    package = tmp_path / "src" / "jtaiplan"
    shutil.copytree(SOURCE_PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "JTAI_CACHE_DIR": str(cache)}
    env.pop("JTAI_NO_CACHE", None)
    env.pop("CI", None)  # .ci/run sets it, and it turns the cache off

    def run() -> dict[str, tuple[bytes, int]]:
        done = subprocess.run(
            [sys.executable, "-c", "import jtaiplan, sys; print(jtaiplan.__file__); "
             "from jtaiplan.cli.main import main; main()",
             "status", "--plan", str(plan), "--as-of", "2025-07-01",
             "--format", "json"],
            env=env, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        where, _, report = done.stdout.partition("\n")
        assert Path(where) == package / "__init__.py"  # the copy runs, not the worktree
        assert json.loads(report)["summary"]["total"] == 20
        return {entry.name: (entry.read_bytes(), entry.stat().st_mtime_ns)
                for entry in cache.iterdir()}

    first = run()
    assert first, "the first run stored an entry"
    assert run() == first, "an unchanged package reads its entry and writes nothing"
    for name in DECIDING:
        module = package / name
        text = module.read_bytes()
        assert text.endswith(b"\n")
        # The same number of bytes, the same meaning; only its time and one byte change.
        before = module.stat()
        module.write_bytes(text[:-1] + b" ")
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
        assert module.stat().st_size == before.st_size
        seen = run()
        assert seen != first, f"a same-size change to {name} left the cache entry in use"
        first = seen


# 8. The succession day itself.

def _status(jtai: Invoke, owner: str) -> tuple[dict[str, Any], list[str]]:
    result = jtai("status", "--owner", owner, "--as-of", "2025-10-01", "--format", "json",
                  "--plan", str(REAL_PLAN))
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data, result.stderr.splitlines()


BFFC_REFS = ["1.1", "2.1", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"]


def test_on_the_succession_day_json_held_by_names_the_successor(jtai: Invoke) -> None:
    data, _notes = _status(jtai, "BFfC")
    assert [(a["ref"], a["owners"], a["held_by"]) for a in data["actions"]] == [
        (ref, ["TVP", "BFfC"] if ref in ("1.1", "5.1") else ["BFfC"],
         ["TVP", "RBC"] if ref in ("1.1", "5.1") else ["RBC"]) for ref in BFFC_REFS]
    by_rbc, _ = _status(jtai, "RBC")
    assert by_rbc["actions"] == data["actions"]


def test_on_the_succession_day_the_owner_note_says_the_successor_holds_them(
        jtai: Invoke) -> None:
    _data, notes = _status(jtai, "BFfC")
    assert notes == [
        "jtai: BFfC was succeeded by RBC on 2025-10-01 (Reading's children's services moved "
        "from Brighter Futures for Children back into Reading Borough Council, which keeps "
        "the BFfC name externally): as of 2025-10-01 its actions are held by RBC"]
    _data, rbc_notes = _status(jtai, "RBC")
    assert rbc_notes == ["jtai: RBC includes the actions of BFfC, which it took over on "
                         "2025-10-01"]


def _action(plan: Path, ref: str) -> dict[str, Any]:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    found: dict[str, Any] = next(a for o in data["objectives"] for a in o["actions"]
                                 if a["ref"] == ref)
    return found
