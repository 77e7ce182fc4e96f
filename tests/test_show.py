"""``jtai show REF``: one action in full, as text and as JSON, and refs that are not there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import Invoke

AS_OF = "2025-07-01"

CHARACTERISTICS_2 = ("Strategy and other safeguarding meetings relating to children's "
                     "well-being are timely and includes the involvement of all relevant "
                     "safeguarding partners when concerns arise.")

# Refs 2.1 and 2.10 side by side (and 2.2 after them): a ref is text, never a number.
TWO_TEN_PLAN = """\
version: 1
inspection:
  type: JTAI
  area: Testshire
  start: 2025-02-24
  end: 2025-03-10
rag_key:
  Green: On track
risk_levels:
  high: "High risk: Urgent activity required"
themes: [Information Sharing]
plan_types: [Operational]
agencies:
  - code: TVP
    name: Thames Valley Police
    aliases: [Police]
objectives:
  - number: 2
    title: SHARING
    risk: high
    lead: police
    actions:
      - ref: "2.1"
        action: The first action.
        complete_by: 2025-06-30
        owners: [TVP]
        theme: Information Sharing
        plan_type: Operational
        progress: Green
      - ref: "2.10"
        action: The tenth action.
        complete_by: 2025-08-31
        baseline_complete_by: 2025-06-30
        owners: [TVP]
        theme: Information Sharing
        plan_type: Operational
        progress: Green
        updates:
          - date: 2025-06-20
            by: TVP
            changes:
              complete_by: {from: "2025-06-30", to: "2025-08-31"}
            reason: Waiting for the new MARAC coordinator.
"""


def show(jtai: Invoke, plan: Path, *args: str) -> Result:
    return jtai("show", *args, "--plan", str(plan))


def text_of(jtai: Invoke, plan: Path, ref: str, as_of: str = AS_OF) -> list[str]:
    result = show(jtai, plan, ref, "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.splitlines()


def json_of(jtai: Invoke, plan: Path, ref: str, as_of: str = AS_OF) -> dict[str, Any]:
    result = show(jtai, plan, ref, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_show_text_2_2(jtai: Invoke, real_plan: Path) -> None:
    lines = text_of(jtai, real_plan, "2.2")
    assert lines[0] == "2.2  MULTI-AGENCY"
    assert lines[1].startswith("  Multi-agency workshop to socialise and embed practice")
    assert "Objective 2: STRATEGY MEETINGS" in lines
    objective = lines.index("Objective 2: STRATEGY MEETINGS")
    assert lines[objective + 1:objective + 4] == [
        "  Accountable lead: BFfC (Brighter Futures for Children)",
        "  Risk: High risk: Urgent activity required",
        "  Characteristics of good:",
    ]
    # The characteristics are wrapped at 88 columns, indented four spaces.
    wrapped = []
    for line in lines[objective + 4:]:
        if not line.startswith("    "):
            break
        assert len(line) <= 88
        wrapped.append(line.strip())
    assert " ".join(wrapped) == CHARACTERISTICS_2
    fields = lines[lines.index("", objective) + 1:]
    assert fields == [
        "Complete by:     2025-06-30  OVERDUE by 1 day",
        'Owners:          BFfC (written "BFFC with partners")',
        "Theme:           Learning and Training",
        "Plan:            Strategic",
        "Progress:        Green (On track)",
        "Impact:          Amber",
        "",
        "As of 2025-07-01",
    ]


def test_show_text_action_is_given_in_full(jtai: Invoke, real_plan: Path) -> None:
    lines = text_of(jtai, real_plan, "2.2")
    action = " ".join(line.strip() for line in lines[1:lines.index("")])
    assert action == (
        "Multi-agency workshop to socialise and embed practice expectations. Any delay to be "
        "escalated in line with the BWSCP procedure and a log to be kept that is reported on "
        "at the MASH Operational Group and escalated to the Berkshire West MASH Strategic "
        "Oversight Group.")


@pytest.mark.parametrize(("as_of", "complete_by"), [
    ("2025-06-30", "Complete by:     2025-06-30"),
    ("2025-07-01", "Complete by:     2025-06-30  OVERDUE by 1 day"),
    ("2025-07-02", "Complete by:     2025-06-30  OVERDUE by 2 days"),
    ("2025-12-31", "Complete by:     2025-06-30  OVERDUE by 184 days"),
])
def test_show_counts_the_days_overdue(jtai: Invoke, real_plan: Path, as_of: str,
                                      complete_by: str) -> None:
    lines = text_of(jtai, real_plan, "2.2", as_of)
    assert [line for line in lines if line.startswith("Complete by:")] == [complete_by]
    assert lines[-1] == f"As of {as_of}"


def test_show_text_blue_action_with_a_status_word(jtai: Invoke, real_plan: Path) -> None:
    lines = text_of(jtai, real_plan, "1.1", "2026-01-01")
    assert lines[0] == "1.1  MULTI-AGENCY"
    assert "  Accountable lead: TVP (Thames Valley Police)" in lines
    assert "  Risk: Moderate risk: Activity is necessary" in lines
    assert "Complete by:     In place" in lines
    # As of 2026 BFfC's part is held by Reading Borough Council (issue 14); the plan keeps BFfC.
    assert ('Owners:          TVP, BFfC → RBC (written "Police and CSC"); BFfC was succeeded '
            "by RBC on 2025-10-01 (Reading's children's services moved from Brighter Futures "
            "for Children back into Reading Borough Council, which keeps the BFfC name "
            "externally)") in lines
    assert "Progress:        Blue (Completed)" in lines
    assert "Impact:          not rated" in lines
    assert not any("OVERDUE" in line for line in lines)


def test_show_2_4_is_47_days_overdue_on_1_july(jtai: Invoke, real_plan: Path) -> None:
    assert "Complete by:     2025-05-15  OVERDUE by 47 days" in text_of(jtai, real_plan, "2.4")


def test_show_json(jtai: Invoke, real_plan: Path) -> None:
    data = json_of(jtai, real_plan, "2.2")
    assert set(data) == {
        "ref", "objective", "objective_title", "action", "multi_agency", "due", "due_status",
        "baseline_due", "date_revised", "revision_reason", "owners", "owners_as_written",
        "lead", "theme", "plan_type", "progress", "impact", "overdue", "completed_on", "evidence",
        "impact_evidence", "latest_update", "as_of", "updates", "timeline",
    }
    assert data["objective"] == {
        "number": 2, "title": "STRATEGY MEETINGS", "risk": "high",
        "risk_wording": "High risk: Urgent activity required", "lead": "BFfC",
        "lead_name": "Brighter Futures for Children",
        "characteristics_of_good": CHARACTERISTICS_2,
    }
    assert {k: data[k] for k in ("ref", "due", "due_status", "owners", "owners_as_written",
                                 "lead", "theme", "plan_type", "progress", "impact",
                                 "overdue", "as_of", "updates", "latest_update",
                                 "timeline")} == {
        "ref": "2.2", "due": "2025-06-30", "due_status": None, "owners": ["BFfC"],
        "owners_as_written": "BFFC with partners", "lead": "BFfC",
        "theme": "Learning and Training", "plan_type": "Strategic", "progress": "Green",
        "impact": "Amber", "overdue": True, "as_of": "2025-07-01", "updates": [],
        "latest_update": None, "timeline": [],
    }


def test_show_json_not_overdue_on_the_day(jtai: Invoke, real_plan: Path) -> None:
    assert json_of(jtai, real_plan, "2.2", "2025-06-30")["overdue"] is False


def test_show_json_status_word(jtai: Invoke, real_plan: Path) -> None:
    data = json_of(jtai, real_plan, "2.3")
    assert (data["due"], data["due_status"], data["owners"], data["impact"]) == (
        None, "underway", ["BWSCP", "KCC"], None)


@pytest.mark.parametrize("ref", ["99.99", "2.10", "11.1", "2", "x"])
def test_show_unknown_ref(jtai: Invoke, real_plan: Path, ref: str) -> None:
    result = show(jtai, real_plan, ref)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"jtai: no action {ref} in the plan"
    assert lines[1].startswith("    hint: ")
    assert lines[1].endswith("refs run 1.1 to 10.2; `jtai status` lists them")


def test_show_unknown_ref_suggests_the_nearest(jtai: Invoke, real_plan: Path) -> None:
    result = show(jtai, real_plan, "99.99")
    assert result.stderr == ("jtai: no action 99.99 in the plan\n"
                             "    hint: did you mean 9.1? refs run 1.1 to 10.2; "
                             "`jtai status` lists them\n")


def test_show_2_10_on_the_real_plan_is_not_2_1(jtai: Invoke, real_plan: Path) -> None:
    # A ref is text: "2.10" must never be read as the number 2.1 and show action 2.1.
    result = show(jtai, real_plan, "2.10")
    assert result.exit_code == 2
    assert "2.1  MULTI-AGENCY" not in result.stdout


def test_show_tells_2_1_from_2_10(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(TWO_TEN_PLAN, encoding="utf-8")
    one = text_of(jtai, plan, "2.1")
    ten = text_of(jtai, plan, "2.10")
    assert one[:2] == ["2.1  single agency", "  The first action."]
    assert ten[:2] == ["2.10  single agency", "  The tenth action."]
    assert json_of(jtai, plan, "2.10")["ref"] == "2.10"
    assert json_of(jtai, plan, "2.1")["ref"] == "2.1"
    # Surrounding spaces, as a shell script might pass them, are ignored.
    assert text_of(jtai, plan, " 2.10 ")[0] == "2.10  single agency"
    missing = show(jtai, plan, "2.100")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("jtai: no action 2.100 in the plan\n")
    assert "refs run 2.1 to 2.10" in missing.stderr


def test_show_revised_date_and_history(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(TWO_TEN_PLAN, encoding="utf-8")
    lines = text_of(jtai, plan, "2.10", "2025-07-01")
    # The lead is written "police" in the plan: shown as the registered code.
    assert "  Accountable lead: TVP (Thames Valley Police)" in lines
    assert "Complete by:     2025-08-31 (revised)" in lines
    assert "Baseline date:   2025-06-30" in lines
    assert "Progress:        Green (On track)" in lines
    history = lines[lines.index("History:"):]
    assert history[:3] == [
        "History:",
        "  2025-06-20  TVP: complete_by 2025-06-30 → 2025-08-31",
        "      reason: Waiting for the new MARAC coordinator.",
    ]
    data = json_of(jtai, plan, "2.10")
    assert (data["due"], data["baseline_due"], data["date_revised"]) == (
        "2025-08-31", "2025-06-30", True)
    assert data["updates"] == [{
        "date": "2025-06-20", "by": "TVP",
        "changes": {"complete_by": {"from": "2025-06-30", "to": "2025-08-31"}},
        "reason": "Waiting for the new MARAC coordinator.",
    }]
    assert data["latest_update"] == {"date": "2025-06-20", "by": "TVP", "note": None}


def test_show_bad_as_of(jtai: Invoke, real_plan: Path) -> None:
    result = show(jtai, real_plan, "2.2", "--as-of", "1 July")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "jtai: --as-of must be a date such as 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or "
        "31 March 2026; got '1 July'\n")


def test_show_on_an_invalid_plan_exits_1(jtai: Invoke) -> None:
    plan = Path(__file__).parent / "fixtures" / "invalid" / "wrong-rag.yaml"
    result = show(jtai, plan, "1.1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert ":39:19: JTAI002 error: " in result.stderr
