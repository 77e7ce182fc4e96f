"""`jtai status`'s JSON and Markdown byte for byte, and the records they are made of
(views/formats.py, views/records.py): the layout a script or a report pastes in is part of
the contract. Issue 25's mutation run of views/ found these unpinned (bench/mutation.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from jtaiplan.planfile.loader import load_plan
from jtaiplan.views.records import complete_by_text, objective_record, short_text

AS_OF = "2025-07-01"
ACTION_1_1 = ("ABE Interviewing with police is in place – to upskill social workers and "
              "police officers when undertaking Sect 47 enquiries.")


def test_status_json_is_indented_by_two_and_keeps_text_as_written(jtai: Invoke) -> None:
    result = jtai("status", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "--objective", "1",
                  "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert result.stdout == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert result.stdout.startswith('{\n  "as_of": "2025-07-01",\n  "plan": ')
    assert f'      "action": "{ACTION_1_1}",\n' in result.stdout  # the dash, not \u2013


TVP_MARKDOWN = """\
Plan status as of 2025-07-01

### Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN

| Ref | Action | Owners | Complete by | Progress | Impact |
| --- | --- | --- | --- | --- | --- |
| 1.1 | ABE Interviewing with police is in place – to upskill social workers and police officers… \
| TVP, BFfC | In place | Blue | — |

### Objective 5: CUMULATIVE IMPACT

| Ref | Action | Owners | Complete by | Progress | Impact |
| --- | --- | --- | --- | --- | --- |
| 5.1 | Males identified as potential perpetrators of Domestic Abuse must be considered by front… \
| TVP, BFfC | 2025-06-30 **OVERDUE** | Green | — |

### Objective 8: MARAC ARRANGEMENTS

| Ref | Action | Owners | Complete by | Progress | Impact |
| --- | --- | --- | --- | --- | --- |
| 8.1 | Refresh and update partnership knowledge of MARAC function and role and their potential… \
| TVP | 2025-06-30 **OVERDUE** | Green | — |

3 actions as of 2025-07-01 · progress: Blue 1, Green 2, Amber 0, Red 0 · impact: none 3 · \
2 overdue
"""


def test_status_markdown_of_several_objectives_exactly(jtai: Invoke) -> None:
    result = jtai("status", "--plan", str(REAL_PLAN), "--as-of", AS_OF, "--owner", "TVP",
                  "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TVP_MARKDOWN


def test_status_markdown_of_several_plans_has_a_plan_column(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    shutil.copyfile(REAL_PLAN, tmp_path / "reading.yaml")
    text = REAL_PLAN.read_text(encoding="utf-8")
    (tmp_path / "slough.yaml").write_text(text.replace("area: Reading", "area: Slough"),
                                          encoding="utf-8")
    result = jtai("status", "--plan", str(tmp_path), "--as-of", AS_OF, "--owner", "TVP",
                  "--objective", "8", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    rest = ("| 8.1 | Refresh and update partnership knowledge of MARAC function and role and "
            "their potential… | TVP | 2025-06-30 **OVERDUE** | Green | — |")
    assert result.stdout.splitlines() == [
        "Plan status as of 2025-07-01",
        "",
        "### reading · Objective 8: MARAC ARRANGEMENTS",
        "",
        "| Plan | Ref | Action | Owners | Complete by | Progress | Impact |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| reading {rest}",
        "",
        "### slough · Objective 8: MARAC ARRANGEMENTS",
        "",
        "| Plan | Ref | Action | Owners | Complete by | Progress | Impact |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| slough {rest}",
        "",
        "2 actions as of 2025-07-01 · progress: Blue 0, Green 2, Amber 0, Red 0 · impact: "
        "none 2 · 2 overdue",
    ]


@pytest.mark.parametrize(("text", "limit", "shown"), [
    ("a" * 70, 70, "a" * 70),  # exactly the limit: kept whole
    ("a" * 71, 70, "a" * 69 + "…"),  # no space to cut at: cut inside the word
    ("alpha beta gamma delta", 18, "alpha beta gamma…"),  # cut at the last space before
    ("alpha beta gamma", 12, "alpha beta…"),  # the space right at the cut
    ("fix TX, then more", 10, "fix TX…"),  # punctuation before the cut dropped, not letters
    ("one  two\nthree four", 12, "one two…"),  # runs of space read as one
    ("items: a – b", 11, "items: a…"),
])
def test_short_text_cuts_at_a_word_within_the_limit(text: str, limit: int,
                                                    shown: str) -> None:
    assert short_text(text, limit) == shown
    assert len(shown) <= limit


def test_short_text_keeps_seventy_characters_by_default() -> None:
    words = "word " * 20
    assert short_text("b" * 70) == "b" * 70
    assert short_text(words) == "word " * 12 + "word…"  # 64 characters: 69 ends in a word


def test_objective_record_resolves_the_lead_and_says_what_is_missing(tmp_path: Path) -> None:
    text = REAL_PLAN.read_text(encoding="utf-8")
    first = "    risk: moderate\n    lead: TVP\n"
    assert text.index(first) < text.index("  - number: 2\n")
    text = text.replace(first, "    lead: Police\n", 1)  # objective 1: an alias, no risk
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    plan = load_plan(tmp_path / "plan.yaml").plan
    one = objective_record(plan, plan.objectives[0])
    assert (one["risk"], one["risk_wording"], one["lead"], one["lead_name"]) == (
        None, None, "TVP", "Thames Valley Police")
    two = objective_record(plan, plan.objectives[1])
    assert (two["risk"], two["risk_wording"], two["lead"], two["lead_name"]) == (
        "high", "High risk: Urgent activity required", "BFfC",
        "Brighter Futures for Children")


def test_complete_by_text_of_an_action_without_one_is_a_dash(tmp_path: Path) -> None:
    text = REAL_PLAN.read_text(encoding="utf-8")
    due = next(line for line in text.splitlines(keepends=True)
               if line.startswith("        complete_by: In place"))
    (tmp_path / "plan.yaml").write_text(text.replace(due, "", 1), encoding="utf-8")
    plan = load_plan(tmp_path / "plan.yaml").plan
    by_ref = {a.ref: a for a in plan.actions()}
    assert complete_by_text(by_ref["1.1"]) == "—"
    assert complete_by_text(by_ref["2.3"]) == "underway"
    assert complete_by_text(by_ref["2.2"]) == "2025-06-30"


def test_status_json_gives_the_resolved_lead_and_the_day_of_completion(
        jtai: Invoke, plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    plan_copy.write_text(text.replace("    lead: TVP\n", "    lead: Police\n", 1),
                         encoding="utf-8")
    done = jtai("complete", "1.2", "--evidence", "Audit report", "--by", "TVP", "--on",
                "2025-07-10", "--plan", str(plan_copy))
    assert done.exit_code == 0, done.stderr
    result = jtai("status", "--plan", str(plan_copy), "--as-of", "2025-07-20",
                  "--objective", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = {a["ref"]: a for a in json.loads(result.stdout)["actions"]}
    assert (records["1.1"]["lead"], records["1.1"]["completed_on"]) == ("TVP", None)
    assert (records["1.2"]["lead"], records["1.2"]["completed_on"]) == ("TVP", "2025-07-10")


def test_status_markdown_cuts_an_action_at_ninety_characters(jtai: Invoke,
                                                            plan_copy: Path) -> None:
    text = plan_copy.read_text(encoding="utf-8")
    # A space at the 90th character: a 91-character cut would keep one more word.
    plan_copy.write_text(text.replace(ACTION_1_1, ("abcd " * 30).strip(), 1),
                         encoding="utf-8")
    result = jtai("status", "--plan", str(plan_copy), "--as-of", AS_OF, "--objective", "1",
                  "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| 1.1 |"))
    assert row == f"| 1.1 | {('abcd ' * 17).strip()}… | TVP, BFfC | In place | Blue | — |"
