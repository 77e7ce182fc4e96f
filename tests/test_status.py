"""``jtai status``: every filter and format on the real plan, fixture plans, and the errors.

The expected refs are worked out by hand from plan.yaml (the table in the comment below), not
from the code under test. Dates are pinned with --as-of (or JTAI_AS_OF) throughout.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from conftest import Invoke

# plan.yaml, by hand:
#  ref   obj lead  complete_by owners      theme  type   progress impact
#  1.1   1   TVP   In place    TVP,BFfC    SDD    Op     Blue     -
#  1.2   1   TVP   2025-06-30  BWSCP       SDD    Op     Amber    -
#  1.3   1   TVP   2025-09-30  BWSCP       SDD    Op     Amber    -
#  2.1   2   BFfC  2025-05-30  BFfC        L&T    Strat  Blue     Amber
#  2.2   2   BFfC  2025-06-30  BFfC        L&T    Strat  Green    Amber
#  2.3   2   BFfC  underway    BWSCP,KCC   SDD    Strat  Green    -
#  2.4   2   BFfC  2025-05-15  BFfC        SDD    Op     Green    Amber
#  2.5   2   BFfC  2025-05-30  BFfC        SDD    Op     Green    Amber
#  3.1   3   BFfC  2025-06-30  BFfC        L&T    Op     Green    Amber
#  3.2   3   BFfC  2025-07-30  BWSCP       IS     Op     Green    -
#  4.1   4   BFfC  2025-05-30  BFfC        SDD    Op     Green    -
#  5.1   5   TVP   2025-06-30  TVP,BFfC    SDD    Op     Green    -
#  6.1   6   BFfC  2025-06-30  BFfC        IS     Op     Amber    -
#  6.2   6   BFfC  2025-06-30  BWSCP       IS     Strat  Amber    -
#  6.3   6   BFfC  2025-05-30  BWSCP       IS     Op     Amber    -
#  7.1   7   TVP   2025-06-30  BWSCP       SDD    Op     Amber    -
#  8.1   8   TVP   2025-06-30  TVP         L&T    Op     Green    -
#  9.1   9   BFfC  2025-06-30  BWSCP       SDD    Strat  Amber    -
#  10.1  10  BFfC  2025-06-30  BWSCP       SPM    Strat  Green    -
#  10.2  10  BFfC  2025-06-30  BWSCP       SPM    Strat  Green    -

AS_OF = "2025-07-01"
ALL_REFS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1",
            "6.1", "6.2", "6.3", "7.1", "8.1", "9.1", "10.1", "10.2"]
BFFC_REFS = ["1.1", "2.1", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"]
TVP_REFS = ["1.1", "5.1", "8.1"]
OVERDUE_ON_1_JULY = ["1.2", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1", "6.2", "6.3",
                     "7.1", "8.1", "9.1", "10.1", "10.2"]
OVERDUE_ON_30_JUNE = ["2.4", "2.5", "4.1", "6.3"]
DUE_30_JUNE = ["1.2", "2.2", "3.1", "5.1", "6.1", "6.2", "7.1", "8.1", "9.1", "10.1", "10.2"]
KNOWN_AGENCIES = ("known agencies: BFfC (Brighter Futures for Children), TVP (Thames Valley "
                  "Police), BWSCP (Berkshire West Safeguarding Children Partnership), KCC "
                  "(Kent County Council), RBC (Reading Borough Council)")
THEMES = ("Service Delivery and Design, Learning and Training, Information Sharing, "
          "Strategic Partnership (MASA)")
CSV_HEADER = ["ref", "objective", "action", "due", "due_status", "owners", "theme",
              "plan_type", "progress", "impact", "overdue"]

# A small valid plan; tests write variants of it with their own action text.
FIXTURE_PLAN = """\
version: 1
inspection:
  type: JTAI
  area: Testshire
  start: 2025-02-24
  end: 2025-03-10
risk_levels:
  high: "High risk: Urgent activity required"
themes: [Information Sharing]
plan_types: [Operational]
complete_by_words: [In place]
agencies:
  - code: BFfC
    name: Brighter Futures for Children
    aliases: [CSC]
  - code: TVP
    name: Thames Valley Police
objectives:
  - number: 1
    title: INFORMATION SHARING
    risk: high
    lead: TVP
    actions:
      - ref: "1.1"
        action: ACTION_ONE
        complete_by: 2025-06-30
        owners: [CSC]
        theme: Information Sharing
        plan_type: Operational
        progress: amber
        impact: RED
      - ref: "1.2"
        action: ACTION_TWO
        complete_by: 2025-09-30
        owners: [TVP]
        theme: Information Sharing
        plan_type: Operational
        progress: Green
"""


def write_plan(folder: Path, *replacements: tuple[str, str]) -> Path:
    """FIXTURE_PLAN with each (old, new) replaced exactly once, written to folder/plan.yaml."""
    text = FIXTURE_PLAN
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fixture_plan(folder: Path, one: str = "Share information on time.",
                 two: str = "Audit information sharing.") -> Path:
    """The fixture plan with the two actions' texts as given (YAML double-quoted)."""
    return write_plan(folder, ("ACTION_ONE", json.dumps(one)), ("ACTION_TWO", json.dumps(two)))


def status(jtai: Invoke, plan: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return jtai("status", "--plan", str(plan), *args, env=env)


def document(jtai: Invoke, plan: Path, *args: str) -> dict[str, Any]:
    result = status(jtai, plan, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def refs(jtai: Invoke, plan: Path, *args: str) -> list[str]:
    if "--as-of" not in args:
        args = (*args, "--as-of", AS_OF)
    return [action["ref"] for action in document(jtai, plan, *args)["actions"]]


def failed(result: Result, code: int = 2) -> str:
    """The stderr of a run that must fail cleanly with ``code`` and print nothing to stdout."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr


# --- owners ---------------------------------------------------------------------------------


def test_owner_bffc_lists_exactly_its_nine_actions(jtai: Invoke, real_plan: Path) -> None:
    assert refs(jtai, real_plan, "--owner", "BFfC") == BFFC_REFS


def test_owner_bffc_agrees_with_the_agencies_in_plan_yaml(real_plan: Path) -> None:
    # An independent reading of plan.yaml: 1.1 is BFfC's because the seed's "CSC" (children's
    # social care) is recorded as an alias of BFfC, and 1.1 is owned by what was written
    # "Police and CSC".
    raw = yaml.safe_load(real_plan.read_text(encoding="utf-8"))
    bffc = next(a for a in raw["agencies"] if a["code"] == "BFfC")
    assert "CSC" in bffc["aliases"]
    names = {n.casefold() for n in (bffc["code"], bffc["name"], *bffc["aliases"])}
    actions = [a for o in raw["objectives"] for a in o["actions"]]
    owned = [a["ref"] for a in actions if any(o.casefold() in names for o in a["owners"])]
    assert owned == BFFC_REFS
    one_one = actions[0]
    assert one_one["ref"] == "1.1"
    assert "CSC" in one_one["owners_as_written"].split()
    assert "BFfC" in one_one["owners"]


@pytest.mark.parametrize("owner", ["bffc", "BFFC", "Brighter Futures for Children",
                                   "brighter  FUTURES for children", "CSC",
                                   "Children's Social Care"])
def test_owner_by_any_name_or_case(jtai: Invoke, real_plan: Path, owner: str) -> None:
    assert refs(jtai, real_plan, "--owner", owner) == BFFC_REFS


@pytest.mark.parametrize("owner", ["Police", "TVP", "tvp", "Thames Valley Police"])
def test_owner_police_is_thames_valley_police(jtai: Invoke, real_plan: Path,
                                              owner: str) -> None:
    assert refs(jtai, real_plan, "--owner", owner) == TVP_REFS


def test_owner_json_echoes_the_resolved_code(jtai: Invoke, real_plan: Path) -> None:
    data = document(jtai, real_plan, "--owner", "police", "--as-of", AS_OF)
    assert data["filters"] == {"owners": ["TVP"]}
    assert [a["owners"] for a in data["actions"]] == [["TVP", "BFfC"], ["TVP", "BFfC"],
                                                      ["TVP"]]


@pytest.mark.parametrize("args", [("--owner", "KCC,TVP"), ("--owner", "KCC", "--owner", "Police"),
                                  ("--owner", "kent cc, tvp")])
def test_several_owners_are_alternatives(jtai: Invoke, real_plan: Path,
                                         args: tuple[str, ...]) -> None:
    assert refs(jtai, real_plan, *args) == ["1.1", "2.3", "5.1", "8.1"]


def test_owner_written_as_an_alias_in_the_plan(jtai: Invoke, tmp_path: Path) -> None:
    # The fixture's 1.1 is owned by "CSC": it is BFfC's, and JSON shows the code.
    plan = fixture_plan(tmp_path)
    data = document(jtai, plan, "--owner", "BFfC", "--as-of", AS_OF)
    assert [(a["ref"], a["owners"]) for a in data["actions"]] == [("1.1", ["BFfC"])]


# --- overdue and the as-of date ---------------------------------------------------------


def test_overdue_on_1_july_is_the_fifteen(jtai: Invoke, real_plan: Path) -> None:
    data = document(jtai, real_plan, "--overdue", "--as-of", "2025-07-01")
    assert [a["ref"] for a in data["actions"]] == OVERDUE_ON_1_JULY
    assert all(a["overdue"] is True for a in data["actions"])
    assert data["summary"]["overdue"] == 15
    assert data["summary"]["total"] == 15
    assert data["filters"] == {"overdue": True}


def test_due_on_the_as_of_date_is_not_overdue(jtai: Invoke, real_plan: Path) -> None:
    assert refs(jtai, real_plan, "--overdue", "--as-of", "2025-06-30") == OVERDUE_ON_30_JUNE
    everything = document(jtai, real_plan, "--as-of", "2025-06-30")["actions"]
    due_today = [a["ref"] for a in everything if a["due"] == "2025-06-30"]
    assert due_today == DUE_30_JUNE
    assert not any(a["overdue"] for a in everything if a["ref"] in DUE_30_JUNE)


def test_blue_is_never_overdue(jtai: Invoke, real_plan: Path) -> None:
    # 2.1 is Blue with a complete-by of 2025-05-30; 1.1 is Blue with "In place".
    data = document(jtai, real_plan, "--as-of", "2026-01-01")
    overdue = [a["ref"] for a in data["actions"] if a["overdue"]]
    assert overdue == [r for r in ALL_REFS if r not in ("1.1", "2.1", "2.3")]


@pytest.mark.parametrize("as_of", ["2025-07-01", "2025-06-30"])
def test_jtai_as_of_works_as_the_option(jtai: Invoke, real_plan: Path, as_of: str) -> None:
    by_option = status(jtai, real_plan, "--overdue", "--format", "json", "--as-of", as_of)
    by_env = status(jtai, real_plan, "--overdue", "--format", "json",
                    env={"JTAI_AS_OF": as_of})
    assert by_option.exit_code == by_env.exit_code == 0
    assert by_env.stdout == by_option.stdout
    assert json.loads(by_env.stdout)["as_of"] == as_of


def test_as_of_option_wins_over_jtai_as_of(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--overdue", "--format", "json", "--as-of", "2025-06-30",
                    env={"JTAI_AS_OF": "2025-07-01"})
    assert [a["ref"] for a in json.loads(result.stdout)["actions"]] == OVERDUE_ON_30_JUNE


def test_as_of_is_echoed_in_json(jtai: Invoke, real_plan: Path) -> None:
    assert document(jtai, real_plan, "--as-of", "2025-08-15")["as_of"] == "2025-08-15"


def test_as_of_is_echoed_in_the_table(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", "2025-08-15", "--objective", "8")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "JTAI Reading: Multi-Agency Improvement Plan · as of 2025-08-15"
    assert lines[-1] == ("1 action as of 2025-08-15 · progress: Blue 0, Green 1, Amber 0, "
                         "Red 0 · impact: none 1 · 1 overdue")


def test_as_of_is_echoed_in_markdown(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", "2025-08-15", "--objective", "8",
                    "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Plan status as of 2025-08-15"
    assert lines[-1] == ("1 action as of 2025-08-15 · progress: Blue 0, Green 1, Amber 0, "
                         "Red 0 · impact: none 1 · 1 overdue")


# --- each filter ----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    (("--lead", "TVP"), ["1.1", "1.2", "1.3", "5.1", "7.1", "8.1"]),
    (("--lead", "police"), ["1.1", "1.2", "1.3", "5.1", "7.1", "8.1"]),
    (("--lead", "BFfC"), ["2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "6.1", "6.2",
                          "6.3", "9.1", "10.1", "10.2"]),
    (("--lead", "BWSCP"), []),
    (("--objective", "2"), ["2.1", "2.2", "2.3", "2.4", "2.5"]),
    (("--objective", "2,3"), ["2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2"]),
    (("--objective", "3", "--objective", "2"), ["2.1", "2.2", "2.3", "2.4", "2.5", "3.1",
                                                "3.2"]),
    (("--objective", "10"), ["10.1", "10.2"]),
    (("--progress", "amber,red"), ["1.2", "1.3", "6.1", "6.2", "6.3", "7.1", "9.1"]),
    (("--progress", "AMBER"), ["1.2", "1.3", "6.1", "6.2", "6.3", "7.1", "9.1"]),
    (("--progress", "blue"), ["1.1", "2.1"]),
    (("--progress", "Red"), []),
    (("--progress", "blue", "--progress", "RED"), ["1.1", "2.1"]),
    (("--impact", "amber"), ["2.1", "2.2", "2.4", "2.5", "3.1"]),
    (("--impact", "none"), ["1.1", "1.2", "1.3", "2.3", "3.2", "4.1", "5.1", "6.1", "6.2",
                            "6.3", "7.1", "8.1", "9.1", "10.1", "10.2"]),
    (("--impact", "NONE,Amber"), ALL_REFS),
    (("--theme", "information sharing"), ["3.2", "6.1", "6.2", "6.3"]),
    (("--theme", "STRATEGIC PARTNERSHIP (MASA)"), ["10.1", "10.2"]),
    (("--theme", "Learning and Training"), ["2.1", "2.2", "3.1", "8.1"]),
    (("--plan-type", "strategic"), ["2.1", "2.2", "2.3", "6.2", "9.1", "10.1", "10.2"]),
    (("--plan-type", "Operational,Strategic"), ALL_REFS),
    (("--owner", "BFfC", "--overdue"), ["2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"]),
    (("--lead", "TVP", "--progress", "amber"), ["1.2", "1.3", "7.1"]),
    (("--theme", "service delivery and design", "--plan-type", "Strategic"), ["2.3", "9.1"]),
    (("--owner", "BWSCP", "--objective", "6", "--overdue"), ["6.2", "6.3"]),
    (("--impact", "amber", "--progress", "blue"), ["2.1"]),
])
def test_filter(jtai: Invoke, real_plan: Path, args: tuple[str, ...],
                expected: list[str]) -> None:
    assert refs(jtai, real_plan, *args) == expected


def test_lead_written_as_an_alias_in_the_plan(jtai: Invoke, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, ("ACTION_ONE", "One"), ("ACTION_TWO", "Two"),
                      ("name: Thames Valley Police", "name: Thames Valley Police\n"
                                                     "    aliases: [Police]"),
                      ("lead: TVP", "lead: police"))
    assert refs(jtai, plan, "--lead", "TVP") == ["1.1", "1.2"]
    assert refs(jtai, plan, "--lead", "BFfC") == []


def test_no_filter_lists_all_twenty_in_plan_order(jtai: Invoke, real_plan: Path) -> None:
    assert refs(jtai, real_plan) == ALL_REFS


def test_filters_are_echoed_in_json(jtai: Invoke, real_plan: Path) -> None:
    data = document(jtai, real_plan, "--as-of", AS_OF, "--owner", "bffc", "--progress",
                    "green,amber", "--impact", "none", "--theme", "information sharing",
                    "--due-within", "10")
    assert data["filters"] == {"owners": ["BFfC"], "progress": ["Amber", "Green"],
                               "impact": ["none"], "themes": ["Information Sharing"],
                               "due_within": 10}


# --due-within: due between the as-of date and as-of + DAYS, both ends included; never Blue.


@pytest.mark.parametrize(("as_of", "days", "expected"), [
    ("2025-06-30", "0", DUE_30_JUNE),
    ("2025-06-30", "29", DUE_30_JUNE),
    ("2025-06-30", "30", [*DUE_30_JUNE[:3], "3.2", *DUE_30_JUNE[3:]]),
    ("2025-07-01", "28", []),
    ("2025-07-01", "29", ["3.2"]),
    ("2025-07-01", "91", ["1.3", "3.2"]),
    # 2.1 is due 2025-05-30 too, but Blue.
    ("2025-05-15", "14", ["2.4"]),
    ("2025-05-15", "15", ["2.4", "2.5", "4.1", "6.3"]),
    ("2025-05-30", "0", ["2.5", "4.1", "6.3"]),
])
def test_due_within_boundaries(jtai: Invoke, real_plan: Path, as_of: str, days: str,
                               expected: list[str]) -> None:
    assert refs(jtai, real_plan, "--due-within", days, "--as-of", as_of) == expected


def test_due_within_and_overdue_exclude_each_other(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--due-within", "60", "--overdue", "--as-of", AS_OF,
                    "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["actions"] == []
    assert result.stderr == "jtai: no actions match these filters\n"


def test_no_match_is_not_an_error(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--owner", "KCC", "--overdue", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr == "jtai: no actions match these filters\n"
    assert result.stdout.splitlines()[-1] == (
        "0 actions as of 2025-07-01 · progress: Blue 0, Green 0, Amber 0, Red 0 · "
        "impact: none rated · 0 overdue")


# --- formats --------------------------------------------------------------------------------

_TABLE_ROW = re.compile(r"^ (\d+\.\d+) ")


def test_table(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    rows = [(m.group(1), line) for line in lines if (m := _TABLE_ROW.match(line))]
    assert [ref for ref, _ in rows] == ALL_REFS
    assert [ref for ref, line in rows if "OVERDUE" in line] == OVERDUE_ON_1_JULY
    assert lines[0] == "JTAI Reading: Multi-Agency Improvement Plan · as of 2025-07-01"
    assert [line.strip() for line in lines if line.startswith("Objective ")] == [
        "Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN (lead TVP)",
        "Objective 2: STRATEGY MEETINGS (lead BFfC)",
        "Objective 3: INFORMATION SHARING (lead BFfC)",
        "Objective 4: THRESHOLD OF NEED (lead BFfC)",
        "Objective 5: CUMULATIVE IMPACT (lead TVP)",
        "Objective 6: USE OF DATA (lead BFfC)",
        "Objective 7: COMMISSIONED SERVICES (lead TVP)",
        "Objective 8: MARAC ARRANGEMENTS (lead TVP)",
        "Objective 9: CHALLENGE AND ESCALATION (lead BFfC)",
        "Objective 10: STRATEGIC GOVERNANCE ARRANGEMENTS (lead BFfC)",
    ]
    assert lines[-1] == ("20 actions as of 2025-07-01 · progress: Blue 2, Green 11, Amber 7, "
                         "Red 0 · impact: Amber 5, none 15 · 15 overdue")
    row_2_3 = dict(rows)["2.3"]
    assert re.search(r"BWSCP, KCC +underway +Green +—", row_2_3), row_2_3


def test_table_with_no_colour_has_no_escape_codes(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF, "--overdue")
    assert "\x1b[" not in result.stdout


def test_json_document(jtai: Invoke, real_plan: Path) -> None:
    data = document(jtai, real_plan, "--as-of", AS_OF)
    assert set(data) == {"as_of", "plan", "filters", "summary", "actions"}
    assert data["plan"] == real_plan.as_posix() or data["plan"] == "plan.yaml"
    assert data["filters"] == {}
    assert data["summary"] == {
        "total": 20,
        "progress": {"Blue": 2, "Green": 11, "Amber": 7, "Red": 0},
        "impact": {"Blue": 0, "Green": 0, "Amber": 5, "Red": 0, "none": 15},
        # due_soon counts lint.due_soon_days (14) ahead, as JTAI102 does: 3.2, due
        # 2025-07-30, is 29 days away.
        "overdue": 15, "due_soon": 0, "revised": 0,
    }
    documented = {"ref", "objective", "action", "due", "due_status", "owners", "theme",
                  "plan_type", "progress", "impact", "overdue"}
    for action in data["actions"]:
        assert documented <= set(action)
        assert action["progress"] in {"Blue", "Green", "Amber", "Red"}
        assert action["impact"] in {"Blue", "Green", "Amber", "Red", None}
        assert action["due"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", action["due"])
    by_ref = {a["ref"]: a for a in data["actions"]}
    assert {k: by_ref["2.2"][k] for k in documented} == {
        "ref": "2.2", "objective": 2,
        "action": "Multi-agency workshop to socialise and embed practice expectations. Any "
                  "delay to be escalated in line with the BWSCP procedure and a log to be kept "
                  "that is reported on at the MASH Operational Group and escalated to the "
                  "Berkshire West MASH Strategic Oversight Group.",
        "due": "2025-06-30", "due_status": None, "owners": ["BFfC"],
        "theme": "Learning and Training", "plan_type": "Strategic", "progress": "Green",
        "impact": "Amber", "overdue": True,
    }
    underway = by_ref["2.3"]
    assert underway["due"] is None
    assert underway["due_status"] == "underway"
    assert underway["owners"] == ["BWSCP", "KCC"]
    assert underway["owners_as_written"] == "Partnership and Kent CC"
    assert underway["impact"] is None
    assert underway["overdue"] is False
    in_place = by_ref["1.1"]
    assert (in_place["due"], in_place["due_status"], in_place["progress"]) == (
        None, "In place", "Blue")


def test_json_rag_is_capitalised_whatever_the_plan_writes(jtai: Invoke, tmp_path: Path) -> None:
    # The fixture writes progress "amber" and impact "RED".
    data = document(jtai, fixture_plan(tmp_path), "--as-of", AS_OF)
    first = data["actions"][0]
    assert (first["progress"], first["impact"]) == ("Amber", "Red")
    assert data["summary"]["progress"] == {"Blue": 0, "Green": 1, "Amber": 1, "Red": 0}


def test_csv(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0
    # CRLF line ends, as RFC 4180 and Excel expect (click's .stdout folds them to LF).
    text = result.stdout_bytes.decode("utf-8")
    assert text.startswith(",".join(CSV_HEADER) + "\r\n")
    assert text.count("\r\n") == 21
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == CSV_HEADER
    assert len(rows) == 21
    assert [r[0] for r in rows[1:]] == ALL_REFS
    by_ref = {r[0]: dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]}
    assert by_ref["5.1"] == {
        "ref": "5.1", "objective": "5",
        "action": "Males identified as potential perpetrators of Domestic Abuse must be "
                  "considered by front line practitioners as to what involvement and "
                  "understanding they have regarding the impact of their behaviour",
        "due": "2025-06-30", "due_status": "", "owners": "TVP;BFfC",
        "theme": "Service Delivery and Design", "plan_type": "Operational",
        "progress": "Green", "impact": "", "overdue": "true",
    }
    assert (by_ref["2.3"]["due"], by_ref["2.3"]["due_status"], by_ref["2.3"]["overdue"]) == (
        "", "underway", "false")


def test_csv_with_filters_has_header_and_matching_rows(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF, "--format", "csv", "--overdue")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == CSV_HEADER
    assert [r[0] for r in rows[1:]] == OVERDUE_ON_1_JULY


@pytest.mark.parametrize(("text", "cell"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("-2 days of slippage", "'-2 days of slippage"),
    ("+44 call the MASH", "'+44 call the MASH"),
    ("@mention the board", "'@mention the board"),
    ("Plain text = fine", "Plain text = fine"),
])
def test_csv_formula_cells_are_neutralised(jtai: Invoke, tmp_path: Path, text: str,
                                           cell: str) -> None:
    plan = fixture_plan(tmp_path, one=text)
    result = status(jtai, plan, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 3
    assert rows[1][CSV_HEADER.index("action")] == cell
    assert rows[2][CSV_HEADER.index("action")] == "Audit information sharing."


def test_markdown(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF, "--format", "markdown",
                    "--objective", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "Plan status as of 2025-07-01",
        "",
        "### Objective 2: STRATEGY MEETINGS",
        "",
        "| Ref | Action | Owners | Complete by | Progress | Impact |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    rows = [line for line in lines if re.match(r"\| \d+\.\d+ \|", line)]
    assert [row.split(" | ")[0] for row in rows] == ["| 2.1", "| 2.2", "| 2.3", "| 2.4",
                                                     "| 2.5"]
    assert rows[2].endswith(" | BWSCP, KCC | underway | Green | — |")
    assert rows[1].endswith(" | BFfC | 2025-06-30 **OVERDUE** | Green | Amber |")
    assert rows[0].endswith(" | BFfC | 2025-05-30 | Blue | Amber |")
    assert lines[-1] == ("5 actions as of 2025-07-01 · progress: Blue 1, Green 4, Amber 0, "
                         "Red 0 · impact: Amber 4, none 1 · 3 overdue")


def test_markdown_all_objectives(jtai: Invoke, real_plan: Path) -> None:
    result = status(jtai, real_plan, "--as-of", AS_OF, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert len([ln for ln in lines if ln.startswith("### Objective ")]) == 10
    rows = [ln for ln in lines if re.match(r"\| \d+\.\d+ \|", ln)]
    assert len(rows) == 20
    assert len([r for r in rows if "**OVERDUE**" in r]) == 15


def test_markdown_escapes_pipes(jtai: Invoke, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, ("ACTION_ONE", '"Police | CSC handover <b>now</b>"'),
                      ("ACTION_TWO", "Audit"),
                      ("title: INFORMATION SHARING", 'title: "SHARING | TELLING"'))
    result = status(jtai, plan, "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "### Objective 1: SHARING \\| TELLING" in lines
    row = next(line for line in lines if line.startswith("| 1.1 |"))
    assert row == ("| 1.1 | Police \\| CSC handover &lt;b&gt;now&lt;/b&gt; | BFfC | "
                   "2025-06-30 **OVERDUE** | Amber | Red |")
    # Seven unescaped pipes: six columns, never more.
    assert len(re.findall(r"(?<!\\)\|", row)) == 7


# --- errors ---------------------------------------------------------------------------------


def test_unknown_owner_lists_the_known_agencies(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--owner", "Ofsted"))
    assert err == f"jtai: --owner: unknown agency 'Ofsted'\n    hint: {KNOWN_AGENCIES}\n"


def test_one_unknown_owner_among_known_ones(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--owner", "BFfC,Health"))
    assert "unknown agency 'Health'" in err
    assert KNOWN_AGENCIES in err


def test_unknown_lead(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--lead", "NHS"))
    assert err == f"jtai: --lead: unknown agency 'NHS'\n    hint: {KNOWN_AGENCIES}\n"


def test_unknown_theme_lists_the_themes(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--theme", "Housing"))
    assert err == (f"jtai: --theme: 'Housing' is not one of the plan's values\n"
                   f"    hint: use one of: {THEMES}\n")


def test_unknown_plan_type(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--plan-type", "Tactical"))
    assert err == ("jtai: --plan-type: 'Tactical' is not one of the plan's values\n"
                   "    hint: use one of: Operational, Strategic\n")


@pytest.mark.parametrize("value", ["11", "0", "two", "2,11", "2.1", "-1"])
def test_unknown_objective(jtai: Invoke, real_plan: Path, value: str) -> None:
    err = failed(status(jtai, real_plan, "--objective", value))
    bad = value.split(",")[-1]
    assert err == (f"jtai: --objective: no objective '{bad}'\n"
                   "    hint: objectives are numbered 1 to 10\n")


@pytest.mark.parametrize("option", ["--progress", "--impact"])
def test_unknown_rag(jtai: Invoke, real_plan: Path, option: str) -> None:
    err = failed(status(jtai, real_plan, option, "amber,purple"))
    assert err == (f"jtai: {option}: 'purple' is not a RAG rating: use Blue, Green, Amber "
                   "or Red\n")


def test_none_is_not_a_progress_rating(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--progress", "none"))
    assert "'none' is not a RAG rating" in err


ACCEPTED = "2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026"


@pytest.mark.parametrize(("value", "first_line"), [
    ("2025-13-45", "jtai: --as-of '2025-13-45' is not a real date (day 45 of month 13, 2025)"),
    ("31/02/2025", "jtai: --as-of '31/02/2025' is not a real date (day 31 of month 2, 2025)"),
    ("2025-02-29", "jtai: --as-of '2025-02-29' is not a real date (day 29 of month 2, 2025)"),
    ("yesterday", f"jtai: --as-of must be a date such as {ACCEPTED}; got 'yesterday'"),
    ("2025-7-1", f"jtai: --as-of must be a date such as {ACCEPTED}; got '2025-7-1'"),
])
def test_bad_as_of(jtai: Invoke, real_plan: Path, value: str, first_line: str) -> None:
    err = failed(status(jtai, real_plan, "--as-of", value))
    assert err.splitlines()[0] == first_line


@pytest.mark.parametrize("value", ["2025-07-01", "01/07/2025", "1.7.25", "01-07-2025",
                                   "1 July 2025", "1st Jul 2025"])
def test_as_of_takes_every_accepted_form(jtai: Invoke, real_plan: Path, value: str) -> None:
    result = status(jtai, real_plan, "--as-of", value, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2025-07-01"


def test_bad_jtai_as_of(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, env={"JTAI_AS_OF": "30/13/2025"}))
    assert err.startswith("jtai: JTAI_AS_OF '30/13/2025' is not a real date")


def test_missing_plan_file(jtai: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "plan.yaml"
    err = failed(status(jtai, missing))
    assert err.startswith(f"jtai: {missing.as_posix()}: no such file\n")
    assert "--plan PATH" in err


def test_missing_default_plan_names_plan_yaml(jtai: Invoke, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    err = failed(jtai("status"))
    assert err.startswith("jtai: plan.yaml: no such file\n")


def test_missing_plan_from_jtai_plan(jtai: Invoke, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    err = failed(jtai("status", env={"JTAI_PLAN": "elsewhere.yaml"}))
    assert err.startswith("jtai: elsewhere.yaml: no such file\n")


def test_plan_is_a_folder_without_plans(jtai: Invoke, tmp_path: Path) -> None:
    # A folder means every plan in it (issue 14); an empty one cannot run.
    (tmp_path / "notes.yaml").write_text("title: not a plan\n", encoding="utf-8")
    err = failed(status(jtai, tmp_path))
    assert err == (f"jtai: {tmp_path.as_posix()}: no plan files in this folder (notes.yaml: "
                   "not plans)\n    hint: a plan is a .yaml file with objectives:; `jtai init` "
                   "writes one\n")


@pytest.mark.parametrize("days", ["-1", "ten", "1.5"])
def test_bad_due_within(jtai: Invoke, real_plan: Path, days: str) -> None:
    err = failed(status(jtai, real_plan, "--due-within", days))
    assert "--due-within" in err


def test_bad_format(jtai: Invoke, real_plan: Path) -> None:
    err = failed(status(jtai, real_plan, "--format", "xml"))
    assert "--format" in err


def test_build_filter_refuses_negative_days(real_plan: Path) -> None:
    from jtaiplan.errors import CannotRun
    from jtaiplan.plan.query import build_filter
    from jtaiplan.planfile.loader import load_plan

    plan = load_plan(real_plan).plan
    with pytest.raises(CannotRun, match="--due-within takes a number of days, 0 or more; got -1"):
        build_filter(plan, due_within=-1)


def test_status_uses_the_width_it_has(jtai: Invoke, real_plan: Path) -> None:
    """At 140 columns an action's text is shown whole over a few lines; only a text
    longer than four lines of its column is cut."""
    result = jtai("status", "--plan", str(real_plan), "--as-of", "2025-07-01",
                  env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 140
    text = " ".join(" ".join(lines).split())
    assert ("domestic abuse, and understand their lived experiences, and then act on that "
            "evidence.") in text
    assert sum("…" in line for line in lines) == 2  # 2.4 and 3.1, texts of 400+ characters
