"""Targeted edits of the plan's text, located from the YAML node marks.

Changing one RAG value rewrites exactly that value; adding a history entry inserts lines
after the action's last line. Everything else in the file (comments, blank lines, quoting,
key order, long lines) is untouched by construction, and a huge file costs a fast parse
rather than a full round-trip dump.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import CannotRun
from .yamlemit import block_text, scalar_text


@dataclass(frozen=True)
class Splice:
    start: int
    end: int
    text: str


def apply_splices(text: str, splices: list[Splice]) -> str:
    """Apply non-overlapping splices (character offsets into ``text``).

    Insertions at the same offset land in the order they were made.
    """
    ordered = sorted(splices, key=lambda s: (s.start, s.end))
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise ValueError("overlapping edits")
    out = text
    for splice in reversed(ordered):
        out = out[: splice.start] + splice.text + out[splice.end:]
    return out


class Document:
    """The text and node tree of one plan, with offsets computed from line and column."""

    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.root = root
        lengths = (len(line) + 1 for line in text.split("\n"))
        self._line_starts = [0, *accumulate(lengths)]


    def offset(self, line: int, column: int) -> int:
        """Character offset of a 0-based mark."""
        return self._line_starts[line] + column

    def line_start(self, line: int) -> int:
        return self._line_starts[line] if line < len(self._line_starts) else len(self.text)

    # -- finding nodes ------------------------------------------------------------------

    def entry(self, mapping: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
        for key_node, value_node in mapping.value:
            if key_node.value == key:
                return key_node, value_node
        return None

    def path(self, *parts: str | int) -> Node:
        node = self.root
        for part in parts:
            if isinstance(part, int):
                assert isinstance(node, SequenceNode)
                node = node.value[part]
            else:
                assert isinstance(node, MappingNode)
                found = self.entry(node, part)
                assert found is not None, part
                node = found[1]
        return node

    # -- where new lines go ---------------------------------------------------------------

    def after(self, node: Node) -> int:
        """The offset of the line following ``node``'s last line of content.

        Block collections end where the next token starts (past blank lines and comments),
        so the end is taken from the last scalar inside; a block scalar's end includes its
        trailing blank lines, which belong to what follows.
        """
        leaf = _last_leaf(node)
        if isinstance(leaf, ScalarNode) and leaf.style in ("|", ">"):
            first = leaf.start_mark.line
            last = leaf.end_mark.line - (1 if leaf.end_mark.column == 0 else 0)
            while last > first and not self._line(last).strip():
                last -= 1
            return self.line_start(last + 1)
        return self.line_start(leaf.end_mark.line + 1)

    def _line(self, line: int) -> str:
        return self.text[self.line_start(line): self.line_start(line + 1)]

    # -- edits ----------------------------------------------------------------------------

    def set_value(self, mapping: MappingNode, key: str, value: Any,
                  insert_after: str | None = None) -> Splice:
        """Replace ``key``'s value, or add ``key`` (after ``insert_after`` or at the end)."""
        found = self.entry(mapping, key)
        if found is None:
            return self.add_key(mapping, key, value, insert_after)
        key_node, value_node = found
        if not isinstance(value_node, ScalarNode):
            raise CannotRun(f"'{key}' holds a list or mapping where a single value belongs",
                            hint="`jtai validate` shows where")
        # One line, whatever its length: the writers never fold.
        new = scalar_text(value, value_node.style or "", key)
        start = self.offset(value_node.start_mark.line, value_node.start_mark.column)
        end = self.offset(value_node.end_mark.line, value_node.end_mark.column)
        if value_node.style in ("|", ">"):
            # The block's lines go; the value now sits on the key's line.
            return Splice(self.offset(key_node.end_mark.line, key_node.end_mark.column),
                          self.after(value_node), f": {new}\n")
        if start == end:
            # An empty value ("impact:", "impact :"): libyaml marks it just after the
            # colon; write there, keeping any comment.
            new = " " + new
        return Splice(start, end, new)

    def add_key(self, mapping: MappingNode, key: str, value: Any,
                insert_after: str | None = None) -> Splice:
        _refuse_flow(mapping)
        indent = mapping.value[0][0].start_mark.column
        anchor = self.entry(mapping, insert_after) if insert_after else None
        where = self.after(anchor[1] if anchor else mapping)
        return self._insert(where, block_text({key: value}, indent))

    def append_item(self, mapping: MappingNode, key: str, item: Any) -> Splice:
        """Append ``item`` to the block list under ``key``, creating the key if needed."""
        _refuse_flow(mapping)
        found = self.entry(mapping, key)
        if found is None:
            return self.add_key(mapping, key, [item])
        key_node, sequence = found
        if not isinstance(sequence, SequenceNode):
            raise CannotRun(f"'{key}' should be a list", hint="`jtai validate` shows where")
        if not sequence.value:
            # "updates: []": the empty flow list becomes a block list, from the key on (the
            # key may follow a list's dash on the same line).
            indent = mapping.value[0][0].start_mark.column
            start = self.offset(key_node.start_mark.line, key_node.start_mark.column)
            end = self.after(sequence)
            return Splice(start, end, block_text({key: [item]}, indent).lstrip(" "))
        if sequence.flow_style:
            raise CannotRun(f"'{key}' is written as a [flow, list] of entries; write each "
                            "entry as a '- ' item on its own lines, then try again")
        dash_column = sequence.start_mark.column
        where = self.after(sequence)
        return self._insert(where, block_text([item], dash_column))

    def _insert(self, where: int, lines: str) -> Splice:
        """Insert whole lines at ``where``; at the end of a file without a final line break,
        the break comes first (or the new lines would continue the last one)."""
        if where >= len(self.text):
            where = len(self.text)
            if self.text and not self.text.endswith("\n"):
                lines = "\n" + lines
        return Splice(where, where, lines)


def _refuse_flow(mapping: MappingNode) -> None:
    if mapping.flow_style:
        raise CannotRun("this entry is written as a {flow, mapping} on one line; write it "
                        "as one 'key: value' per line, then try again")


def _last_leaf(node: Node) -> Node:

    while True:
        if isinstance(node, MappingNode) and node.value and not node.flow_style:
            node = node.value[-1][1]
        elif isinstance(node, SequenceNode) and node.value and not node.flow_style:
            node = node.value[-1]
        else:
            return node
