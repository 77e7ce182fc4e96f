"""``jtai changes`` and ``jtai trend`` output, whole and exact (issue 25): the text, Markdown,
JSON and CSV documents on the real plan with a pinned window, and ``jtai show``'s history line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from history_plans import build_history

WINDOW = ("--since", "2025-11-01", "--until", "2025-12-31")


@pytest.fixture
def noted_plan(jtai: Invoke, plan_copy: Path) -> Path:
    """The history plan, plus two note-only entries on two objectives (one with impact
    evidence and a non-ASCII note)."""
    build_history(jtai, plan_copy)
    for args in (("update", "1.1", "--note", "Café rota agreed",
                  "--impact-evidence", "Dip sample of 10 cases", "--on", "2025-12-01"),
                 ("update", "3.2", "--note", "Rota published", "--on", "2025-12-02")):
        result = jtai(*args, "--by", "Jo Smith", "--plan", str(plan_copy))
        assert result.exit_code == 0, result.stderr
    return plan_copy


def changes(jtai: Invoke, plan: Path, fmt: str) -> str:
    result = jtai("changes", "--plan", str(plan), *WINDOW, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_changes_text_groups_each_kind_by_objective(jtai: Invoke, noted_plan: Path) -> None:
    assert changes(jtai, noted_plan, "text") == (
        "Changes 2025-11-01 to 2025-12-31: 1 better, 1 date moved, 2 noted\n"
        "\n"
        "Better (1)\n"
        "  Objective 2: STRATEGY MEETINGS\n"
        "    2.2  2025-11-03  Jo Smith: progress Red → Amber\n"
        "      note: Workshop booked\n"
        "\n"
        "Dates moved (1)\n"
        "  Objective 3: INFORMATION SHARING\n"
        "    3.1  2025-11-03  Jo Smith: complete by 2025-06-30 → 2025-05-31\n"
        "      reason: Done sooner\n"
        "\n"
        "Notes and evidence (2)\n"
        "  Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN\n"
        "    1.1  2025-12-01  Jo Smith: history entry\n"
        "      note: Café rota agreed\n"
        "      impact evidence: Dip sample of 10 cases\n"
        "  Objective 3: INFORMATION SHARING\n"
        "    3.2  2025-12-02  Jo Smith: history entry\n"
        "      note: Rota published\n")


TABLE_HEAD = ("| Ref | Date | By | Change | Note, reason, evidence |\n"
              "| --- | --- | --- | --- | --- |\n")


def test_changes_markdown_whole(jtai: Invoke, noted_plan: Path) -> None:
    assert changes(jtai, noted_plan, "markdown") == (
        "**Changes 2025-11-01 to 2025-12-31: 1 better, 1 date moved, 2 noted**\n"
        "\n"
        "### Better (1)\n"
        "\n"
        "**Objective 2: STRATEGY MEETINGS**\n"
        "\n"
        + TABLE_HEAD +
        "| 2.2 | 2025-11-03 | Jo Smith | progress Red → Amber | note: Workshop booked |\n"
        "\n"
        "### Dates moved (1)\n"
        "\n"
        "**Objective 3: INFORMATION SHARING**\n"
        "\n"
        + TABLE_HEAD +
        "| 3.1 | 2025-11-03 | Jo Smith | complete by 2025-06-30 → 2025-05-31 | "
        "reason: Done sooner |\n"
        "\n"
        "### Notes and evidence (2)\n"
        "\n"
        "**Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN**\n"
        "\n"
        + TABLE_HEAD +
        "| 1.1 | 2025-12-01 | Jo Smith |  | note: Café rota agreed; "
        "impact evidence: Dip sample of 10 cases |\n"
        "\n"
        "**Objective 3: INFORMATION SHARING**\n"
        "\n"
        + TABLE_HEAD +
        "| 3.2 | 2025-12-02 | Jo Smith |  | note: Rota published |\n")


def _entry(ref: str, number: int, title: str, kind: str, day: str,
           moves: str, note: str, reason: str, impact: str) -> str:
    return (
        "    {\n"
        f'      "ref": "{ref}",\n'
        f'      "objective": {number},\n'
        f'      "objective_title": "{title}",\n'
        f'      "kind": "{kind}",\n'
        f'      "date": "{day}",\n'
        '      "by": "Jo Smith",\n'
        f'      "changes": {moves},\n'
        f'      "note": {note},\n'
        f'      "reason": {reason},\n'
        '      "evidence": null,\n'
        f'      "impact_evidence": {impact}\n'
        "    }")


def _move(field: str, old: str, new: str, direction: str) -> str:
    return ("[\n"
            "        {\n"
            f'          "field": "{field}",\n'
            f'          "from": "{old}",\n'
            f'          "to": "{new}",\n'
            f'          "direction": "{direction}"\n'
            "        }\n"
            "      ]")


def test_changes_json_is_indented_by_two_and_keeps_non_ascii(jtai: Invoke,
                                                             noted_plan: Path) -> None:
    entries = ",\n".join((
        _entry("2.2", 2, "STRATEGY MEETINGS", "better", "2025-11-03",
               _move("progress", "Red", "Amber", "better"), '"Workshop booked"', "null",
               "null"),
        _entry("3.1", 3, "INFORMATION SHARING", "date", "2025-11-03",
               _move("complete_by", "2025-06-30", "2025-05-31", "earlier"), "null",
               '"Done sooner"', "null"),
        _entry("1.1", 1, "VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN", "noted",
               "2025-12-01", "[]", '"Café rota agreed"', "null",
               '"Dip sample of 10 cases"'),
        _entry("3.2", 3, "INFORMATION SHARING", "noted", "2025-12-02", "[]",
               '"Rota published"', "null", "null")))
    assert changes(jtai, noted_plan, "json") == (
        "{\n"
        '  "since": "2025-11-01",\n'
        '  "until": "2025-12-31",\n'
        '  "counts": {\n'
        '    "worse": 0,\n'
        '    "better": 1,\n'
        '    "completed": 0,\n'
        '    "date": 1,\n'
        '    "added": 0,\n'
        '    "noted": 2\n'
        "  },\n"
        '  "changes": [\n'
        + entries + "\n"
        "  ]\n"
        "}\n")


def test_changes_csv_whole(jtai: Invoke, noted_plan: Path) -> None:
    assert changes(jtai, noted_plan, "csv") == (
        "kind,ref,objective,date,by,changes,note,reason,evidence,impact_evidence\n"
        "better,2.2,2,2025-11-03,Jo Smith,progress Red → Amber,Workshop booked,,,\n"
        "date,3.1,3,2025-11-03,Jo Smith,complete by 2025-06-30 → 2025-05-31,,Done sooner,,\n"
        "noted,1.1,1,2025-12-01,Jo Smith,,Café rota agreed,,,Dip sample of 10 cases\n"
        "noted,3.2,3,2025-12-02,Jo Smith,,Rota published,,,\n")


@pytest.fixture
def accented_plan(jtai: Invoke, tmp_path: Path, plan_copy: Path) -> Path:
    """The history plan at a path with a non-ASCII folder name (the JSON names the plan)."""
    folder = tmp_path / "Réunion"
    folder.mkdir()
    target = folder / "plan.yaml"
    plan_copy.rename(target)
    build_history(jtai, target)
    return target


def _point(day: str, overdue: int) -> str:
    return ("    {\n"
            f'      "date": "{day}",\n'
            '      "progress": {\n'
            '        "Blue": 2,\n'
            '        "Green": 6,\n'
            '        "Amber": 1,\n'
            '        "Red": 0\n'
            "      },\n"
            f'      "overdue": {overdue},\n'
            '      "completed": 2,\n'
            '      "total": 9\n'
            "    }")


def test_trend_json_whole(jtai: Invoke, accented_plan: Path) -> None:
    result = jtai("trend", "--plan", str(accented_plan), "--as-of", "2025-05-31",
                  "--owner", "BFfC", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "{\n"
        '  "as_of": "2025-05-31",\n'
        f'  "plan": "{accented_plan}",\n'
        '  "filters": {\n'
        '    "owners": [\n'
        '      "BFfC"\n'
        "    ]\n"
        "  },\n"
        '  "points": [\n'
        + ",\n".join((_point("2025-03-31", 0), _point("2025-04-30", 0),
                      _point("2025-05-31", 3))) + "\n"
        "  ]\n"
        "}\n")


def test_trend_csv_whole(jtai: Invoke, accented_plan: Path) -> None:
    result = jtai("trend", "--plan", str(accented_plan), "--as-of", "2025-05-31",
                  "--owner", "BFfC", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "date,Blue,Green,Amber,Red,overdue,completed,total\n"
        "2025-03-31,2,6,1,0,0,2,9\n"
        "2025-04-30,2,6,1,0,0,2,9\n"
        "2025-05-31,2,6,1,0,3,2,9\n")


def test_show_history_lists_each_move_with_a_dash_for_nothing(jtai: Invoke,
                                                              plan_copy: Path) -> None:
    """A rating cleared in a hand-written history entry shows as ``Green → —``."""
    build_history(jtai, plan_copy)
    text = plan_copy.read_text(encoding="utf-8")
    move = "                from: Green\n                to: Blue\n"
    assert text.count(move) == 1
    plan_copy.write_text(text.replace(move, move + "              impact:\n"
                                      "                from: Green\n"
                                      "                to:\n"), encoding="utf-8")
    result = jtai("show", "2.3", "--plan", str(plan_copy), "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("History:\n", 1)[1] == (
        "  2025-10-20  Jo Smith: progress Green → Blue, impact Green → —, "
        "completed on — → 2025-10-20\n"
        "      evidence: Kent peer review report\n"
        "      after: progress Blue, impact not rated, complete by underway, completed on\n"
        "      2025-10-20\n"
        "\n"
        "As of 2025-12-31\n")


def test_changes_across_a_portfolio_head_each_objective_with_its_plan(jtai: Invoke,
                                                                     tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copyfile(REAL_PLAN, folder / "second.yaml")
    build_history(jtai, shutil.copyfile(REAL_PLAN, folder / "reading.yaml"))
    result = jtai("changes", "--plan", str(folder), "--since", "2025-11-01",
                  "--until", "2025-11-30")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Changes 2025-11-01 to 2025-11-30: 1 better, 1 date moved\n"
        "\n"
        "Better (1)\n"
        "  reading: Objective 2: STRATEGY MEETINGS\n"
        "    2.2  2025-11-03  Jo Smith: progress Red → Amber\n"
        "      note: Workshop booked\n"
        "\n"
        "Dates moved (1)\n"
        "  reading: Objective 3: INFORMATION SHARING\n"
        "    3.1  2025-11-03  Jo Smith: complete by 2025-06-30 → 2025-05-31\n"
        "      reason: Done sooner\n")
