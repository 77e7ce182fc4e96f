"""The committed JSON Schema: fresh, referenced by plan.yaml, and true of the real plan."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import REPO, Invoke
from jtaiplan.planfile.loader import load_plan

SCHEMA_FILE = REPO / "schema" / "plan.schema.json"


def test_committed_schema_is_what_jtai_schema_prints(jtai: Invoke) -> None:
    result = jtai("schema")
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "schema/plan.schema.json is stale: run `make schema` and commit it")


def test_plan_yaml_first_line_points_editors_at_the_schema(real_plan: Path) -> None:
    first = real_plan.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/plan.schema.json"
    assert (real_plan.parent / "schema" / "plan.schema.json").is_file()


def test_real_plan_is_valid_against_the_schema(real_plan: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = load_plan(real_plan).data
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors == []


def test_schema_refuses_what_the_model_refuses(real_plan: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = load_plan(real_plan).data
    data["objectives"][1]["actions"][1]["progres"] = "Green"
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert any("progres" in m for m in messages)


def test_schema_accepts_rag_words_in_any_case_like_the_model(real_plan: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    data = load_plan(real_plan).data
    data["objectives"][1]["actions"][1]["progress"] = "amber"
    assert list(validator.iter_errors(data)) == []
    data["objectives"][1]["actions"][1]["progress"] = "Purple"
    assert [e.message for e in validator.iter_errors(data)] == [
        "'Purple' does not match '^([Bb][Ll][Uu][Ee]|[Gg][Rr][Ee][Ee][Nn]|[Aa][Mm][Bb][Ee][Rr]|"
        "[Rr][Ee][Dd])$'"]


def test_schema_accepts_dates_in_every_form_like_the_model(real_plan: Path) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    data = load_plan(real_plan).data
    for typed in ("2025-02-24", "24/02/2025", "24.02.25", "24-02-2025", "24 February 2025"):
        data["inspection"]["start"] = typed
        assert list(validator.iter_errors(data)) == [], typed
    data["inspection"]["start"] = "soon"
    assert len(list(validator.iter_errors(data))) == 1
