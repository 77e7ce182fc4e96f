"""`jtai lint` on the real Reading plan, and the options that shape a run.

The real plan (plan.yaml) is the seed's 2025 plan: as of 2025-07-01 fifteen actions are past
their complete-by date. Every position is checked twice: computed from the file's text, and
hard-coded for a few actions, so a shifted line is caught whichever side moved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, Invoke
from jtaiplan.lint.registry import all_rules

OVERDUE_2025_07_01 = ["1.2", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1", "6.2", "6.3",
                      "7.1", "8.1", "9.1", "10.1", "10.2"]

# (ref, line, column) of `complete_by:` values, read off plan.yaml by hand.
KNOWN_POSITIONS = [("1.2", 91, 22), ("2.4", 146, 22), ("6.3", 249, 22), ("10.2", 322, 22)]

# Warnings as of any date in 2025: Blue actions 1.1 and 2.1 record no evidence, and 2.3
# says "underway" instead of a date.
WARNINGS_2025 = [("JTAI104", "1.1", 86, 19), ("JTAI104", "2.1", 121, 19),
                 ("JTAI103", "2.3", 136, 22)]


def field_position(text: str, ref: str, key: str) -> tuple[int, int]:
    """1-based line and column of the value of ``key`` in the action with ``ref``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f'- ref: "{ref}"')
    for i in range(start + 1, len(lines)):
        if lines[i].strip().startswith("- ref:"):
            break
        match = re.match(rf"(\s*{key}:\s*)\S", lines[i])
        if match:
            return i + 1, match.end(1) + 1
    raise AssertionError(f"{ref} has no {key}")


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository, so findings name the file `plan.yaml` as a user sees it."""
    monkeypatch.chdir(REPO)
    return REPO / "plan.yaml"


def lint_json(jtai: Invoke, *args: str, env: dict[str, str] | None = None
              ) -> tuple[int, list[dict[str, Any]]]:
    result = jtai("lint", "--format", "json", *args, env=env)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def brief(findings: list[dict[str, Any]]) -> list[tuple[str, str | None, int, int]]:
    return [(f["code"], f["ref"], f["line"], f["column"]) for f in findings]


# --- the real plan -----------------------------------------------------------------------


def test_positions_helper_agrees_with_hand_counted_lines(real_plan: Path) -> None:
    text = real_plan.read_text(encoding="utf-8")
    for ref, line, column in KNOWN_POSITIONS:
        assert field_position(text, ref, "complete_by") == (line, column)
    assert field_position(text, "1.1", "progress") == (86, 19)


def test_lint_2025_07_01_reports_exactly_the_fifteen_overdue_actions(
        jtai: Invoke, in_repo: Path) -> None:
    code, findings = lint_json(jtai, "--as-of", "2025-07-01", "--plan", "plan.yaml")
    assert code == 1
    text = in_repo.read_text(encoding="utf-8")
    errors = [f for f in findings if f["severity"] == "error"]
    assert [f["ref"] for f in errors] == OVERDUE_2025_07_01
    assert {f["code"] for f in errors} == {"JTAI101"}
    for finding in errors:
        assert (finding["line"], finding["column"]) == field_position(
            text, finding["ref"], "complete_by"), finding
        assert finding["file"] == "plan.yaml"
        assert finding["field"].endswith(".complete_by")
    by_ref = {f["ref"]: (f["line"], f["column"]) for f in errors}
    for ref, line, column in KNOWN_POSITIONS:
        assert by_ref[ref] == (line, column)
    warnings = [f for f in findings if f["severity"] == "warning"]
    assert sorted(brief(warnings), key=lambda t: t[2]) == [
        (c, r, line, col) for c, r, line, col in WARNINGS_2025]


def test_lint_2025_07_01_messages_count_the_days(jtai: Invoke, in_repo: Path) -> None:
    _, findings = lint_json(jtai, "--as-of", "2025-07-01")
    messages = {f["ref"]: f["message"] for f in findings if f["code"] == "JTAI101"}
    assert messages["1.2"] == ("1.2 was due 2025-06-30 and is not complete (progress Amber): "
                               "1 day overdue")
    assert messages["2.4"] == ("2.4 was due 2025-05-15 and is not complete (progress Green): "
                               "47 days overdue")
    assert messages["6.3"] == ("6.3 was due 2025-05-30 and is not complete (progress Amber): "
                               "32 days overdue")


def test_lint_2025_07_01_text_output(jtai: Invoke, in_repo: Path) -> None:
    result = jtai("lint", "--as-of", "2025-07-01", "--plan", "plan.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Errors (15):"
    assert lines[1] == ("plan.yaml:91:22: JTAI101 1.2 was due 2025-06-30 and is not complete "
                        "(progress Amber): 1 day overdue")
    assert lines[2] == ("    hint: `jtai complete 1.2 --evidence ...` or "
                        "`jtai update 1.2 --due DATE --reason ...`")
    located = [line.split(": ", 1)[0] for line in lines if line.startswith("plan.yaml:")]
    assert located == [f"plan.yaml:{line}:{col}" for line, col in (
        (91, 22), (126, 22), (146, 22), (156, 22), (173, 22), (198, 22), (214, 22), (231, 22),
        (240, 22), (249, 22), (265, 22), (281, 22), (297, 22), (313, 22), (322, 22),
        (86, 19), (121, 19), (136, 22))]
    assert "Warnings (3):" in lines
    assert lines[-1] == "15 errors, 3 warnings as of 2025-07-01"


def test_lint_2025_04_01_passes_with_only_warnings(jtai: Invoke, in_repo: Path) -> None:
    code, findings = lint_json(jtai, "--as-of", "2025-04-01", "--plan", "plan.yaml")
    assert code == 0
    assert brief(findings) == [(c, r, line, col) for c, r, line, col in WARNINGS_2025]
    assert findings[2]["message"] == ("2.3 has no complete-by date ('underway') and is not "
                                      "complete")
    assert {f["severity"] for f in findings} == {"warning"}


def test_an_action_due_on_the_as_of_day_is_not_yet_overdue(jtai: Invoke, in_repo: Path) -> None:
    # Eleven actions are due 2025-06-30; on that day only the four due in May are overdue.
    _, findings = lint_json(jtai, "--as-of", "2025-06-30", "--select", "JTAI101")
    assert [f["ref"] for f in findings] == ["2.4", "2.5", "4.1", "6.3"]


def test_jtai_as_of_environment_variable(jtai: Invoke, in_repo: Path) -> None:
    code, findings = lint_json(jtai, env={"JTAI_AS_OF": "2025-07-01"})
    assert code == 1
    assert [f["ref"] for f in findings if f["code"] == "JTAI101"] == OVERDUE_2025_07_01
    # --as-of wins over the environment.
    code, findings = lint_json(jtai, "--as-of", "2025-04-01", env={"JTAI_AS_OF": "2025-07-01"})
    assert code == 0
    assert [f["code"] for f in findings] == ["JTAI104", "JTAI104", "JTAI103"]


def test_bad_as_of_exits_2(jtai: Invoke, in_repo: Path) -> None:
    result = jtai("lint", env={"JTAI_AS_OF": "next Tuesday"})
    assert result.exit_code == 2
    assert "JTAI_AS_OF must be a date such as 2026-03-31, 31/03/2026" in result.stderr
    assert result.stdout == ""
    result = jtai("lint", "--as-of", "2025-02-30")
    assert result.exit_code == 2
    assert "--as-of '2025-02-30' is not a real date" in result.stderr


# --- --select, --ignore, --strict, --exit-zero --------------------------------------------


@pytest.mark.parametrize(("option", "codes", "expected"), [
    ("--select", ["JTAI101"], ["JTAI101"] * 15),
    ("--select", ["jtai104"], ["JTAI104", "JTAI104"]),
    ("--select", ["JTAI1"], ["JTAI101"] * 15 + ["JTAI104", "JTAI104", "JTAI103"]),
    ("--select", ["JTAI103", "JTAI104"], ["JTAI104", "JTAI104", "JTAI103"]),
    ("--select", ["JTAI3"], []),
    ("--ignore", ["JTAI101"], ["JTAI104", "JTAI104", "JTAI103"]),
    ("--ignore", ["JTAI10"], []),
    ("--ignore", ["JTAI103", "jtai104"], ["JTAI101"] * 15),
])
def test_select_and_ignore(jtai: Invoke, in_repo: Path, option: str, codes: list[str],
                           expected: list[str]) -> None:
    args = [arg for code in codes for arg in (option, code)]
    exit_code, findings = lint_json(jtai, "--as-of", "2025-07-01", *args)
    # Order: errors and warnings interleave in file order in JSON.
    assert sorted(f["code"] for f in findings) == sorted(expected)
    assert exit_code == (1 if "JTAI101" in expected else 0)


@pytest.mark.parametrize(("option", "code"), [
    ("--select", "JTAI9"), ("--select", "NOPE"), ("--ignore", "JTAI999"), ("--ignore", "X1")])
def test_unknown_rule_code_exits_2(jtai: Invoke, in_repo: Path, option: str, code: str) -> None:
    result = jtai("lint", "--as-of", "2025-07-01", option, "JTAI101", option, code)
    assert result.exit_code == 2
    assert result.stdout == ""
    # Only the unknown code is named.
    assert result.stderr.splitlines()[0] == f"jtai: {option}: no rule matches {code}"


def test_unknown_code_exits_2_even_with_exit_zero(jtai: Invoke, in_repo: Path) -> None:
    result = jtai("lint", "--exit-zero", "--select", "JTAI9")
    assert result.exit_code == 2


def test_strict_fails_on_warnings(jtai: Invoke, in_repo: Path) -> None:
    assert jtai("lint", "--as-of", "2025-04-01").exit_code == 0
    result = jtai("lint", "--as-of", "2025-04-01", "--strict")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "0 errors, 3 warnings as of 2025-04-01"
    # With nothing to report, --strict still passes.
    assert jtai("lint", "--as-of", "2025-04-01", "--strict", "--ignore", "JTAI10").exit_code == 0


def test_exit_zero_reports_but_passes(jtai: Invoke, in_repo: Path) -> None:
    result = jtai("lint", "--as-of", "2025-07-01", "--exit-zero", "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)
    assert [f["ref"] for f in findings if f["code"] == "JTAI101"] == OVERDUE_2025_07_01
    assert jtai("lint", "--as-of", "2025-04-01", "--strict", "--exit-zero").exit_code == 0


# --- configuration in the plan's lint: section ------------------------------------------


def edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plan.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("disabled", ["JTAI101", "jtai101"])
def test_lint_disable_in_the_plan(jtai: Invoke, plan_copy: Path, disabled: str) -> None:
    edit(plan_copy, "  disable: []", f"  disable: [{disabled}, JTAI104]")
    code, findings = lint_json(jtai, "--plan", str(plan_copy), "--as-of", "2025-07-01")
    assert code == 0
    assert brief(findings) == [("JTAI103", "2.3", 136, 22)]


def test_lint_disable_takes_codes_not_prefixes(jtai: Invoke, plan_copy: Path) -> None:
    edit(plan_copy, "  disable: []", "  disable: [JTAI1]")
    code, findings = lint_json(jtai, "--plan", str(plan_copy), "--as-of", "2025-07-01")
    assert code == 1
    bad_config = [f for f in findings if f["code"] == "JTAI402"]
    assert [(f["message"], f["line"], f["column"]) for f in bad_config] == [
        ("lint.disable names unknown rule 'JTAI1'", 331, 13)]
    assert sum(f["code"] == "JTAI101" for f in findings) == 15


def test_waiver_in_the_plan_silences_one_action(jtai: Invoke, plan_copy: Path) -> None:
    edit(plan_copy, "  waivers: []", '  waivers:\n    - rule: JTAI101\n      ref: "2.4"\n'
         "      reason: Dip sample delayed; agreed at the June monitoring group.\n"
         "      expires: 2025-07-15")
    for day in ("2025-07-01", "2025-07-15"):  # a waiver still holds on its expiry day
        _, findings = lint_json(jtai, "--plan", str(plan_copy), "--as-of", day)
        overdue = [f["ref"] for f in findings if f["code"] == "JTAI101"]
        assert overdue == [r for r in OVERDUE_2025_07_01 if r != "2.4"]
        assert not any(f["code"] == "JTAI401" for f in findings)
    _, findings = lint_json(jtai, "--plan", str(plan_copy), "--as-of", "2025-07-16")
    assert [f["ref"] for f in findings if f["code"] == "JTAI101"] == OVERDUE_2025_07_01
    assert [(f["ref"], f["line"], f["column"]) for f in findings if f["code"] == "JTAI401"] == [
        ("2.4", 336, 16)]


def test_due_soon_days_option_and_setting(jtai: Invoke, plan_copy: Path) -> None:
    plan = str(plan_copy)
    # As of 2025-06-20 the eleven actions due 2025-06-30 are ten days away.
    due_0630 = ["1.2", "2.2", "3.1", "5.1", "6.1", "6.2", "7.1", "8.1", "9.1", "10.1", "10.2"]
    _, findings = lint_json(jtai, "--plan", plan, "--as-of", "2025-06-20", "--select", "JTAI102")
    assert [f["ref"] for f in findings] == due_0630
    assert findings[0]["message"] == "1.2 is due in 10 days (2025-06-30)"
    _, findings = lint_json(jtai, "--plan", plan, "--as-of", "2025-06-20", "--select", "JTAI102",
                            "--due-soon-days", "9")
    assert findings == []
    _, findings = lint_json(jtai, "--plan", plan, "--as-of", "2025-06-20", "--select", "JTAI102",
                            "--due-soon-days", "10")
    assert [f["ref"] for f in findings] == due_0630
    edit(plan_copy, "  due_soon_days: 14", "  due_soon_days: 5")
    _, findings = lint_json(jtai, "--plan", plan, "--as-of", "2025-06-20", "--select", "JTAI102")
    assert findings == []
    # 3.2 is due 2025-07-30: forty days after 2025-06-20.
    _, findings = lint_json(jtai, "--plan", plan, "--as-of", "2025-06-20", "--select", "JTAI102",
                            "--due-soon-days", "40")
    assert [f["ref"] for f in findings] == [*due_0630[:3], "3.2", *due_0630[3:]]


def test_due_soon_days_must_not_be_negative(jtai: Invoke, in_repo: Path) -> None:
    assert jtai("lint", "--due-soon-days", "-1").exit_code == 2


# --- jtai validate and jtai rules ---------------------------------------------------------


def test_validate_skips_date_rules(jtai: Invoke, in_repo: Path) -> None:
    result = jtai("validate", "--plan", "plan.yaml")
    assert result.exit_code == 0
    assert result.stderr == "plan.yaml: valid\n"
    assert [line for line in result.stdout.splitlines() if line.startswith("plan.yaml:")] == [
        "plan.yaml:86:19: JTAI104 1.1 is Blue but records no completion date and no evidence",
        "plan.yaml:121:19: JTAI104 2.1 is Blue but records no completion date and no evidence",
    ]
    result = jtai("validate", "--format", "json")
    assert result.exit_code == 0
    assert [f["code"] for f in json.loads(result.stdout)] == ["JTAI104", "JTAI104"]


def test_rules_lists_every_code(jtai: Invoke) -> None:
    result = jtai("rules")
    assert result.exit_code == 0
    registry = all_rules()
    listed = [line.split()[0] for line in result.stdout.splitlines()
              if re.match(r"JTAI\d{3} ", line)]
    assert listed == list(registry)
    assert {"JTAI001", "JTAI002", "JTAI101", "JTAI102", "JTAI103", "JTAI104", "JTAI105",
            "JTAI106", "JTAI107", "JTAI201", "JTAI202", "JTAI203", "JTAI204", "JTAI205",
            "JTAI206", "JTAI301", "JTAI401", "JTAI402"} <= set(listed)
    assert ("JTAI101  error    overdue" in result.stdout)
    dated = [line.split()[0] for line in result.stdout.splitlines()
             if re.match(r"JTAI\d{3} ", line) and line.endswith(" (date)")]
    assert dated == [c for c, r in registry.items() if r.uses_date]
    assert dated == ["JTAI101", "JTAI102", "JTAI103", "JTAI107", "JTAI401"]



@pytest.mark.parametrize("code", ["JTAI101", "jtai101"])
def test_rules_explains_one(jtai: Invoke, code: str) -> None:
    result = jtai("rules", code)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "JTAI101 overdue (error)"
    assert lines[2] == "An action's complete-by date has passed and it is not complete"
    assert "Overdue means a complete-by date strictly before the as-of date" in result.stdout
    assert lines[-1] == "- depends on the as-of date"


def test_rules_unknown_code_exits_2(jtai: Invoke) -> None:
    result = jtai("rules", "NOPE")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no rule NOPE" in result.stderr
