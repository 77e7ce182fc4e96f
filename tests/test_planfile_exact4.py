"""The plan file's readers and registry edits pinned to their exact behaviour (fourth set):
a YAML syntax error in a hand-edited plan is reported with its whole message, file:line:col
and hint (the quote opened earlier, the end of the file, a tab in the indentation); the
scan for tags and anchors runs exactly when a candidate lies outside every scalar's text;
a registry read at a git revision names the plan's line when it is missing; and `jtai
agency` grows a block list of aliases by whole lines and names its options in refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from yaml.nodes import Node

from conftest import Invoke
from jtaiplan.errors import CannotRun, PlanInvalid
from jtaiplan.findings import Finding, Severity
from jtaiplan.planfile import agencyfile, yamlread
from jtaiplan.planfile.agency_edit import _current_bytes
from jtaiplan.planfile.sourcemap import SourceMap
from jtaiplan.planfile.textfile import SourceText


def _source(text: str, name: str = "plan.yaml") -> SourceText:
    return SourceText(path=Path(name), text=text, raw=text.encode("utf-8"))


def _refused(text: str) -> list[Finding]:
    with pytest.raises(PlanInvalid) as caught:
        yamlread.compose(_source(text))
    return caught.value.findings


def _said(text: str) -> tuple[str, str, str]:
    """The one finding a syntax error gives: where, message, hint."""
    findings = _refused(text)
    assert len(findings) == 1
    finding = findings[0]
    assert (finding.code, finding.severity) == ("JTAI001", Severity.ERROR)
    return finding.where(), finding.message, finding.hint


def _parse_error(text: str) -> yaml.MarkedYAMLError:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yamlread.compose_vouched(_source(text))
    return caught.value


# -- syntax errors: message, place, hint ---------------------------------------------------

_READER_SAYS = "(the YAML reader says: "


def test_a_quote_left_open_earlier_is_named_where_it_opens_not_where_the_parser_stops() -> None:
    assert _said('a:\n  b: "x\n  c: "d"\n  e: f\n') == (
        "plan.yaml:2:6",
        "YAML syntax error: the quote opened on line 2 is not closed on that line, so the "
        f"lines after it are read as part of its text {_READER_SAYS}did not find expected key "
        "(while parsing a block mapping))",
        "close the quote at the end of the value, or remove it")


def test_a_single_quote_left_open_in_a_list_item_is_named_at_its_column() -> None:
    assert _said("k:\n  - t: 'x\n  - t: 'y'\n") == (
        "plan.yaml:2:8",
        "YAML syntax error: the quote opened on line 2 is not closed on that line, so the "
        f"lines after it are read as part of its text {_READER_SAYS}did not find expected key "
        "(while parsing a block mapping))",
        "close the quote at the end of the value, or remove it")


def test_a_quote_never_closed_is_named_where_it_opens_even_without_a_final_newline() -> None:
    assert _said('a: "abc') == (
        "plan.yaml:1:4",
        "YAML syntax error: a quote opened here is never closed "
        f"{_READER_SAYS}found unexpected end of stream (while scanning a quoted scalar))",
        "a quote or bracket is never closed")


def test_a_quote_never_closed_is_not_blamed_on_a_later_open_quote() -> None:
    """The parser's own wording already names the quote: no search for another one."""
    assert _said('a:\n  b: "x\n  c: d\ne: f\n') == (
        "plan.yaml:2:6",
        "YAML syntax error: a quote opened here is never closed "
        f"{_READER_SAYS}found unexpected end of stream (while scanning a quoted scalar))",
        "a quote or bracket is never closed")


def test_an_unclosed_bracket_is_named_where_the_line_after_it_begins() -> None:
    assert _said("a: [x, y") == (
        "plan.yaml:2:1",
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
        "check the YAML syntax on this line and the line before")


def test_an_unclosed_bracket_at_the_end_of_the_file_is_named_where_it_opens() -> None:
    assert _said("a: [x, y\n") == (
        "plan.yaml:1:4",
        "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
        "check the YAML syntax on this line and the line before")


def test_a_tab_indenting_the_first_line_is_named() -> None:
    assert _said("\ta: b\n") == (
        "plan.yaml:1:1",
        "YAML syntax error: found character that cannot start any token (while scanning "
        "for the next token)",
        "YAML does not allow tab characters for indentation: indent with spaces")


def test_a_tab_indenting_a_continuation_line_is_named_on_that_line() -> None:
    assert _said("a: b\n\tc: d\n") == (
        "plan.yaml:2:1",
        "YAML syntax error: found a tab character that violates indentation (while scanning "
        "a plain scalar)",
        "YAML does not allow tab characters for indentation: indent with spaces")


def test_a_tab_inside_a_line_is_not_taken_for_indentation() -> None:
    assert _said("a: b\tc: d\n") == (
        "plan.yaml:1:7",
        "YAML syntax error: this line is indented further than the line above allows, or its "
        f"text contains ': ' and needs quotes {_READER_SAYS}mapping values are not allowed in "
        "this context)",
        "check the YAML syntax on this line and the line before")


def test_a_character_that_cannot_start_a_value_asks_for_quotes() -> None:
    assert _said("a: @x\n") == (
        "plan.yaml:1:4",
        "YAML syntax error: found character that cannot start any token (while scanning "
        "for the next token)",
        "quote values that start with characters such as @ or `")


def test_a_misindented_list_item_is_explained_in_plain_words() -> None:
    assert _said("- a\nb: c\n") == (
        "plan.yaml:2:1",
        "YAML syntax error: this line is not indented like the list items around it "
        f"{_READER_SAYS}did not find expected '-' indicator (while parsing a block "
        "collection))",
        "check the indentation of the list items")


def test_a_line_without_its_colon_asks_about_the_space_and_the_quotes_above() -> None:
    assert _said("a:\n  b: c\n  d\n") == (
        "plan.yaml:3:3",
        "YAML syntax error: a line here or just above is not 'key: value': is there a space "
        "after the colon (progress: Green, not progress:Green), and is every quote above "
        f"closed? {_READER_SAYS}could not find expected ':' (while scanning a simple key))",
        "a line is missing ':' after its key, or a quote is not closed on the line before")


def test_a_second_document_is_refused_with_its_marker() -> None:
    assert _said("a: b\n---\nc: d\n") == (
        "plan.yaml:2:1",
        "YAML syntax error: but found another document (expected a single document in the "
        "stream)",
        "a plan is one YAML document: remove the extra '---'")


def test_an_error_read_without_the_text_names_its_line_and_no_tab() -> None:
    """Without the text (its default), no line can be looked at for tabs or quotes."""
    exc = _parse_error("a:\n  b: c\n d: e\n")
    assert yamlread.syntax_finding(exc, "plan.yaml") == Finding(
        "JTAI001", Severity.ERROR,
        "YAML syntax error: this line is not indented like the keys around it "
        f"{_READER_SAYS}did not find expected key (while parsing a block mapping))",
        "plan.yaml", line=3, column=2,
        hint="check the indentation: keys of one mapping line up")


def test_an_error_without_any_position_has_none_and_a_general_problem() -> None:
    exc = yaml.MarkedYAMLError()
    assert yamlread.syntax_finding(exc, "plan.yaml", "a: b\n") == Finding(
        "JTAI001", Severity.ERROR, "YAML syntax error: YAML syntax error", "plan.yaml",
        line=None, column=None,
        hint="check the YAML syntax on this line and the line before")


# -- tags and anchors: the scan runs when a candidate is outside every scalar ------------

def _outside(text: str) -> bool:
    root = yamlread.compose_vouched(_source(text))
    return yamlread._outside_scalars(yamlread._token_candidates(text), root, text)


@pytest.mark.parametrize(("text", "outside"), [
    ("a: x &y\n", False),
    ("a: x *y\n", False),
    ("a: x !y\n", False),
    ("a &b: x\n", False),
    ("k: v\nl: w &x\n", False),
    ("a:\n  b: [x, 'y *z']\n  c: d\n", False),
    ("a:\n  - b\n  - c &d\ne: f\n", False),
    ("a: b\n# see &x\n", True),
    ("# &x\na: b\n", True),
    ("{} # &x\n", True),
    ("a: !x b\n", True),
    ("a: [b, !x c]\n", True),
])
def test_the_token_scan_runs_only_for_a_candidate_outside_the_scalars_holding_it(
        text: str, outside: bool) -> None:
    assert _outside(text) is outside


def test_an_empty_document_is_scanned() -> None:
    assert yamlread._outside_scalars([0], None, "&a") is True


def test_a_comment_only_document_with_an_ampersand_is_empty_not_refused() -> None:
    assert yamlread.compose(_source("# R &D\n")) is None


def test_a_tag_on_a_plain_value_is_refused_at_the_tag() -> None:
    assert [(f.where(), f.message) for f in _refused("a: !x b\n")] == [
        ("plan.yaml:1:4", "explicit YAML tag '!x' is not allowed in a plan")]


def test_a_tag_in_a_flow_list_is_refused_at_the_tag() -> None:
    assert [(f.where(), f.message) for f in _refused("a: [b, !x c]\n")] == [
        ("plan.yaml:1:8", "explicit YAML tag '!x' is not allowed in a plan")]


def _root_of(text: str) -> Node:
    root = yamlread.compose_vouched(_source(text))
    assert root is not None
    return root


def test_the_children_listed_once_are_kept_by_node() -> None:
    root = _root_of("a: x &y\n")
    children: dict[int, tuple[list[Node], list[int]]] = {}
    assert yamlread._inside_scalar(root, 4, children) is True
    nodes, starts = children[id(root)]
    assert [n.value for n in nodes] == ["a", "x &y"]
    assert starts == [0, 3]
    assert list(children) == [id(root)]


def test_the_children_already_listed_are_not_listed_again() -> None:
    root = _root_of("a: x &y\n")
    children: dict[int, tuple[list[Node], list[int]]] = {id(root): ([], [])}
    assert yamlread._inside_scalar(root, 4, children) is False


@pytest.mark.parametrize(("text", "where"), [
    ("a: !x R&D\n", "plan.yaml:1:4"),
    ("a: &x R&D\n", "plan.yaml:1:4"),
    ("a: !x 'R&D'\n", "plan.yaml:1:4"),
    ("a: &x \"*bold* R&D!\"\n", "plan.yaml:1:4"),
    ("&x R&D\n", "plan.yaml:1:1"),
    ("a: |\n  R&D\n&x b: c\n", "plan.yaml:3:1"),
    ("- |\n  R&D\n- &x c\n", "plan.yaml:3:3"),
])
def test_a_tag_or_anchor_on_text_holding_an_ampersand_is_refused(text: str, where: str) -> None:
    assert [f.where() for f in _refused(text)] == [where]


# -- a registry read at a git revision ----------------------------------------------------

_PLAN_FROM = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies_from: shared/agencies.yaml
objectives: []
"""
_REGISTRY = "version: 1\nagencies:\n  - code: TVP\n    name: Thames Valley Police\n"


def _shared(reader: agencyfile.RegistryReader,
            sourcemap: SourceMap | None = None) -> tuple[str, ...]:
    source = _source(_PLAN_FROM, "plans/plan.yaml")
    if sourcemap is None:
        sourcemap = SourceMap(yamlread.compose(source))
    with agencyfile.registries_read_by(reader):
        agencies = agencyfile.shared_agencies(source, "shared/agencies.yaml", sourcemap)
    return tuple(f"{a.code}: {a.name}" for a in agencies)


def test_a_registry_at_a_revision_is_read_through_the_reader_by_its_written_name() -> None:
    """Nothing is on disk: only the reader, asked for the name as the plan writes it."""
    asked: list[str] = []

    def reader(name: str) -> SourceText | None:
        asked.append(name)
        return _source(_REGISTRY, "shared/agencies.yaml") if name == "shared/agencies.yaml" \
            else None

    assert _shared(reader) == ("TVP: Thames Valley Police",)
    assert asked == ["shared/agencies.yaml"]


def test_a_registry_missing_at_a_revision_names_the_plans_agencies_from_line() -> None:
    with pytest.raises(PlanInvalid) as caught:
        _shared(lambda name: None)
    assert caught.value.findings == [Finding(
        "JTAI001", Severity.ERROR, "agencies_from: no such file shared/agencies.yaml",
        "plans/plan.yaml", line=3, column=16, path=("agencies_from",),
        hint="the path is relative to the plan's own folder, e.g. ../agencies.yaml")]


def test_a_registry_missing_where_the_plan_cannot_be_located_has_no_position() -> None:
    with pytest.raises(PlanInvalid) as caught:
        _shared(lambda name: None, SourceMap(None))
    assert [(f.where(), f.line, f.column, f.message) for f in caught.value.findings] == [
        ("plans/plan.yaml", None, None, "agencies_from: no such file shared/agencies.yaml")]


def test_an_invalid_registry_at_a_revision_names_its_own_line() -> None:
    with pytest.raises(PlanInvalid) as caught:
        _shared(lambda name: _source("version: 1\nagencies:\n  - code: TVP\n",
                                     "shared/agencies.yaml"))
    assert [(f.where(), f.message) for f in caught.value.findings] == [
        ("shared/agencies.yaml:3:5", "missing required key 'name'")]


# -- `jtai agency` edits ---------------------------------------------------------------------

_AGENCY_PLAN = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: TVP
  - code: Police
    name: Police
  - code: BFfC
    name: Brighter Futures for Children
    aliases:
      - CSC
objectives:
  - number: 1
    title: Voice
    lead: Police
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police, CSC]
        progress: Green
"""
_BY = ("--by", "Ann", "--on", "2025-07-01")


def _plan(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(_AGENCY_PLAN.encode("utf-8"))
    return plan


def test_aliases_written_as_a_block_list_grow_by_whole_lines(jtai: Invoke,
                                                             tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    result = jtai("agency", "alias", "BFfC", "Social Care", "Early Help", "--plan", str(plan))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (f"jtai: updated {plan.as_posix()}: BFfC: alias Social Care, "
                             "Early Help added\n")
    assert plan.read_text(encoding="utf-8") == _AGENCY_PLAN.replace(
        "      - CSC\n", "      - CSC\n      - Social Care\n      - Early Help\n")


def test_a_merge_into_a_block_list_keeps_the_owners_it_repointed(jtai: Invoke,
                                                                tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    result = jtai("agency", "merge", "Police", "BFfC", *_BY, "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    assert plan.read_text(encoding="utf-8") == """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: TVP
  - code: BFfC
    name: Brighter Futures for Children
    aliases:
      - CSC
      - Police
updates:
  - date: 2025-07-01
    by: Ann
    changes:
      agency:
        from: Police
        to: BFfC
    note: 'agency Police (Police) merged into BFfC (Brighter Futures for Children): 1 \
action(s), 1 objective(s)'
objectives:
  - number: 1
    title: Voice
    lead: BFfC
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [BFfC, CSC]
        owners_as_written: Police, CSC
        progress: Green
"""


def test_a_block_list_losing_an_alias_is_rewritten_as_one_line(jtai: Invoke,
                                                               tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    plan.write_bytes(_AGENCY_PLAN.replace("      - CSC\n", "      - CSC\n      - Early Help\n")
                     .encode("utf-8"))
    result = jtai("agency", "split", "BFfC", "CSC", "--plan", str(plan))
    assert result.exit_code == 0, result.stderr
    text = plan.read_text(encoding="utf-8")
    assert "    name: Brighter Futures for Children\n    aliases: [Early Help]\n" \
        "  - code: CSC\n    name: CSC\n" in text


def test_a_merge_into_an_unknown_agency_names_the_into_argument(jtai: Invoke,
                                                                tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    result = jtai("agency", "merge", "TVP", "NHS", *_BY, "--plan", str(plan))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "jtai: INTO: unknown agency 'NHS'\n    hint: known agencies: TVP (TVP), "
        "Police (Police), BFfC (Brighter Futures for Children)\n")
    assert plan.read_text(encoding="utf-8") == _AGENCY_PLAN


@pytest.mark.parametrize(("by", "said"), [
    (" ", "jtai: --by must not be empty\n"),
    ("Ann\x07", "jtai: --by contains U+0007 (control character) at character 4\n    hint: "
     "retype the text, or delete it and paste it again as plain text\n"),
])
def test_a_merge_by_a_name_that_is_not_plan_text_is_refused_naming_by(
        jtai: Invoke, tmp_path: Path, by: str, said: str) -> None:
    plan = _plan(tmp_path)
    result = jtai("agency", "merge", "TVP", "Police", "--by", by, "--on", "2025-07-01",
                  "--plan", str(plan))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", said)
    assert plan.read_text(encoding="utf-8") == _AGENCY_PLAN


def test_a_file_gone_from_disk_reads_as_no_bytes(tmp_path: Path) -> None:
    assert _current_bytes(tmp_path / "gone.yaml") == b""
    assert _current_bytes(tmp_path) == b""


def test_the_merge_method_refuses_a_blank_by_before_changing_anything(tmp_path: Path) -> None:
    from jtaiplan.planfile.agency_edit import RegistryEdit
    from jtaiplan.planfile.loader import load_plan

    edit = RegistryEdit(load_plan(_plan(tmp_path)))
    with pytest.raises(CannotRun) as caught:
        edit.merge("TVP", "Police", "", date(2025, 7, 1))
    assert caught.value.message == "--by must not be empty"
    assert (edit.plan.splices, edit.shared) == ([], None)
