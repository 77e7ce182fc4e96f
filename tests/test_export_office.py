"""Exports opened by a real office suite: LibreOffice prints the workbook and the Word
document to PDF, and the PDF's text holds every ref and the start of every action.

Skips without LibreOffice and pdftotext, and fails instead under CI (``office_client``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from helpers_plans import make_plan_with_counts
from jtaiplan.plan.model import Plan
from jtaiplan.planfile.loader import load_plan
from office_client import office_text

pytestmark = pytest.mark.slow


def first_words(plan: Plan, count: int = 3) -> dict[str, str]:
    return {action.ref: " ".join(action.action.split()[:count]) for action in plan.actions()}


def exported_text(jtai: Invoke, plan: Path, out: Path) -> str:
    result = jtai("export", "--plan", str(plan), "--as-of", "2025-07-01", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return office_text(out, out.parent / f"pdf-{out.suffix[1:]}")


def assert_every_action_shown(text: str, plan: Plan) -> None:
    missing_refs = [a.ref for a in plan.actions() if f" {a.ref} " not in f" {text} "]
    assert missing_refs == []
    missing_words = {ref: words for ref, words in first_words(plan).items()
                     if words not in text}
    assert missing_words == {}


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_libreoffice_prints_every_ref_and_action_of_the_real_plan(
        jtai: Invoke, tmp_path: Path, suffix: str) -> None:
    plan = load_plan(REAL_PLAN).plan
    text = exported_text(jtai, REAL_PLAN, tmp_path / f"plan{suffix}")
    assert_every_action_shown(text, plan)
    for rating in ("Blue", "Green", "Amber"):
        assert rating in text
    if suffix == ".docx":
        assert "position as of 1 July 2025" in text
        assert "Position as of 1 July 2025" in text  # on the first page's body too
        assert "OVERDUE" in text  # in words, not colour alone
        assert "Improvement Objective 10:" in text
        assert "Accountable lead: TVP" in text
        assert "Highly likely action will not be completed on time" in text  # the key
    else:
        assert "30/06/2025" in text  # a date cell, shown day-first
        assert "In place" in text


def test_libreoffice_keeps_refs_past_9_and_formula_like_text_as_written(
        jtai: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(make_plan_with_counts([12, 2], seed=3), encoding="utf-8")
    plan = load_plan(path).plan
    shown = exported_text(jtai, path, tmp_path / "big.xlsx")
    assert " 1.10 " in shown and " 1.12 " in shown
    assert_every_action_shown(shown, plan)


def test_libreoffice_shows_formula_like_text_as_text(jtai: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = REAL_PLAN.read_text(encoding="utf-8").replace(
        "multi_agency: true\n        action: ABE Interviewing",
        "multi_agency: false\n        action: =1+1 ABE Interviewing", 1).replace(
        "multi_agency: true\n        action: Undertake",
        "multi_agency: false\n        action: +44 118 937 3641 Undertake", 1)
    path.write_text(text, encoding="utf-8")
    for suffix in (".xlsx", ".csv"):
        shown = exported_text(jtai, path, tmp_path / f"weird{suffix}")
        # Run as formulas, these would print 2 and 44118... or an error.
        assert "=1+1 ABE" in shown, suffix
        assert "+44 118 937 3641 Undertake" in shown, suffix
