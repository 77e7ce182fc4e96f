"""Issue 14: several plans at once, a shared agency registry, and agencies that change.

The portfolio is three plans in one folder: a copy of the real Reading plan (file
``reading-jtai.yaml``, so its id is ``reading-jtai``) and two small plans written here that
take their agencies from a shared ``agencies.yaml`` in the same folder (which is not a plan,
so ``--plan DIR`` skips it with a note). Expected refs, owners and lines are worked out
from the text written here and from plan.yaml by hand, never from jtai's own output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REAL_PLAN, REPO, Invoke

AS_OF = "2025-07-01"
SHARED = """\
agencies:
  - code: TVP
    name: Thames Valley Police
    aliases: [Police]
  - code: WBC
    name: West Berkshire Council
    aliases: [West Berks]
  - code: WOK
    name: Wokingham Borough Council
  - code: BWSCP
    name: Berkshire West Safeguarding Children Partnership
    aliases: [Partnership]
  - code: CCG
    name: Berkshire West Clinical Commissioning Group
    succeeded_by: ICB
    succeeded_on: 2022-07-01
    succession_note: clinical commissioning groups became integrated care boards
  - code: ICB
    name: Buckinghamshire, Oxfordshire and Berkshire West Integrated Care Board
"""

# (ref, owners, complete_by, progress) of each generated plan's actions.
WOKINGHAM = [("1.1", "[TVP]", "2025-06-30", "Amber"), ("1.2", "[WOK]", "2025-09-30", "Green"),
             ("2.1", "[WOK, TVP]", "2025-05-31", "Blue"), ("2.3", "[CCG]", "2025-06-15", "Red")]
WEST_BERKS = [("1.1", "[WBC]", "2025-04-30", "Green"), ("1.2", "[Police]", "2025-08-31", "Green"),
              ("1.3", "[ICB, WBC]", "2025-06-01", "Amber")]

# Reading's TVP actions (plan.yaml, by hand): 1.1 (TVP, BFfC), 5.1 (TVP, BFfC), 8.1 (TVP).
TVP_EVERYWHERE = [("reading-jtai", "1.1"), ("reading-jtai", "5.1"), ("reading-jtai", "8.1"),
                  ("wberks-cspr", "1.2"), ("wokingham-ilacs", "1.1"),
                  ("wokingham-ilacs", "2.1")]
BFFC = ["1.1", "2.1", "2.2", "2.4", "2.5", "3.1", "4.1", "5.1", "6.1"]
# Reading's overdue actions as of 2025-07-01 and the line of each complete_by (plan.yaml).
READING_OVERDUE = [("1.2", 91), ("2.2", 126), ("2.4", 146), ("2.5", 156), ("3.1", 173),
                   ("4.1", 198), ("5.1", 214), ("6.1", 231), ("6.2", 240), ("6.3", 249),
                   ("7.1", 265), ("8.1", 281), ("9.1", 297), ("10.1", 313), ("10.2", 322)]


def small_plan(area: str, actions: list[tuple[str, str, str, str]], *, plan_id: str = "",
               extra_agencies: str = "") -> str:
    lines = [f"id: {plan_id}"] if plan_id else []
    lines += [
        "inspection:", "  type: ILACS", f"  area: {area}", "  start: 2025-01-13",
        "  end: 2025-01-24", "risk_levels:", "  high: High risk", "themes: [Data]",
        "plan_types: [Operational]", "agencies_from: agencies.yaml",
    ]
    if extra_agencies:
        lines += ["agencies:", extra_agencies.rstrip("\n")]
    lines.append("objectives:")
    for number in sorted({int(a[0].split(".")[0]) for a in actions}):
        lines += [f"  - number: {number}", f"    title: OBJECTIVE {number}", "    risk: high",
                  "    lead: TVP", "    actions:"]
        for ref, owners, due, progress in actions:
            if ref.startswith(f"{number}."):
                lines += [f'      - ref: "{ref}"', f"        action: Do {ref} in {area}",
                          f"        complete_by: {due}", f"        owners: {owners}",
                          "        theme: Data", "        plan_type: Operational",
                          f"        progress: {progress}"]
                if progress == "Blue":
                    lines.append("        evidence: Done and minuted")
    return "\n".join(lines) + "\n"


def line_of(text: str, ref: str, key: str) -> int:
    """The 1-based line of ``key:`` in the action ``ref``, found in the text we wrote."""
    rows = text.splitlines()
    start = rows.index(f'      - ref: "{ref}"')
    return next(i for i in range(start, len(rows)) if rows[i].strip().startswith(key + ":")) + 1


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copyfile(REAL_PLAN, plans / "reading-jtai.yaml")
    (plans / "agencies.yaml").write_text(SHARED, encoding="utf-8")
    (plans / "wok.yaml").write_text(small_plan("Wokingham", WOKINGHAM,
                                               plan_id="wokingham-ilacs"), encoding="utf-8")
    (plans / "wberks-cspr.yaml").write_text(small_plan("West Berkshire", WEST_BERKS),
                                            encoding="utf-8")
    return plans


def snapshot(folder: Path) -> dict[str, bytes]:
    # Lock files are created (empty) by writing commands, as for a single plan.
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix != ".lock"}


def skipped_note(folder: Path) -> str:
    return (f"jtai: skipped {folder.as_posix()}/agencies.yaml: not a jtai plan (no top-level "
            "objectives:)\n")


def run_json(jtai: Invoke, *args: str) -> Any:
    result = jtai(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- acceptance: status, lint, ambiguity ---------------------------------------------------

def test_status_owner_tvp_across_three_plans(jtai: Invoke, folder: Path) -> None:
    result = jtai("status", "--plan", str(folder), "--owner", "TVP", "--as-of", AS_OF,
                  "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(a["plan"], a["ref"]) for a in document["actions"]] == TVP_EVERYWHERE
    assert [p["id"] for p in document["plans"]] == ["reading-jtai", "wberks-cspr",
                                                    "wokingham-ilacs"]
    assert "plan" not in document
    assert document["summary"]["total"] == 6
    assert result.stderr == skipped_note(folder)


def test_lint_folder_reports_each_plans_overdue_at_its_file_and_line(
        jtai: Invoke, folder: Path) -> None:
    result = jtai("lint", "--plan", str(folder), "--as-of", AS_OF, "--format", "json",
                  "--select", "JTAI101")
    assert result.exit_code == 1
    found = [(Path(f["file"]).name, f["ref"], f["line"]) for f in json.loads(result.stdout)]
    wok = (folder / "wok.yaml").read_text(encoding="utf-8")
    wberks = (folder / "wberks-cspr.yaml").read_text(encoding="utf-8")
    assert found == [
        *[("reading-jtai.yaml", ref, line) for ref, line in READING_OVERDUE],
        ("wberks-cspr.yaml", "1.1", line_of(wberks, "1.1", "complete_by")),
        ("wberks-cspr.yaml", "1.3", line_of(wberks, "1.3", "complete_by")),
        ("wok.yaml", "1.1", line_of(wok, "1.1", "complete_by")),
        ("wok.yaml", "2.3", line_of(wok, "2.3", "complete_by")),
    ]
    assert line_of(wok, "2.3", "complete_by") == 47  # counted by hand too


def test_lint_text_names_each_file(jtai: Invoke, folder: Path) -> None:
    result = jtai("lint", "--plan", str(folder), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"{folder.as_posix()}/reading-jtai.yaml:91:22: JTAI101 1.2 was due" in result.stdout
    assert f"{folder.as_posix()}/wok.yaml:47:22: JTAI101 2.3 was due 2025-06-15" in result.stdout
    assert result.stdout.rstrip().endswith("19 errors, 5 warnings as of 2025-07-01")


def test_validate_folder(jtai: Invoke, folder: Path) -> None:
    result = jtai("validate", "--plan", str(folder))
    assert result.exit_code == 0, result.stdout
    assert result.stderr.splitlines()[1:] == [
        f"{folder.as_posix()}/{name}: valid"
        for name in ("reading-jtai.yaml", "wberks-cspr.yaml", "wok.yaml")]


def test_ambiguous_bare_ref_is_refused_with_candidates(jtai: Invoke, folder: Path) -> None:
    before = snapshot(folder)
    for args in (("show", "2.3"), ("update", "2.3", "--progress", "red", "--by", "T")):
        result = jtai(*args, "--plan", str(folder), "--as-of", AS_OF) if args[0] == "show" \
            else jtai(*args, "--plan", str(folder))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.endswith(
            "jtai: ref 2.3 is ambiguous: 2 plans have it\n"
            "    hint: write one of: reading-jtai:2.3, wokingham-ilacs:2.3\n")
    assert snapshot(folder) == before


def test_qualified_and_unique_bare_refs(jtai: Invoke, folder: Path) -> None:
    shown = run_json(jtai, "show", "wokingham-ilacs:2.3", "--plan", str(folder),
                     "--as-of", AS_OF)
    assert (shown["plan"], shown["ref"], shown["owners"]) == ("wokingham-ilacs", "2.3", ["CCG"])
    # CCG became the ICB in July 2022: the plan keeps CCG, the holder is the ICB.
    assert shown["held_by"] == ["ICB"]
    unique = run_json(jtai, "show", "10.2", "--plan", str(folder), "--as-of", AS_OF)
    assert (unique["plan"], unique["ref"]) == ("reading-jtai", "10.2")
    text = jtai("show", "reading-jtai:2.3", "--plan", str(folder), "--as-of", AS_OF)
    assert text.stdout.startswith("reading-jtai:2.3  MULTI-AGENCY\n")
    missing = jtai("show", "nowhere:2.3", "--plan", str(folder))
    assert missing.exit_code == 2
    assert missing.stderr == skipped_note(folder) + (
        "jtai: no plan with id 'nowhere'\n"
        "    hint: plans read: reading-jtai, wberks-cspr, wokingham-ilacs\n")


def test_update_a_qualified_ref_changes_only_that_plan(jtai: Invoke, folder: Path) -> None:
    before = snapshot(folder)
    result = jtai("update", "wokingham-ilacs:2.3", "--progress", "amber", "--note", "Better",
                  "--by", "T", "--on", "2025-07-01", "--plan", str(folder))
    assert result.exit_code == 0, result.stderr
    after = snapshot(folder)
    assert [name for name in before if before[name] != after[name]] == ["wok.yaml"]
    old, new = before["wok.yaml"].decode(), after["wok.yaml"].decode()
    assert old.replace("        progress: Red\n", "        progress: Amber\n"
                       "        updates:\n          - date: 2025-07-01\n            by: T\n"
                       "            changes:\n              progress:\n"
                       "                from: Red\n                to: Amber\n"
                       "            note: Better\n") == new
    assert result.stderr == skipped_note(folder) + (
        f"jtai: updated {folder.as_posix()}/wok.yaml: 2.3: progress Red → Amber, note recorded\n")


def test_add_to_a_qualified_objective(jtai: Invoke, folder: Path) -> None:
    before = snapshot(folder)
    result = jtai("add", "wberks-cspr:1", "--action", "Audit referrals", "--owner", "TVP",
                  "--theme", "Data", "--plan-type", "Operational", "--due", "2025-12-31",
                  "--by", "T", "--on", "2025-07-01", "--plan", str(folder), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert '+      - ref: "1.4"' in result.stdout
    assert snapshot(folder) == before
    ambiguous = jtai("add", "1", "--action", "x", "--owner", "TVP", "--theme", "Data",
                     "--plan-type", "Operational", "--due", "2025-12-31", "--by", "T",
                     "--plan", str(folder))
    assert ambiguous.exit_code == 2
    assert ambiguous.stderr == skipped_note(folder) + (
        "jtai: objective 1 is ambiguous among 3 plans\n    hint: write one of: "
        "reading-jtai:1, wberks-cspr:1, wokingham-ilacs:1\n")


def test_repeated_plan_option_and_single_plan_output_unchanged(
        jtai: Invoke, folder: Path) -> None:
    both = run_json(jtai, "status", "--plan", str(folder / "wok.yaml"), "--plan",
                    str(folder / "wberks-cspr.yaml"), "--as-of", AS_OF)
    assert [(a["plan"], a["ref"]) for a in both["actions"]] == [
        *[("wokingham-ilacs", a[0]) for a in WOKINGHAM],
        *[("wberks-cspr", a[0]) for a in WEST_BERKS]]
    one = run_json(jtai, "status", "--plan", str(folder / "wok.yaml"), "--as-of", AS_OF)
    assert "plans" not in one and all("plan" not in a for a in one["actions"])
    assert one["plan"] == f"{folder.as_posix()}/wok.yaml"


def test_csv_and_markdown_gain_a_plan_column(jtai: Invoke, folder: Path) -> None:
    csv_text = jtai("status", "--plan", str(folder), "--owner", "TVP", "--as-of", AS_OF,
                    "--format", "csv").stdout
    rows = csv_text.splitlines()
    assert rows[0].startswith("plan,ref,objective,")
    assert [r.split(",")[:2] for r in rows[1:]] == [list(t) for t in TVP_EVERYWHERE]
    markdown = jtai("status", "--plan", str(folder), "--owner", "TVP", "--as-of", AS_OF,
                    "--format", "markdown").stdout
    assert "### wokingham-ilacs · Objective 2: OBJECTIVE 2" in markdown
    assert "| Plan | Ref | Action | Owners | Complete by | Progress | Impact |" in markdown
    table = jtai("status", "--plan", str(folder), "--owner", "TVP", "--as-of", AS_OF).stdout
    assert table.startswith("3 plans: reading-jtai, wberks-cspr, wokingham-ilacs · as of "
                            "2025-07-01\n")
    assert "wokingham-ilacs · Objective 1: OBJECTIVE 1 (lead TVP)" in table


def test_owner_unknown_in_every_plan_is_an_error(jtai: Invoke, folder: Path) -> None:
    result = jtai("status", "--plan", str(folder), "--owner", "Nobody", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "jtai: --owner: unknown agency 'Nobody'" in result.stderr


def test_duplicate_plan_ids_are_refused(jtai: Invoke, folder: Path) -> None:
    (folder / "other.yaml").write_text(
        small_plan("Elsewhere", WEST_BERKS, plan_id="wokingham-ilacs"), encoding="utf-8")
    result = jtai("status", "--plan", str(folder))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2] == (
        f"jtai: two plans have the id 'wokingham-ilacs': {folder.as_posix()}/other.yaml and "
        f"{folder.as_posix()}/wok.yaml")


# --- the shared registry ------------------------------------------------------------------

def test_conflicting_definition_is_a_lint_error_in_the_plan_that_brings_it(
        jtai: Invoke, folder: Path) -> None:
    text = small_plan("Wokingham", WOKINGHAM, plan_id="wokingham-ilacs", extra_agencies=(
        "  - code: TVP\n    name: Thames Valley Constabulary\n"
        "  - code: SCH\n    name: Schools\n    aliases: [Police]\n"))
    (folder / "wok.yaml").write_text(text, encoding="utf-8")
    result = jtai("lint", "--plan", str(folder / "wok.yaml"), "--as-of", AS_OF,
                  "--select", "JTAI207", "--format", "json")
    assert result.exit_code == 1
    found = [(f["line"], f["message"]) for f in json.loads(result.stdout)]
    rows = text.splitlines()
    assert found == [
        (rows.index("    name: Thames Valley Constabulary") + 1,
         "agency TVP is 'Thames Valley Constabulary' here but 'Thames Valley Police' in "
         "agencies.yaml"),
        (rows.index("  - code: SCH") + 1, "'police' names SCH here but TVP in agencies.yaml"),
    ]
    # A restated shared agency is fine, and status still runs on the plan.
    assert jtai("status", "--plan", str(folder / "wok.yaml"), "--as-of", AS_OF).exit_code == 0


def test_missing_shared_registry_names_the_plans_line(jtai: Invoke, folder: Path) -> None:
    (folder / "agencies.yaml").unlink()
    result = jtai("validate", "--plan", str(folder / "wok.yaml"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        f"{folder.as_posix()}/wok.yaml:11:16: JTAI001 agencies_from: no such file "
        f"{folder.as_posix()}/agencies.yaml")


def test_invalid_shared_registry_names_its_own_file_and_line(
        jtai: Invoke, folder: Path) -> None:
    (folder / "agencies.yaml").write_text(SHARED.replace("    name: Wokingham Borough Council\n",
                                                         "    nmae: Wokingham\n"),
                                          encoding="utf-8")
    result = jtai("validate", "--plan", str(folder / "wok.yaml"))
    assert result.exit_code == 1
    assert f"{folder.as_posix()}/agencies.yaml:9:5: JTAI002 unknown key 'nmae'" in result.stdout


def test_schema_covers_the_shared_registry(jtai: Invoke, folder: Path) -> None:
    result = jtai("schema", "--agencies")
    assert result.exit_code == 0
    assert result.stdout == (REPO / "schema" / "agencies.schema.json").read_text("utf-8")
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(SHARED.replace("2022-07-01",
                                                                    "'2022-07-01'")))) == []
    assert list(validator.iter_errors({"agencies": [{"code": "X"}]}))
    plan_schema = json.loads(jtai("schema").stdout)
    assert "agencies_from" in plan_schema["properties"]
    assert "succeeded_by" in plan_schema["$defs"]["Agency"]["properties"]


# --- successions --------------------------------------------------------------------------

def refs(jtai: Invoke, *args: str) -> list[str]:
    return [a["ref"] for a in run_json(jtai, "status", *args)["actions"]]


def test_rbc_after_the_change_finds_exactly_bffcs_actions(jtai: Invoke, real_plan: Path) -> None:
    after = ("--plan", str(real_plan), "--as-of", "2026-01-01")
    assert refs(jtai, *after, "--owner", "RBC") == BFFC
    assert refs(jtai, *after, "--owner", "BFfC") == BFFC
    assert refs(jtai, *after, "--owner", "Reading Borough Council") == BFFC
    result = jtai("status", *after, "--owner", "bffc")
    assert "BFfC → RBC" in result.stdout
    assert result.stderr == (
        "jtai: BFfC was succeeded by RBC on 2025-10-01 (Reading's children's services moved "
        "from Brighter Futures for Children back into Reading Borough Council, which keeps "
        "the BFfC name externally): as of 2026-01-01 its actions are held by RBC\n")
    document = run_json(jtai, "status", *after, "--owner", "RBC")
    first = document["actions"][0]
    assert (first["ref"], first["owners"], first["held_by"]) == ("1.1", ["TVP", "BFfC"],
                                                                 ["TVP", "RBC"])


def test_rbc_before_the_change_finds_nothing_and_says_so(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("status", "--plan", str(real_plan), "--as-of", AS_OF, "--owner", "RBC")
    assert result.exit_code == 0
    assert "0 actions as of 2025-07-01" in result.stdout
    assert result.stderr == (
        "jtai: RBC takes over from BFfC on 2025-10-01, after 2025-07-01: BFfC's actions are "
        "not yet RBC's\njtai: no actions match these filters\n")
    before = run_json(jtai, "status", "--plan", str(real_plan), "--as-of", AS_OF)
    assert all("held_by" not in a for a in before["actions"])


def test_the_day_of_the_change(jtai: Invoke, real_plan: Path) -> None:
    assert refs(jtai, "--plan", str(real_plan), "--as-of", "2025-09-30", "--owner", "RBC") == []
    assert refs(jtai, "--plan", str(real_plan), "--as-of", "2025-10-01", "--owner",
                "RBC") == BFFC


def test_show_and_report_show_the_succession(jtai: Invoke, real_plan: Path) -> None:
    shown = jtai("show", "2.2", "--plan", str(real_plan), "--as-of", "2026-01-01").stdout
    assert "  Accountable lead: BFfC → RBC (Reading Borough Council)\n" in shown
    assert ('Owners:          BFfC → RBC (written "BFFC with partners"); BFfC was succeeded '
            "by RBC on 2025-10-01 (Reading's children's") in shown
    before = jtai("show", "2.2", "--plan", str(real_plan), "--as-of", AS_OF).stdout
    assert "→" not in before
    report = jtai("report", "--plan", str(real_plan), "--as-of", "2026-01-01", "--format",
                  "markdown", "--owner", "RBC").stdout
    assert "| 2.2 | Multi-agency workshop" in report
    assert "| BFfC → RBC |" in report
    # The plan file itself is never rewritten: every action keeps the seed's owners.
    data = yaml.safe_load(real_plan.read_text(encoding="utf-8"))
    owners = [a["owners"] for o in data["objectives"] for a in o["actions"]]
    assert not any("RBC" in o for o in owners)


def test_chain_of_successions(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "chain.yaml"
    text = REAL_PLAN.read_text(encoding="utf-8").replace(
        "  - code: RBC\n    name: Reading Borough Council\n",
        "  - code: RBC\n    name: Reading Borough Council\n    succeeded_by: NEWCO\n"
        "    succeeded_on: 2026-04-01\n  - code: NEWCO\n    name: New Children's Trust\n")
    plan.write_text(text, encoding="utf-8")
    base = ("--plan", str(plan), "--owner")
    assert refs(jtai, *base, "NEWCO", "--as-of", "2026-01-01") == []
    assert refs(jtai, *base, "NEWCO", "--as-of", "2026-04-01") == BFFC
    assert refs(jtai, *base, "RBC", "--as-of", "2026-04-01") == BFFC
    shown = jtai("status", *base, "NEWCO", "--as-of", "2026-05-01", "--format", "markdown")
    assert "| BFfC → RBC → NEWCO |" in shown.stdout


def test_cycle_is_an_error(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "cycle.yaml"
    text = REAL_PLAN.read_text(encoding="utf-8").replace(
        "  - code: RBC\n    name: Reading Borough Council\n",
        "  - code: RBC\n    name: Reading Borough Council\n    succeeded_by: BFfC\n"
        "    succeeded_on: 2026-04-01\n")
    plan.write_text(text, encoding="utf-8")
    result = jtai("status", "--plan", str(plan), "--owner", "RBC", "--as-of", "2026-05-01")
    assert result.exit_code == 1
    rows = text.splitlines()
    bffc = rows.index("    succeeded_by: RBC") + 1
    rbc = rows.index("    succeeded_by: BFfC") + 1
    assert f"plan.yaml:{bffc}" not in result.stderr
    assert f"cycle.yaml:{bffc}:19: JTAI208 error: succession goes round: BFfC → RBC → BFfC" \
        in result.stderr
    assert f"cycle.yaml:{rbc}:19: JTAI208 error: succession goes round: RBC → BFfC → RBC" \
        in result.stderr


def test_unknown_successor_is_an_error(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "unknown.yaml"
    plan.write_text(REAL_PLAN.read_text(encoding="utf-8").replace(
        "succeeded_by: RBC", "succeeded_by: RBCX"), encoding="utf-8")
    result = jtai("validate", "--plan", str(plan))
    assert result.exit_code == 1
    assert "JTAI208 agency BFfC is succeeded by 'RBCX', which is not a registered agency" \
        in result.stdout


# --- the portfolio report -----------------------------------------------------------------

@pytest.fixture
def board(jtai: Invoke, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751360400")
    result = jtai("report", "--plan", str(folder), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_portfolio_report_headlines_overdue_and_agencies(board: str) -> None:
    from test_report import Page

    page = Page(board)
    assert page.headings[0] == (1, "Improvement plans: 3 plans")
    headline = page.table("Each plan: actions, overdue, progress RAG and dates revised")
    assert headline[0] == ["Plan", "Inspection", "Actions", "Overdue", "Blue", "Green", "Amber",
                           "Red", "Dates revised"]
    assert [row[0] + " " + " ".join(row[2:]) for row in headline[1:]] == [
        "reading-jtai 20 15 2 11 7 0 0",
        "wberks-cspr 3 2 0 2 1 0 0",
        "wokingham-ilacs 4 2 1 1 1 1 0",
    ]
    overdue = page.table("19 overdue as of 2025-07-01")
    assert [(r[0], r[1]) for r in overdue[1:]] == [
        *[("reading-jtai", ref) for ref, _line in READING_OVERDUE],
        ("wberks-cspr", "1.1"), ("wberks-cspr", "1.3"),
        ("wokingham-ilacs", "1.1"), ("wokingham-ilacs", "2.3")]
    tvp = page.table("Open actions held by TVP")
    assert [(r[0], r[1]) for r in tvp[1:]] == [
        ("reading-jtai", "5.1"), ("reading-jtai", "8.1"), ("wberks-cspr", "1.2"),
        ("wokingham-ilacs", "1.1")]
    icb = page.table("Open actions held by ICB")
    assert [(r[0], r[1], r[3]) for r in icb[1:]] == [
        ("wberks-cspr", "1.3", "ICB, WBC"), ("wokingham-ilacs", "2.3", "CCG → ICB")]
    assert (3, "TVP: Thames Valley Police") in page.headings


def test_portfolio_report_accessibility_and_print(board: str) -> None:
    from test_report import (
        test_every_rag_tag_carries_its_word,
        test_headings_in_order,
        test_html_is_self_contained,
        test_tables_have_captions_and_header_scopes,
    )

    test_html_is_self_contained(board)
    test_tables_have_captions_and_header_scopes(board)
    test_headings_in_order(board)
    test_every_rag_tag_carries_its_word(board)
    assert "@media print" in board and "@page { size: A4 landscape" in board


def test_portfolio_markdown(jtai: Invoke, folder: Path) -> None:
    result = jtai("report", "--plan", str(folder), "--as-of", AS_OF, "--format", "markdown",
                  "--owner", "TVP")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Improvement plans: 3 plans\n")
    assert "| wokingham-ilacs | ILACS Wokingham: Improvement plan | 2 | 1 | 1 | 0 | 1 | 0 | 0 |" \
        in text
    assert "Showing only: owners TVP." in text
    assert "### TVP: Thames Valley Police\n\n4 open, 3 overdue, in reading-jtai, wberks-cspr, " \
        "wokingham-ilacs." in text


def test_portfolio_template_override(jtai: Invoke, folder: Path, tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "portfolio.html.j2").write_text(
        '{% extends "default:portfolio.html.j2" %}{% block main %}<p>Board pack: '
        '{{ plans | length }} plans</p>{% endblock %}', encoding="utf-8")
    result = jtai("report", "--plan", str(folder), "--as-of", AS_OF, "--templates", str(custom))
    assert result.exit_code == 0, result.stderr
    assert "<p>Board pack: 3 plans</p>" in result.stdout
    assert "<h2" not in result.stdout


def test_portfolio_report_escapes_plan_text(jtai: Invoke, folder: Path) -> None:
    (folder / "wok.yaml").write_text(small_plan("<script>alert(1)</script>", WOKINGHAM,
                                                plan_id="wokingham-ilacs"), encoding="utf-8")
    html = jtai("report", "--plan", str(folder), "--as-of", AS_OF).stdout
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = jtai("report", "--plan", str(folder), "--as-of", AS_OF, "--format",
                    "markdown").stdout
    assert "<script>" not in markdown


def test_jtai_plan_takes_several_paths(jtai: Invoke, folder: Path) -> None:
    import os

    paths = os.pathsep.join(str(folder / name) for name in ("wok.yaml", "wberks-cspr.yaml"))
    result = jtai("status", "--owner", "TVP", "--as-of", AS_OF, "--format", "json",
                  env={"JTAI_PLAN": paths})
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(a["plan"], a["ref"]) for a in document["actions"]] == [
        ("wokingham-ilacs", "1.1"), ("wokingham-ilacs", "2.1"), ("wberks-cspr", "1.2")]


def test_conflict_inside_the_shared_file_is_reported_at_agencies_from(
        jtai: Invoke, folder: Path) -> None:
    (folder / "agencies.yaml").write_text(
        SHARED + "  - code: TVP\n    name: Thames Valley Constabulary\n", encoding="utf-8")
    result = jtai("lint", "--plan", str(folder / "wberks-cspr.yaml"), "--as-of", AS_OF,
                  "--select", "JTAI207")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        f"{folder.as_posix()}/wberks-cspr.yaml:10:16: JTAI207 agencies.yaml defines 'tvp' "
        "twice (TVP and TVP)")
