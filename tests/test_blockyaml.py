"""``planfile/blockyaml.py`` writes a plan's data as ruamel.yaml (``planfile/yamlemit.py``)
would, character for character, or declines: compared on random text in every context a
scalar can stand in, and on whole imported plans."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from conftest import REAL_PLAN, Invoke
from helpers_plans import make_plan_with_counts
from jtaiplan.office.intake import importer
from jtaiplan.planfile import blockyaml
from jtaiplan.planfile.yamlemit import dump as ruamel_dump

# Every character class the emitter's rules tell apart, and words the resolver reads as
# another type.
PIECES = [*"aZ09 :#-?,[]{}&*!|>'\"%@`.~+=<\\/\t\n\r\x00\x07\x1b\x7f\x85\xa0\u2028\u2029",
          "\ufeff", "\ud7ff", "\ue000", "é", "–", "😀", "true", "False", "null", "NULL",
          "yes", "1.10", "2025-01-01", "0x1F", "0o17", "1_000", ".5", "1e3", "-.inf", ".nan",
          "---", "...", ": ", " #", "- ", "~", "<<", "\n ", " \n"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)


def ruamel_writes(value: Any, *, in_flow: bool = False, key: bool = False) -> str:
    document = CommentedMap()
    if key:
        document[value] = 1
        return ruamel_dump(document).removesuffix(": 1\n")
    if in_flow:
        items = CommentedSeq([value])
        items.fa.set_flow_style()
        document["k"] = items
        return ruamel_dump(document).removeprefix("k: [").removesuffix("]\n")
    document["k"] = value
    return ruamel_dump(document).removeprefix("k: ").removesuffix("\n")


@settings(max_examples=3000, deadline=None)
@given(texts, st.sampled_from(["block", "flow", "key"]))
def test_text_is_written_as_ruamel_writes_it(text: str, context: str) -> None:
    try:
        mine = blockyaml.scalar(text, in_flow=context == "flow", key=context == "key")
    except blockyaml.Unwritable:
        return
    assert mine == ruamel_writes(text, in_flow=context == "flow", key=context == "key")


@settings(max_examples=500, deadline=None)
@given(texts)
def test_double_quoted_text_is_ruamels(text: str) -> None:
    assert blockyaml.double_quoted(text) == ruamel_writes(DoubleQuotedScalarString(text))


@pytest.mark.parametrize("value", [True, False, 0, 7, -12, 10**20, date(2025, 6, 30)])
def test_other_scalars_are_ruamels(value: object) -> None:
    assert blockyaml.scalar(value) == ruamel_writes(value)


@pytest.mark.parametrize("value", ["", 2.5, date.today, DoubleQuotedScalarString("x"),
                                   "line\u2028break", "next\x85line"])
def test_what_ruamel_alone_writes_is_declined(value: object) -> None:
    with pytest.raises(blockyaml.Unwritable):
        blockyaml.scalar(value)


def test_layout_of_nested_data_is_ruamels() -> None:
    """Against the document the importer hands ruamel when it writes through it."""
    data = {"version": 1, "title": "A plan: with a colon", "empty": None, "none": [],
            "nothing": {}, "owners": ["LA", "A, B"], "aliases": [],
            "items": ["one", "two: 2", "'quoted'"],
            "objectives": [{"number": 1, "actions": [
                {"ref": "1.10", "done": True, "due": date(2025, 6, 30), "impact": None,
                 "owners": ["X"]}]}]}
    no_comments: Any = SimpleNamespace(comments={})
    expected = ruamel_dump(importer._commented(data, no_comments))
    assert blockyaml.dump(data, flow=importer._FLOW, quoted=importer._QUOTED) == expected


def test_a_long_line_is_written_whole_as_ruamel_writes_it() -> None:
    # ruamel folded at a double space past ~4,000 characters, losing a space: never now.
    for text in ("word " * 1000, "Minutes taken.  " * 400 + "End", "a" * 30_000):
        data = {"k": text, "l": [text]}
        assert blockyaml.dump(data) == ruamel_dump(CommentedMap(data))
        assert len(blockyaml.dump(data).splitlines()) == 3


def test_a_key_too_long_to_be_simple_is_declined() -> None:
    assert blockyaml.dump({"k" * 123: 1}) is None
    assert ruamel_dump(CommentedMap({"k" * 123: 1})).startswith("? ")
    for key in ("k" * 122, "1" * 122, "é" * 122):
        assert blockyaml.dump({key: 1}) == ruamel_dump(CommentedMap({key: 1}))


@pytest.mark.parametrize("plan", ["real", "counts", "long"])
def test_an_import_writes_the_same_text_as_through_ruamel(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    source = REAL_PLAN
    if plan != "real":
        source = tmp_path / f"{plan}.yaml"
        text = make_plan_with_counts([12, 3, 11], seed=7)
        if plan == "long":  # one action far longer than ruamel's old folding width
            text = text.replace("action: ", "action: " + "a long action " * 400, 1)
        source.write_text(text, encoding="utf-8")
    book = tmp_path / "plan.xlsx"
    assert jtai("export", "--plan", str(source), "--as-of", "2025-07-01", "-o",
                str(book)).exit_code == 0
    fast = importer.import_plan(book, tmp_path / "a.yaml")
    monkeypatch.setattr(blockyaml, "dump", lambda *_a, **_k: None)
    slow = importer.import_plan(book, tmp_path / "a.yaml")
    assert fast.text == slow.text
    assert fast.invalid == slow.invalid == []
