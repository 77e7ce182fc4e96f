"""Run mutmut 3 over the mutation scope, or the part of it that changed.

    python bench/mutate.py changed [--max-children N]     # `make mutate`
    python bench/mutate.py paths PATH... [--max-children N]  # `make mutate MUTATE_PATHS=...`
    python bench/mutate.py run [--max-children N]         # `make mutate-all`: the whole scope
    python bench/mutate.py baseline                       # record HEAD as the baseline
    python bench/mutate.py sample N PATH... [--max-children N]  # N random unchecked mutants

``--list`` after ``changed`` or ``paths`` prints the modules it would mutate (after ``sample``,
the mutants it would run) and stops.
``MUTATE_TESTS="tests/a.py tests/b.py"`` in the environment replaces the test selection for
``changed``, ``paths`` and ``sample`` (mutmut runs the whole selection twice before the first
mutant, so the tests of the chosen modules alone save minutes; a survivor is then a survivor
of those). A ``sample`` must use the selection of the run it continues: mutmut forgets every
result when the selection changes.

The scope is ``[tool.mutmut] only_mutate`` in pyproject.toml. A full run no longer fits a
session on two shared cores, so ``changed`` mutates only the modules of the scope that differ
(committed or not) from the commit in bench/mutation-baseline, the last commit whose scope
was run whole and recorded in bench/mutation.md; ``paths`` mutates the modules named (files,
folders or globs, each inside the scope). When even one subpackage does not fit (mutmut runs
the cheap mutants first, so the last thousands take hours), ``sample`` runs N mutants drawn
at random (seed ``MUTATE_SEED``, 25 unless set) among those of the named modules that an
earlier, stopped ``paths`` run left unchecked in mutants/, and estimates the subpackage's
score from the census of the checked ones and the sample of the rest, with its margin.
``changed`` and ``paths`` print the scores afterwards (bench/mutation_score.py);
``baseline`` moves the baseline to HEAD once the results are recorded. ``run`` and every
other command are mutmut's own (``results``, ``show``).

mutmut itself is adjusted in one way, so that it also mutates the lint rules.

mutmut 3 leaves every decorated function alone (a decorator may have side effects when the
function is copied). Our lint rules are plain functions registered by ``@rule(...)``, which
only records the function it is given and returns it unchanged, so mutating them is safe:
mutmut keeps the decorator on its trampoline and the registry holds the trampoline.
Without this the rule bodies, where a silent bug does the most harm, would never be
mutated. Everything else is mutmut's own command line (``run``, ``results``, ``show``).
"""

from __future__ import annotations

import fnmatch
import json
import math
import os
import random
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
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


REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "bench" / "mutation-baseline"


def scope() -> list[str]:
    """``only_mutate``'s patterns (mutmut matches them with fnmatch: ``*`` spans ``/``)."""
    with (REPO / "pyproject.toml").open("rb") as handle:
        patterns: list[str] = tomllib.load(handle)["tool"]["mutmut"]["only_mutate"]
    return patterns


def in_scope(path: str, patterns: list[str]) -> bool:
    return path.endswith(".py") and any(fnmatch.fnmatch(path, p) for p in patterns)


def _git(*args: str) -> list[str]:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"mutate: git {' '.join(args)} failed: {done.stderr.strip()}")
    return [line for line in done.stdout.splitlines() if line]


def baseline_commit() -> str:
    try:
        lines = BASELINE.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise SystemExit(f"mutate: no {BASELINE.relative_to(REPO)}: run `make mutate-all` "
                         "and `python bench/mutate.py baseline`") from None
    return next(line.split()[0] for line in lines if line.strip() and
                not line.startswith("#"))


def changed_modules(patterns: list[str]) -> list[str]:
    """Modules of the scope not mutated as they are now at the baseline: those that differ
    from it (committed, staged, edited or new) and those that joined the scope since."""
    base = baseline_commit()
    found = set(_git("diff", "--name-only", base, "--", "src/"))
    found |= set(_git("ls-files", "--others", "--exclude-standard", "--", "src/"))
    then = tomllib.loads("\n".join(_git("show", f"{base}:pyproject.toml")))
    old_scope: list[str] = then["tool"]["mutmut"]["only_mutate"]
    found |= {p for p in _git("ls-files", "--", "src/") if not in_scope(p, old_scope)}
    return sorted(p for p in found if in_scope(p, patterns) and (REPO / p).is_file())


def chosen_modules(given: list[str], patterns: list[str]) -> list[str]:
    """The modules of the scope that ``given`` (files, folders, globs) names."""
    every = sorted(p for p in _git("ls-files", "--cached", "--others", "--exclude-standard",
                                   "--", "src/") if in_scope(p, patterns))
    chosen: list[str] = []
    for name in given:
        name = name.rstrip("/")
        hits = [p for p in every if p == name or p.startswith(name + "/")
                or fnmatch.fnmatch(p, name)]
        if not hits:
            raise SystemExit(f"mutate: '{name}' names no module of the mutation scope "
                             "([tool.mutmut] only_mutate in pyproject.toml)")
        chosen += [p for p in hits if p not in chosen]
    return chosen


def run_on(modules: list[str], children: list[str], listing: bool = False,
           names: list[str] | None = None) -> int:
    """mutmut's ``run`` over ``modules`` only (or only the mutants ``names``), then the
    scores."""
    if listing:
        print("\n".join(modules))
        return 0
    from mutmut import configuration
    from mutmut.__main__ import cli

    config = configuration.config()
    config.only_mutate = modules
    print(f"mutating {len(modules)} module(s): {' '.join(modules)}", flush=True)
    tests = os.environ.get("MUTATE_TESTS", "").split()
    if tests:  # mutmut first runs the whole selection twice: a smaller one saves minutes
        missing = [t for t in tests if not (REPO / t.partition("::")[0]).is_file()]
        if missing:
            raise SystemExit(f"mutate: MUTATE_TESTS names no such test file: {missing[0]}")
        config.pytest_add_cli_args_test_selection = tests
        print(f"with the tests: {' '.join(tests)}", flush=True)
    try:
        cli(["run", *(names or []), *children], prog_name="mutmut", standalone_mode=False)
    except SystemExit as stop:  # mutmut exits when the clean tests fail
        if stop.code:
            return int(stop.code) if isinstance(stop.code, int) else 1
    sys.path.insert(0, str(REPO / "bench"))
    from mutation_score import main as score

    return score()


def _results(modules: list[str]) -> dict[str, int | None]:
    """mutmut's exit code for every mutant of ``modules`` (None: not checked yet)."""
    found: dict[str, int | None] = {}
    for module in modules:
        meta = REPO / "mutants" / f"{module}.meta"
        if not meta.is_file():
            raise SystemExit(f"mutate: no mutants of {module} in mutants/: run `bench/mutate.py "
                             f"paths {module}` first (it may be stopped once mutants run)")
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def sample_of(modules: list[str], size: int, seed: int) -> list[str]:
    """``size`` mutants of ``modules`` not checked yet, drawn at random with ``seed``."""
    unchecked = sorted(k for k, code in _results(modules).items() if code is None)
    return random.Random(seed).sample(unchecked, min(size, len(unchecked)))


def estimate(before: dict[str, int | None], after: dict[str, int | None],
             drawn: list[str]) -> str:
    """The score (killed over all mutants) estimated from the census of the mutants checked
    ``before`` the sample and the results ``after`` it of the sample ``drawn`` from the rest."""
    from mutmut.stats import status_by_exit_code

    killed = {"killed", "timeout", "caught by type check"}
    census = [code for code in before.values() if code is not None]
    rest = len(before) - len(census)
    dead = sum(status_by_exit_code[code] in killed for code in census)
    sampled = [after[key] for key in drawn if after.get(key) is not None]
    if not sampled:
        return "mutate: no sampled mutant was checked"
    share = sum(status_by_exit_code[code] in killed for code in sampled) / len(sampled)
    # A 95% interval for the share killed among the unchecked, finite-population corrected.
    margin = 1.96 * math.sqrt(share * (1 - share) / len(sampled)
                              * max(rest - len(sampled), 0) / max(rest - 1, 1))
    whole = len(before)
    return (f"estimated score: {(dead + share * rest) / whole:.1%} (95%: "
            f"{(dead + (share - margin) * rest) / whole:.1%} to "
            f"{(dead + min(share + margin, 1) * rest) / whole:.1%}) of {whole} mutants: "
            f"{len(census)} checked before ({dead} killed), {rest} not, of which "
            f"{len(sampled)} sampled ({share:.1%} killed)")


def main(argv: list[str]) -> int:
    _patch()
    # mutmut switches mutants inside one long test process: a plan validated under one
    # mutant must not come back from the validated-plan cache under the next.
    os.environ["JTAI_NO_CACHE"] = "1"
    os.chdir(REPO)
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    children = [a for i, a in enumerate(rest) if a.startswith("--max-children")
                or (i and rest[i - 1] == "--max-children")]
    listing = "--list" in rest  # say which modules would be mutated, and stop
    named = [a for a in rest if a not in children and a != "--list"]
    if command == "baseline":
        head = _git("rev-parse", "HEAD")[0]
        BASELINE.write_text("# The last commit whose whole mutation scope was run and "
                            "recorded in bench/mutation.md\n"
                            "# (`make mutate` runs only what changed since).\n"
                            f"{head}\n", encoding="utf-8")
        print(f"mutation baseline: {head}")
        return 0
    if command == "changed":
        modules = changed_modules(scope())
        if not modules:
            print(f"mutate: no module of the mutation scope changed since "
                  f"{baseline_commit()[:12]} (bench/mutation-baseline): nothing to run")
            return 0
        return run_on(modules, children, listing)
    if command == "sample":
        if len(named) < 2 or not named[0].isdigit():
            raise SystemExit("mutate: sample needs a number of mutants and one or more modules")
        modules = chosen_modules(named[1:], scope())
        drawn = sample_of(modules, int(named[0]), int(os.environ.get("MUTATE_SEED", "25")))
        if listing or not drawn:
            print("\n".join(drawn) or "mutate: every mutant of these modules is checked")
            return 0
        before = _results(modules)
        code = run_on(modules, children, names=drawn)
        print(estimate(before, _results(modules), drawn))
        return code
    if command == "paths":
        if not named:
            raise SystemExit("mutate: paths needs one or more modules, folders or globs")
        return run_on(chosen_modules(named, scope()), children, listing)
    from mutmut.__main__ import cli

    sys.argv[0] = "mutmut"
    result = cli()
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
