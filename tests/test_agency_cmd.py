"""`jtai agency`: the registry listed and edited in place, on the plan's own registry and
on a shared one, each change validated, atomic, one-line where it can be."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml

from conftest import Invoke
from jtaiplan.planfile.loader import load_plan

PLAN = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: TVP
  - code: Police
    name: Police
  - code: BFfC
    name: Brighter Futures for Children
    aliases: [CSC]
objectives:
  - number: 1
    title: Voice
    lead: Police
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police, CSC]
        progress: Green
      - ref: "1.2"
        action: Training
        owners: [TVP]
        owners_as_written: TVP with partners
        progress: Amber
"""
ON = ("--by", "Ann", "--on", "2025-07-01")


def write(tmp_path: Path, text: str = PLAN) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def test_list_shows_codes_names_owned_and_led(jtai: Invoke, tmp_path: Path) -> None:
    plan = write(tmp_path)
    result = jtai("agency", "list", "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "TVP: TVP", "    owns 1 action (1.2), leads no objectives",
        "Police: Police", "    owns 1 action (1.1), leads 1 objective (1)",
        "BFfC: Brighter Futures for Children; also CSC",
        "    owns 1 action (1.1), leads no objectives"]
    rows = json.loads(jtai("agency", "list", "--format", "json", "--plan", str(plan)).stdout)
    assert rows[2] == {"code": "BFfC", "name": "Brighter Futures for Children",
                       "aliases": ["CSC"], "owned": ["1.1"], "led": [], "successor": None,
                       "registry": "plan"}


def test_merge_moves_owners_and_leads_and_records_it(jtai: Invoke, tmp_path: Path) -> None:
    plan = write(tmp_path)
    result = jtai("agency", "merge", "Police", "TVP", *ON, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (f"jtai: updated {plan.as_posix()}: agency Police (Police) merged "
                             "into TVP (TVP): 1 action(s), 1 objective(s)\n")
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert data["agencies"][0] == {"code": "TVP", "name": "TVP", "aliases": ["Police"]}
    assert [a["code"] for a in data["agencies"]] == ["TVP", "BFfC"]
    objective = data["objectives"][0]
    assert objective["lead"] == "TVP"
    first = objective["actions"][0]
    # The owners as the source wrote them are kept where the plan did not hold them yet.
    assert (first["owners"], first["owners_as_written"]) == (["TVP", "CSC"], "Police, CSC")
    assert data["updates"] == [{"date": date(2025, 7, 1), "by": "Ann", "changes": {
        "agency": {"from": "Police", "to": "TVP"}}, "note": "agency Police (Police) merged "
        "into TVP (TVP): 1 action(s), 1 objective(s)"}]
    loaded = load_plan(plan).plan
    assert loaded.updates[0].changes["agency"].new == "TVP"
    assert str(loaded.updates[0].date) == "2025-07-01"


def test_dry_run_prints_one_line_changes_and_writes_nothing(jtai: Invoke,
                                                             tmp_path: Path) -> None:
    plan = write(tmp_path)
    before = plan.read_bytes()
    result = jtai("agency", "rename", "TVP", "--name", "Thames Valley Police", "--dry-run",
                  "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert plan.read_bytes() == before
    assert [line for line in result.stdout.splitlines() if line[:1] in "+-"] == [
        "--- a/" + plan.as_posix().lstrip("/"), "+++ b/" + plan.as_posix().lstrip("/"),
        "-    name: TVP", "+    name: Thames Valley Police"]
    assert result.stderr == ("jtai: dry run, nothing written: TVP renamed: named Thames "
                             "Valley Police\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_rename_code_rewrites_owners_and_keeps_the_old_code(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    plan = write(tmp_path)
    result = jtai("agency", "rename", "Police", "--code", "TVPol", "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert data["agencies"][1] == {"code": "TVPol", "name": "Police", "aliases": ["Police"]}
    assert data["objectives"][0]["lead"] == "TVPol"
    assert data["objectives"][0]["actions"][0]["owners"] == ["TVPol", "CSC"]
    assert "updates" not in data


def test_add_and_alias(jtai: Invoke, tmp_path: Path) -> None:
    plan = write(tmp_path)
    assert jtai("agency", "add", "ICB", "--name", "Integrated Care Board", "--alias", "Health",
                "--plan", str(plan)).exit_code == 0
    # BFFC names BFfC already (names are matched in any case): only the new one is added.
    assert jtai("agency", "alias", "BFfC", "BFFC", "Children's Social Care",
                "--plan", str(plan)).exit_code == 0
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert data["agencies"][3] == {"code": "ICB", "name": "Integrated Care Board",
                                   "aliases": ["Health"]}
    assert data["agencies"][2]["aliases"] == ["CSC", "Children's Social Care"]


def test_refusals_name_the_problem_and_leave_the_file(jtai: Invoke, tmp_path: Path) -> None:
    plan = write(tmp_path)
    before = plan.read_bytes()
    for args, code, message in [
        (("add", "CSC", "--name", "Social care"), 2,
         "jtai: CODE: 'CSC' already names BFfC (Brighter Futures for Children)"),
        (("merge", "NHS", "TVP", *ON), 2, "jtai: FROM: unknown agency 'NHS'"),
        (("merge", "CSC", "BFfC", *ON), 2, "jtai: CSC and BFfC are one agency (BFfC)"),
        (("rename", "TVP", "--code", "BFfC"), 2,
         "jtai: --code: 'BFfC' already names BFfC (Brighter Futures for Children)"),
        (("merge", "TVP"), 2, "jtai: jtai agency merge takes FROM INTO; got 1"),
    ]:
        result = jtai("agency", *args, "--plan", str(plan))
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith(message), (args, result.stderr)
    assert plan.read_bytes() == before


def test_shared_registry_is_edited_where_the_agency_is(jtai: Invoke, tmp_path: Path) -> None:
    shared = tmp_path / "agencies.yaml"
    shared.write_text("version: 1\nagencies:\n  - code: TVP\n    name: Thames Valley Police\n"
                      "  - code: BFfC\n    name: Brighter Futures for Children\n",
                      encoding="utf-8")
    plan = write(tmp_path, PLAN.replace(
        "agencies:\n  - code: TVP\n    name: TVP\n", "agencies_from: agencies.yaml\n"
        "agencies:\n").replace("  - code: BFfC\n    name: Brighter Futures for Children\n"
                                "    aliases: [CSC]\n", "  - code: CSC\n    name: CSC\n"))
    assert jtai("validate", "--plan", str(plan)).exit_code == 0
    dry = jtai("agency", "merge", "CSC", "BFfC", *ON, "--dry-run", "--plan", str(plan))
    assert dry.exit_code == 0, dry.stderr
    assert "+    aliases: [CSC]\n" in dry.stdout and "-  - code: CSC\n" in dry.stdout
    result = jtai("agency", "merge", "CSC", "BFfC", *ON, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert shared.read_text(encoding="utf-8").endswith(
        "  - code: BFfC\n    name: Brighter Futures for Children\n    aliases: [CSC]\n")
    renamed = jtai("agency", "rename", "TVP", "--code", "TV", "--plan", str(plan))
    assert renamed.exit_code == 0, renamed.stderr
    assert "  - code: TV\n    name: Thames Valley Police\n    aliases: [TVP]\n" in \
        shared.read_text(encoding="utf-8")
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert data["objectives"][0]["actions"][0]["owners"] == ["Police", "BFfC"]
    assert data["objectives"][0]["actions"][1]["owners"] == ["TV"]
    assert [a["code"] for a in data["agencies"]] == ["Police"]
    listed = jtai("agency", "list", "--plan", str(plan)).stdout
    assert "TV: Thames Valley Police; also TVP [shared registry]" in listed


def test_seed_imported_without_a_registry_then_reviewed_matches_the_registry_import(
        jtai: Invoke, tmp_path: Path) -> None:
    from import_fixtures import PLAN as REGISTRY
    from import_fixtures import SEED

    reference, first = tmp_path / "reference.yaml", tmp_path / "first.yaml"
    assert jtai("import", str(SEED), "--agencies", str(REGISTRY), "-o",
                str(reference)).exit_code == 0
    assert jtai("import", str(SEED), "-o", str(first)).exit_code == 0
    for args in (("merge", "Police", "TVP", *ON), ("merge", "CSC", "BFfC", *ON),
                 ("merge", "Partnership", "BWSCP", *ON)):
        result = jtai("agency", *args, "--plan", str(first))
        assert result.exit_code == 0, (args, result.stderr)

    def owners_and_leads(path: Path) -> list[object]:
        plan = load_plan(path).plan
        return [(o.number, o.lead, [(a.ref, a.owners) for a in o.actions])
                for o in plan.objectives]

    assert owners_and_leads(first) == owners_and_leads(reference)
    assert jtai("validate", "--plan", str(first)).exit_code == 0


def test_an_agency_written_on_one_line_is_refused_not_damaged(jtai: Invoke,
                                                              tmp_path: Path) -> None:
    plan = write(tmp_path, PLAN.replace("  - code: TVP\n    name: TVP\n",
                                        "  - {code: TVP, name: TVP}\n"))
    before = plan.read_bytes()
    result = jtai("agency", "alias", "TVP", "Thames Valley", "--plan", str(plan))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"jtai: agency TVP is written as a {{flow, mapping}} on one line in "
        f"{plan.as_posix()}; write it as one 'key: value' per line, then try again")
    assert plan.read_bytes() == before
