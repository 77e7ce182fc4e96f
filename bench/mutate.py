"""Run mutmut 3 so that it also mutates the lint rules: ``python bench/mutate.py run``.

mutmut 3 leaves every decorated function alone (a decorator may have side effects when the
function is copied). Our lint rules are plain functions registered by ``@rule(...)``, which
only records the function it is given and returns it unchanged, so mutating them is safe:
mutmut keeps the decorator on its trampoline and the registry holds the trampoline.
Without this the rule bodies, where a silent bug does the most harm, would never be
mutated. Everything else is mutmut's own command line (``run``, ``results``, ``show``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst.metadata import PositionProvider
from mutmut.mutation import file_mutation

SAFE_DECORATORS = frozenset({"rule"})
"""Decorators that only register the function and return it as it is."""


def _registers_only(node: cst.FunctionDef) -> bool:
    def name(decorator: cst.Decorator) -> str | None:
        call = decorator.decorator
        target = call.func if isinstance(call, cst.Call) else call
        return target.value if isinstance(target, cst.Name) else None

    return bool(node.decorators) and all(name(d) in SAFE_DECORATORS for d in node.decorators)


def _patch() -> None:
    visitor = file_mutation.MutationVisitor
    original: Callable[[file_mutation.MutationVisitor, cst.CSTNode], bool] = \
        visitor._skip_node_and_children

    def skip(self: file_mutation.MutationVisitor, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.FunctionDef) and _registers_only(node):
            position = self.get_metadata(PositionProvider, node, None)
            if position and position.start.line in self._ignored_node_lines:
                self.ignored_functions.add(node.name.value)
                return True
            return False
        return original(self, node)

    visitor._skip_node_and_children = skip  # type: ignore[method-assign]

    # The copies (the original and each mutant) must not register themselves again: only
    # the trampoline keeps the decorator.
    arrange = file_mutation.function_trampoline_arrangement

    def arrangement(function: cst.FunctionDef, *args: Any, **kwargs: Any) -> Any:
        declarations, nodes, assignments, names = arrange(function, *args, **kwargs)
        if _registers_only(function):
            nodes = [nodes[0], *(n.with_changes(decorators=[]) for n in nodes[1:])]
        return declarations, nodes, assignments, names

    file_mutation.function_trampoline_arrangement = arrangement


if __name__ == "__main__":
    _patch()
    # mutmut switches mutants inside one long test process: a plan validated under one
    # mutant must not come back from the validated-plan cache under the next.
    os.environ["JTAI_NO_CACHE"] = "1"
    from mutmut.__main__ import cli

    sys.argv[0] = "mutmut"
    sys.exit(cli())
