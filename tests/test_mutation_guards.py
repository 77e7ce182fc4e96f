"""Issue 17: one test for each of the six mutants that the suite used to let through.

Each test names, in its docstring, the deliberate bug (the mutant) it exists to catch; the
commands that apply each mutant and show the test failing are in bench/mutation.md. The
plans are built here, small and exact, so every count below is worked by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from jtaiplan.plan.query import ActionFilter, select, summarise
from jtaiplan.planfile.loader import load_plan
from jtaiplan.views.report import generated_at

AS_OF = "2025-07-01"
ON = "2025-07-02"
# A postcode, a date of birth and a child's initial: each must be refused in every option
# that writes free text into the plan.
PERSONAL = "Child J (DoB 12/03/2015) at RG1 8DA"

HEADER = """\
version: 1
inspection:
  type: JTAI
  area: Testshire
  start: 2025-02-24
  end: 2025-03-10
risk_levels:
  moderate: "Moderate risk: Activity is necessary"
themes: [Information Sharing]
plan_types: [Operational]
complete_by_words: [In place]
agencies:
  - code: TVP
    name: Thames Valley Police
    aliases: [Police]
objectives:
  - number: 1
    title: INFORMATION SHARING
    risk: moderate
    lead: TVP
    actions:
"""


def action(ref: str, progress: str, complete_by: str, *extra: str) -> str:
    """One action in the plan's layout; ``extra`` lines go after ``progress``."""
    lines = [f'      - ref: "{ref}"', f"        action: Audit information sharing {ref}.",
             f"        complete_by: {complete_by}", "        owners: [TVP]",
             "        theme: Information Sharing", "        plan_type: Operational",
             f"        progress: {progress}", *(f"        {line}" for line in extra)]
    return "\n".join(lines) + "\n"


def write_plan(tmp_path: Path, *actions: str) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEADER + "".join(actions), encoding="utf-8")
    return plan


def lint_json(jtai: Invoke, plan: Path, code: str) -> list[dict[str, Any]]:
    result = jtai("lint", "--plan", str(plan), "--as-of", AS_OF, "--format", "json",
                  "--select", code)
    # Warnings only: lint exits 0 unless --strict.
    assert result.exit_code == 0, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


# -- mutant 1: the personal-data refusal applied to --note only ---------------------------

REFUSED_IN: list[tuple[str, tuple[str, ...]]] = [
    ("--note", ("update", "2.2", "--note", PERSONAL, "--by", "X", "--on", ON)),
    ("--evidence", ("update", "2.2", "--evidence", PERSONAL, "--by", "X", "--on", ON)),
    ("--impact-evidence", ("update", "2.2", "--impact-evidence", PERSONAL, "--by", "X",
                           "--on", ON)),
    ("--reason", ("update", "2.2", "--due", "2025-12-31", "--reason", PERSONAL, "--by", "X",
                  "--on", ON)),
    ("--by", ("update", "2.2", "--note", "Workshop moved", "--by", PERSONAL, "--on", ON)),
    ("--evidence", ("complete", "2.2", "--evidence", PERSONAL, "--by", "X", "--on", ON)),
    ("--action", ("add", "2", "--action", PERSONAL, "--owner", "BFfC",
                  "--theme", "Service Delivery and Design", "--plan-type", "Operational",
                  "--due", "2026-03-31", "--by", "X", "--on", ON)),
    ("--note", ("add", "2", "--action", "Audit strategy meetings", "--owner", "BFfC",
                "--theme", "Service Delivery and Design", "--plan-type", "Operational",
                "--due", "2026-03-31", "--note", PERSONAL, "--by", "X", "--on", ON)),
    ("--by", ("add", "2", "--action", "Audit strategy meetings", "--owner", "BFfC",
              "--theme", "Service Delivery and Design", "--plan-type", "Operational",
              "--due", "2026-03-31", "--by", PERSONAL, "--on", ON)),
]


@pytest.mark.parametrize(("option", "args"), REFUSED_IN,
                         ids=[f"{a[0]} {o}" for o, a in REFUSED_IN])
def test_personal_data_is_refused_in_every_text_option(
        jtai: Invoke, plan_copy: Path, option: str, args: tuple[str, ...]) -> None:
    """Mutant: ``check_text`` scans for personal data only when ``option == "--note"``.
    Every option that writes free text must refuse it, before anything is written."""
    before = plan_copy.read_bytes()
    result = jtai(*args, "--plan", str(plan_copy))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"jtai: {option} contains what looks like a UK postcode (at character 29)" \
        in result.stderr
    assert "RG1 8DA" not in result.stderr + result.stdout
    assert plan_copy.read_bytes() == before
    # No temporary file and no lock file left beside it.
    assert {p.name for p in plan_copy.parent.iterdir()} == {"plan.yaml"}


def test_personal_data_is_refused_in_init_area(jtai: Invoke, tmp_path: Path) -> None:
    """Mutant: as above, for ``jtai init --area``: no file may be written."""
    target = tmp_path / "plan.yaml"
    result = jtai("init", str(target), "--area", PERSONAL)
    assert result.exit_code == 2
    assert "jtai: --area contains what looks like a UK postcode (at character 29)" \
        in result.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


# -- mutant 2: JTAI106 ignoring an impact rated Blue --------------------------------------


def test_impact_rated_blue_without_evidence_is_reported(jtai: Invoke, tmp_path: Path) -> None:
    """Mutant: JTAI106 checks ``action.impact is RAG.GREEN`` only, so a Blue impact with no
    evidence passes. 1.1 (Blue, no evidence) must be reported; 1.2 (Blue, with evidence)
    and 1.3 (Amber, none) must not."""
    plan = write_plan(
        tmp_path,
        action("1.1", "Green", "2025-09-30", "impact: Blue"),
        action("1.2", "Green", "2025-09-30", "impact: Blue",
               "impact_evidence: Dip sample of 30 cases shows the change."),
        action("1.3", "Green", "2025-09-30", "impact: Amber"),
    )
    findings = lint_json(jtai, plan, "JTAI106")
    assert [(f["code"], f["ref"], f["line"], f["column"], f["message"]) for f in findings] \
        == [("JTAI106", "1.1", 29, 17, "1.1's impact is Blue with no impact evidence")]
    assert plan.read_text(encoding="utf-8").splitlines()[28] == "        impact: Blue"


# -- mutant 3: JTAI105 accepting a note on any entry, not the latest ----------------------


def test_red_action_whose_latest_entry_has_no_note_is_reported(jtai: Invoke,
                                                               tmp_path: Path) -> None:
    """Mutant: JTAI105 accepts ``any(u.note for u in action.updates)``. 1.1's earlier entry
    has a note, its latest (the change to Red) has none: it must be reported. 1.2's latest
    entry has the note and stays quiet."""
    history_then_silence = (
        "updates:", "  - date: 2025-05-01", "    by: TVP",
        "    note: Auditor appointed.", "  - date: 2025-06-20", "    by: TVP",
        "    changes:", "      progress: {from: Amber, to: Red}")
    silence_then_note = (
        "updates:", "  - date: 2025-05-01", "    by: TVP",
        "    changes:", "      progress: {from: Green, to: Amber}",
        "  - date: 2025-06-20", "    by: TVP", "    note: A second auditor starts in July.")
    plan = write_plan(
        tmp_path,
        action("1.1", "Red", "2025-09-30", *history_then_silence),
        action("1.2", "Red", "2025-09-30", *silence_then_note),
    )
    findings = lint_json(jtai, plan, "JTAI105")
    assert [(f["ref"], f["line"], f["message"]) for f in findings] == [
        ("1.1", 28, "1.1 is Red with no update note saying what is being done")]
    assert plan.read_text(encoding="utf-8").splitlines()[27] == "        progress: Red"


# -- mutants 4 and 5: the summary's revised and due_soon counts --------------------------

# As of 2025-07-01, with a 30-day window (2025-07-01 to 2025-07-31):
#   1.1 Green due 2025-07-10: due soon
#   1.2 Blue  due 2025-07-05: completed, so not due soon
#   1.3 Amber due 2025-09-30, baseline 2025-06-30: revised
#   1.4 Green due 2025-08-29, baseline 2025-08-29: baseline kept but not moved, not revised
#   1.5 Red   due 2025-06-01, baseline 2025-05-01: revised, overdue, not due soon
#   1.6 Amber due 2025-07-31: the window's last day, due soon
#   1.7 Green due In place: no date, neither
SUMMARY_PLAN = (
    action("1.1", "Green", "2025-07-10"),
    action("1.2", "Blue", "2025-07-05", "completed_on: 2025-06-27", "evidence: Report."),
    action("1.3", "Amber", "2025-09-30", "baseline_complete_by: 2025-06-30"),
    action("1.4", "Green", "2025-08-29", "baseline_complete_by: 2025-08-29"),
    action("1.5", "Red", "2025-06-01", "baseline_complete_by: 2025-05-01",
           "updates:", "  - date: 2025-05-20", "    by: TVP", "    note: Moved."),
    action("1.6", "Amber", "2025-07-31"),
    action("1.7", "Green", "In place"),
)


def test_summary_counts_revised_dates_and_due_soon_by_hand(tmp_path: Path) -> None:
    """Mutants: ``revised=0`` always; ``due_soon`` counting Blue actions. Before this test
    both were only asserted on the real plan, where revised is 0 and nothing Blue is due."""
    loaded = load_plan(write_plan(tmp_path, *SUMMARY_PLAN))
    rows = select(loaded.plan, ActionFilter(), date(2025, 7, 1))
    summary = summarise(rows, due_soon_days=30)
    assert summary.as_dict() == {
        "total": 7,
        "progress": {"Blue": 1, "Green": 3, "Amber": 2, "Red": 1},
        "impact": {"Blue": 0, "Green": 0, "Amber": 0, "Red": 0, "none": 7},
        "overdue": 1,
        "due_soon": 2,
        "revised": 2,
    }
    # The window's edges: 9 days reaches 1.1 (due in 9) but not 1.6 (due in 30).
    assert summarise(rows, due_soon_days=9).due_soon == 1
    assert summarise(rows, due_soon_days=8).due_soon == 0


def test_status_and_report_show_the_same_hand_worked_counts(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    """The same mutants seen through the commands people run."""
    plan = write_plan(tmp_path, *SUMMARY_PLAN)
    plan.write_text(plan.read_text(encoding="utf-8") + "lint:\n  due_soon_days: 30\n",
                    encoding="utf-8")
    status = jtai("status", "--plan", str(plan), "--as-of", AS_OF, "--format", "json")
    assert status.exit_code == 0, status.stderr
    summary = json.loads(status.stdout)["summary"]
    assert (summary["due_soon"], summary["revised"], summary["overdue"]) == (2, 2, 1)
    report = jtai("report", "--plan", str(plan), "--as-of", AS_OF, "--format", "markdown")
    assert report.exit_code == 0, report.stderr
    assert "**7** actions · **1** overdue · **2** due in the next 30 days · **2** dates " \
        "revised" in report.stdout


# -- mutant 6: an out-of-range SOURCE_DATE_EPOCH making report exit 2 --------------------


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-1", "1e9", "soon", ""])
def test_unusable_source_date_epoch_is_ignored(jtai: Invoke, real_plan: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               epoch: str) -> None:
    """Mutant: the OverflowError from a SOURCE_DATE_EPOCH beyond the calendar becomes a
    refusal (exit 2). It must be ignored: the report is written, stamped with the time now."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    result = jtai("report", "--plan", str(real_plan), "--as-of", AS_OF, "--format", "markdown")
    after = datetime.now(UTC)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("# JTAI Reading: Multi-Agency Improvement Plan\n")
    stamps = {before.strftime("%Y-%m-%d %H:%M"), after.strftime("%Y-%m-%d %H:%M")}
    assert any(f"Generated {stamp} UTC from plan.yaml." in result.stdout for stamp in stamps)
    assert before <= generated_at() <= datetime.now(UTC)


def test_usable_source_date_epoch_fixes_the_stamp(jtai: Invoke, real_plan: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1751360400 ")
    assert generated_at() == datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
    result = jtai("report", "--plan", str(real_plan), "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0
    assert "Generated 2025-07-01 09:00 UTC from plan.yaml." in result.stdout


# -- survivors of `make mutate` in the edit path --------------------------------------------


def _new_action(**changed: Any) -> Any:
    from jtaiplan.planfile.edit import NewAction

    fields: dict[str, Any] = {
        "objective": 2, "action": "Audit strategy meetings", "owners": ["BFfC"],
        "theme": "Service Delivery and Design", "plan_type": "Operational", "by": "X",
        "on": date(2025, 7, 2), "due": date(2026, 3, 31)}
    fields.update(changed)
    return NewAction(**fields)


def test_the_library_refuses_personal_data_in_by_whatever_the_caller(plan_copy: Path) -> None:
    """Mutant: ``add_action`` stops checking ``by`` (the CLI checks --by first, so only a
    library caller, such as an import, would notice)."""
    from jtaiplan.errors import CannotRun
    from jtaiplan.planfile.edit import add_action

    with pytest.raises(CannotRun) as caught:
        add_action(load_plan(plan_copy), _new_action(by=PERSONAL))
    assert (caught.value.message, caught.value.hint) == (
        "--by contains what looks like a UK postcode (at character 29)",
        "plans are shared documents and must not identify a child or family: leave the "
        "detail out")


def test_adding_to_a_missing_objective_names_the_range(plan_copy: Path) -> None:
    from jtaiplan.errors import CannotRun
    from jtaiplan.planfile.edit import add_action

    with pytest.raises(CannotRun) as caught:
        add_action(load_plan(plan_copy), _new_action(objective=11))
    assert (caught.value.message, caught.value.hint) == (
        "no objective 11 in the plan", "objectives are numbered 1 to 10")


def test_the_library_records_a_first_impact_rating(plan_copy: Path) -> None:
    """Mutant: the new action's impact always written empty. `jtai add` has no --impact, so
    only a library caller (an import) sets it."""
    from jtaiplan.plan.model import RAG
    from jtaiplan.planfile.edit import add_action

    loaded = load_plan(plan_copy)
    result = add_action(loaded, _new_action(impact=RAG.AMBER))
    assert result.ref == "2.6"
    block = result.text.split('- ref: "2.6"\n', 1)[1].split("        updates:", 1)[0]
    assert "        progress: Green\n        impact: Amber\n" in block
    plain = add_action(loaded, _new_action())
    block = plain.text.split('- ref: "2.6"\n', 1)[1].split("        updates:", 1)[0]
    assert "        progress: Green\n        impact:\n" in block


def test_review_cadence_reads_past_complete_and_unrecorded_actions(jtai: Invoke,
                                                                   tmp_path: Path) -> None:
    """Mutant: JTAI107 stops at the first action it skips (``break`` for ``continue``)."""
    old = ("updates:", "  - date: 2025-05-01", "    by: TVP", "    note: Started.")
    plan = write_plan(
        tmp_path,
        action("1.1", "Blue", "2025-06-30", "completed_on: 2025-06-20", "evidence: Report.",
               *old),
        action("1.2", "Green", "2025-09-30"),
        action("1.3", "Green", "2025-09-30", *old),
    )
    findings = lint_json(jtai, plan, "JTAI107")
    assert [(f["ref"], f["message"]) for f in findings] == [
        ("1.3", "1.3 was last updated 2025-05-01, 61 days ago (review cadence 42 days)")]


def test_the_library_refuses_personal_data_in_an_updates_by(plan_copy: Path) -> None:
    """Mutant: ``update_action`` names --by wrongly (the CLI checks --by itself first)."""
    from jtaiplan.errors import CannotRun
    from jtaiplan.planfile.edit import UpdateRequest, update_action

    request = UpdateRequest(by=PERSONAL, on=date(2025, 7, 2), note="Workshop moved")
    with pytest.raises(CannotRun) as caught:
        update_action(load_plan(plan_copy), "2.2", request)
    assert caught.value.message == ("--by contains what looks like a UK postcode (at "
                                    "character 29)")


def test_update_summaries_name_every_change(plan_copy: Path) -> None:
    """Mutants: the summary's words for an empty old value, for evidence and notes; a
    request that changes nothing reported as a change."""
    from jtaiplan.plan.model import RAG
    from jtaiplan.planfile.edit import UpdateRequest, update_action

    loaded = load_plan(plan_copy)
    on = date(2025, 7, 2)
    same = update_action(loaded, "2.2", UpdateRequest(by="X", on=on, progress=RAG.GREEN))
    assert (same.text, same.ref, same.summary, same.changed) == (
        loaded.source.text, "2.2", "2.2: nothing to change", False)
    everything = update_action(loaded, "1.1", UpdateRequest(
        by="X", on=on, progress=RAG.AMBER, impact=RAG.GREEN, due=date(2025, 12, 31),
        note="Workshop moved", evidence="Minutes", impact_evidence="Audit",
        reason="Venue"))
    assert (everything.changed, everything.ref) == (True, "1.1")
    assert everything.summary == (
        "1.1: progress Blue → Amber, impact — → Green, complete by In place → 2025-12-31, "
        "evidence recorded, impact evidence recorded, note recorded, reason recorded")


def test_control_characters_are_refused_with_how_to_fix_it() -> None:
    from jtaiplan.errors import CannotRun
    from jtaiplan.planfile.edit import check_text

    with pytest.raises(CannotRun) as caught:
        check_text("next\x85line", "--note")
    assert (caught.value.message, caught.value.hint) == (
        "--note contains U+0085 (next-line character (NEL)) at character 5",
        "retype the text, or delete it and paste it again as plain text")
    with pytest.raises(CannotRun) as caught:
        check_text(" \t", "--evidence")
    assert caught.value.message == "--evidence must not be empty"
    check_text(None, "--note")
    check_text("Workshop held\tin July\n", "--note")


def test_the_library_moves_a_date_to_a_declared_word(plan_copy: Path) -> None:
    """Mutant (after main's due words): a request's due word ignored."""
    from jtaiplan.planfile.edit import UpdateRequest, update_action

    request = UpdateRequest(by="X", on=date(2025, 7, 2), due_word="underway", reason="Venue")
    result = update_action(load_plan(plan_copy), "1.2", request)
    assert result.changed is True
    assert "        complete_by: underway\n" in result.text
    assert "        baseline_complete_by: 2025-06-30\n" in result.text


def test_the_library_refuses_an_undeclared_due_word_for_a_new_action(plan_copy: Path) -> None:
    from jtaiplan.errors import CannotRun
    from jtaiplan.planfile.edit import add_action

    with pytest.raises(CannotRun) as caught:
        add_action(load_plan(plan_copy), _new_action(due=None, due_word="soonish"))
    assert caught.value.message == "--due: 'soonish' is not one of the plan's values"
