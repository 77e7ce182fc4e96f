"""Large plans: the terminal table gives way to plain rows that stream."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Invoke
from helpers_plans import make_plan
from jtaiplan.cli.terminal import TABLE_ROW_LIMIT
from jtaiplan.planfile.loader import load_plan


def test_status_table_on_a_large_plan_prints_one_plain_row_per_action(
        jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(TABLE_ROW_LIMIT + 50, seed=3), encoding="utf-8")
    result = jtai("status", "--plan", str(plan), "--as-of", "2025-07-01")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith(f"{TABLE_ROW_LIMIT + 50} actions: plain rows (filter, or use "
                             "--format csv, for more)")
    assert lines[1].split() == ["Ref", "Complete", "by", "Progress", "Impact", "Owners",
                                "Action"]
    assert len(lines) == 2 + TABLE_ROW_LIMIT + 50 + 1
    assert lines[-1].startswith(f"{TABLE_ROW_LIMIT + 50} actions as of 2025-07-01")
    assert "┃" not in result.stdout and "─" not in result.stdout


def test_status_table_up_to_the_limit_is_a_table(jtai: Invoke, tmp_path: Path) -> None:
    """Exactly TABLE_ROW_LIMIT actions still get the table: one table per objective, every
    action once and in plan order, and the summary line."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(TABLE_ROW_LIMIT, seed=3), encoding="utf-8")
    objectives = load_plan(plan).plan.objectives
    result = jtai("status", "--plan", str(plan), "--as-of", "2025-07-01")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "plain rows" not in result.stdout
    headings = [line.rstrip() for line in lines if line.startswith("Objective ")]
    assert headings == [f"Objective {o.number}: {o.title} (lead {o.lead})" for o in objectives]
    assert sum(1 for line in lines if line.split() == ["Ref", "Action", "Owners", "Complete",
                                                       "by", "Progress", "Impact"]) \
        == len(objectives)
    assert sum(1 for line in lines if set(line.strip()) == {"─"}) == len(objectives)
    refs = [line.split()[0] for line in lines if re.match(r" \d+\.\d+ ", line)]
    assert refs == [a.ref for o in objectives for a in o.actions]
    assert len(refs) == TABLE_ROW_LIMIT
    assert f"{TABLE_ROW_LIMIT} actions as of 2025-07-01 · progress: " in result.stdout
