"""An import without --agencies proposes the registry: codes named where the source spells
them out, generic words and initials matched, each match a guess with the command that
undoes it; at most three merges then give the owners and leads of a hand-written registry."""

from __future__ import annotations

from pathlib import Path

import pytest

import import_fixtures
from conftest import Invoke
from import_fixtures import PLAN, SEED, write_docx
from jtaiplan.planfile.loader import load_plan

ON = ("--by", "Ann", "--on", "2025-07-01")


def spelt_out_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed as a Word document whose text spells out two codes, as real plans do: in
    the first lead row and in an action."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("Accountable lead: TVP\t", "Accountable lead: Thames Valley Police "
                        "(TVP)\t", 1)
    text = text.replace("All partners across the Reading partnership", "All partners across "
                        "the Berkshire West Safeguarding Children Partnership (BWSCP)", 1)
    seed = tmp_path / "seed.txt"
    seed.write_text(text, encoding="utf-8")
    monkeypatch.setattr(import_fixtures, "SEED", seed)
    return write_docx(tmp_path / "plan.docx")


def owners_and_leads(path: Path) -> list[object]:
    plan = load_plan(path).plan
    return [(o.number, o.lead, [(a.ref, a.owners) for a in o.actions]) for o in plan.objectives]


def test_proposed_registry_then_one_merge_matches_the_hand_written_one(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = spelt_out_seed(tmp_path, monkeypatch)
    reference, first = tmp_path / "reference.yaml", tmp_path / "first.yaml"
    assert jtai("import", str(source), "--agencies", str(PLAN), "-o",
                str(reference)).exit_code == 0
    result = jtai("import", str(source), "-o", str(first))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert ("agencies created (check their codes and names): TVP (Thames Valley Police), "
            "CSC (CSC), BWSCP (Berkshire West Safeguarding Children Partnership), "
            "BFfC (BFfC), KCC (Kent CC)") in lines
    guesses = [line for line in lines if "' read as " in line or " named '" in line]
    assert guesses == [
        "  action 1.2: guess: BWSCP named 'Berkshire West Safeguarding Children Partnership', "
        "as spelt out here (undo: jtai agency rename BWSCP --name BWSCP)",
        "  table 2, row 4, column 4: guess: 'Police' read as TVP (Thames Valley Police): the "
        "plan's only police agency; if it is another agency: jtai agency split TVP \"Police\"",
        "  table 3, row 6, column 4: guess: 'Partnership' read as BWSCP (Berkshire West "
        "Safeguarding Children Partnership): the plan's only partnership agency; if it is "
        "another agency: jtai agency split BWSCP \"Partnership\""]
    assert any(line.endswith("2.1 owners 'BFFC with partners': 'with partners': names no "
                             "agency, so no owner was read from it") for line in lines)
    merged = jtai("agency", "merge", "CSC", "BFfC", *ON, "--plan", str(first))
    assert merged.exit_code == 0, merged.stderr
    assert owners_and_leads(first) == owners_and_leads(reference)


def test_seed_word_plan_without_spelt_out_codes_needs_three_merges(jtai: Invoke,
                                                                   tmp_path: Path) -> None:
    source = write_docx(tmp_path / "plan.docx")
    reference, first = tmp_path / "reference.yaml", tmp_path / "first.yaml"
    assert jtai("import", str(source), "--agencies", str(PLAN), "-o",
                str(reference)).exit_code == 0
    assert jtai("import", str(source), "-o", str(first)).exit_code == 0
    for args in (("Police", "TVP"), ("CSC", "BFfC"), ("Partnership", "BWSCP")):
        result = jtai("agency", "merge", *args, *ON, "--plan", str(first))
        assert result.exit_code == 0, (args, result.stderr)
    assert owners_and_leads(first) == owners_and_leads(reference)


def test_the_command_a_guess_names_undoes_it(jtai: Invoke, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = spelt_out_seed(tmp_path, monkeypatch)
    first = tmp_path / "first.yaml"
    assert jtai("import", str(source), "-o", str(first)).exit_code == 0
    before = owners_and_leads(first)
    result = jtai("agency", "split", "TVP", "Police", "--plan", str(first))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(": Police split from TVP as agency Police: 1 action(s) whose "
                                  "owners as written name it; objective leads are left as "
                                  "they are\n")
    plan = load_plan(first).plan
    assert [a.owners for a in plan.actions() if a.ref == "1.1"] == [["Police", "CSC"]]
    assert next(a for a in plan.agencies if a.code == "TVP").aliases == []
    assert [(a.code, a.name) for a in plan.agencies][-1] == ("Police", "Police")
    # Only 1.1 changed: 5.1 "TVP with support from BFfC" names TVP itself.
    changed = [ref for (_n, _l, acts), (_m, _k, old) in zip(owners_and_leads(first), before,
                                                            strict=True)
               for (ref, owners), (_r, was) in zip(acts, old, strict=True) if owners != was]
    assert changed == ["1.1"]
