"""The library under the commands: load_plan, the YAML reader's scalars, text conventions and
the source map.

The small plan used here is tests/fixtures/invalid/wrong-rag.yaml with its one mistake
("Purple") put right; its lines are listed in tests/test_validate.py.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from jtaiplan.errors import PlanInvalid
from jtaiplan.findings import Finding
from jtaiplan.planfile.loader import LoadedPlan, load_plan
from jtaiplan.planfile.sourcemap import Position, SourceMap
from jtaiplan.planfile.textfile import SourceText, decode_source
from jtaiplan.planfile.yamlread import MAX_DEPTH, compose, resolve_plain, to_python

INVALID = FIXTURES / "invalid"
VALID_TEXT = (INVALID / "wrong-rag.yaml").read_text(encoding="utf-8").replace(
    "progress: Purple", "progress: Amber")


def write(folder: Path, text: str, name: str = "plan.yaml", *, crlf: bool = False,
          bom: bool = False) -> Path:
    path = folder / name
    body = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))
    return path


def problems(path: Path, *, integrity: bool = True) -> list[Finding]:
    with pytest.raises(PlanInvalid) as caught:
        load_plan(path, integrity=integrity)
    return caught.value.findings


def where(findings: list[Finding]) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.column) for f in findings]


def read_yaml(text: str) -> Any:
    return to_python(compose(SourceText(path=Path("t.yaml"), text=text)), "t.yaml")


# --- load_plan ------------------------------------------------------------------------------


def test_load_the_real_plan(real_plan: Path) -> None:
    loaded = load_plan(real_plan)
    assert isinstance(loaded, LoadedPlan)
    plan = loaded.plan
    assert plan.inspection.area == "Reading"
    assert plan.inspection.start == date(2025, 2, 24)
    assert [o.number for o in plan.objectives] == list(range(1, 11))
    assert len(plan.actions()) == 20
    assert [a.ref for a in plan.actions()][:6] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert [a.code for a in plan.agencies] == ["BFfC", "TVP", "BWSCP", "KCC", "RBC"]
    two_three = plan.actions()[5]
    assert (two_three.due, two_three.due_word) == (None, "underway")
    # Dates stay text in the data (the model parses them), never YAML timestamps.
    assert loaded.data["objectives"][1]["actions"][0]["complete_by"] == "2025-05-30"
    assert plan.actions()[3].due == date(2025, 5, 30)
    assert loaded.data["inspection"]["start"] == "2025-02-24"


def test_load_a_small_plan(tmp_path: Path) -> None:
    loaded = load_plan(write(tmp_path, VALID_TEXT))
    assert [(a.ref, str(a.progress), a.due) for a in loaded.plan.actions()] == [
        ("1.1", "Green", date(2025, 6, 30)), ("1.2", "Amber", date(2025, 9, 30))]
    assert loaded.path == tmp_path / "plan.yaml"
    assert loaded.source.newline == "\n"
    assert loaded.source.bom is False


def test_integrity_can_be_left_to_lint() -> None:
    path = INVALID / "duplicate-ref.yaml"
    assert where(problems(path)) == [("JTAI201", 33, 14)]
    loaded = load_plan(path, integrity=False)
    assert [a.ref for a in loaded.plan.actions()] == ["1.1", "1.1"]


def test_yes_is_not_a_boolean(tmp_path: Path) -> None:
    # YAML 1.1 would read "yes" as true; a plan is read as YAML 1.2, where it is a word.
    path = write(tmp_path, VALID_TEXT.replace('      - ref: "1.1"\n',
                                              '      - ref: "1.1"\n        multi_agency: yes\n'))
    [finding] = problems(path)
    assert (finding.code, finding.line, finding.column) == ("JTAI002", 26, 23)
    assert finding.message == "'multi_agency' must be true or false, not 'yes'"
    assert finding.hint == "write true or false"


def test_an_empty_file(tmp_path: Path) -> None:
    for text in ("", "\n\n", "   \n", "# only a comment\n"):
        [finding] = problems(write(tmp_path, text))
        assert (finding.code, finding.line, finding.column) == ("JTAI001", 1, 1)
        assert finding.message == "the file is empty (or holds only comments)"


@pytest.mark.parametrize(("text", "kind"), [("just words\n", "a single value"),
                                            ("- a\n- b\n", "a list"), ("42\n", "a single value")])
def test_the_top_level_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    [finding] = problems(write(tmp_path, text))
    assert (finding.code, finding.line, finding.column) == ("JTAI001", 1, 1)
    assert finding.message.endswith(f"not {kind}")


def test_nul_bytes_mean_a_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"version: 1\nname: x\x00y\n")
    [finding] = problems(path)
    assert (finding.code, finding.line) == ("JTAI001", 2)
    assert "NUL bytes" in finding.message


def test_nesting_too_deep(tmp_path: Path) -> None:
    # The root mapping is depth 0 and x's list depth 1, so the bracket at depth 40 is the
    # fortieth, in column 3 + 40.
    path = write(tmp_path, "x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    [finding] = problems(path)
    assert (finding.code, finding.line, finding.column) == ("JTAI001", 1, 43)
    assert finding.message == "nesting deeper than 40 levels"


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n")
    assert [(f.line, f.column, f.message) for f in problems(path)] == [
        (3, 1, "duplicate key 'a' (first on line 1): YAML would keep only the last one"),
        (6, 3, "duplicate key 'd' (first on line 5): YAML would keep only the last one"),
    ]


def test_unclosed_bracket_points_at_the_bracket(tmp_path: Path) -> None:
    # libyaml notices at the end of the file, a line that is not there; the finding is put
    # where the bracket opens.
    path = write(tmp_path, "version: 1\nthemes: [A, B\n")
    [finding] = problems(path)
    assert (finding.code, finding.line, finding.column) == ("JTAI001", 2, 9)


def test_tab_indentation_gets_the_tab_hint(tmp_path: Path) -> None:
    [finding] = problems(write(tmp_path, "inspection:\n\ttype: JTAI\n"))
    assert (finding.code, finding.line, finding.column) == ("JTAI001", 2, 1)
    assert finding.hint == "YAML does not allow tab characters for indentation: indent with " \
        "spaces"


# --- scalars: the YAML 1.2 core schema ------------------------------------------------------


@pytest.mark.parametrize(("plain", "value"), [
    # Words YAML 1.1 turned into booleans stay words.
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("Yes", "Yes"),
    ("NO", "NO"),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("tRUE", "tRUE"),
    # Null: only these spellings.
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None), ("nULL", "nULL"),
    ("none", "none"),
    # Integers: leading zeros are decimal (YAML 1.1 read 010 as octal 8); 0o is octal.
    ("010", 10), ("007", 7), ("0", 0), ("-5", -5), ("+5", 5), ("0o10", 8), ("0x1F", 31),
    ("0b101", "0b101"), ("1_000", "1_000"), ("-0x1F", "-0x1F"),
    # Floats: 2.10 is the number 2.1, which is why refs are quoted.
    ("2.10", 2.1), ("1.5", 1.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("-2.5E-1", -0.25),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
    # Dates, times and versions are text: the model parses dates itself.
    ("2025-06-30", "2025-06-30"), ("30/06/2025", "30/06/2025"), ("12:30", "12:30"),
    ("1.2.3", "1.2.3"), ("-", "-"), (".", "."), ("In place", "In place"),
    ("Green", "Green"),
])
def test_resolve_plain(plain: str, value: object) -> None:
    resolved = resolve_plain(plain)
    assert resolved == value
    assert type(resolved) is type(value)


def test_resolve_plain_nan() -> None:
    for spelling in (".nan", ".NaN", ".NAN"):
        value = resolve_plain(spelling)
        assert isinstance(value, float)
        assert math.isnan(value)
    assert resolve_plain(".Nan") == ".Nan"


def test_quoted_and_block_scalars_are_never_resolved() -> None:
    data = read_yaml(
        "plain_yes: yes\n"
        'quoted_true: "true"\n'
        "single_null: 'null'\n"
        "tilde: ~\n"
        "empty:\n"
        "date: 2025-06-30\n"
        "ref: 2.10\n"
        'quoted_ref: "2.10"\n'
        "leading_zero: 010\n"
        "literal: |\n"
        "  null\n"
        "folded: >-\n"
        "  one\n"
        "  two\n"
        "1: keys are text\n"
        "null: even this one\n"
    )
    assert data == {
        "plain_yes": "yes", "quoted_true": "true", "single_null": "null", "tilde": None,
        "empty": None, "date": "2025-06-30", "ref": 2.1, "quoted_ref": "2.10",
        "leading_zero": 10, "literal": "null\n", "folded": "one two",
        "1": "keys are text", "null": "even this one",
    }


# --- byte-order mark and line endings -------------------------------------------------------

PATHS: list[tuple[tuple[str | int, ...], Position]] = [
    ((), Position(2, 1)),
    (("version",), Position(2, 10)),
    (("agencies", 1, "name"), Position(18, 11)),
    (("objectives", 0, "lead"), Position(23, 11)),
    (("objectives", 0, "actions", 0, "owners", 0), Position(28, 18)),
    (("objectives", 0, "actions", 1, "ref"), Position(33, 14)),
    (("objectives", 0, "actions", 1, "progress"), Position(39, 19)),
]


@pytest.mark.parametrize(("crlf", "bom"), [(False, True), (True, False), (True, True)],
                         ids=["bom", "crlf", "bom-crlf"])
def test_bom_and_crlf_load_with_the_same_positions(tmp_path: Path, crlf: bool,
                                                   bom: bool) -> None:
    lf = load_plan(write(tmp_path, VALID_TEXT, "lf.yaml"))
    other = load_plan(write(tmp_path, VALID_TEXT, "other.yaml", crlf=crlf, bom=bom))
    assert other.data == lf.data
    assert other.plan == lf.plan
    assert other.source.text == lf.source.text
    assert "\r" not in other.source.text
    assert not other.source.text.startswith("\ufeff")
    assert (other.source.newline, other.source.bom) == ("\r\n" if crlf else "\n", bom)
    # A writer can put the file back byte for byte.
    assert other.source.encode() == (tmp_path / "other.yaml").read_bytes()
    for path, position in PATHS:
        assert lf.sourcemap.locate(path) == position
        assert other.sourcemap.locate(path) == position


@pytest.mark.parametrize(("crlf", "bom"), [(False, True), (True, False), (True, True)],
                         ids=["bom", "crlf", "bom-crlf"])
def test_bom_and_crlf_report_the_same_lines(tmp_path: Path, crlf: bool, bom: bool) -> None:
    for name, expected in (("wrong-rag.yaml", [("JTAI002", 39, 19)]),
                           ("unknown-owner.yaml", [("JTAI203", 28, 23)]),
                           ("duplicate-key.yaml", [("JTAI001", 32, 9)]),
                           ("merge-conflict.yaml", [("JTAI001", 39, 1)]),
                           ("syntax-unclosed-quote.yaml", [("JTAI001", 34, 17)])):
        text = (INVALID / name).read_text(encoding="utf-8")
        assert where(problems(write(tmp_path, text, name, crlf=crlf, bom=bom))) == expected


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    raw = (INVALID / "not-utf8.yaml").read_bytes()
    path = tmp_path / "plan.yaml"
    path.write_bytes(raw.replace(b"\n", b"\r\n"))
    [finding] = problems(path)
    assert (finding.line, finding.message) == (34, "the file is not UTF-8 (byte 0xe9 on line 34)")


def test_decode_source_keeps_the_conventions() -> None:
    source = decode_source(Path("p.yaml"), b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert (source.text, source.newline, source.bom) == ("a: 1\nb: 2\n", "\r\n", True)
    assert source.encode("a: 3\n") == b"\xef\xbb\xbfa: 3\r\n"


# --- the source map -------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> LoadedPlan:
    return load_plan(write(tmp_path, VALID_TEXT))


def test_locate_a_nested_value(small: LoadedPlan) -> None:
    sourcemap = small.sourcemap
    assert sourcemap.locate(("objectives", 0, "actions", 1, "complete_by")) == Position(35, 22)
    assert sourcemap.locate(("objectives", 0, "actions", 0, "owners")) == Position(28, 17)
    assert sourcemap.locate(("objectives", 0, "actions", 0)) == Position(25, 9)
    assert sourcemap.locate(("objectives", 0)) == Position(20, 5)
    assert sourcemap.locate(("inspection", "area")) == Position(5, 9)


def test_locate_a_key_rather_than_its_value(small: LoadedPlan) -> None:
    path = ("objectives", 0, "actions", 0, "progress")
    assert small.sourcemap.locate(path) == Position(31, 19)
    assert small.sourcemap.locate_key(path) == Position(31, 9)
    # A list item has no key: its own position.
    assert small.sourcemap.locate_key(("objectives", 0, "actions", 1)) == Position(33, 9)
    assert small.sourcemap.locate_key(()) == Position(2, 1)


def test_locate_a_missing_path_gives_the_deepest_part_found(small: LoadedPlan) -> None:
    sourcemap = small.sourcemap
    # A missing key: the mapping it belongs in (1.2's, which starts at "ref").
    assert sourcemap.node(("objectives", 0, "actions", 1, "evidence"))[1] is False
    assert sourcemap.locate(("objectives", 0, "actions", 1, "evidence")) == Position(33, 9)
    assert sourcemap.locate_key(("objectives", 0, "actions", 1, "evidence")) == Position(33, 9)
    # An index past the end: the list (its first "-").
    assert sourcemap.locate(("objectives", 0, "actions", 7, "ref")) == Position(25, 7)
    # Indexing a mapping, or a key into a list: where the walk stopped.
    assert sourcemap.locate(("inspection", 0)) == Position(4, 3)
    assert sourcemap.locate(("objectives", "title")) == Position(20, 3)
    assert sourcemap.node(("objectives", 0, "title"))[1] is True


def test_locate_every_ref_in_the_real_plan(real_plan: Path) -> None:
    loaded = load_plan(real_plan)
    lines = loaded.source.text.split("\n")
    for i, objective in enumerate(loaded.plan.objectives):
        for j, action in enumerate(objective.actions):
            position = loaded.sourcemap.locate(("objectives", i, "actions", j, "ref"))
            assert position is not None
            line = lines[position.line - 1]
            assert line[position.column - 1:] == f'"{action.ref}"', (action.ref, line)


def test_an_empty_document_has_no_positions() -> None:
    sourcemap = SourceMap(None)
    assert sourcemap.locate(()) is None
    assert sourcemap.locate(("objectives",)) is None
    assert sourcemap.node(()) == (None, True)
    assert sourcemap.node(("x",)) == (None, False)


# The candidates of a tag, anchor or alias are found with str.find (speed); the regular
# expression they replaced is the reference.
_REFERENCE_CANDIDATE = re.compile(r"(?:^|[\s\[\]{},])[&*!][^\s\[\]{},]")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("&*!ab1 \t\n[]{},:-'\"\u00a0\u2028\x85")),
               max_size=30))
def test_token_candidates_are_those_of_the_reference_expression(text: str) -> None:
    from jtaiplan.planfile.yamlread import _token_candidates

    assert _token_candidates(text) == [m.start() for m in _REFERENCE_CANDIDATE.finditer(text)]
