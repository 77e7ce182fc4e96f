"""``jtai init`` writes the JSON Schema beside the new plan and points the plan's modeline at
it, so an editor validates the plan without a network.

Before the fix the modeline pointed at https://jtaiplan.github.io/schema/plan.schema.json,
which does not exist, no schema was written, and init had no --dry-run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, Invoke
from jtaiplan.planfile.loader import load_plan

MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


def schema_target(plan: Path) -> Path:
    """The file the plan's modeline points at, resolved as editors do: against the plan."""
    found = MODELINE.match(plan.read_text(encoding="utf-8"))
    assert found, "the first line is not a yaml-language-server modeline"
    assert "://" not in found.group(1), "the schema must resolve without a network"
    return plan.parent / found.group(1)


def test_init_writes_the_schema_beside_the_plan(jtai: Invoke, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path)
    result = jtai("init", "plans/reading.yaml", "--area", "Reading")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "jtai: wrote plans/reading.yaml: edit it, then run `jtai validate --plan "
        "plans/reading.yaml`\n"
        "jtai: wrote plans/plan.schema.json beside it: the plan's first line points at it, so "
        "editors check the plan as you type\n")
    plan = tmp_path / "plans" / "reading.yaml"
    target = schema_target(plan)
    assert target == tmp_path / "plans" / "plan.schema.json"
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.schema.json",
                                                               "reading.yaml"]
    # This jtai's schema, the same as the repository's committed copy, and true of the plan.
    assert target.read_text(encoding="utf-8") == jtai("schema").stdout
    assert target.read_bytes() == (REPO / "schema" / "plan.schema.json").read_bytes()
    schema = json.loads(target.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(load_plan(plan).data))
    assert errors == []


def test_init_dry_run_writes_nothing_and_says_what_it_would(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = jtai("init", "--dry-run", "--area", "Reading")
    assert result.exit_code == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert result.stdout.startswith("# yaml-language-server: $schema=plan.schema.json\n")
    assert "  area: Reading\n" in result.stdout
    assert result.stderr == (
        "jtai: dry run, nothing written: would write plan.yaml; would write plan.schema.json "
        "beside it, the schema the plan's first line points at\n")
    # What the dry run printed is what init then writes.
    assert jtai("init", "--area", "Reading").exit_code == 0
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == result.stdout


def test_an_existing_schema_is_kept(jtai: Invoke, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert jtai("init", "first.yaml").exit_code == 0
    result = jtai("init", "second.yaml")
    assert result.stderr.endswith(
        "\njtai: plan.schema.json, which the plan's first line points at, is already there\n")
    own = b'{"title": "our own schema"}\n'
    (tmp_path / "plan.schema.json").write_bytes(own)
    for args in (("third.yaml",), ("fourth.yaml", "--dry-run")):
        result = jtai("init", *args)
        assert result.exit_code == 0
        assert result.stderr.endswith(
            "kept the existing plan.schema.json, which the plan's first line points at: it "
            "differs from this jtai's schema; `jtai schema > plan.schema.json` refreshes it\n")
        assert (tmp_path / "plan.schema.json").read_bytes() == own
    assert not (tmp_path / "fourth.yaml").exists()


def test_the_repositorys_own_plan_keeps_its_modeline(real_plan: Path) -> None:
    assert schema_target(real_plan) == REPO / "schema" / "plan.schema.json"
    assert schema_target(real_plan).is_file()
