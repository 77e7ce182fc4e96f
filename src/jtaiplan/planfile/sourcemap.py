"""Where each value of the plan stands in the file, found lazily from the YAML node tree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..findings import Path_

if TYPE_CHECKING:
    from yaml.nodes import Node


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    """1-based."""
    column: int
    """1-based."""


class SourceMap:
    """Answers "which line holds ``objectives[3].actions[1].complete_by``?".

    A path that does not exist (a missing key) resolves to the deepest part of it that does,
    which is where the user has to add it.
    """

    def __init__(self, root: Node | None) -> None:
        self._root = root
        self._compose: Callable[[], Node | None] | None = None

    @classmethod
    def lazy(cls, compose: Callable[[], Node | None]) -> SourceMap:
        """A map whose tree is composed on first use: a plan from the cache is only parsed
        when something asks where a value stands (a finding, an edit)."""
        sourcemap = cls(None)
        sourcemap._compose = compose
        return sourcemap

    @property
    def root(self) -> Node | None:
        """The document's node tree, for edits located by the same marks."""
        if self._compose is not None:
            self._root, self._compose = self._compose(), None
        return self._root

    def node(self, path: Path_) -> tuple[Node | None, bool]:
        """The deepest node along ``path`` and whether the whole path was found."""
        node = self.root
        if node is None:
            return None, not path
        for part in path:
            child = _child(node, part)
            if child is None:
                return node, False
            node = child[1]
        return node, True

    def locate(self, path: Path_) -> Position | None:
        node, _ = self.node(path)
        return _position(node)

    def locate_key(self, path: Path_) -> Position | None:
        """The key's own position for a mapping entry (unknown keys are reported there)."""
        if not path:
            return self.locate(path)
        parent, found = self.node(path[:-1])
        if parent is not None and found:
            child = _child(parent, path[-1])
            if child is not None:
                return _position(child[0] or child[1])
        return self.locate(path)


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    # By the node's kind rather than isinstance: PyYAML is imported only to compose.
    kind = getattr(node, "id", None)
    if kind == "mapping":
        for key, value in node.value:
            if key.value == part:
                return key, value
        return None
    if kind == "sequence" and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _position(node: Node | None) -> Position | None:
    if node is None:
        return None
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)
