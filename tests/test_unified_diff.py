"""planfile/writer.py's unified diff, against difflib's own on text where the two must agree.

The writer computes its own diff only for speed on long, repetitive plans; on short text
(no junk heuristics in play) its output must be exactly difflib's, hunk ranges included.
"""

from __future__ import annotations

import difflib
import random

import pytest

from jtaiplan.planfile.writer import unified_diff


def reference(old: str, new: str, name: str, context: int = 3) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}", n=context))


LINES = [f"line {n}\n" for n in range(1, 21)]
TEXT = "".join(LINES)


@pytest.mark.parametrize(("old", "new"), [
    (TEXT, TEXT.replace("line 10\n", "line ten\n")),
    (TEXT, TEXT.replace("line 1\n", "line one\n", 1)),
    (TEXT, TEXT.replace("line 20\n", "line twenty\n")),
    (TEXT, TEXT.replace("line 5\n", "")),
    (TEXT, TEXT.replace("line 5\n", "line 5\nline 5a\nline 5b\n")),
    (TEXT, TEXT.replace("line 2\n", "two\n").replace("line 18\n", "eighteen\n")),
    (TEXT, TEXT.replace("line 4\n", "four\n").replace("line 10\n", "ten\n")),
    (TEXT, TEXT.replace("line 4\n", "four\n").replace("line 11\n", "eleven\n")),
    (TEXT, "new first\n" + TEXT),
    (TEXT, TEXT + "new last\n"),
    ("", "only\n"),
    ("only\n", ""),
    ("a\nb\n", "a\nc\n"),
])
@pytest.mark.parametrize("context", [3, 0, 1])
def test_same_as_difflib(old: str, new: str, context: int) -> None:
    assert unified_diff(old, new, "plan.yaml", context) == reference(old, new, "plan.yaml",
                                                                     context)


def test_random_edits_agree_with_difflib() -> None:
    rng = random.Random(17)
    for _ in range(200):
        lines = list(LINES[: rng.randint(1, 20)])
        edited = list(lines)
        for _ in range(rng.randint(1, 4)):
            where = rng.randrange(len(edited) + 1)
            action = rng.choice(("insert", "delete", "replace"))
            if action == "insert" or not edited:
                edited.insert(where, f"new {rng.randint(0, 99)}\n")
            elif action == "delete":
                del edited[min(where, len(edited) - 1)]
            else:
                edited[min(where, len(edited) - 1)] = f"changed {rng.randint(0, 99)}\n"
        old, new = "".join(lines), "".join(edited)
        assert unified_diff(old, new, "p.yaml") == reference(old, new, "p.yaml"), (old, new)


def test_no_change_is_no_diff() -> None:
    assert unified_diff(TEXT, TEXT, "plan.yaml") == ""
    assert unified_diff("", "", "plan.yaml") == ""


def test_header_names_the_file_once_without_a_leading_slash() -> None:
    diff = unified_diff("a\n", "b\n", "/abs/plan.yaml")
    assert diff == "--- a/abs/plan.yaml\n+++ b/abs/plan.yaml\n@@ -1 +1 @@\n-a\n+b\n"


def test_a_missing_final_newline_is_marked_as_git_does() -> None:
    assert unified_diff("a\nb", "a\nc", "plan.yaml") == (
        "--- a/plan.yaml\n+++ b/plan.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n"
        "\\ No newline at end of file\n+c\n\\ No newline at end of file\n")
    assert unified_diff("a\nb", "a\nb\n", "plan.yaml") == (
        "--- a/plan.yaml\n+++ b/plan.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n"
        "\\ No newline at end of file\n+b\n")


def test_repetitive_text_shows_only_the_changed_line() -> None:
    """difflib's autojunk would call the repeated lines junk and show them as changed."""
    old = "".join(f"      - ref: \"{n}\"\n        theme: Information Sharing\n"
                  for n in range(1, 400))
    new = old.replace('ref: "200"', 'ref: "200a"')
    lines = unified_diff(old, new, "plan.yaml").splitlines()
    assert [line for line in lines if line[:1] in "+-"] == [
        "--- a/plan.yaml", "+++ b/plan.yaml", '-      - ref: "200"', '+      - ref: "200a"']
    assert lines[2] == "@@ -396,7 +396,7 @@"
