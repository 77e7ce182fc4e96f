"""Nothing lost, nothing run (issue 21): the text policy and the writers, as properties.

- Text from the whole allowed alphabet (long lines with double spaces, words YAML 1.1 reads
  as booleans or numbers, leading indicators, apostrophes and ``=``, HTML-looking text,
  line breaks, astral and right-to-left characters), written by every writer (blockyaml,
  ruamel, ``jtai fmt``, an update's note and evidence) reads back exactly with every reader:
  PyYAML's ``safe_load`` (YAML 1.1), ruamel.yaml (1.2) and jtai's own.
- Every character the policy refuses is refused on the option path (naming the option and
  ``U+XXXX``, the file byte-identical) and on the file path (located at the value, naming
  ``U+XXXX``), written raw or as a YAML escape.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import Invoke
from helpers_plans import make_plan
from jtaiplan.errors import PlanInvalid
from jtaiplan.plan.textpolicy import REFUSED, check, describe, first_refused
from jtaiplan.planfile import blockyaml, yamlemit
from jtaiplan.planfile.canonical import canonical_text
from jtaiplan.planfile.edit import UpdateRequest, update_action
from jtaiplan.planfile.loader import parse_plan
from jtaiplan.planfile.textfile import SourceText, decode_source
from jtaiplan.planfile.yamlread import compose, to_python

SETTINGS = settings(deadline=None, max_examples=30,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
NAME = Path("plan.yaml")
ON = date(2025, 7, 2)

SPECIAL = (
    "yes", "No", "ON", "off", "y", "N", "True", "FALSE", "null", "Null", "~", "=", "<<",
    "1:30", "12:30:45", "-1:30", "0x1F", "0o17", "0b101", "017", "1_000", "+12", ".5", "1.",
    "1e3", "1E+3", ".inf", "-.Inf", ".NaN", "2025-06-30", "2025-6-3 1:02:03",
    "2025-06-30T12:00:00Z", "?TBC", "? TBC", ": Strategic", ":x", "- item", "-", "#tag",
    "a #b", "a: b", "a:", "%done", "@partner", "`code`", "'quoted", '"quoted', "!tag", "&a",
    "*a", "|", ">", "{x}", "[x]", ",x", " leading", "trailing ", "'=SUM(A1)", "=SUM(A1)",
    "+44 118", "<b>bold</b> & <i>x</i>", "&amp;", "a<b and c>d", "Tab\there",
    "line one\nline two", "\nstarts with a break", "ends with a break\n", "שלום עולם",
    "مرحبا 123", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀", "\u200fRTL mark", "\ufeffBOM inside", "---", "...",
)
allowed_char = st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: REFUSED.match(c) is None)
generated = st.text(alphabet=allowed_char, min_size=1, max_size=40)
pasted_minutes = st.lists(st.sampled_from(["Minutes.", "  Agreed", " yes", ": on", " a"]),
                          min_size=900, max_size=1000).map("".join)
short_texts = st.one_of(
    st.sampled_from(SPECIAL), generated,
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIAL), generated),
    st.builds(lambda a, b: a + b, generated, st.sampled_from(SPECIAL)),
).filter(lambda t: check(t) is None)
texts = st.one_of(short_texts, pasted_minutes)


def readers(text: str) -> list[Any]:
    """What PyYAML (YAML 1.1), ruamel.yaml (1.2) and jtai's reader make of ``text``."""
    return [pyyaml.safe_load(text), _plain(YAML(typ="rt").load(text)),
            to_python(compose(SourceText(NAME, text)), "plan.yaml")]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _ruamel_flow(data: dict[str, Any]) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    document = CommentedMap(data)
    for key, value in data.items():
        if isinstance(value, list):
            document[key] = CommentedSeq(value)
            document[key].fa.set_flow_style()
    return yamlemit.dump(document)


@SETTINGS
@given(text=texts, other=texts)
def test_every_writer_gives_the_text_back_to_every_reader(text: str, other: str) -> None:
    data = {"note": text, "evidence": other, "words": [text, other]}
    written = {"ruamel": yamlemit.dump(data), "ruamel flow": _ruamel_flow(data)}
    for name, flow in (("blockyaml", ()), ("blockyaml flow", ("words",))):
        fast = blockyaml.dump(data, flow=flow)
        if fast is not None:
            written[name] = fast
    if "blockyaml" in written:
        assert written["blockyaml"] == written["ruamel"]
    for name, document in written.items():
        for reader, read in zip(("PyYAML", "ruamel", "jtai"), readers(document), strict=True):
            assert read == data, (name, reader, document)
        assert canonical_text(SourceText(NAME, document)) == document, name


@settings(SETTINGS, max_examples=10)
@given(text=texts, seed=st.integers(min_value=0, max_value=2**16))
def test_an_update_writes_the_text_every_reader_reads_back(text: str, seed: int) -> None:
    plan = make_plan(3, seed=seed)
    ref = parse_plan(SourceText(NAME, plan)).plan.objectives[0].actions[0].ref
    note = text if text.strip() else f"x{text}"
    after = update_action(parse_plan(SourceText(NAME, plan)), ref, UpdateRequest(
        by="T", on=ON, note=note, evidence=note)).text
    action = next(a for a in parse_plan(SourceText(NAME, after)).plan.actions() if a.ref == ref)
    assert (action.evidence, action.updates[-1].note) == (note, note)
    for data in readers(after):
        read = data["objectives"][0]["actions"][0]
        assert (read["evidence"], read["updates"][-1]["note"]) == (note, note)
    assert canonical_text(SourceText(NAME, after)) == after


@settings(SETTINGS, max_examples=10)
@given(texts=st.lists(short_texts, min_size=9, max_size=9))
def test_a_plan_with_text_in_every_field_reads_back_exactly(texts: list[str]) -> None:
    area, name, alias, title, good, action, evidence, note, word = texts
    data: dict[str, Any] = {
        "version": 1,
        "inspection": {"type": "JTAI", "area": area, "name": name,
                       "start": "2025-02-24", "end": "2025-03-10"},
        "rag_key": {"Green": note},
        "complete_by_words": [word],
        "agencies": [{"code": "TVP", "name": name, "aliases": [alias], "note": note}],
        "objectives": [{"number": 1, "title": title, "characteristics_of_good": good,
                        "actions": [{"ref": "1.1", "action": action, "owners": ["TVP"],
                                     "owners_as_written": alias, "complete_by": word,
                                     "evidence": evidence, "progress": "Green",
                                     "updates": [{"date": "2025-07-01", "by": name,
                                                  "note": note}]}]}],
    }
    fast = blockyaml.dump(data, flow=("aliases", "owners", "complete_by_words"))
    for document in filter(None, (fast, yamlemit.dump(data))):
        for read in readers(document):
            assert read == data
        try:
            plan = parse_plan(SourceText(NAME, document)).plan
        except PlanInvalid as exc:  # integrity rules, e.g. an alias that is the code
            assert all(f.code.startswith("JTAI2") and f.code != "JTAI206"
                       for f in exc.findings), exc.findings
            continue
        got = plan.objectives[0].actions[0]
        assert (plan.inspection.area, plan.agencies[0].aliases, plan.objectives[0].title,
                got.action, got.evidence, got.updates[0].note, got.complete_by) == (
            area, [alias], title, action, evidence, note, word)


# -- refusals --------------------------------------------------------------------------------

refused_chars = st.one_of(
    st.integers(0, 0x1F).filter(lambda c: c not in (9, 10)), st.integers(0x7F, 0x9F),
    st.sampled_from([0x2028, 0x2029]), st.integers(0xD800, 0xDFFF),
    st.integers(0xFDD0, 0xFDEF), st.builds(lambda plane, last: plane * 0x10000 + 0xFFFE + last,
                                           st.integers(0, 16), st.integers(0, 1)),
).map(chr)


@settings(SETTINGS, max_examples=15)
@given(char=refused_chars, before=st.text("ab c", max_size=5),
       option=st.sampled_from(["--note", "--evidence", "--reason", "--by"]))
def test_a_refused_character_is_refused_on_the_option_path(
        jtai: Invoke, tmp_path: Path, char: str, before: str, option: str) -> None:
    assert REFUSED.fullmatch(char)
    plan = tmp_path / "plan.yaml"
    plan.write_text(make_plan(2, seed=1), encoding="utf-8")
    ref = parse_plan(SourceText(NAME, plan.read_text(encoding="utf-8"))).plan.objectives[
        0].actions[0].ref
    original = plan.read_bytes()
    text = "x" + before + char
    given = {"--note": "ok", "--by": "T", option: text}
    result = jtai("update", ref, *(part for pair in given.items() for part in pair),
                  "--on", "2025-07-02", "--plan", str(plan))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(
        f"jtai: {option} contains {describe(char)} at character {len(before) + 2}\n")
    assert plan.read_bytes() == original


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02X}" if code <= 0xFF else (
        f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")


@settings(SETTINGS, max_examples=25)
@given(char=refused_chars, raw=st.booleans())
@example(char="\x00", raw=True)
def test_a_refused_character_is_refused_on_the_file_path(char: str, raw: bool) -> None:
    text = make_plan(2, seed=3)
    lines = text.splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if line.startswith("        action: "))
    written = char if raw else _escape(char)
    lines[number] = f'        action: "Audit{written} now"\n'
    source = "".join(lines)
    if raw and 0xD800 <= ord(char) <= 0xDFFF:
        return  # no UTF-8 file can hold a lone surrogate: the decoder refuses the file
    with pytest.raises(PlanInvalid) as refused:
        parse_plan(decode_source(NAME, source.encode("utf-8", "surrogatepass")))
    finding = refused.value.findings[0]
    if raw and char == "\x00":
        # A NUL byte makes the file binary: refused whole, at the first line holding one.
        assert (finding.code, finding.line, finding.column) == ("JTAI001", number + 1, 1)
        assert finding.message == "the file contains NUL bytes: it is binary, not a YAML plan"
    elif raw:
        assert (finding.code, finding.line) == ("JTAI001", number + 1)
        assert finding.column == len('        action: "Audit') + 1
        assert describe(char) in finding.message
    elif 0xD800 <= ord(char) <= 0xDFFF:
        # libyaml refuses a surrogate escape itself: still a located refusal
        assert (finding.code, finding.line) == ("JTAI001", number + 1)
    else:
        assert (finding.code, finding.line, finding.column) == (
            "JTAI206", number + 1, len("        action: ") + 1)
        assert finding.message == f"objectives[0].actions[0].action contains " \
            f"{describe(char)} at character 6"


def test_the_reproductions_of_the_issue() -> None:
    """yes/no/1:30 read by YAML 1.1; ?TBC and ': Strategic'; a long note with double
    spaces; each written by both writers and read back by every reader."""
    minutes = ("Minutes of the meeting.  Agreed actions follow.  " * 100).strip()
    for value in ("yes", "no", "on", "off", "1:30", "12:30:45", "?TBC", ": Strategic",
                  minutes):
        data = {"complete_by_words": [value], "plan_types": [value], "note": value}
        for document in (yamlemit.dump(data), _ruamel_flow(data),
                         blockyaml.dump(data, flow=("complete_by_words", "plan_types"))):
            assert document is not None
            assert all(read == data for read in readers(document)), document
            # never folded: the whole value on the key's line
            assert re.search(rf"^note: '?{re.escape(value)}'?$", document, re.MULTILINE)


def test_pyyaml_reads_what_blockyaml_writes_of_a_whole_generated_plan() -> None:
    text = make_plan(40, seed=11)
    data = to_python(compose(SourceText(NAME, text)), "plan.yaml")
    fast = blockyaml.dump(data)
    assert fast is not None
    stream = io.StringIO(fast)
    assert _dates_as_text(pyyaml.safe_load(stream)) == data


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize(("evidence", "named"), [
    ("Signed off\ufffe", "U+FFFE (noncharacter) at character 11"),
    ("Pasted from Word\x0bcell", "U+000B (vertical tab) at character 17"),
    ("Line\u2028separator", "U+2028 (line separator) at character 5"),
    ("Next\x85line", "U+0085 (next-line character (NEL)) at character 5"),
])
def test_complete_refuses_what_an_export_could_not_carry(jtai: Invoke, plan_copy: Path,
                                                         evidence: str, named: str) -> None:
    """The issue's reproduction: such evidence was accepted, then broke every export."""
    before = plan_copy.read_bytes()
    result = jtai("complete", "1.1", "--evidence", evidence, "--by", "T", "--on",
                  "2025-07-02", "--plan", str(plan_copy))
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        2, f"jtai: --evidence contains {named}")
    assert plan_copy.read_bytes() == before


def test_trim_keeps_refused_characters_for_the_policy_to_name() -> None:
    from jtaiplan.plan.textpolicy import trim

    assert trim("  \tNote\u00a0 \n") == "Note"
    for text in ("Note\x85", "\u2028Note", " Note\x0b ", "\x1cNote"):
        kept = trim(text)
        refusal = check(kept)
        assert refusal is not None and refusal.char is not None and refusal.char in text


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.characters(min_codepoint=0xFFFE)
               | st.sampled_from("\U0001fffe\U0010ffff\ud800\x0b\u2028"), max_size=40))
def test_the_fast_search_finds_what_the_whole_class_finds(text: str) -> None:
    """first_refused (two fast scans) and REFUSED.search (one slow class) agree."""
    fast, whole = first_refused(text), REFUSED.search(text)
    assert (fast and (fast.start(), fast.group())) == (whole and (whole.start(), whole.group()))
