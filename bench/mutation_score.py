"""After `make mutate`: killed, survived and the score, per module, and every survivor.

    .venv/bin/python bench/mutation_score.py

Reads mutmut's results in mutants/ (one ``.meta`` file per mutated module). The score is
killed (a test failed, or the mutant hung until the timeout) over all mutants that were run;
"no tests" (no selected test reaches the code) counts against it. Prints a Markdown table for
bench/mutation.md, then each survivor as ``mutmut show`` names it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

MUTANTS = Path(__file__).resolve().parent.parent / "mutants"
KILLED = {"killed", "timeout", "caught by type check"}


def main() -> int:
    metas = sorted(MUTANTS.rglob("*.py.meta"))
    if not metas:
        print("no results in mutants/: run `make mutate` first", file=sys.stderr)
        return 2
    totals: Counter[str] = Counter()
    survivors: list[str] = []
    packages: defaultdict[str, Counter[str]] = defaultdict(Counter)
    print("| module | mutants | killed | survived | no tests | other | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for meta in metas:
        module = meta.relative_to(MUTANTS / "src").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter(status_by_exit_code[code] for code in codes.values())
        survivors += sorted(k for k, v in codes.items() if status_by_exit_code[v] == "survived")
        killed = sum(counts[s] for s in KILLED)
        other = len(codes) - killed - counts["survived"] - counts["no tests"]
        print(f"| {module} | {len(codes)} | {killed} | {counts['survived']} | "
              f"{counts['no tests']} | {other} | {_score(killed, len(codes))} |")
        totals.update(counts)
        packages[_subpackage(module)].update(counts)
        totals["all"] += len(codes)
    killed = sum(totals[s] for s in KILLED)
    other = totals["all"] - killed - totals["survived"] - totals["no tests"]
    print(f"| **all** | {totals['all']} | {killed} | {totals['survived']} | "
          f"{totals['no tests']} | {other} | **{_score(killed, totals['all'])}** |")
    print("\nper subpackage, killed / (killed + survived) (the issue 25 measure: mutants "
          "with no test reaching them are listed above, not counted here):\n")
    print("| subpackage | killed | survived | score |")
    print("| --- | ---: | ---: | ---: |")
    for package, counts in sorted(packages.items()):
        alive = counts["survived"]
        dead = sum(counts[s] for s in KILLED)
        print(f"| {package} | {dead} | {alive} | {_score(dead, dead + alive)} |")
    print(f"\nsurvivors ({len(survivors)}):")
    for name in survivors:
        print(f"  {name}")
    return 0


def _subpackage(module: str) -> str:
    """``jtaiplan/office/intake/values.py`` -> ``office/``; a top-level module is itself."""
    parts = module.split("/")
    return f"{parts[1]}/" if len(parts) > 2 else parts[-1]


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:.1f}%" if total else "-"


if __name__ == "__main__":
    sys.exit(main())
