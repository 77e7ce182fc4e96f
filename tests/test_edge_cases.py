"""Edge cases found in review: each pins a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke
from jtaiplan.plan.diff import Move
from jtaiplan.plan.model import RAG
from jtaiplan.planfile.loader import load_plan

ON = "2025-07-02"
ACTION_11 = '      - ref: "1.1"\n        multi_agency: true\n'


def _variant(plan_copy: Path, old: str, new: str) -> Path:
    text = plan_copy.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plan_copy.write_text(text.replace(old, new), encoding="utf-8")
    return plan_copy


def test_personal_data_in_a_note_is_refused_before_writing(jtai: Invoke,
                                                          plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    result = jtai("update", "2.2", "--note", "Child J (DoB 12/03/2015) at RG1 8DA",
                  "--by", "X", "--on", ON, "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert "--note contains what looks like a UK postcode" in result.stderr
    assert "RG1 8DA" not in result.stderr
    assert plan_copy.read_bytes() == before


def test_integrity_rules_cannot_be_switched_off_for_loading(jtai: Invoke,
                                                           plan_copy: Path) -> None:
    _variant(plan_copy, 'ref: "1.3"', 'ref: "1.2"')
    _variant(plan_copy, "  disable: []", "  disable: [JTAI201]")
    result = jtai("status", "--plan", str(plan_copy), "--as-of", "2025-07-01")
    assert result.exit_code == 1
    assert "JTAI201 error: ref 1.2 is used twice" in result.stderr


@pytest.mark.parametrize("args", [
    ("status", "--due-within", "3000000", "--as-of", "2025-07-01"),
    ("status", "--due-within", "1", "--as-of", "9999-12-31"),
    ("lint", "--as-of", "9999-12-31"),
    ("lint", "--due-soon-days", "3000000", "--as-of", "2025-07-01"),
])
def test_huge_windows_and_late_dates_do_not_crash(jtai: Invoke, real_plan: Path,
                                                 args: tuple[str, ...]) -> None:
    result = jtai(*args, "--plan", str(real_plan))
    assert result.exit_code in (0, 1)
    assert "internal error" not in result.stderr


def test_an_empty_first_updates_list_keeps_its_dash(jtai: Invoke, plan_copy: Path) -> None:
    _variant(plan_copy, ACTION_11, '      - updates: []\n        ref: "1.1"\n'
             "        multi_agency: true\n")
    result = jtai("update", "1.1", "--impact", "amber", "--by", "X", "--on", ON,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    action = load_plan(plan_copy).plan.objectives[0].actions[0]
    assert action.impact is RAG.AMBER
    assert len(action.updates) == 1


def test_a_space_before_the_colon_of_an_empty_value(jtai: Invoke, plan_copy: Path) -> None:
    _variant(plan_copy, '        progress: Blue\n        impact:\n      - ref: "1.2"',
             '        progress: Blue\n        impact :   # not rated yet\n      - ref: "1.2"')
    result = jtai("update", "1.1", "--impact", "amber", "--by", "X", "--on", ON,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert "        impact : Amber   # not rated yet\n" in plan_copy.read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    (ACTION_11, ACTION_11 + "        updates: [{date: 2025-06-01, by: x, note: started}]\n",
     "'updates' is written as a [flow, list]"),
])
def test_flow_style_history_is_refused_clearly(jtai: Invoke, plan_copy: Path, old: str,
                                              new: str, message: str) -> None:
    _variant(plan_copy, old, new)
    before = plan_copy.read_bytes()
    result = jtai("update", "1.1", "--progress", "red", "--note", "x", "--by", "X",
                  "--on", ON, "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert message in result.stderr
    assert plan_copy.read_bytes() == before


def test_a_first_impact_rating_is_neither_better_nor_worse() -> None:
    assert Move("impact", None, RAG.RED).direction == "changed"
    assert Move("impact", RAG.GREEN, RAG.RED).direction == "worse"


def test_completing_again_keeps_the_first_completion_date(jtai: Invoke,
                                                         plan_copy: Path) -> None:
    for on, evidence in (("2025-03-01", "ABE in place"), ("2025-07-01", "typo fixed")):
        result = jtai("complete", "1.1", "--evidence", evidence, "--by", "X", "--on", on,
                      "--plan", str(plan_copy))
        assert result.exit_code == 0, result.stderr
    action = load_plan(plan_copy).plan.objectives[0].actions[0]
    assert action.completed_on is not None and action.completed_on.isoformat() == "2025-03-01"
    assert action.evidence == "typo fixed"


def test_a_reason_alone_is_recorded(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("update", "1.2", "--reason", "Waiting on audit", "--by", "X", "--on", ON,
                  "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert "1.2: reason recorded" in result.stderr
    assert load_plan(plan_copy).plan.objectives[0].actions[1].updates[0].reason == (
        "Waiting on audit")


@pytest.mark.parametrize("option", ["--owner", "--theme", "--progress"])
def test_an_empty_filter_value_is_an_error(jtai: Invoke, real_plan: Path, option: str) -> None:
    result = jtai("status", option, " ", "--plan", str(real_plan))
    assert result.exit_code == 2
    assert f"{option} was given an empty value" in result.stderr
