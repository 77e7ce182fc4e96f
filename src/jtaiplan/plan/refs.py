"""Refs across several plans: ``reading-jtai:2.3`` names action 2.3 of the plan with id
``reading-jtai``; a bare ``2.3`` is fine while only one of the plans has it."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import CannotRun
from .model import Plan
from .query import find_action

SEPARATOR = ":"


def split_ref(text: str) -> tuple[str | None, str]:
    """``"reading-jtai:2.3"`` -> ``("reading-jtai", "2.3")``; ``"2.3"`` -> ``(None, "2.3")``."""
    text = text.strip()
    if SEPARATOR in text:
        plan_id, ref = text.rsplit(SEPARATOR, 1)
        return plan_id.strip(), ref.strip()
    return None, text


def qualified(plan_id: str | None, ref: str) -> str:
    return f"{plan_id}{SEPARATOR}{ref}" if plan_id else ref


def plan_for_id(plans: Sequence[tuple[str, Plan]], plan_id: str) -> int:
    """The index of the plan with ``plan_id`` (any case), or CannotRun listing the ids."""
    for i, (candidate, _plan) in enumerate(plans):
        if candidate.casefold() == plan_id.casefold():
            return i
    raise CannotRun(f"no plan with id '{plan_id}'",
                    hint=f"plans read: {', '.join(pid for pid, _p in plans)}")


def locate_ref(plans: Sequence[tuple[str, Plan]], text: str) -> tuple[int, str]:
    """Which plan ``text`` (qualified or bare) names, and the bare ref.

    A bare ref held by two plans is refused with every candidate, qualified, so the user
    can copy the one they mean; a ref in no plan gets the single plan's own suggestions.
    """
    plan_id, ref = split_ref(text)
    if plan_id is not None:
        i = plan_for_id(plans, plan_id)
        find_action(plans[i][1], ref)
        return i, ref
    if len(plans) == 1:
        find_action(plans[0][1], ref)
        return 0, ref
    holders = [i for i, (_pid, plan) in enumerate(plans)
               if any(a.ref == ref for a in plan.actions())]
    if len(holders) == 1:
        return holders[0], ref
    if not holders:
        raise CannotRun(f"no action {ref} in any of the {len(plans)} plans",
                        hint="`jtai status --plan ...` lists them; qualify a ref as "
                             f"{qualified(plans[0][0], 'N.N')}")
    candidates = ", ".join(qualified(plans[i][0], ref) for i in holders)
    raise CannotRun(f"ref {ref} is ambiguous: {len(holders)} plans have it",
                    hint=f"write one of: {candidates}")


def locate_objective(plans: Sequence[tuple[str, Plan]], text: str) -> tuple[int, int]:
    """``"reading-jtai:2"`` or ``"2"`` -> (plan index, objective number), as for refs."""
    plan_id, number_text = split_ref(text)
    if not (number_text.isascii() and number_text.isdigit() and 0 < len(number_text) < 10) \
            or int(number_text) < 1:
        raise CannotRun(f"'{number_text}' is not an objective number",
                        hint="write the objective's number, e.g. 2 (or PLAN:2 among several "
                             "plans)")
    number = int(number_text)
    if plan_id is not None:
        return plan_for_id(plans, plan_id), number
    if len(plans) <= 1:
        return 0, number
    holders = [i for i, (_pid, plan) in enumerate(plans)
               if any(o.number == number for o in plan.objectives)]
    if len(holders) == 1:
        return holders[0], number
    candidates = ", ".join(qualified(plans[i][0], str(number)) for i in holders) or "none"
    raise CannotRun(f"objective {number} is ambiguous among {len(plans)} plans"
                    if holders else f"no objective {number} in any of the {len(plans)} plans",
                    hint=f"write one of: {candidates}" if holders else
                    "qualify it with the plan's id, e.g. "
                    f"{qualified(plans[0][0], str(number))}")
