"""Properties over generated plans (tests/helpers_plans.py) and generated changes.

- An update changes only the progress or impact line of its action and appends history
  lines at the end of that action; the result is still canonical and means what was asked.
- A no-op `jtai fmt` of a canonical plan is byte-identical.
- A refused update (an invalid RAG) leaves the file's bytes unchanged.
- jtai's fast reader and ruamel.yaml's round-trip reader read the same data.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarbool import ScalarBoolean

from conftest import Invoke
from helpers_plans import DOUBLE, SINGLE, TRICKY_TEXTS, make_plan, scalar
from jtaiplan.plan.model import RAG, Action
from jtaiplan.planfile.canonical import canonical_text
from jtaiplan.planfile.edit import UpdateRequest, update_action
from jtaiplan.planfile.loader import LoadedPlan, parse_plan
from jtaiplan.planfile.textfile import SourceText

PROPERTIES = settings(deadline=None, max_examples=40,
                      suppress_health_check=[HealthCheck.too_slow,
                                             HealthCheck.function_scoped_fixture])
ON = date(2025, 7, 2)
NAME = Path("plan.yaml")

plan_sizes = st.integers(min_value=1, max_value=14)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1, max_size=60,
).filter(lambda s: s.isprintable() and bool(s.strip()))
notes = st.one_of(st.sampled_from(TRICKY_TEXTS), printable_text)


def parse(text: str) -> LoadedPlan:
    return parse_plan(SourceText(NAME, text))


def find(loaded: LoadedPlan, ref: str) -> Action:
    return next(a for a in loaded.plan.actions() if a.ref == ref)


def plain(value: Any) -> Any:
    """ruamel's or jtai's data as plain Python, dates as ISO text (jtai's reader keeps
    them as text; the model parses them)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool | ScalarBoolean):
        return bool(value)
    if isinstance(value, datetime):
        raise AssertionError(f"a timestamp in a generated plan: {value!r}")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    assert value is None, repr(value)
    return None


def ruamel_data(text: str) -> Any:
    return plain(YAML(typ="rt").load(text))


def action_block(lines: list[str], ref: str) -> tuple[int, int]:
    """First and past-the-end line of action ``ref`` in the generated layout (found from
    the text alone: the action's lines are indented 8 or more under its '- ref:' line)."""
    start = lines.index(f'      - ref: "{ref}"')
    end = start + 1
    while end < len(lines) and lines[end].startswith("        "):
        end += 1
    return start, end


# -- updates change only the intended lines -------------------------------------------------


@PROPERTIES
@given(size=plan_sizes, seed=seeds, history=st.booleans(), data=st.data())
def test_update_changes_only_the_intended_lines(size: int, seed: int, history: bool,
                                                data: st.DataObject) -> None:
    text = make_plan(size, seed=seed, with_history=history)
    loaded = parse(text)
    ref = data.draw(st.sampled_from([a.ref for a in loaded.plan.actions()]), label="ref")
    field = data.draw(st.sampled_from(["progress", "impact"]), label="field")
    rag = data.draw(st.sampled_from(list(RAG)), label="rag")
    note = data.draw(st.none() | notes, label="note")
    old_value = getattr(find(loaded, ref), field)

    request = UpdateRequest(by="Tester", on=ON, note=note,
                            progress=rag if field == "progress" else None,
                            impact=rag if field == "impact" else None)
    result = update_action(loaded, ref, request)
    changed = old_value != rag
    if not changed and note is None:
        assert not result.changed
        assert result.text == text
        return

    old, new = text.splitlines(), result.text.splitlines()
    start, end = action_block(old, ref)
    at = next(i for i in range(start, end) if old[i].startswith(f"        {field}:"))
    added = len(new) - len(old)
    expected = [*old[:at],
                f"        {field}: {rag}" if changed else old[at],
                *old[at + 1:end], *new[end:end + added], *old[end:]]
    assert new == expected  # nothing else changed, nothing moved

    inserted = new[end:end + added]
    head = [] if "        updates:" in old[start:end] else ["        updates:"]
    head += ["          - date: 2025-07-02", "            by: Tester"]
    if changed:
        head += ["            changes:", f"              {field}:",
                 f"                from: {old_value}" if old_value else "                from:",
                 f"                to: {rag}"]
    assert inserted[:len(head)] == head
    if note is None:
        assert inserted[len(head):] == []
    else:
        assert len(inserted) == len(head) + 1
        assert inserted[-1].startswith("            note: ")

    after = parse(result.text)  # valid, and says what was asked
    action = find(after, ref)
    assert getattr(action, field) is rag
    assert action.updates[-1].note == note
    assert action.updates[-1].date == ON
    assert len(action.updates) == len(find(loaded, ref).updates) + 1
    # Still canonical: `jtai fmt --check` in CI stays green after `jtai update`.
    assert canonical_text(SourceText(NAME, result.text)) == result.text
    # And both readers agree on the new text, the note included.
    assert plain(after.data) == ruamel_data(result.text)


@PROPERTIES
@given(size=plan_sizes, seed=seeds, data=st.data())
def test_successive_updates_keep_every_note(size: int, seed: int, data: st.DataObject) -> None:
    text = make_plan(size, seed=seed, with_history=False)
    refs = [a.ref for a in parse(text).plan.actions()]
    written: list[tuple[str, str]] = []
    for _ in range(data.draw(st.integers(1, 4), label="count")):
        ref = data.draw(st.sampled_from(refs))
        note = data.draw(notes)
        text = update_action(parse(text), ref, UpdateRequest(by="T", on=ON, note=note)).text
        written.append((ref, note))
    loaded = parse(text)
    for ref in refs:
        assert [u.note for u in find(loaded, ref).updates] == [n for r, n in written if r == ref]
    assert canonical_text(SourceText(NAME, text)) == text


# Pasted minutes: two spaces after a full stop, past ruamel's old folding point (~4,000).
long_texts = st.builds(lambda head, words, tail: head + "".join(words) + tail, printable_text,
                       st.lists(st.sampled_from([" word", "  word", ".  Next", " yes", ": on"]),
                                min_size=780, max_size=860), printable_text)


@settings(PROPERTIES, max_examples=15)
@given(size=plan_sizes, seed=seeds, text=long_texts, data=st.data())
def test_long_text_is_written_as_fmt_would(size: int, seed: int, text: str,
                                           data: st.DataObject) -> None:
    """Text of any length is written on one line, never folded (a fold at a double space
    loses one), exactly as a whole-file dump writes it: replacing a value, adding one, and
    in the history."""
    plan = make_plan(size, seed=seed)
    loaded = parse(plan)
    ref = data.draw(st.sampled_from([a.ref for a in loaded.plan.actions()]))
    for evidence in (text, text[::-1]):  # the second replaces the first
        plan = update_action(parse(plan), ref, UpdateRequest(
            by="T", on=ON, note=evidence, evidence=evidence, impact_evidence=evidence)).text
        action = find(parse(plan), ref)
        assert action.evidence == action.impact_evidence == evidence
        assert action.updates[-1].note == evidence
        assert canonical_text(SourceText(NAME, plan)) == plan


# -- fmt ------------------------------------------------------------------------------------


@PROPERTIES
@given(size=st.integers(min_value=0, max_value=25), seed=seeds, history=st.booleans())
def test_fmt_of_generated_plan_is_a_no_op(size: int, seed: int, history: bool) -> None:
    text = make_plan(size, seed=seed, with_history=history)
    assert canonical_text(SourceText(NAME, text)) == text


# -- refusals -------------------------------------------------------------------------------


def not_a_rating(value: str) -> bool:
    try:
        RAG.parse(value)
    except ValueError:
        return True
    return False


invalid_rags = st.one_of(
    st.sampled_from(["Purple", "", " ", "Ambre", "G", "Blue-ish", "Red!", "Amber Green",
                     "0", "null", "yes", "RAG"]),
    st.text(max_size=12),
).filter(lambda s: "\x00" not in s and not_a_rating(s))


@PROPERTIES
@given(size=plan_sizes, seed=seeds, bad=invalid_rags, field=st.sampled_from(
    ["--progress", "--impact"]), data=st.data())
def test_refused_update_leaves_bytes_unchanged(jtai: Invoke, size: int, seed: int, bad: str,
                                               field: str, data: st.DataObject) -> None:
    text = make_plan(size, seed=seed)
    ref = data.draw(st.sampled_from([a.ref for a in parse(text).plan.actions()]))
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.yaml"
        plan.write_text(text, encoding="utf-8")
        before = plan.read_bytes()
        result = jtai("update", ref, f"{field}={bad}", "--note", "n", "--by", "X",
                      "--plan", str(plan))
        assert result.exit_code == 2, result.stderr
        assert "is not a RAG rating" in result.stderr
        assert plan.read_bytes() == before
        assert sorted(p.name for p in Path(folder).iterdir()) == ["plan.yaml"]


# -- the two readers agree ------------------------------------------------------------------


@PROPERTIES
@given(size=st.integers(min_value=0, max_value=25), seed=seeds, history=st.booleans())
def test_fast_reader_agrees_with_ruamel(size: int, seed: int, history: bool) -> None:
    text = make_plan(size, seed=seed, with_history=history)
    loaded = parse(text)
    assert plain(loaded.data) == ruamel_data(text)


@pytest.mark.parametrize("quote", [SINGLE, DOUBLE])
@pytest.mark.parametrize("value", TRICKY_TEXTS)
def test_tricky_scalars_read_the_same_by_both_readers(value: str, quote: str) -> None:
    text = make_plan(3, seed=1)
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("area_for_priority_action:"))
    lines[at] = f"area_for_priority_action: {scalar(value, quote)}\n"
    text = "".join(lines)
    loaded = parse(text)
    assert loaded.data["area_for_priority_action"] == value
    assert ruamel_data(text)["area_for_priority_action"] == value
    assert plain(loaded.data) == ruamel_data(text)
    assert canonical_text(SourceText(NAME, text)) == text


def test_generated_plans_hold_the_tricky_scalars() -> None:
    """The generator really does write the hard cases, quoted where any YAML reader (1.1
    or 1.2) would take them for something else, as jtai writes them."""
    text = make_plan(400, seed=3)
    data = parse(text).data
    strings = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            strings.add(value)

    walk(data)
    assert set(TRICKY_TEXTS) <= strings
    for word in ("yes", "no", "on"):
        assert any(f"{key}: {quote}{word}{quote}\n" in text
                   for key in ("note", "evidence") for quote in "'\"")
        assert f"note: {word}\n" not in text and f"evidence: {word}\n" not in text
    for quoted in ("'010'", "'2.10'", "'null'", "'#hash'", "': colon'"):
        assert quoted in text
    assert "\n\n  - number: 2\n" in text
    assert "  # " in text
