"""What `plan/diff.py` tells a reviewer, read as a library caller reads it: which action
changed, where it stands, both versions, the order deteriorations come in, the headline.
What issue 25's mutation run of plan/diff.py found unpinned (bench/mutation.md)."""

from __future__ import annotations

from pathlib import Path

from conftest import REAL_PLAN
from jtaiplan.plan.diff import ActionChange, Move, PlanDiff, diff_plans
from jtaiplan.plan.model import RAG, Plan
from jtaiplan.planfile.loader import load_plan

TEXT = REAL_PLAN.read_text(encoding="utf-8")


def block(text: str, ref: str) -> tuple[int, int]:
    """Where action ``ref``'s lines start and end in the plan's text."""
    start = text.index(f'      - ref: "{ref}"\n')
    ends = [i for i in (text.find("\n      - ref: ", start + 1), text.find("\n  - number: ",
                                                                         start)) if i > 0]
    return start, min(ends) + 1


def edited(text: str, ref: str, old: str, new: str) -> str:
    start, end = block(text, ref)
    part = text[start:end]
    assert part.count(old) == 1, (ref, old)
    return text[:start] + part.replace(old, new) + text[end:]


def plan_of(text: str, folder: Path, name: str) -> Plan:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_plan(path).plan


def test_a_changed_action_is_named_where_it_stands_with_both_versions(tmp_path: Path) -> None:
    base = plan_of(TEXT, tmp_path, "base.yaml")
    text = edited(TEXT, "2.2", "progress: Green", "progress: Amber")
    text = edited(text, "1.1", "multi_agency: true", "multi_agency: false")
    text = edited(text, "8.1", "owners: [TVP]", "owners: [TVP, BFfC]")
    diff = diff_plans(base, plan_of(text, tmp_path, "head.yaml"))
    by_ref = {c.ref: c for c in diff.actions}
    assert sorted(by_ref) == ["1.1", "2.2", "8.1"]
    change = by_ref["2.2"]
    assert (change.kind, change.index) == ("changed", (1, 1))
    assert change.old is not None and change.new is not None
    assert (change.old.progress, change.new.progress) == (RAG.GREEN, RAG.AMBER)
    assert change.move("progress") == Move("progress", RAG.GREEN, RAG.AMBER)
    assert change.move("impact") is None
    assert by_ref["1.1"].moves[0].as_dict() == {"field": "multi_agency", "from": True,
                                                "to": False, "direction": "changed"}
    assert by_ref["8.1"].moves[0].as_dict()["to"] == ["TVP", "BFfC"]


def test_every_action_of_a_new_plan_is_added_at_its_place() -> None:
    diff = diff_plans(None, load_plan(REAL_PLAN).plan)
    by_ref = {c.ref: c for c in diff.actions}
    assert (by_ref["1.1"].kind, by_ref["1.1"].index) == ("added", (0, 0))
    assert by_ref["2.3"].index == (1, 2)
    assert by_ref["2.3"].new is not None and by_ref["2.3"].old is None


def test_deteriorations_then_removals_then_completions_then_the_rest(tmp_path: Path) -> None:
    base = plan_of(TEXT, tmp_path, "base.yaml")
    text = edited(TEXT, "1.1", "multi_agency: true", "multi_agency: false")  # the rest
    text = edited(text, "2.2", "progress: Green", "progress: Blue")  # completed
    start, end = block(text, "2.5")
    text = text[:start] + text[end:]  # removed
    text = edited(text, "5.1", "progress: Green", "progress: Red")  # worse
    diff = diff_plans(base, plan_of(text, tmp_path, "head.yaml"))
    assert [(c.ref, c.kind) for c in diff.ordered()] == [
        ("5.1", "changed"), ("2.5", "removed"), ("2.2", "changed"), ("1.1", "changed")]
    removed = next(c for c in diff.actions if c.kind == "removed")
    assert removed.old is not None and removed.old.ref == "2.5" and removed.index is None
    assert diff.headline() == "4 actions changed: 1 completed, 1 worse, 1 removed"


def test_refs_are_ordered_as_numbers_not_as_text() -> None:
    changes = [ActionChange(ref, "added", None, None, None)
               for ref in ("10.1", "9.10", "9.2", "9.1")]
    assert [c.ref for c in PlanDiff(changes, []).ordered()] == ["9.1", "9.2", "9.10", "10.1"]


def test_one_objective_changed_is_said_in_the_singular(tmp_path: Path) -> None:
    base = plan_of(TEXT, tmp_path, "base.yaml")
    head = plan_of(TEXT.replace("title: MARAC ARRANGEMENTS", "title: MARAC MEETINGS", 1),
                   tmp_path, "head.yaml")
    assert diff_plans(base, head).headline() == "1 objective changed"
