"""The agency registry and filtering across plans, as a library caller sees them
(plan/agencies.py, plan/across.py): what issue 25's mutation run of plan/ found unpinned.
A registry a person wrote may repeat a code, name a successor it does not register, or go
round in a circle; each must give a definite answer, never a hang or a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from conftest import REAL_PLAN
from jtaiplan.errors import CannotRun
from jtaiplan.plan.across import filters_across, select_across, succession_notes
from jtaiplan.plan.agencies import AgencyIndex, Succession
from jtaiplan.plan.model import Agency, Plan
from jtaiplan.plan.query import ActionFilter
from jtaiplan.planfile.loader import load_plan

DAY = date(2025, 10, 1)


def agency(code: str, successor: str | None = None) -> Agency:
    return Agency(code=code, name=f"{code} agency", succeeded_by=successor,
                  succeeded_on=DAY if successor else None)


def test_a_succession_without_a_note_is_described_without_brackets() -> None:
    assert Succession("BFfC", "RBC", DAY).describe() == (
        "BFfC was succeeded by RBC on 2025-10-01")
    assert Succession("BFfC", "RBC", DAY, "in-house").describe() == (
        "BFfC was succeeded by RBC on 2025-10-01 (in-house)")


def test_a_repeated_code_keeps_the_first_and_every_later_agency() -> None:
    first = Agency(code="A", name="First")
    index = AgencyIndex([first, Agency(code="A", name="Second"), agency("B"), agency("C")])
    assert index.codes() == ["A", "B", "C"]
    assert index.name_of("A") == "First"
    assert index.resolve("second") is None


def test_an_unknown_code_is_named_as_itself() -> None:
    index = AgencyIndex([agency("A")])
    assert (index.name_of("A"), index.name_of("ZZ")) == ("A agency", "ZZ")


def test_a_chain_stops_at_an_unregistered_successor() -> None:
    index = AgencyIndex([agency("A", "B"), agency("B", "NOBODY")])
    assert index.chain("A") == [Succession("A", "B", DAY)]
    assert index.chain("B") == []
    assert index.holder("A", DAY) == "B"


def test_a_chain_stops_before_a_circle_whether_or_not_it_starts_on_it() -> None:
    index = AgencyIndex([agency("A", "B"), agency("B", "C"), agency("C", "B")])
    assert index.chain("A") == [Succession("A", "B", DAY), Succession("B", "C", DAY)]
    assert index.chain("B") == [Succession("B", "C", DAY)]
    circle = AgencyIndex([agency("A", "B"), agency("B", "A")])
    assert circle.chain("A") == [Succession("A", "B", DAY)]


def test_a_cycle_is_found_from_its_members_only() -> None:
    index = AgencyIndex([agency("A", "B"), agency("B", "C"), agency("C", "B"), agency("D")])
    assert index.cycle("B") == ["B", "C", "B"]
    assert index.cycle("C") == ["C", "B", "C"]
    assert index.cycle("A") is None  # leads into the circle, is not on it
    assert index.cycle("D") is None
    assert index.cycle("UNKNOWN") is None


def _plans() -> tuple[Plan, Plan]:
    plan = load_plan(REAL_PLAN).plan
    return plan, plan


def test_filters_across_no_plans_is_no_filters() -> None:
    def build(plan: Plan) -> ActionFilter:
        raise AssertionError("no plan to build for")

    assert filters_across([], build) == []


def test_filters_across_keeps_the_plans_that_accept_the_options() -> None:
    plans = _plans()
    made = ActionFilter(owners=frozenset({"TVP"}))
    calls: Iterator[CannotRun | ActionFilter] = iter([CannotRun("no such agency"), made])

    def build(plan: Plan) -> ActionFilter:
        result = next(calls)
        if isinstance(result, CannotRun):
            raise result
        return result

    assert filters_across(plans, build) == [None, made]

    def refuse(plan: Plan) -> ActionFilter:
        raise CannotRun("unknown agency 'X'")

    with pytest.raises(CannotRun, match="unknown agency 'X'"):
        filters_across(plans, refuse)


def test_select_across_and_notes_need_one_criterion_per_plan() -> None:
    plans = _plans()
    one = [ActionFilter()]
    with pytest.raises(ValueError):
        select_across([("a", plans[0]), ("b", plans[1])], one, DAY)
    with pytest.raises(ValueError):
        succession_notes(list(plans), one, DAY)


def test_succession_notes_read_past_a_plan_the_options_do_not_apply_to() -> None:
    plans = _plans()
    notes = succession_notes(list(plans), [None, ActionFilter(owners=frozenset({"BFfC"}))],
                             DAY)
    assert notes == [
        "BFfC was succeeded by RBC on 2025-10-01 (Reading's children's services moved from "
        "Brighter Futures for Children back into Reading Borough Council, which keeps the "
        "BFfC name externally): as of 2025-10-01 its actions are held by RBC"]
