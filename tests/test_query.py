"""The filters and lookups behind status and report (plan/query.py), on a small plan built here.

Every expected selection is worked by hand from the plan below, as of 2025-07-01.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from jtaiplan.errors import CannotRun
from jtaiplan.plan.agencies import AgencyIndex
from jtaiplan.plan.model import RAG, Plan
from jtaiplan.plan.query import (
    NO_RATING,
    ActionFilter,
    Row,
    build_filter,
    declared,
    find_action,
    row_for_ref,
    select,
    split_values,
    summarise,
)
from jtaiplan.planfile.loader import load_plan

AS_OF = date(2025, 7, 1)

PLAN = """\
version: 1
inspection:
  type: JTAI
  area: Testshire
  start: 2025-02-24
  end: 2025-03-10
risk_levels:
  moderate: "Moderate risk: Activity is necessary"
themes: [Information Sharing, Learning and Training]
plan_types: [Operational, Strategic]
complete_by_words: [In place]
agencies:
  - code: TVP
    name: Thames Valley Police
    aliases: [Police]
  - code: BFfC
    name: Brighter Futures for Children
    aliases: [CSC]
objectives:
  - number: 1
    title: INFORMATION SHARING
    risk: moderate
    lead: Police
    actions:
      - ref: "1.1"
        action: Audit information sharing.
        complete_by: 2025-06-30
        owners: [TVP]
        theme: Information Sharing
        plan_type: Operational
        progress: Green
        impact: Amber
      - ref: "1.2"
        action: Publish the protocol.
        complete_by: 2025-07-01
        owners: [CSC, TVP]
        theme: Learning and Training
        plan_type: Strategic
        progress: Amber
      - ref: "1.3"
        action: Train staff.
        complete_by: 2025-07-15
        owners: [BFfC]
        theme: Information Sharing
        plan_type: Operational
        progress: Blue
        impact: Green
        completed_on: 2025-06-20
        evidence: Done.
        impact_evidence: Audit.
  - number: 2
    title: STRATEGY MEETINGS
    risk: moderate
    lead: BFfC
    actions:
      - ref: "2.1"
        action: Audit strategy meetings.
        complete_by: 2025-07-31
        owners: [BFfC]
        theme: Learning and Training
        plan_type: Operational
        progress: Red
        impact: Red
      - ref: "2.2"
        action: Agree the escalation route.
        complete_by: In place
        owners: [TVP]
        theme: Information Sharing
        plan_type: Strategic
        progress: Green
      - ref: "2.10"
        action: Review the route.
        complete_by: 2025-08-01
        owners: [TVP]
        theme: Information Sharing
        plan_type: Operational
        progress: Green
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    path = tmp_path_factory.mktemp("query") / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return load_plan(path).plan


def refs(plan: Plan, **given: object) -> list[str]:
    criteria = build_filter(plan, **given)  # type: ignore[arg-type]
    return [row.action.ref for row in select(plan, criteria, AS_OF)]


def test_split_values_takes_commas_and_repeats() -> None:
    assert split_values(["amber,red", " green ", "", " , blue,"]) == [
        "amber", "red", "green", "blue"]
    assert split_values(None) == []
    assert split_values([]) == []


@pytest.mark.parametrize(("given", "expected"), [
    ({}, ["1.1", "1.2", "1.3", "2.1", "2.2", "2.10"]),
    ({"owners": ["police"]}, ["1.1", "1.2", "2.2", "2.10"]),
    ({"owners": ["Brighter Futures for Children"]}, ["1.2", "1.3", "2.1"]),
    ({"owners": ["csc,tvp"]}, ["1.1", "1.2", "1.3", "2.1", "2.2", "2.10"]),
    ({"leads": ["TVP"]}, ["1.1", "1.2", "1.3"]),
    ({"leads": ["csc"]}, ["2.1", "2.2", "2.10"]),
    ({"objectives": ["2"]}, ["2.1", "2.2", "2.10"]),
    ({"objectives": ["1", "2"]}, ["1.1", "1.2", "1.3", "2.1", "2.2", "2.10"]),
    ({"progress": ["green"]}, ["1.1", "2.2", "2.10"]),
    ({"progress": ["AMBER,red"]}, ["1.2", "2.1"]),
    ({"impact": ["none"]}, ["1.2", "2.2", "2.10"]),
    ({"impact": ["None,red"]}, ["1.2", "2.1", "2.2", "2.10"]),
    ({"impact": ["green"]}, ["1.3"]),
    ({"themes": ["learning and training"]}, ["1.2", "2.1"]),
    ({"plan_types": ["STRATEGIC"]}, ["1.2", "2.2"]),
    ({"overdue": True}, ["1.1"]),
    # Due within 0 days: due today and not complete. 1.2 is due on the as-of day.
    ({"due_within": 0}, ["1.2"]),
    # 14 days reaches 2025-07-15, but 1.3 is complete (Blue) so it is not "due".
    ({"due_within": 14}, ["1.2"]),
    ({"due_within": 30}, ["1.2", "2.1"]),
    ({"due_within": 31}, ["1.2", "2.1", "2.10"]),
    ({"owners": ["TVP"], "progress": ["green"], "plan_types": ["operational"]},
     ["1.1", "2.10"]),
    ({"leads": ["BFfC"], "overdue": True}, []),
])
def test_select(plan: Plan, given: dict[str, object], expected: list[str]) -> None:
    assert refs(plan, **given) == expected


def test_rows_carry_codes_and_days(plan: Plan) -> None:
    rows = {row.action.ref: row for row in select(plan, ActionFilter(), AS_OF)}
    assert rows["1.2"].owners == ("BFfC", "TVP")
    assert rows["1.2"].lead == "TVP"
    assert rows["2.1"].lead == "BFfC"
    assert (rows["1.1"].overdue, rows["1.1"].due_in_days) == (True, -1)
    assert (rows["1.2"].overdue, rows["1.2"].due_in_days) == (False, 0)
    assert (rows["2.2"].overdue, rows["2.2"].due_in_days) == (False, None)
    assert (rows["1.3"].overdue, rows["1.3"].due_in_days) == (False, 14)
    row = row_for_ref(plan, " 2.1 ", AS_OF)
    assert (row.action.ref, row.objective.number, row.due_in_days) == ("2.1", 2, 30)


def test_describe_echoes_only_what_was_asked(plan: Plan) -> None:
    assert build_filter(plan).describe() == {}
    criteria = build_filter(plan, owners=["police"], leads=["csc"], objectives=["2", "1"],
                            progress=["red,amber"], impact=["none", "green"],
                            themes=["information sharing"], plan_types=["operational"],
                            overdue=True, due_within=0)
    assert criteria.describe() == {
        "owners": ["TVP"], "leads": ["BFfC"], "objectives": [1, 2],
        "progress": ["Amber", "Red"], "impact": ["Green", NO_RATING],
        "themes": ["Information Sharing"], "plan_types": ["Operational"],
        "overdue": True, "due_within": 0,
    }
    assert criteria.progress == frozenset({RAG.AMBER, RAG.RED})
    assert criteria.impact == frozenset({None, RAG.GREEN})


@pytest.mark.parametrize(("given", "message", "hint"), [
    ({"owners": ["Nobody"]}, "--owner: unknown agency 'Nobody'",
     "known agencies: TVP (Thames Valley Police), BFfC (Brighter Futures for Children)"),
    ({"leads": ["Kent"]}, "--lead: unknown agency 'Kent'",
     "known agencies: TVP (Thames Valley Police), BFfC (Brighter Futures for Children)"),
    ({"objectives": ["3"]}, "--objective: no objective '3'", "objectives are numbered 1 to 2"),
    ({"objectives": ["one"]}, "--objective: no objective 'one'",
     "objectives are numbered 1 to 2"),
    ({"objectives": ["1" * 10]}, f"--objective: no objective '{'1' * 10}'",
     "objectives are numbered 1 to 2"),
    ({"objectives": ["²"]}, "--objective: no objective '²'", "objectives are numbered 1 to 2"),
    ({"progress": ["purple"]}, "--progress: 'purple' is not a RAG rating: use Blue, Green, "
                               "Amber or Red", ""),
    ({"impact": ["purple"]}, "--impact: 'purple' is not a RAG rating: use Blue, Green, "
                             "Amber or Red", ""),
    ({"themes": ["Cooking"]}, "--theme: 'Cooking' is not one of the plan's values",
     "use one of: Information Sharing, Learning and Training"),
    ({"plan_types": ["Tactical"]}, "--plan-type: 'Tactical' is not one of the plan's values",
     "use one of: Operational, Strategic"),
    ({"owners": [" , "]}, "--owner was given an empty value",
     "name at least one value, or leave --owner out"),
    ({"plan_types": [""]}, "--plan-type was given an empty value",
     "name at least one value, or leave --plan-type out"),
    ({"due_within": -1}, "--due-within takes a number of days, 0 or more; got -1", ""),
])
def test_build_filter_refuses_what_it_does_not_know(
        plan: Plan, given: dict[str, object], message: str, hint: str) -> None:
    with pytest.raises(CannotRun) as caught:
        build_filter(plan, **given)  # type: ignore[arg-type]
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_ten_digit_objective_numbers_are_refused_before_int(plan: Plan) -> None:
    # Nine digits are still read as a number; ten are refused unread, so a 5,000-digit
    # value cannot cost an int() conversion.
    assert refs(plan, objectives=["000000002"]) == ["2.1", "2.2", "2.10"]
    with pytest.raises(CannotRun, match=r"^--objective: no objective '0000000002'$"):
        build_filter(plan, objectives=["0000000002"])


def test_find_action_gives_indices_and_suggests_near_refs(plan: Plan) -> None:
    i, j, objective, action = find_action(plan, "2.10")
    assert (i, j, objective.number, action.ref) == (1, 2, 2, "2.10")
    assert find_action(plan, " 1.2\t")[:2] == (0, 1)
    with pytest.raises(CannotRun) as caught:
        find_action(plan, "2.3")
    assert caught.value.message == "no action 2.3 in the plan"
    assert caught.value.hint == ("did you mean 2.2 or 2.1 or 1.3? refs run 1.1 to 2.10; "
                                 "`jtai status` lists them")
    with pytest.raises(CannotRun) as caught:
        find_action(plan, "banana")
    assert caught.value.hint == "refs run 1.1 to 2.10; `jtai status` lists them"


def test_declared_returns_the_plans_own_spelling(plan: Plan) -> None:
    assert declared("  information SHARING ", plan.themes, "--theme") == "Information Sharing"
    with pytest.raises(CannotRun) as caught:
        declared("Info", ["A", "B"], "--x")
    assert (caught.value.message, caught.value.hint) == (
        "--x: 'Info' is not one of the plan's values", "use one of: A, B")


# --- survivors of `make mutate` (issue 17) --------------------------------------------------


def test_summarise_counts_every_rating_and_the_window_edges(plan: Plan) -> None:
    """Mutants: impact counted as 'None', zero counts left out or as 1, the window's first
    day (due today) not counted, the default window 31 days."""
    rows = select(plan, ActionFilter(), AS_OF)
    assert summarise(rows).as_dict() == {
        "total": 6,
        "progress": {"Blue": 1, "Green": 3, "Amber": 1, "Red": 1},
        "impact": {"Blue": 0, "Green": 1, "Amber": 1, "Red": 1, "none": 3},
        "overdue": 1,
        "due_soon": 2,  # 1.2 due today and 2.1 in 30 days; 1.3 is complete
        "revised": 0,
    }
    assert summarise(rows, due_soon_days=31).due_soon == 3  # and 2.10
    assert summarise(rows, due_soon_days=0).due_soon == 1  # 1.2 only
    second = [row for row in rows if row.objective.number == 2]
    assert summarise(second).as_dict()["progress"] == {"Blue": 0, "Green": 2, "Amber": 0,
                                                       "Red": 1}


def test_overdue_filter_reads_every_action(real_plan: Path) -> None:
    """Mutant: the overdue filter stops at the first action of an objective that is not
    overdue (``break`` for ``continue``)."""
    plan = load_plan(real_plan).plan
    selected = [row.action.ref for row in select(plan, build_filter(plan, overdue=True), AS_OF)]
    assert selected == [a.ref for a in plan.actions() if a.is_overdue(AS_OF)]
    assert len(selected) == 15


@pytest.mark.parametrize("option", ["leads", "objectives", "impact", "themes", "progress"])
def test_every_filter_refuses_an_empty_value(plan: Plan, option: str) -> None:
    name = {"leads": "--lead", "objectives": "--objective", "impact": "--impact",
            "themes": "--theme", "progress": "--progress"}[option]
    with pytest.raises(CannotRun) as caught:
        build_filter(plan, **{option: [","]})  # type: ignore[arg-type]
    assert caught.value.message == f"{name} was given an empty value"


def test_unknown_objective_names_the_whole_range(real_plan: Path) -> None:
    with pytest.raises(CannotRun) as caught:
        build_filter(load_plan(real_plan).plan, objectives=["11"])
    assert caught.value.hint == "objectives are numbered 1 to 10"


def test_near_refs_use_a_lenient_cutoff_and_an_empty_plan_says_so(plan: Plan) -> None:
    # "x1.x" is 0.57 like 1.1, 1.2 and 1.3: above our cutoff (0.5), below difflib's (0.6).
    with pytest.raises(CannotRun) as caught:
        find_action(plan, "x1.x")
    assert caught.value.hint == ("did you mean 1.3 or 1.2 or 1.1? refs run 1.1 to 2.10; "
                                 "`jtai status` lists them")
    empty = dataclasses.replace(plan, objectives=[])
    with pytest.raises(CannotRun) as caught:
        find_action(empty, "1.1")
    assert (caught.value.message, caught.value.hint) == ("no action 1.1 in the plan",
                                                         "the plan has no actions yet")


# --- the succession and lead fields of a row (issue 17, query.py's last survivors) --------

# PLAN with an objective without a lead (3), and a theme, a plan type and an agency named
# "XXXX", mutmut's placeholder string (4), and optionally BFfC succeeded by RBC on
# 2025-06-01 (in effect as of 2025-07-01).
EDGES = """\
  - number: 3
    title: NO LEAD YET
    risk: moderate
    actions:
      - ref: "3.1"
        action: Name a lead.
        complete_by: 2025-07-11
        owners: [CSC]
        progress: Amber
  - number: 4
    title: PLACEHOLDERS
    risk: moderate
    lead: XXXX
    actions:
      - ref: "4.1"
        action: Register the lead.
        complete_by: 2025-06-21
        owners: [TVP]
        theme: XXXX
        plan_type: XXXX
        progress: Red
"""
SUCCESSION = """\
    succeeded_by: RBC
    succeeded_on: 2025-06-01
  - code: RBC
    name: Reading Borough Council
"""


def edges_plan(tmp_path: Path, *, succession: bool) -> Plan:
    text = PLAN.replace("themes: [Information Sharing, Learning and Training]",
                        "themes: [Information Sharing, Learning and Training, XXXX]")
    text = text.replace("plan_types: [Operational, Strategic]",
                        "plan_types: [Operational, Strategic, XXXX]")
    agencies = "    aliases: [CSC]\n" + (SUCCESSION if succession else "")
    text = text.replace("    aliases: [CSC]\n", agencies + "  - code: XXXX\n    name: Nobody\n")
    path = tmp_path / "edges.yaml"
    path.write_text(text + EDGES, encoding="utf-8")
    plan = load_plan(path).plan
    assert [o.lead for o in plan.objectives] == ["Police", "BFfC", None, "XXXX"]
    assert AgencyIndex.of(plan).has_successions() is succession
    return plan


def fields(row: Row) -> tuple[object, ...]:
    return (row.owners, row.lead, row.holders, row.lead_holder, row.shown, row.lead_shown,
            row.plan)


def test_rows_without_successions_hold_and_show_their_own_codes(plan: Plan) -> None:
    """Mutants of make_row's first Row (no successions): ``holders``, ``lead_holder``,
    ``shown``, ``lead_shown`` or ``plan`` None, dropped or shifted by one place."""
    rows = {row.action.ref: row for row in select(plan, ActionFilter(), AS_OF, "reading")}
    both = ("BFfC", "TVP")
    assert fields(rows["1.2"]) == (both, "TVP", both, "TVP", both, "TVP", "reading")
    assert fields(rows["2.1"]) == (("BFfC",), "BFfC", ("BFfC",), "BFfC", ("BFfC",), "BFfC",
                                   "reading")
    assert row_for_ref(plan, "2.2", AS_OF, "reading").plan == "reading"
    assert {row.plan for row in select(plan, ActionFilter(), AS_OF)} == {None}


def test_rows_with_a_succession_in_effect(tmp_path: Path) -> None:
    """Mutants of make_row's second Row (successions): ``due_in_days`` None, ``lead``
    None (the JSON would then give the lead as written, "Police")."""
    plan = edges_plan(tmp_path, succession=True)
    rows = {row.action.ref: row for row in select(plan, ActionFilter(), AS_OF, "reading")}
    assert fields(rows["1.2"]) == (("BFfC", "TVP"), "TVP", ("RBC", "TVP"), "TVP",
                                   ("BFfC → RBC", "TVP"), "TVP", "reading")
    assert fields(rows["2.1"]) == (("BFfC",), "BFfC", ("RBC",), "RBC", ("BFfC → RBC",),
                                   "BFfC → RBC", "reading")
    assert {ref: row.due_in_days for ref, row in rows.items()} == {
        "1.1": -1, "1.2": 0, "1.3": 14, "2.1": 30, "2.2": None, "2.10": 31, "3.1": 10,
        "4.1": -10}
    assert summarise(rows.values()).due_soon == 3  # 1.2, 2.1, 3.1; 1.3 is complete


@pytest.mark.parametrize("succession", [False, True])
def test_a_missing_lead_is_empty(tmp_path: Path, succession: bool) -> None:
    """Mutants: the fallback for an objective without a lead "XXXX", or ``or ""`` turned
    into ``and ""`` (None: the terminal would print "(lead None)")."""
    plan = edges_plan(tmp_path, succession=succession)
    rows = {row.action.ref: row for row in select(plan, ActionFilter(), AS_OF)}
    assert (rows["3.1"].lead, rows["3.1"].lead_holder, rows["3.1"].lead_shown) == ("", "", "")
    assert row_for_ref(plan, "3.1", AS_OF).lead_shown == ""


def test_nothing_unrecorded_matches_a_theme_plan_type_or_lead(tmp_path: Path) -> None:
    """An action without a theme or plan type, and an objective without a lead, match no
    filter on one, whatever the plan calls its themes, plan types and agencies. Mutants:
    the missing value read as "XXXX", which this plan declares (4.1 uses it)."""
    plan = edges_plan(tmp_path, succession=False)
    assert refs(plan, themes=["xxxx"]) == ["4.1"]
    assert refs(plan, plan_types=["XXXX"]) == ["4.1"]
    assert refs(plan, leads=["XXXX"]) == ["4.1"]


def test_a_lead_filter_follows_the_leads_succession_as_of_the_date(tmp_path: Path) -> None:
    """Mutant: the lead's successors looked up as of None (a TypeError once the lead has
    a succession) instead of the as-of date."""
    plan = edges_plan(tmp_path, succession=True)
    for lead in ("RBC", "BFfC"):
        assert refs(plan, leads=[lead]) == ["2.1", "2.2", "2.10"]
    before = select(plan, build_filter(plan, leads=["RBC"]), date(2025, 5, 31))
    assert before == []
    assert refs(plan, leads=["TVP"]) == ["1.1", "1.2", "1.3"]
