"""``jtai validate`` on the real plan and on tests/fixtures/invalid/*.yaml.

Each invalid fixture is a small complete plan with one thing wrong, said in its first line.
Most are the same 39-line plan, so the lines below can be checked by eye:

    25  - ref: "1.1"  (value at column 14)     33  - ref: "1.2"  (value at column 14)
    26  action        (value at column 17)     34  action
    27  complete_by   (value at column 22)     35  complete_by
    28  owners: [...] (list at column 17)      36  owners
    31  progress      (value at column 19)     39  progress

Every expected position is hard-coded and also checked against the fixture's own text, so a
wrong line cannot pass. ``jtai status`` on the same file must fail with the same position.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import FIXTURES, Invoke

INVALID = FIXTURES / "invalid"


@pytest.fixture(autouse=True)
def _in_fixture_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    # Findings name the file as typed: run where the fixtures are and pass bare names.
    monkeypatch.chdir(INVALID)


# file, code, line, column, text at that position ("" for none), message, hint (a part of each)
Case = tuple[str, str, int, int, str, str, str]

CASES: list[Case] = [
    ("wrong-rag.yaml", "JTAI002", 39, 19, "Purple",
     "'progress': 'Purple' is not a RAG rating: use Blue, Green, Amber or Red",
     "RAG ratings are Blue (completed), Green, Amber or Red"),
    ("unknown-owner.yaml", "JTAI203", 28, 23, "Ofsted",
     "owner 'Ofsted' of 1.1 is not a registered agency",
     "known agencies: BFfC, TVP; add new ones under agencies:"),
    ("unknown-lead.yaml", "JTAI203", 23, 11, "Health",
     "lead 'Health' of objective 1 is not a registered agency",
     "known agencies: BFfC, TVP"),
    ("duplicate-ref.yaml", "JTAI201", 33, 14, '"1.1"',
     "ref 1.1 is used twice (first at objectives[0].actions[0])",
     "give this action the next free ref"),
    ("bad-date-feb31.yaml", "JTAI002", 35, 22, "2025-02-31",
     "'complete_by': date '2025-02-31' is not a real date (day 31 of month 2, 2025)",
     "write a real date, day first: 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or "
     "31 March 2026"),
    ("bad-date-uk.yaml", "JTAI204", 35, 22, "June 2025",
     "complete-by 'June 2025' of 1.2 is neither a date nor a word declared in "
     "complete_by_words", "a month is not a date: write the day, e.g. 30/06/2025 (dates "
     "may be written 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026)"),
    ("unknown-key.yaml", "JTAI002", 31, 9, "progres:",
     "unknown key 'progres'", "did you mean 'progress'?"),
    ("syntax-unclosed-quote.yaml", "JTAI001", 34, 17, '"Audit information sharing.',
     "YAML syntax error: a quote opened here is never closed (the YAML reader says: found "
     "unexpected end of stream (while scanning a quoted scalar))",
     "a quote or bracket is never closed"),
    ("syntax-tab-indent.yaml", "JTAI001", 39, 1, "\tprogress: Amber",
     "YAML syntax error: ", "YAML does not allow tab characters for indentation"),
    ("unquoted-ref.yaml", "JTAI002", 33, 14, "2.10",
     "ref 2.10 must be quoted text", 'write ref: "2.10"'),
    ("missing-key.yaml", "JTAI002", 33, 9, "ref:",
     "missing required key 'owners'", "add 'owners:' to this entry"),
    ("duplicate-key.yaml", "JTAI001", 32, 9, "progress: Red",
     "duplicate key 'progress' (first on line 31): YAML would keep only the last one",
     "remove one of the two"),
    ("python-tag.yaml", "JTAI001", 26, 17, "!!python/object/apply:os.system",
     "explicit YAML tag '!!python/object/apply:os.system' is not allowed in a plan",
     "remove the tag"),
    ("anchor-alias.yaml", "JTAI001", 28, 17, "&owners",
     "YAML anchor '&owners' is not allowed in a plan", "anchors and aliases are refused"),
    ("merge-conflict.yaml", "JTAI001", 39, 1, "<<<<<<< HEAD",
     "git merge-conflict marker '<<<<<<<' on line 39: the file is half-merged",
     "resolve the conflict"),
    ("empty.yaml", "JTAI001", 1, 1, "#",
     "the file is empty (or holds only comments)", "`jtai init` writes a new plan"),
    # The loader reports the top level at 1:1, whatever comments come first.
    ("top-level-list.yaml", "JTAI001", 1, 1, "#",
     "the top level must be a mapping of keys (version:, inspection:, objectives:...), not "
     "a list", "`jtai init`"),
    ("not-utf8.yaml", "JTAI001", 34, 1, "        action: Audit the Caf",
     "the file is not UTF-8 (byte 0xe9 on line 34)", "save the file as UTF-8"),
    ("ref-prefix.yaml", "JTAI202", 33, 14, '"2.1"',
     "ref 2.1 is under objective 1", "renumber it 1.N or move it to objective 2"),
]
IDS = [case[0].removesuffix(".yaml") for case in CASES]


def validate(jtai: Invoke, name: str, *args: str) -> Result:
    return jtai("validate", "--plan", name, *args)


def text_at(name: str, line: int, column: int) -> str:
    raw = (INVALID / name).read_bytes()
    text = raw.decode("utf-8", errors="replace")
    return text.split("\n")[line - 1][column - 1:]


def test_every_fixture_is_listed_and_says_what_is_wrong() -> None:
    files = sorted(p.name for p in INVALID.glob("*.yaml"))
    assert files == sorted([c[0] for c in CASES] + ["several-errors.yaml"])
    for name in files:
        first = (INVALID / name).read_bytes().split(b"\n", 1)[0].decode("ascii")
        assert first.startswith("# Invalid"), name


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_expected_position_holds_the_offending_text(case: Case) -> None:
    name, _code, line, column, found, _message, _hint = case
    assert text_at(name, line, column).startswith(found)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_reports_file_line_column_and_code(jtai: Invoke, case: Case) -> None:
    name, code, line, column, _found, message, hint = case
    result = validate(jtai, name)
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Errors (")
    where = f"{name}:{line}:{column}: {code} "
    reported = [i for i, text in enumerate(lines) if text.startswith(where)]
    assert reported, result.stdout
    assert message in lines[reported[0]]
    assert lines[reported[0] + 1].startswith("    hint: ")
    assert hint in lines[reported[0] + 1]
    assert lines[-1].endswith(", 0 warnings")
    assert not result.stderr.endswith(": valid\n")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_status_on_the_same_file_fails_at_the_same_place(jtai: Invoke, case: Case) -> None:
    name, code, line, column, _found, message, _hint = case
    result = jtai("status", "--plan", name, "--as-of", "2025-07-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(text.startswith(f"{name}:{line}:{column}: {code} error: {message}")
               for text in lines), result.stderr
    assert lines[-1].startswith("jtai: the plan has ")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_validate_json_gives_the_same_position(jtai: Invoke, case: Case) -> None:
    name, code, line, column, _found, _message, _hint = case
    result = validate(jtai, name, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    expected = {"file": name, "line": line, "column": column, "code": code,
                "severity": "error"}
    assert any(expected.items() <= finding.items() for finding in findings), findings


def test_one_finding_each_unless_two_things_are_wrong(jtai: Invoke) -> None:
    counts = {}
    for name, *_ in CASES:
        counts[name] = len(json.loads(validate(jtai, name, "--format", "json").stdout))
    two = {"unknown-key.yaml", "anchor-alias.yaml"}
    assert {n for n, c in counts.items() if c != 1} == two
    assert all(counts[n] == 2 for n in two)


def test_misspelt_key_is_also_a_missing_key(jtai: Invoke) -> None:
    result = validate(jtai, "unknown-key.yaml")
    assert result.stdout.splitlines() == [
        "Errors (2):",
        "unknown-key.yaml:25:9: JTAI002 missing required key 'progress'",
        "    hint: add 'progress:' to this entry",
        "unknown-key.yaml:31:9: JTAI002 unknown key 'progres'",
        "    hint: did you mean 'progress'?",
        "",
        "2 errors, 0 warnings",
    ]


def test_anchor_and_alias_are_both_reported(jtai: Invoke) -> None:
    findings = json.loads(validate(jtai, "anchor-alias.yaml", "--format", "json").stdout)
    assert [(f["line"], f["column"], f["message"]) for f in findings] == [
        (28, 17, "YAML anchor '&owners' is not allowed in a plan"),
        (36, 17, "YAML alias '*owners' is not allowed in a plan"),
    ]
    assert text_at("anchor-alias.yaml", 36, 17).startswith("*owners")


def test_unquoted_ref_json_names_the_field(jtai: Invoke) -> None:
    findings = json.loads(validate(jtai, "unquoted-ref.yaml", "--format", "json").stdout)
    assert findings == [{
        "code": "JTAI002", "severity": "error", "ref": "2.1",
        "message": "ref 2.10 must be quoted text",
        "hint": 'write ref: "2.10" (unquoted, YAML reads 2.10 as the number 2.1)',
        "field": "objectives[0].actions[1].ref", "file": "unquoted-ref.yaml", "line": 33,
        "column": 14,
    }]


def test_several_errors_are_all_reported_in_one_run_in_file_order(jtai: Invoke) -> None:
    result = validate(jtai, "several-errors.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Errors (4):",
        "several-errors.yaml:27:22: JTAI002 'complete_by': date '2025-02-31' is not a real "
        "date (day 31 of month 2, 2025)",
        "    hint: write a real date, day first: 2026-03-31, 31/03/2026, 31.03.26, "
        "31-03-2026 or 31 March 2026",
        "several-errors.yaml:33:14: JTAI002 ref 1.10 must be quoted text",
        '    hint: write ref: "1.10" (unquoted, YAML reads 2.10 as the number 2.1)',
        "several-errors.yaml:37:9: JTAI002 unknown key 'ownres'",
        "    hint: did you mean 'owners'?",
        "several-errors.yaml:40:19: JTAI002 'progress': 'Purple' is not a RAG rating: use "
        "Blue, Green, Amber or Red",
        "    hint: RAG ratings are Blue (completed), Green, Amber or Red, in any case",
        "",
        "4 errors, 0 warnings",
    ]
    for line, column, found in ((27, 22, "2025-02-31"), (33, 14, "1.10"), (37, 9, "ownres:"),
                                (40, 19, "Purple")):
        assert text_at("several-errors.yaml", line, column).startswith(found)
    status = jtai("status", "--plan", "several-errors.yaml")
    assert status.exit_code == 1
    assert [ln.split(" error:")[0] for ln in status.stderr.splitlines()
            if not ln.startswith(("    ", "jtai:"))] == [
        "several-errors.yaml:27:22: JTAI002", "several-errors.yaml:33:14: JTAI002",
        "several-errors.yaml:37:9: JTAI002", "several-errors.yaml:40:19: JTAI002",
    ]
    assert status.stderr.splitlines()[-1] == (
        "jtai: the plan has 4 problems; fix them and run `jtai validate`")


def test_validate_the_real_plan(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("validate", "--plan", str(real_plan))
    assert result.exit_code == 0, result.stdout
    assert result.stderr == f"{real_plan.as_posix()}: valid\n"
    assert "Errors (" not in result.stdout
    assert "0 errors" in result.stdout or result.stdout == ""


def test_validate_the_real_plan_json_has_no_errors(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("validate", "--plan", str(real_plan), "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []


def test_validate_a_missing_file_cannot_run(jtai: Invoke) -> None:
    result = validate(jtai, "no-such-plan.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("jtai: no-such-plan.yaml: no such file\n")
    assert "Traceback" not in result.stderr


def test_crlf_and_bom_keep_the_line_numbers(jtai: Invoke, tmp_path: Path) -> None:
    text = (INVALID / "several-errors.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "crlf.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    findings = json.loads(jtai("validate", "--plan", str(plan), "--format", "json").stdout)
    assert [(f["line"], f["column"]) for f in findings] == [(27, 22), (33, 14), (37, 9),
                                                            (40, 19)]
