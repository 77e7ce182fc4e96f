"""The plan file's refusals and the `jtai agency split` edit pinned to their exact behaviour:
raw control characters and old Mac line endings, YAML tags, anchors and aliases, and values
of the wrong kind are each refused at file:line:col with their code, message and hint, the
file left byte for byte; a split moves exactly the actions whose owners as written name the
alias, and says how many."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REAL_PLAN, Invoke
from jtaiplan.errors import PlanInvalid
from jtaiplan.findings import Finding, Severity
from jtaiplan.planfile.textfile import SourceText, decode_source
from jtaiplan.planfile.yamlread import compose

ON = ("--by", "Ann", "--on", "2025-07-01")
HINT_DELETE = ("delete it (text pasted from Word, email or a terminal carries such "
               "characters): retype the text around it")
HINT_TAG = "remove the tag and write the value plainly: a plan needs no tags"
HINT_ANCHOR = ("write the value out in full where it is needed: anchors and aliases are "
               "refused because they can expand without limit")


def control(line: int, column: int, message: str) -> Finding:
    return Finding("JTAI001", Severity.ERROR, message, "plan.yaml", line=line, column=column,
                   hint=HINT_DELETE)


def refused_by_decoding(raw: bytes) -> list[Finding]:
    with pytest.raises(PlanInvalid) as refused:
        decode_source(Path("plan.yaml"), raw)
    return refused.value.findings


def refused_by_composing(text: str) -> list[Finding]:
    with pytest.raises(PlanInvalid) as refused:
        compose(SourceText(Path("plan.yaml"), text))
    return refused.value.findings


def refused_update(jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   raw: bytes) -> str:
    """stderr of `jtai update` on a plan.yaml holding ``raw``; the file must be unchanged."""
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(raw)
    result = jtai("update", "1.1", "--note", "seen", *ON, "--plan", "plan.yaml")
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    assert plan.read_bytes() == raw
    return result.stderr


# -- raw control characters ----------------------------------------------------------------

# Starts with an empty line; a character at the start of line 2; a lone carriage return,
# NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (YAML line breaks) beside a BEL and a DEL
# (not line breaks), on lines after several others.
CONTROLS = ('\n\x0bversion: 1\nobjectives:\n  - title: "a\x07b"\n'
            '    note: "c\x85d\u2028e\u2029"\n    other: x\ry\x7f\n')


def test_each_raw_control_character_is_refused_at_its_line_and_column() -> None:
    assert refused_by_decoding(CONTROLS.encode("utf-8")) == [
        control(2, 1, "U+000B (vertical tab) on line 2"),
        control(4, 14, "U+0007 (control character) on line 4"),
        control(5, 13, "U+0085 (next-line character (NEL)) on line 5: YAML reads it as a "
                       "line break"),
        control(5, 15, "U+2028 (line separator) on line 5: YAML reads it as a line break"),
        control(5, 17, "U+2029 (paragraph separator) on line 5: YAML reads it as a line "
                       "break"),
        control(6, 13, "U+000D (carriage return) on line 6: YAML reads it as a line break"),
        control(6, 15, "U+007F (delete character) on line 6"),
    ]


def test_a_lone_carriage_return_in_a_one_line_file_is_named_where_it_is() -> None:
    """One line with a final LF: not old Mac line endings, however the text is trimmed."""
    assert refused_by_decoding(b"a: b\rc\n") == [
        control(1, 5, "U+000D (carriage return) on line 1: YAML reads it as a line break")]


def test_a_control_character_in_a_file_without_any_line_break_is_named_where_it_is() -> None:
    assert refused_by_decoding(b"a: b\x07") == [
        control(1, 5, "U+0007 (control character) on line 1")]


def test_old_mac_line_endings_are_one_finding_at_the_first_line() -> None:
    assert refused_by_decoding(b"version: 1\rinspection: x\r") == [Finding(
        "JTAI001", Severity.ERROR, "the file's lines end in a carriage return alone (U+000D, "
        "old Mac line endings)", "plan.yaml", line=1, column=1,
        hint="save the file with LF or CRLF line endings")]


def test_at_most_twenty_control_characters_are_named() -> None:
    findings = refused_by_decoding(b"a: " + b"\x07" * 25 + b"\n")
    assert findings == [control(1, column, "U+0007 (control character) on line 1")
                        for column in range(4, 24)]


def test_a_control_character_is_refused_by_a_write_command_and_the_file_kept(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = refused_update(jtai, tmp_path, monkeypatch, b"version: 1\na: b\x1bc\n")
    assert stderr == (
        "plan.yaml:2:5: JTAI001 error: U+001B (escape character) on line 2\n"
        f"    hint: {HINT_DELETE}\n"
        "jtai: the plan has 1 problem; fix it and run `jtai validate`\n")


def test_old_mac_line_endings_are_refused_by_a_write_command_and_the_file_kept(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = refused_update(jtai, tmp_path, monkeypatch, b"version: 1\rinspection: x\r")
    assert stderr == (
        "plan.yaml:1:1: JTAI001 error: the file's lines end in a carriage return alone "
        "(U+000D, old Mac line endings)\n"
        "    hint: save the file with LF or CRLF line endings\n"
        "jtai: the plan has 1 problem; fix it and run `jtai validate`\n")


# -- YAML tags, anchors and aliases --------------------------------------------------------


def tag(line: int, column: int, written: str) -> Finding:
    return Finding("JTAI001", Severity.ERROR, f"explicit YAML tag '{written}' is not allowed "
                   "in a plan", "plan.yaml", line=line, column=column, hint=HINT_TAG)


def anchor(line: int, column: int, what: str) -> Finding:
    return Finding("JTAI001", Severity.ERROR, f"{what} is not allowed in a plan", "plan.yaml",
                   line=line, column=column, hint=HINT_ANCHOR)


def test_tags_anchors_and_aliases_are_each_refused_at_their_place() -> None:
    text = ("version: 1\n"
            "a: !!str x\n"
            "b: !local y\n"
            "c: !<tag:yaml.org,2002:str> z\n"
            "d:\n"
            "  - &both [TVP]\n"
            "  -   *both\n")
    assert refused_by_composing(text) == [
        tag(2, 4, "!!str"), tag(3, 4, "!local"), tag(4, 4, "tag:yaml.org,2002:str"),
        anchor(6, 5, "YAML anchor '&both'"), anchor(7, 7, "YAML alias '*both'")]


def test_at_most_fifty_tags_are_named() -> None:
    text = "".join(f"k{n}: !t{n} v\n" for n in range(60))
    assert refused_by_composing(text) == [tag(n + 1, len(f"k{n}: ") + 1, f"!t{n}")
                                          for n in range(50)]


def test_a_tag_before_a_syntax_error_is_named_and_then_the_error() -> None:
    assert refused_by_composing("a: !t x\nb:\n\tc: d\n") == [
        tag(1, 4, "!t"),
        Finding("JTAI001", Severity.ERROR, "YAML syntax error: found character that cannot "
                "start any token (while scanning for the next token)", "plan.yaml", line=3,
                column=1, hint="YAML does not allow tab characters for indentation: indent "
                "with spaces")]


def test_a_tag_before_a_character_yaml_cannot_read_is_named_and_then_the_character() -> None:
    """Text given to the reader directly (not decoded from a file, which refuses the
    character first): a reader error far into the text follows the tags found before it."""
    text = "a: !t x\n- b\nc: " + "y" * 20_000 + "\x07\n"
    assert refused_by_composing(text) == [
        tag(1, 4, "!t"),
        Finding("JTAI001", Severity.ERROR, "YAML error: unacceptable character #x0007: "
                "control characters are not allowed\n  in \"<unicode string>\", position "
                "20015", "plan.yaml")]


def test_a_tag_is_refused_by_a_write_command_and_the_file_kept(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = refused_update(jtai, tmp_path, monkeypatch,
                            b"version: 1\nobjectives:\n  - title: &t !!str x\n")
    assert stderr == (
        "plan.yaml:3:12: JTAI001 error: YAML anchor '&t' is not allowed in a plan\n"
        f"    hint: {HINT_ANCHOR}\n"
        "plan.yaml:3:15: JTAI001 error: explicit YAML tag '!!str' is not allowed in a plan\n"
        f"    hint: {HINT_TAG}\n"
        "jtai: the plan has 2 problems; fix them and run `jtai validate`\n")


# -- values of the wrong kind ----------------------------------------------------------------

KINDS = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: Thames Valley Police
objectives:
  - number: 1
    title: Voice
    lead: TVP
    actions:
      - ref: "1.1"
        action:
        owners: [TVP]
        progress: Green
      - ref: "1.2"
        action: true
        owners: TVP
        progress: Green
      - ref: "1.3"
        action: 12.5
        owners: 7
        progress: Green
      - ref: "1.4"
        action: [a, b]
        owners: {TVP: x}
        progress: Green
      - ref: "1.5"
        action: {a: b}
        owners: [TVP]
        progress: Green
"""


def test_a_value_of_the_wrong_kind_is_named_by_its_kind_with_a_hint_for_text(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.yaml").write_text(KINDS, encoding="utf-8")
    result = jtai("validate", "--plan", "plan.yaml")
    assert result.exit_code == 1, result.stderr
    lists = "    hint: write 'owners: [A, B]' or one '- item' per line"
    assert result.stdout.splitlines() == [
        "Errors (8):",
        "plan.yaml:12:16: JTAI002 'action' must be text, not empty",
        "    hint: write a value after the colon, or remove the key",
        "plan.yaml:16:17: JTAI002 'action' must be text, not true/false True",
        '    hint: quote it to keep it as text: "yes"',
        "plan.yaml:17:17: JTAI002 'owners' must be a list, not the value 'TVP'",
        lists,
        "plan.yaml:20:17: JTAI002 'action' must be text, not the number 12.5",
        '    hint: quote it to keep it as text: "12.5"',
        "plan.yaml:21:17: JTAI002 'owners' must be a list, not the number 7",
        lists,
        "plan.yaml:24:17: JTAI002 'action' must be text, not a list",
        "plan.yaml:25:17: JTAI002 'owners' must be a list, not a mapping",
        lists,
        "plan.yaml:28:17: JTAI002 'action' must be text, not a mapping",
        "",
        "8 errors, 0 warnings"]


# -- jtai agency split -----------------------------------------------------------------------

SPLIT = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: TVP
    name: Thames Valley Police
    aliases: [Police, Kent Police, 2nd Unit, Thames Valley Police Constabulary Force Unit]
  - code: CSC
    name: Children's Social Care
objectives:
  - number: 1
    title: Voice
    lead: TVP
    actions:
      - ref: "1.1"
        action: Not owned by TVP
        owners: [CSC]
        owners_as_written: Police
        progress: Green
      - ref: "1.2"
        action: A longer word
        owners: [TVP]
        owners_as_written: Policeman
        progress: Green
      - ref: "1.3"
        action: Nothing written
        owners: [TVP]
        progress: Green
      - ref: "1.4"
        action: The alias alone
        owners: [TVP, CSC]
        owners_as_written: police and CSC
        progress: Green
  - number: 2
    title: Help
    lead: CSC
    actions:
      - ref: "2.1"
        action: The alias and the code
        owners: [CSC, TVP]
        owners_as_written: CSC, TVP with Police
        progress: Amber
"""


def split_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str = SPLIT) -> Path:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def test_split_moves_the_actions_whose_owners_as_written_name_the_alias(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only where TVP owns the action and the alias is a whole word of what was written:
    in place of TVP where the text names only the alias, beside it where it names TVP too.
    The lead stays TVP."""
    plan = split_plan(tmp_path, monkeypatch)
    result = jtai("agency", "split", "TVP", "Police", "--plan", "plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "jtai: updated plan.yaml: Police split from TVP as agency Police: 2 action(s) whose "
        "owners as written name it; objective leads are left as they are\n")
    assert plan.read_text(encoding="utf-8") == SPLIT.replace(
        "    aliases: [Police, Kent Police,", "    aliases: [Kent Police,").replace(
        "    name: Children's Social Care\n",
        "    name: Children's Social Care\n  - code: Police\n    name: Police\n").replace(
        "        owners: [TVP, CSC]\n", "        owners: [Police, CSC]\n").replace(
        "        owners: [CSC, TVP]\n", "        owners: [CSC, TVP, Police]\n")


def test_split_makes_a_code_of_the_alias_letters_digits_and_dashes(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = split_plan(tmp_path, monkeypatch)
    result = jtai("agency", "split", "TVP", "Kent Police", "--plan", "plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "jtai: updated plan.yaml: Kent Police split from TVP as agency KentPolice: 0 "
        "action(s) whose owners as written name it; objective leads are left as they are\n")
    assert plan.read_text(encoding="utf-8") == SPLIT.replace(
        " Kent Police, 2nd Unit,", " 2nd Unit,").replace(
        "    name: Children's Social Care\n",
        "    name: Children's Social Care\n  - code: KentPolice\n    name: Kent Police\n")


def test_split_cuts_a_long_alias_to_a_code_of_32_characters(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = split_plan(tmp_path, monkeypatch)
    alias = "Thames Valley Police Constabulary Force Unit"
    result = jtai("agency", "split", "TVP", alias, "--plan", "plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"jtai: updated plan.yaml: {alias} split from TVP as agency "
        "ThamesValleyPoliceConstabularyFo: 0 action(s) whose owners as written name it; "
        "objective leads are left as they are\n")
    assert plan.read_text(encoding="utf-8") == SPLIT.replace(
        f", 2nd Unit, {alias}]", ", 2nd Unit]").replace(
        "    name: Children's Social Care\n",
        "    name: Children's Social Care\n  - code: ThamesValleyPoliceConstabularyFo\n"
        f"    name: {alias}\n")


def test_split_takes_the_code_given(jtai: Invoke, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    plan = split_plan(tmp_path, monkeypatch)
    result = jtai("agency", "split", "TVP", "2nd Unit", "--code", "U2", "--dry-run",
                  "--plan", "plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "jtai: dry run, nothing written: 2nd Unit split from TVP as agency U2: 0 action(s) "
        "whose owners as written name it; objective leads are left as they are\n")
    assert [line for line in result.stdout.splitlines() if line[:1] in "+-"] == [
        "--- a/plan.yaml", "+++ b/plan.yaml",
        "-    aliases: [Police, Kent Police, 2nd Unit, Thames Valley Police Constabulary "
        "Force Unit]",
        "+    aliases: [Police, Kent Police, Thames Valley Police Constabulary Force Unit]",
        "+  - code: U2", "+    name: 2nd Unit"]
    assert plan.read_text(encoding="utf-8") == SPLIT


@pytest.mark.parametrize(("args", "said"), [
    (("TVP", "Constabulary"),
     "jtai: 'Constabulary' is not an alias of TVP\n"
     "    hint: its aliases: Police, Kent Police, 2nd Unit, Thames Valley Police "
     "Constabulary Force Unit\n"),
    (("CSC", "Social"), "jtai: 'Social' is not an alias of CSC\n    hint: its aliases: none\n"),
    (("NHS", "Police"), "jtai: CODE: unknown agency 'NHS'\n"
     "    hint: known agencies: TVP (Thames Valley Police), CSC (Children's Social Care)\n"),
    (("TVP", "2nd Unit"), "jtai: '2nd Unit' cannot be a code\n    hint: give one with --code\n"),
    (("TVP", "Police", "--code", "CSC"),
     "jtai: --code: 'CSC' already names CSC (Children's Social Care)\n"
     "    hint: `jtai agency list` shows every code, name and alias\n"),
])
def test_a_split_that_cannot_be_made_says_why_and_leaves_the_file(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
        said: str) -> None:
    plan = split_plan(tmp_path, monkeypatch)
    result = jtai("agency", "split", *args, "--plan", "plan.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", said)
    assert plan.read_text(encoding="utf-8") == SPLIT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


@pytest.mark.parametrize(("written", "owners"), [
    ("Thames Valley Police", "[TVP]"),  # the agency's own name holds the alias
    ("Thames Valley Police and Police", "[TVP, Police]"),  # named apart as well
    ("Police", "[Police]"),
])
def test_split_moves_only_actions_naming_the_alias_apart_from_the_agencys_own_name(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str,
        owners: str) -> None:
    plan = split_plan(tmp_path, monkeypatch, SPLIT.replace(
        "owners_as_written: Policeman", f"owners_as_written: {written}"))
    result = jtai("agency", "split", "TVP", "Police", "--plan", "plan.yaml")
    assert result.exit_code == 0, result.stderr
    assert f"        owners: {owners}\n        owners_as_written: {written}\n" in \
        plan.read_text(encoding="utf-8")


def test_a_list_where_a_mapping_belongs_is_named_without_a_value_shown(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = REAL_PLAN.read_text(encoding="utf-8").replace("\ninspection:\n",
                                                        "\ninspection: [a, b]\nxinspection:\n", 1)
    Path("plan.yaml").write_text(text, encoding="utf-8")
    result = jtai("validate", "--plan", "plan.yaml")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "Errors (2):",
        "plan.yaml:9:13: JTAI002 'inspection' must be a mapping of keys, not a list",
        "    hint: indent the keys that belong to it under it"]
