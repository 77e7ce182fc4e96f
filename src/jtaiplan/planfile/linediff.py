"""Which lines of a text an edit kept, replaced or inserted: the alignment shared by the
unified diff shown to people and by the writer that puts each kept line's ending back."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Literal

Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def line_opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib opcodes turning lines ``a`` into lines ``b``, covering both in full.

    Matching is quadratic on repetitive text (plans repeat "theme: ..." hundreds of times):
    only what lies between the common head and tail is matched, which for jtai's edits is a
    few lines. ``autojunk`` is off, or frequent lines would be shown as changed.
    """
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail],
                                     autojunk=False)
    opcodes: list[Opcode] = [("equal", 0, head, 0, head)]
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head)
                for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    opcodes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return [op for op in opcodes if op[1] != op[2] or op[3] != op[4]]
