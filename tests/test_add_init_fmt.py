"""`jtai add`, `jtai init`, `jtai fmt` and `--dry-run`."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import Invoke
from helpers_plans import changed_lines, make_plan, make_plan_with_counts
from jtaiplan.plan.model import RAG
from jtaiplan.planfile.edit import next_ref
from jtaiplan.planfile.loader import load_plan, parse_plan
from jtaiplan.planfile.skeleton import skeleton
from jtaiplan.planfile.textfile import SourceText

ON = "2025-07-02"
BY = ["--by", "X", "--on", ON]


def add_args(objective: str = "2", *, owner: str = "LA,police", theme: str = "service "
             "delivery and design", plan_type: str = "operational", due: str = "31/03/2026",
             action: str = "Audit strategy meeting attendance") -> list[str]:
    return ["add", objective, "--action", action, "--owner", owner, "--theme", theme,
            "--plan-type", plan_type, "--due", due, *BY]


@pytest.fixture
def nine(tmp_path: Path) -> Path:
    """A plan whose objective 2 has actions 2.1 to 2.9."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan_with_counts([2, 9, 1], seed=3), encoding="utf-8")
    return plan


# -- add ------------------------------------------------------------------------------------


def test_next_ref_is_natural_order() -> None:
    assert next_ref(2, [f"2.{k}" for k in range(1, 10)]) == "2.10"
    assert next_ref(2, ["2.1", "2.10", "2.9"]) == "2.11"
    assert next_ref(2, ["2.1", "2.3"]) == "2.4"
    assert next_ref(3, []) == "3.1"
    assert next_ref(1, ["10.1", "1.2", "11.5"]) == "1.3"


def test_add_after_2_9_gives_quoted_2_10(jtai: Invoke, nine: Path) -> None:
    old = nine.read_text(encoding="utf-8")
    result = jtai(*add_args(), "--plan", str(nine))
    assert result.exit_code == 0, result.stderr
    assert "2.10 added to objective 2" in result.stderr
    new = nine.read_text(encoding="utf-8")
    removed, added = changed_lines(old, new)
    assert removed == []
    assert added == ['      - ref: "2.10"',
                     "        multi_agency: true",
                     "        action: Audit strategy meeting attendance",
                     "        complete_by: 2026-03-31",
                     "        owners: [LA, POLICE]",
                     "        theme: Service Delivery and Design",
                     "        plan_type: Operational",
                     "        progress: Green",
                     "        impact:",
                     "        updates:",
                     "          - date: 2025-07-02",
                     "            by: X",
                     "            note: action added"]
    # Right after 2.9's last line, before the blank line and objective 3.
    lines = new.splitlines()
    at = lines.index('      - ref: "2.10"')
    assert lines[at + 13: at + 15] == ["", "  - number: 3"]
    assert '- ref: "2.9"' in "\n".join(lines[:at])

    loaded = load_plan(nine)
    refs = [a.ref for a in loaded.plan.objectives[1].actions]
    assert refs == [f"2.{k}" for k in range(1, 11)]
    assert loaded.data["objectives"][1]["actions"][9]["ref"] == "2.10"
    rt = YAML(typ="rt").load(new)
    assert rt["objectives"][1]["actions"][9]["ref"] == "2.10"
    assert isinstance(rt["objectives"][1]["actions"][9]["ref"], str)

    assert jtai(*add_args(due="underway"), "--plan", str(nine)).exit_code == 0
    eleventh = load_plan(nine).plan.objectives[1].actions[-1]
    assert (eleventh.ref, eleventh.complete_by) == ("2.11", "underway")
    show = jtai("show", "2.1", "--plan", str(nine), "--as-of", ON, "--format", "json")
    assert '"ref": "2.1"' in show.stdout


def test_add_options_and_aliases(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("add", "10", "--action", "Agree the data set: yes/no \"quoted\"", "--owner",
                  "children's social care", "--owner", "Kent", "--theme", "information sharing",
                  "--plan-type", "STRATEGIC", "--due", "In Place", "--single-agency",
                  "--progress", "amber", "--note", "Agreed at the board", *BY,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    action = load_plan(plan_copy).plan.objectives[-1].actions[-1]
    assert action.ref == "10.3"
    assert action.action == 'Agree the data set: yes/no "quoted"'
    assert action.owners == ["BFfC", "KCC"]
    assert (action.theme, action.plan_type, action.complete_by) == (
        "Information Sharing", "Strategic", "In place")
    assert action.multi_agency is False
    assert action.progress is RAG.AMBER
    # The note marks the action's first day for --as-of (plan/asof.py).
    assert action.updates[0].note == "action added: Agreed at the board"
    assert action.updates[0].date == date(2025, 7, 2)


def test_add_to_objective_with_no_actions(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan_with_counts([2, 0], seed=5), encoding="utf-8")
    assert "    actions: []\n" in plan.read_text(encoding="utf-8")
    result = jtai(*add_args(), "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert "    actions: []\n" not in plan.read_text(encoding="utf-8")
    assert [a.ref for a in load_plan(plan).plan.objectives[1].actions] == ["2.1"]


@pytest.mark.parametrize(("args", "message"), [
    (add_args("99"), "no objective 99 in the plan"),
    (add_args(owner="Nobody"), "--owner: unknown agency 'Nobody'"),
    (add_args(owner="LA,Nobody"), "--owner: unknown agency 'Nobody'"),
    (add_args(theme="Cooking"), "--theme: 'Cooking' is not one of the plan's values"),
    (add_args(plan_type="Tactical"), "--plan-type: 'Tactical' is not one of"),
    (add_args(due="next Tuesday"), "jtai: --due: 'next Tuesday' is neither a date "
     "(2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026) nor one of the "
     "plan's complete-by words (In place, underway)\n"),
    (add_args(due="31/02/2025"), "'31/02/2025' is not a real date"),
    (add_args(action=" "), "--action must not be empty"),
    (add_args(action="tab\x0bhere"), "--action contains the control character U+000B"),
    ([*add_args(), "--progress", "Purple"], "'Purple' is not a RAG rating"),
])
def test_add_refusals(jtai: Invoke, nine: Path, args: list[str], message: str) -> None:
    before = nine.read_bytes()
    result = jtai(*args, "--plan", str(nine))
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert nine.read_bytes() == before


# -- init -----------------------------------------------------------------------------------


@pytest.mark.parametrize("area", ["Reading", "Reading: North", "null", "2025", "#1 area",
                                  "'quoted'", "Ynys Môn", "Zażółć gęślą jaźń", "بچوں کی خدمات"])
def test_init_writes_a_valid_plan(jtai: Invoke, tmp_path: Path, area: str) -> None:
    plan = tmp_path / "new.yaml"
    result = jtai("init", str(plan), "--area", area)
    assert result.exit_code == 0, result.stderr
    loaded = load_plan(plan)
    assert loaded.plan.inspection.area == area
    assert [a.ref for a in loaded.plan.actions()] == ["1.1"]
    assert jtai("validate", "--plan", str(plan)).exit_code == 0
    assert jtai("fmt", "--check", "--plan", str(plan)).exit_code == 0
    # The skeleton is a starting point the other commands work on.
    assert jtai(*add_args("1", owner="LA"), "--plan", str(plan)).exit_code == 0
    assert jtai("update", "1.1", "--progress", "amber", "--note", "n", *BY,
                "--plan", str(plan)).exit_code == 0
    assert [a.ref for a in load_plan(plan).plan.actions()] == ["1.1", "1.2"]


def test_init_default_plan_name(jtai: Invoke, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert jtai("init").exit_code == 0
    assert load_plan(tmp_path / "plan.yaml").plan.inspection.area == "Example area"


@pytest.mark.parametrize("month", range(1, 13))
def test_skeleton_is_valid_in_every_month(month: int) -> None:
    for day in (1, 28):
        today = date(2025, month, day)
        plan = parse_plan(SourceText(Path("plan.yaml"), skeleton("Area", today))).plan
        due = plan.actions()[0].due
        assert due is not None
        assert 58 <= (due - today).days <= 92
        assert plan.inspection.start <= plan.inspection.end == today


def test_init_never_overwrites(jtai: Invoke, plan_copy: Path, tmp_path: Path) -> None:
    before = plan_copy.read_bytes()
    result = jtai("init", str(plan_copy), "--area", "Elsewhere")
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert plan_copy.read_bytes() == before

    other = tmp_path / "other.yaml"
    other.write_bytes(b"not a plan at all\n")
    assert jtai("init", str(other)).exit_code == 2
    assert other.read_bytes() == b"not a plan at all\n"


@pytest.mark.parametrize(("args", "message"), [
    (["missing-folder/plan.yaml"], "does not exist"),
    (["new.yaml", "--area", ""], "--area must not be empty"),
    (["new.yaml", "--area", "bad\x07area"], "--area contains the control character"),
])
def test_init_refusals(jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = jtai("init", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- fmt ------------------------------------------------------------------------------------


def test_fmt_of_canonical_plan_is_byte_identical(jtai: Invoke, plan_copy: Path,
                                                 real_plan: Path) -> None:
    result = jtai("fmt", "--check", "--plan", str(real_plan))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    before = plan_copy.read_bytes()
    result = jtai("fmt", "--plan", str(plan_copy))
    assert result.exit_code == 0
    assert "already canonical" in result.stderr
    assert plan_copy.read_bytes() == before == real_plan.read_bytes()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fmt_of_generated_plan_is_byte_identical(jtai: Invoke, tmp_path: Path,
                                                 seed: int) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(30, seed=seed), encoding="utf-8")
    before = plan.read_bytes()
    assert jtai("fmt", "--check", "--plan", str(plan)).exit_code == 0
    assert jtai("fmt", "--plan", str(plan)).exit_code == 0
    assert plan.read_bytes() == before


def _relaid(text: str) -> str:
    """The same YAML with mappings indented 4 and sequences 6: valid, not canonical."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=4, sequence=6, offset=4)
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    return out.getvalue()


def test_fmt_check_then_fmt_on_non_canonical_plan(jtai: Invoke, tmp_path: Path,
                                                  real_plan: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(_relaid(real_plan.read_text(encoding="utf-8")), encoding="utf-8")
    data = load_plan(plan).data
    before = plan.read_bytes()

    check = jtai("fmt", "--check", "--plan", str(plan))
    assert check.exit_code == 1
    assert "not canonical" in check.stderr
    assert check.stdout.startswith("--- a/")
    assert "\n-    type: JTAI\n" in check.stdout
    assert "\n+  type: JTAI\n" in check.stdout
    assert plan.read_bytes() == before

    result = jtai("fmt", "--plan", str(plan))
    assert result.exit_code == 0
    assert "reformatted" in result.stderr
    assert load_plan(plan).data == data
    assert jtai("fmt", "--check", "--plan", str(plan)).exit_code == 0

    # Apart from how far end-of-line comments stand from their values (ruamel keeps their
    # column), the result is the canonical file.
    def spaced(text: str) -> str:
        return re.sub(r" +#", " #", text)

    assert spaced(plan.read_text(encoding="utf-8")) == spaced(
        real_plan.read_text(encoding="utf-8"))


def test_fmt_refuses_invalid_yaml(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"version: 1\ninspection: [unclosed\n")
    result = jtai("fmt", "--plan", str(plan))
    assert result.exit_code == 1
    assert "JTAI001" in result.stderr
    assert plan.read_bytes() == b"version: 1\ninspection: [unclosed\n"


# -- --dry-run ------------------------------------------------------------------------------


def apply_unified_diff(text: str, diff: str) -> str:
    """Apply a unified diff (as `jtai --dry-run` prints it) to ``text``; strict on context."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    position = 0
    body = diff.splitlines(keepends=True)
    assert body[0].startswith("--- a/") and body[1].startswith("+++ b/")
    for line in body[2:]:
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if header:
            start = int(header.group(1)) - (0 if header.group(2) == "0" else 1)
            out += lines[position:start]
            position = start
        elif line.startswith((" ", "-")):
            assert lines[position] == line[1:], (lines[position], line)
            if line.startswith(" "):
                out.append(line[1:])
            position += 1
        elif line.startswith("+"):
            out.append(line[1:])
        else:
            raise AssertionError(f"unexpected diff line {line!r}")
    return "".join(out + lines[position:])


@pytest.mark.parametrize("args", [
    ["update", "2.2", "--progress", "amber", "--note", "Workshop moved", *BY],
    ["update", "1.2", "--due", "30/09/2025", "--reason", "staffing", *BY],
    ["complete", "2.2", "--evidence", "Minutes of 30 June", *BY],
    ["add", "2", "--action", "New: audit", "--owner", "TVP", "--theme", "Learning and Training",
     "--plan-type", "Operational", "--due", "2026-01-31", *BY],
])
def test_dry_run_prints_diff_and_writes_nothing(jtai: Invoke, plan_copy: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                args: list[str]) -> None:
    monkeypatch.chdir(plan_copy.parent)
    before = plan_copy.read_bytes()
    dry = jtai(*args, "--dry-run", "--plan", "plan.yaml")
    assert dry.exit_code == 0, dry.stderr
    assert "dry run, nothing written" in dry.stderr
    assert plan_copy.read_bytes() == before
    assert sorted(p.name for p in plan_copy.parent.iterdir()) in (
        ["plan.yaml"], ["plan.yaml", "plan.yaml.lock"])
    assert dry.stdout.startswith("--- a/plan.yaml\n+++ b/plan.yaml\n@@ ")

    # The diff is exactly what the real run then writes.
    real = jtai(*args, "--plan", "plan.yaml")
    assert real.exit_code == 0, real.stderr
    assert apply_unified_diff(before.decode("utf-8"), dry.stdout) == plan_copy.read_text(
        encoding="utf-8")


def test_dry_run_of_refused_change_prints_nothing(jtai: Invoke, plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = jtai("update", "2.2", "--progress", "purple", "--dry-run", *BY,
                  "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert plan_copy.read_bytes() == before
