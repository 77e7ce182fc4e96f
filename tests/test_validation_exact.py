"""A hand-edited plan.yaml that the schema refuses, pinned finding by finding.

Each error pydantic can raise on a plan (a missing key, a wrong type, a RAG of "Purple", an
impossible date, a text too long, an unknown key...) reaches the partnership's business
manager as one finding: its code, the whole message, the field path, the action's ref, the
hint and the file:line:col of the value. The table below breaks a small valid plan one way
per row and states the whole finding it must give; a few kinds pydantic raises only in its
lax modes (which the plan's strict types do not use today) are pinned on the helper itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers_plans import SMALL_PLAN
from jtaiplan.errors import PlanInvalid
from jtaiplan.findings import Finding, Path_, Severity
from jtaiplan.plan.constraints import ValidationError, validate
from jtaiplan.plan.model import Plan
from jtaiplan.planfile.loader import parse_plan
from jtaiplan.planfile.sourcemap import SourceMap
from jtaiplan.planfile.textfile import SourceText
from jtaiplan.planfile.validation import (
    _document_path,
    _explain,
    _hint_for_value_error,
    findings_from_error,
)

PLAN = SMALL_PLAN
# Lines of PLAN, for reading the table: 2 inspection, 4 code, 7 number, 11 ref (value at
# column 14), 12 action (17), 13 owners (17), 14 progress (19); a key added after progress
# is on line 15, its value at column 11 + len(key).

ACTION: Path_ = ("objectives", 0, "actions", 0)
DATE_HINT = ("write a real date, day first: 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or "
             "31 March 2026")
RAG_HINT = "RAG ratings are Blue (completed), Green, Amber or Red, in any case"
TOP_KEYS = ("version, id, inspection, area_for_priority_action, summary_of_change, "
            "characteristics_of_good, rag_key, risk_levels, themes, plan_types, "
            "complete_by_words, agencies_from, agencies, updates, objectives, lint, meetings")
CODE_PATTERN = "'^[A-Za-z][A-Za-z0-9_-]{0,31}$'"


def error(message: str, line: int, column: int, path: Path_, ref: str | None = None,
          hint: str = "", code: str = "JTAI002") -> Finding:
    return Finding(code, Severity.ERROR, message, "plan.yaml", line=line, column=column,
                   path=path, ref=ref, hint=hint)


def added(key: str, value: str) -> tuple[str, str]:
    """A key added to action 1.1, on line 15."""
    return "progress: Green", f"progress: Green\n        {key}: {value}"


def findings_of(text: str) -> list[Finding]:
    with pytest.raises(PlanInvalid) as caught:
        parse_plan(SourceText(Path("plan.yaml"), text), integrity=False)
    return caught.value.findings


# id, (text replaced, its replacement), the findings in file order
Row = tuple[str, tuple[str, str], list[Finding]]

ROWS: list[Row] = [
    ("rag-purple", ("progress: Green", "progress: Purple"), [error(
        "'progress': 'Purple' is not a RAG rating: use Blue, Green, Amber or Red",
        14, 19, (*ACTION, "progress"), "1.1", RAG_HINT)]),
    ("rag-key-not-a-rating", ("objectives:", "rag_key: {Purple: x}\nobjectives:"), [error(
        "'Purple': 'Purple' is not a RAG rating: use Blue, Green, Amber or Red",
        6, 19, ("rag_key", "Purple"), None, RAG_HINT)]),
    ("impossible-date", added("completed_on", "2025-02-30"), [error(
        "'completed_on': date '2025-02-30' is not a real date (day 30 of month 2, 2025)",
        15, 23, (*ACTION, "completed_on"), "1.1", DATE_HINT)]),
    ("word-for-a-date", added("completed_on", "tomorrow"), [error(
        "'completed_on': 'tomorrow' is not a date: write it as 2026-03-31, 31/03/2026, "
        "31.03.26, 31-03-2026 or 31 March 2026", 15, 23, (*ACTION, "completed_on"), "1.1",
        DATE_HINT)]),
    ("true-for-a-date", added("completed_on", "true"), [error(
        "'completed_on' must be a date, not True", 15, 23, (*ACTION, "completed_on"), "1.1",
        DATE_HINT)]),
    ("huge-number-for-a-date", added("completed_on", "1.0e+30"), [error(
        "'completed_on' must be a date, not 1e+30", 15, 23, (*ACTION, "completed_on"), "1.1",
        DATE_HINT)]),
    # complete_by is a date or a status word; true is neither, and never read as 1970.
    ("true-for-complete-by", added("complete_by", "true"), [
        error("'complete_by' must be a date, not True", 15, 22, (*ACTION, "complete_by"),
              "1.1", DATE_HINT)]),
    ("yes-for-true-or-false", added("multi_agency", "yes"), [error(
        "'multi_agency' must be true or false, not 'yes'", 15, 23, (*ACTION, "multi_agency"),
        "1.1", "write true or false")]),
    ("number-for-text", ("action: Joint visits", "action: 12"), [error(
        "'action' must be text, not the number 12", 12, 17, (*ACTION, "action"), "1.1",
        'quote it to keep it as text: "12"')]),
    ("decimal-for-text", ("action: Joint visits", "action: 1.5"), [error(
        "'action' must be text, not the number 1.5", 12, 17, (*ACTION, "action"), "1.1",
        'quote it to keep it as text: "1.5"')]),
    ("true-for-text", ("action: Joint visits", "action: true"), [error(
        "'action' must be text, not true/false True", 12, 17, (*ACTION, "action"), "1.1",
        'quote it to keep it as text: "yes"')]),
    ("number-in-a-list-of-text", ("owners: [Police]", "owners: [Police, 7]"), [error(
        "this value must be text, not the number 7", 13, 26, (*ACTION, "owners", 1), "1.1",
        'quote it to keep it as text: "7"')]),
    ("empty-text", ("action: Joint visits", 'action: ""'), [error(
        "'action' must not be empty", 12, 17, (*ACTION, "action"), "1.1",
        "write a value after 'action:' or remove the key")]),
    ("text-too-long", ("action: Joint visits", "action: " + "x" * 20_001), [error(
        "'action' is too long", 12, 17, (*ACTION, "action"), "1.1",
        "plans hold summaries: keep each text under 20,000 characters")]),
    ("text-for-a-list", ("owners: [Police]", "owners: Police"), [error(
        "'owners' must be a list, not the value 'Police'", 13, 17, (*ACTION, "owners"), "1.1",
        "write 'owners: [A, B]' or one '- item' per line")]),
    ("empty-list", ("owners: [Police]", "owners: []"), [error(
        "'owners' must not be empty", 13, 17, (*ACTION, "owners"), "1.1",
        "add at least one entry")]),
    ("text-for-a-section", ("inspection: {type: JTAI, area: Reading, start: 2025-02-24, "
                            "end: 2025-03-10}", "inspection: JTAI"), [error(
        "'inspection' must be a mapping of keys, not the value 'JTAI'", 2, 13, ("inspection",),
        None, "indent the keys that belong to it under it")]),
    ("text-for-a-mapping", ("objectives:", "rag_key: x\nobjectives:"), [error(
        "'rag_key' must be a mapping of keys, not the value 'x'", 6, 10, ("rag_key",), None,
        "indent the keys that belong to it under it")]),
    ("another-version", ("version: 1", "version: 2"), [error(
        "'version': Input should be 1, not 2", 1, 10, ("version",))]),
    ("word-for-a-number", ("number: 1", "number: one"), [error(
        "'number' must be a whole number, not 'one'", 7, 13, ("objectives", 0, "number"))]),
    ("decimal-for-a-number", ("number: 1", "number: 1.5"), [error(
        "'number' must be a whole number, not 1.5", 7, 13, ("objectives", 0, "number"))]),
    ("nothing-for-a-number", ("number: 1", "number:"), [error(
        "'number' must be a whole number, not empty", 7, 12, ("objectives", 0, "number"))]),
    ("zero-for-a-positive-number", ("number: 1", "number: 0"), [error(
        "'number': input should be greater than 0, not 0", 7, 13, ("objectives", 0, "number"))]),
    ("negative-days", ("objectives:", "lint: {due_soon_days: -1}\nobjectives:"), [error(
        "'due_soon_days': input should be greater than or equal to 0, not -1", 6, 23,
        ("lint", "due_soon_days"))]),
    ("code-of-the-wrong-form", ("code: Police", "code: 1x"), [error(
        f"'code': String should match pattern {CODE_PATTERN} (got '1x')", 4, 11,
        ("agencies", 0, "code"))]),
    # A value is shown whole up to 60 characters (quotes included), else cut to 57 and "...".
    ("value-of-60-characters-shown-whole", ("code: Police", "code: " + "a" * 58), [error(
        f"'code': String should match pattern {CODE_PATTERN} (got '{'a' * 58}')", 4, 11,
        ("agencies", 0, "code"))]),
    ("value-of-61-characters-cut", ("code: Police", "code: " + "a" * 59), [error(
        f"'code': String should match pattern {CODE_PATTERN} (got '{'a' * 56}...)", 4, 11,
        ("agencies", 0, "code"))]),
    ("unquoted-ref-as-written", ('ref: "1.1"', "ref: 1.10"), [error(
        "ref 1.10 must be quoted text", 11, 14, (*ACTION, "ref"), "1.1",
        'write ref: "1.10" (unquoted, YAML reads 2.10 as the number 2.1)')]),
    ("whole-number-ref", ('ref: "1.1"', "ref: 1"), [error(
        "ref 1 must be quoted text", 11, 14, (*ACTION, "ref"), "1",
        'write ref: "1" (unquoted, YAML reads 2.10 as the number 2.1)')]),
    ("true-for-a-ref", ('ref: "1.1"', "ref: true"), [error(
        "'ref' must be text, not true/false True", 11, 14, (*ACTION, "ref"), "True",
        'quote it to keep it as text: "yes"')]),
    ("ref-of-the-wrong-form", ('ref: "1.1"', "ref: x1"), [error(
        "ref 'x1' is not of the form OBJECTIVE.N", 11, 14, (*ACTION, "ref"), "x1",
        'write refs as "2.1", "2.10": the objective number, a dot, a number')]),
    ("missing-key", ("        owners: [Police]\n", ""), [error(
        "missing required key 'owners'", 11, 9, (*ACTION, "owners"), "1.1",
        "add 'owners:' to this entry")]),
    ("misspelt-key", ("title: Voice", "title: Voice\n    titel: x"), [error(
        "unknown key 'titel'", 9, 5, ("objectives", 0, "titel"), None,
        "did you mean 'title'?")]),
    ("unknown-key-like-none", ("objectives:", "x: 1\nobjectives:"), [error(
        "unknown key 'x'", 6, 1, ("x",), None, f"known keys here: {TOP_KEYS}")]),
    ("refused-character", ("action: Joint visits", 'action: "bell\\x07"'), [error(
        "objectives[0].actions[0].action contains U+0007 (control character) at character 5",
        12, 17, (*ACTION, "action"), "1.1",
        "retype the text, or delete it and paste it again as plain text", code="JTAI206")]),
    # A refused character in a key: the path shows its escape, never the raw character.
    ("refused-character-in-a-key", added(
        "updates", '\n          - date: 2025-03-01\n            by: Me\n            changes: '
        '{"a\\x07": {from: a, to: b}}'), [error(
            "objectives[0].actions[0].updates[0].changes.a\\u0007.[key] contains U+0007 "
            "(control character) at character 2", 18, 32,
            (*ACTION, "updates", 0, "changes", "a\x07", "[key]"), "1.1",
            "retype the text, or delete it and paste it again as plain text",
            code="JTAI206")]),
    # pydantic reports in field order; findings come in file order, by line then column.
    ("file-order-across-lines", ("action: Joint visits\n        owners: [Police]\n"
                                 "        progress: Green",
                                 "progress: Purple\n        owners: [Police]\n"
                                 "        action: 12"), [
        error("'progress': 'Purple' is not a RAG rating: use Blue, Green, Amber or Red",
              12, 19, (*ACTION, "progress"), "1.1", RAG_HINT),
        error("'action' must be text, not the number 12", 14, 17, (*ACTION, "action"), "1.1",
              'quote it to keep it as text: "12"')]),
    ("file-order-along-a-line", ("{type: JTAI, area: Reading,", "{area: 2, type: 1,"), [
        error("'area' must be text, not the number 2", 2, 20, ("inspection", "area"), None,
              'quote it to keep it as text: "2"'),
        error("'type' must be text, not the number 1", 2, 29, ("inspection", "type"), None,
              'quote it to keep it as text: "1"')]),
]


def test_the_base_plan_is_valid() -> None:
    loaded = parse_plan(SourceText(Path("plan.yaml"), PLAN), integrity=False)
    assert [a.ref for a in loaded.plan.actions()] == ["1.1"]


@pytest.mark.parametrize(("change", "expected"), [row[1:] for row in ROWS],
                         ids=[row[0] for row in ROWS])
def test_each_schema_error_is_one_whole_finding_at_its_value(
        change: tuple[str, str], expected: list[Finding]) -> None:
    old, new = change
    assert PLAN.count(old) == 1
    assert findings_of(PLAN.replace(old, new)) == expected


def test_an_error_with_no_place_in_the_document_has_no_line() -> None:
    """A source map without a document (nothing composed) locates nothing: the finding says
    "this value" and carries no line, rather than failing."""
    with pytest.raises(ValidationError) as caught:
        validate(Plan, "text")
    assert findings_from_error(caught.value, Plan, SourceMap(None), "plan.yaml", "text") == [
        Finding("JTAI002", Severity.ERROR,
                "this value must be a mapping of keys, not the value 'text'", "plan.yaml",
                hint="indent the keys that belong to it under it")]


# The kinds of error pydantic raises only in its lax modes, and an unknown key where no
# keys are known: (kind, item, path, message, hint).
Kind = tuple[str, dict[str, Any], Path_, str, str]
KINDS: list[Kind] = [
    ("bool_parsing", {"input": "maybe", "msg": "Input should be a valid boolean"},
     ("multi_agency",), "'multi_agency' must be true or false, not 'maybe'",
     "write true or false"),
    ("date_parsing", {"input": "2025-13", "msg": "Input should be a valid date"},
     ("start",), "'start' must be a date, not '2025-13'", DATE_HINT),
    ("date_from_datetime_parsing", {"input": "x", "msg": "Input should be a valid date"},
     ("start",), "'start' must be a date, not 'x'", DATE_HINT),
    ("unexpected_keyword_argument", {"input": 1, "msg": "Unexpected keyword argument"},
     ("nowhere", "extra"), "unknown key 'extra'", "remove it"),
]


@pytest.mark.parametrize(("kind", "item", "path", "message", "hint"), KINDS,
                         ids=[k[0] for k in KINDS])
def test_lax_kinds_and_unknown_places_are_explained(
        kind: str, item: dict[str, Any], path: Path_, message: str, hint: str) -> None:
    assert _explain(kind, item, path, Plan, {}) == (message, hint)


@pytest.mark.parametrize(("message", "hint"), [
    ("'Purple' is not a RAG rating: use Blue, Green, Amber or Red", RAG_HINT),
    ("'x' is not a date: write it as ...", DATE_HINT),
    ("too many owners", ""),
])
def test_a_value_error_gets_the_hint_of_what_it_is_about(message: str, hint: str) -> None:
    assert _hint_for_value_error(message) == hint


@pytest.mark.parametrize(("loc", "data", "path"), [
    (("owners", 0), {"owners": ["a"]}, ("owners", 0)),
    (("owners", 1), {"owners": ["a"]}, ("owners",)),
    (("owners", "date"), {"owners": ["a"]}, ("owners",)),
    (("owners", -1), {"owners": ["a"]}, ("owners",)),
    (("ref", "date", "x"), {"ref": "1.1"}, ("ref",)),
    (("lint", "due"), {"lint": {}}, ("lint", "due")),
])
def test_only_the_parts_of_an_errors_location_that_are_in_the_document_are_kept(
        loc: tuple[str | int, ...], data: Any, path: Path_) -> None:
    assert _document_path(loc, data) == path


# -- bugs found by mutation testing, fixed on 2026-12-03 ------------------------------

@pytest.mark.parametrize("change", [
    added("completed_on", "0"),
    ("start: 2025-02-24", "start: 1740355200"),
], ids=["zero", "seconds-since-1970"])
def test_a_number_in_a_date_field_is_refused(change: tuple[str, str]) -> None:
    findings = findings_of(PLAN.replace(*change))
    assert [f.hint for f in findings] == [DATE_HINT]


@pytest.mark.parametrize("change", [
    ("number: 1", "number: true"),
    ("objectives:", "lint: {due_soon_days: true}\nobjectives:"),
], ids=["objective-number", "due-soon-days"])
def test_true_for_a_number_is_refused(change: tuple[str, str]) -> None:
    findings = findings_of(PLAN.replace(*change))
    assert len(findings) == 1


@pytest.mark.parametrize("change", [
    added("completed_on", "[1]"),
    ("number: 1", "number: [1]"),
    ("action: Joint visits", "action: [a]"),
    ("action: Joint visits", "action:"),
], ids=["list-for-a-date", "list-for-a-number", "list-for-text", "nothing-for-text"])
def test_a_wrong_type_message_ends_with_what_was_found(change: tuple[str, str]) -> None:
    [finding] = findings_of(PLAN.replace(*change))
    assert not finding.message.endswith(" ")
    assert "None" not in finding.message


def test_a_number_in_a_date_field_gets_the_date_hint() -> None:
    findings = findings_of(PLAN.replace(*added("completed_on", "12")))
    assert findings == [error("'completed_on' must be a date, not 12", 15, 23,
                              (*ACTION, "completed_on"), "1.1", DATE_HINT)]


@pytest.mark.parametrize(("change", "expected"), [
    (("owners: [Police]", "owners: {Police: x}"), error(
        "'owners' must be a list, not a mapping", 13, 17, (*ACTION, "owners"), "1.1",
        "write 'owners: [A, B]' or one '- item' per line")),
    (("action: Joint visits", "action: [Joint, visits]"), error(
        "'action' must be text, not a list", 12, 17, (*ACTION, "action"), "1.1")),
    (("inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}",
      "inspection: [JTAI]"), error(
        "'inspection' must be a mapping of keys, not a list", 2, 13, ("inspection",), None,
        "indent the keys that belong to it under it")),
], ids=["mapping-for-a-list", "list-for-text", "list-for-a-section"])
def test_a_list_or_mapping_in_the_wrong_place_is_named_by_its_kind_not_its_contents(
        change: tuple[str, str], expected: Finding) -> None:
    """The message stops at the kind ("not a list"); the contents are never shown."""
    [finding] = findings_of(PLAN.replace(*change))
    assert finding == expected
