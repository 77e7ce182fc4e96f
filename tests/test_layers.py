"""The package's layers import one way: each subpackage only from those below it.

The order is data in :data:`LAYERS`; docs/architecture.md draws the same picture. Every
import counts, including those inside functions and under ``TYPE_CHECKING``: a deferred
import is still a dependency a reader has to know about.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jtaiplan

PACKAGE = Path(jtaiplan.__file__).resolve().parent

# Lowest first. Top-level modules (errors, findings, ...) are the foundation: rank 0.
LAYERS: tuple[str, ...] = ("", "plan", "lint", "planfile", "history", "views", "office",
                          "scaffold", "cli")
RANK = {name: i for i, name in enumerate(LAYERS)}


def layer_of(module: str) -> str:
    """``jtaiplan.plan.model`` -> ``plan``; ``jtaiplan.errors`` -> ``""`` (the foundation)."""
    parts = module.split(".")
    if len(parts) >= 3 or (len(parts) == 2 and parts[1] in RANK):
        return parts[1]
    return ""


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every jtaiplan module ``source`` imports, made absolute, with its line."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("jtaiplan")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("jtaiplan"):
                continue
            # `from .. import views` names a module too.
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return found


def upward_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    here = layer_of(module)
    if module == "jtaiplan.__main__":
        return []  # `python -m jtaiplan` is the entry point: it may call the CLI.
    problems = []
    for line, target in imports_of(source, module, is_package):
        there = layer_of(target)
        if there != here and RANK.get(there, 0) > RANK[here]:
            problems.append(f"{module}:{line} imports {target} ({there or 'top'} is above "
                            f"{here or 'the top-level foundation'})")
    return problems


def all_modules() -> list[tuple[Path, str]]:
    return [(p, module_name(p)) for p in sorted(PACKAGE.rglob("*.py"))]


def test_every_subpackage_has_a_rank() -> None:
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert subpackages <= set(RANK), f"give {subpackages - set(RANK)} a place in LAYERS"


def test_no_import_points_upwards() -> None:
    problems = [
        problem
        for path, module in all_modules()
        for problem in upward_imports(path.read_text(encoding="utf-8"), module,
                                      path.name == "__init__.py")
    ]
    assert problems == []


def test_the_checker_catches_an_upward_import() -> None:
    """A deliberate upward import (the plan model reaching for the CLI, the lint runner for
    the loader as before the split) must be flagged, or the test above proves nothing."""
    assert upward_imports("from ..cli.main import app\n", "jtaiplan.plan.model") == [
        "jtaiplan.plan.model:1 imports jtaiplan.cli.main.app (cli is above plan)"]
    lazy = "def f():\n    from ..planfile.loader import LoadedPlan\n"
    assert upward_imports(lazy, "jtaiplan.lint.run") == [
        "jtaiplan.lint.run:2 imports jtaiplan.planfile.loader.LoadedPlan "
        "(planfile is above lint)"]
    assert upward_imports("import jtaiplan.views.report\n", "jtaiplan.errors") == [
        "jtaiplan.errors:1 imports jtaiplan.views.report (views is above the top-level "
        "foundation)"]
    # Downward and sideways imports are fine.
    assert upward_imports("from ..plan.model import Plan\nfrom .run import x\n",
                          "jtaiplan.lint.registry") == []


def test_no_cycle_between_subpackages() -> None:
    """Implied by the ranks, but said directly: the graph of subpackages is acyclic."""
    edges: dict[str, set[str]] = {}
    for path, module in all_modules():
        here = layer_of(module)
        for _, target in imports_of(path.read_text(encoding="utf-8"), module,
                                    path.name == "__init__.py"):
            there = layer_of(target)
            if there != here and module != "jtaiplan.__main__":
                edges.setdefault(here, set()).add(there)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    assert [layer for layer in edges if reaches(layer, layer, set())] == []


def test_the_top_level_stays_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_the_architecture_map_names_the_real_modules() -> None:
    """docs/architecture.md is the map: every module it names exists, every module is named,
    and the README links it."""
    import re

    repo = PACKAGE.parent.parent
    text = (repo / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = {name.rsplit("/", 1)[-1] for name in re.findall(r"`([a-z_/]+\.py)`", text)}
    modules = {p.name for p in PACKAGE.rglob("*.py")} - {"__init__.py", "__main__.py"}
    assert sorted(named - modules - {"test_layers.py"}) == []
    assert sorted(modules - named) == []
    assert "(docs/architecture.md)" in (repo / "README.md").read_text(encoding="utf-8")
