"""Where and how a broken plan file is reported, pinned exactly: the line and column of an
unclosed quote (how far up it is looked for, which quotes close a value), a duplicate key,
an unreadable file's finding, the hint for an unknown key deep in the plan (the keys that
belong there, followed through optional, union and aliased fields), and the bytes written
back into a file whose lines end differently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import pytest

from jtaiplan.errors import PlanInvalid
from jtaiplan.findings import Finding, Severity
from jtaiplan.planfile import yamlemit
from jtaiplan.planfile.agency_edit import change_registry
from jtaiplan.planfile.loader import load_plan
from jtaiplan.planfile.textfile import decode_source
from jtaiplan.planfile.validation import _field_names
from jtaiplan.planfile.yamlread import compose, to_python


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings name files as the user gave them: here, relative to the test's folder."""
    monkeypatch.chdir(tmp_path)


def _refused(text: str) -> list[Finding]:
    """The findings for ``text`` read as plan.yaml (decoded, composed, converted)."""
    with pytest.raises(PlanInvalid) as caught:
        to_python(compose(decode_source(Path("plan.yaml"), text.encode("utf-8"))), "plan.yaml")
    return caught.value.findings


def _syntax(line: int, column: int, said: str, hint: str) -> Finding:
    return Finding("JTAI001", Severity.ERROR, f"YAML syntax error: {said}", "plan.yaml",
                   line=line, column=column, hint=hint)


def _open_quote(line: int, column: int, reader_says: str) -> Finding:
    return _syntax(line, column,
                   f"the quote opened on line {line} is not closed on that line, so the lines "
                   f"after it are read as part of its text (the YAML reader says: {reader_says})",
                   "close the quote at the end of the value, or remove it")


NO_KEY = "did not find expected key (while parsing a block mapping)"
KEYS_HINT = "check the indentation: keys of one mapping line up"


def _not_indented(line: int, column: int) -> Finding:
    return _syntax(line, column, "this line is not indented like the keys around it (the YAML "
                   f"reader says: {NO_KEY})", KEYS_HINT)


# -- an unclosed quote: which line is named ------------------------------------------------


def test_an_unclosed_quote_on_the_first_line_is_named_there() -> None:
    assert _refused('a: "x\nb: c"\n  d: e\n') == [_open_quote(1, 4, NO_KEY)]


def test_an_unclosed_quote_on_the_last_line_without_a_line_break_is_named() -> None:
    assert _refused('a:\n  b: 1\n c: "x') == [_open_quote(3, 5, NO_KEY)]


def test_a_quote_after_the_error_is_not_taken_for_the_one_left_open() -> None:
    """Only the lines up to the error are looked at, never the file's last line again."""
    assert _refused('a:\n  b: 1\n c: 2\nd: "x') == [_not_indented(3, 2)]


def _quote_lines_above(distance: int) -> str:
    """A quote left open on line 2, closed ``distance - 1`` lines on; the error (a key
    indented wrongly) comes ``distance`` lines below the quote."""
    return ("a:\n  b: \"x\n" + "  more\n" * (distance - 2) + "  end\"\n c: 2\n")


def test_an_open_quote_is_looked_for_up_to_39_lines_above_the_error_and_no_further() -> None:
    assert _refused(_quote_lines_above(39)) == [_open_quote(2, 6, NO_KEY)]
    assert _refused(_quote_lines_above(40)) == [_not_indented(42, 2)]


def test_an_escaped_double_quote_does_not_close_the_value() -> None:
    assert _refused('a: 1\nb: "say \\"hi\nc: d"\n  e: f\n') == [_open_quote(2, 4, NO_KEY)]


def test_a_doubled_single_quote_does_not_close_the_value() -> None:
    assert _refused("a: 1\nb: 'it''s\nc: d'\n  e: f\n") == [_open_quote(2, 4, NO_KEY)]


def test_a_value_ending_in_an_escaped_backslash_is_closed() -> None:
    assert _refused('a:\n  b: "C:\\\\"\n c: 2\n') == [_not_indented(3, 2)]


def test_a_double_quote_inside_single_quotes_does_not_close_them() -> None:
    assert _refused("a: 1\nb: 'say \"hi\nc: d'\n  e: f\n") == [_open_quote(2, 4, NO_KEY)]


# -- what the reader refuses after parsing -------------------------------------------------


def test_a_duplicate_key_is_an_error_at_the_second_key_with_its_hint() -> None:
    assert _refused("a: 1\nb:\n  c: 2\n  c: 3\n") == [Finding(
        "JTAI001", Severity.ERROR,
        "duplicate key 'c' (first on line 3): YAML would keep only the last one", "plan.yaml",
        line=4, column=3, hint="remove one of the two, or merge their contents")]


@pytest.mark.parametrize(("raw", "line", "message", "hint"), [
    (b"a: 1\nb: \x00\n", 2, "the file contains NUL bytes: it is binary, not a YAML plan",
     "check that --plan names the right file"),
    (b"a: 1\nb: \xe9t\xe9\n", 2, "the file is not UTF-8 (byte 0xe9 on line 2)",
     "save the file as UTF-8 (in Excel or Notepad: Save As, Encoding: UTF-8)"),
    ("a: 1\n".encode("utf-16"), 1, "the file is UTF-16, not UTF-8",
     "save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"),
])
def test_a_file_that_is_not_utf8_text_is_an_error_at_its_line_with_a_hint(
        raw: bytes, line: int, message: str, hint: str) -> None:
    with pytest.raises(PlanInvalid) as caught:
        decode_source(Path("plans") / "plan.yaml", raw)
    assert caught.value.findings == [Finding("JTAI001", Severity.ERROR, message,
                                             "plans/plan.yaml", line=line, column=1, hint=hint)]


# -- an unknown key: located at the key, with the keys that belong there --------------------

PLAN = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
%s
agencies:
  - code: Police
    name: Police
objectives:
  - number: 1
    title: Voice
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police]
        progress: Green
%s"""
CHANGED = """\
        updates:
          - date: 2025-03-01
            by: Police
            changes:
              progress: %s
"""
CHANGE_PATH = ("objectives", 0, "actions", 0, "updates", 0, "changes", "progress")


def _schema_refusal(tmp_path: Path, top: str, action: str = "") -> list[Finding]:
    (tmp_path / "plan.yaml").write_text(PLAN % (top, action), encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        load_plan(Path("plan.yaml"))
    return caught.value.findings


def test_an_unknown_key_in_the_optional_summary_of_change_lists_its_keys(
        tmp_path: Path) -> None:
    assert _schema_refusal(tmp_path, "summary_of_change:\n  heading: H\n  zzz: I") == [Finding(
        "JTAI002", Severity.ERROR, "unknown key 'zzz'", "plan.yaml", line=5, column=3,
        path=("summary_of_change", "zzz"), hint="known keys here: heading, introduction, areas")]


def test_an_unknown_key_in_a_recorded_change_lists_from_and_to_as_written(
        tmp_path: Path) -> None:
    assert _schema_refusal(tmp_path, "", CHANGED % "{from: Green, xx: Red}") == [Finding(
        "JTAI002", Severity.ERROR, "unknown key 'xx'", "plan.yaml", line=19, column=39,
        path=(*CHANGE_PATH, "xx"), ref="1.1", hint="known keys here: from, to")]


def test_a_misspelt_key_in_a_recorded_change_is_corrected_to_from(tmp_path: Path) -> None:
    assert _schema_refusal(tmp_path, "", CHANGED % "{fro: Green, to: Red}") == [Finding(
        "JTAI002", Severity.ERROR, "unknown key 'fro'", "plan.yaml", line=19, column=26,
        path=(*CHANGE_PATH, "fro"), ref="1.1", hint="did you mean 'from'?")]


@dataclass
class _Inner:
    name: str
    note: str = field(default="", metadata={"alias": "remark"})


@dataclass
class _Outer:
    """Annotations no plan model has (yet): the keys are still followed through them."""

    inner_: _Inner = field(metadata={"alias": "inner"})
    either: int | _Inner = 0
    listed: int | list[_Inner] = 0
    maybe: int | None = None
    title: str = ""


@pytest.mark.parametrize(("annotation", "path", "keys"), [
    (_Inner, (), ["name", "remark"]),
    (Annotated[_Inner, "a note"], (), ["name", "remark"]),
    (_Outer, ("inner",), ["name", "remark"]),
    (_Outer, ("inner_",), []),
    (_Outer, ("either",), ["name", "remark"]),
    (_Outer, ("listed", 0), ["name", "remark"]),
    (_Outer, ("maybe",), []),
    (_Outer, ("title", 0), []),
    (_Outer, ("title", "x"), []),
    (_Outer, ("nothing",), []),
    (int | _Inner, (), ["name", "remark"]),
    (_Inner | None, (), ["name", "remark"]),
    (int | None, (), []),
    (dict[str, _Inner], ("any",), ["name", "remark"]),
    (list[_Inner], ("0",), []),
])
def test_the_keys_of_a_place_follow_aliases_optional_union_and_annotated_fields(
        annotation: object, path: tuple[str | int, ...], keys: list[str]) -> None:
    assert _field_names(annotation, path) == keys  # type: ignore[arg-type]


# -- text written back ---------------------------------------------------------------------


def test_a_writer_built_afresh_quotes_in_flow_lists_what_pyyaml_would_misread() -> None:
    """The writer is built once per process (``yaml()`` is cached): built again here, a
    change to how it chooses quotes shows even where an earlier test built it."""
    from ruamel.yaml.comments import CommentedSeq

    yamlemit.yaml.cache_clear()
    try:
        aliases = CommentedSeq(["CSC", "who?", "it's?", "yes"])
        aliases.fa.set_flow_style()
        assert yamlemit.dump({"aliases": aliases, "note": "why?", "quoted": "it's?"}) == (
            "aliases: [CSC, 'who?', \"it's?\", 'yes']\nnote: why?\nquoted: it's?\n")
    finally:
        yamlemit.yaml.cache_clear()


def test_a_kept_last_line_without_a_break_takes_the_files_first_ending_when_moved_up() -> None:
    """Every line above the file's unterminated last line is deleted and a line is added
    after it: it now needs an ending, and no line before it is kept to lend one."""
    source = decode_source(Path("plan.yaml"), b"A\r\nB\nC")
    assert source.encode("C\nX") == b"C\r\nX"
    assert decode_source(Path("plan.yaml"), b"A\nB\r\nC").encode("C\nX") == b"C\nX"


def test_an_agency_added_beside_a_shared_registry_goes_after_the_key_before_objectives(
        tmp_path: Path) -> None:
    plan = ("agencies_from: agencies.yaml\n"
            "objectives:\n"
            "  - number: 1\n"
            "    title: Voice\n"
            "    actions:\n"
            "      - ref: \"1.1\"\n"
            "        action: Joint visits\n"
            "        owners: [Police]\n"
            "        progress: Green\n"
            "inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}\n")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "agencies.yaml").write_text(
        "version: 1\nagencies:\n  - code: Police\n    name: Police\n", encoding="utf-8")
    outcome = change_registry(tmp_path / "plan.yaml",
                              lambda e: e.add("ICB", "Integrated Care Board", []))
    assert outcome.summary == "agency ICB (Integrated Care Board) added"
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8") == plan.replace(
        "objectives:", "agencies:\n  - code: ICB\n    name: Integrated Care Board\nobjectives:")
