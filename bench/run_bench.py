"""``make bench``: whole-process timings of jtai on synthetic plans of growing size.

Each command runs as its own process, several times; the median is reported with peak
memory (the child's max RSS), the cost per action, and a ratio to a floor measured in the
same run: ``python -c pass`` for start-up, and a libyaml-backed safe load of the same
file for the commands that read a whole plan. Results go to bench/results.md.

A portfolio case (issue 14) writes a folder of many plans sharing one agency registry and
times ``jtai lint --plan DIR`` against a libyaml load of the same files in one process.

Environment: BENCH_SIZES (default "20,1000,10000,100000"; empty for none), BENCH_RUNS
(default: 7 for small plans, 5 at 10,000 actions, 3 at 100,000), BENCH_PORTFOLIO (plans x
actions, default "150x40"; empty for none), BENCH_OUT (default bench/results.md).
"""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JTAI = str(BIN / ("jtai.exe" if os.name == "nt" else "jtai"))
AS_OF = "2025-07-01"


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("helpers_plans",
                                                  REPO / "tests" / "helpers_plans.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_plan


@dataclass
class Measure:
    seconds: float
    peak_kb: int
    exit_code: int


def run_once(args: list[str], cwd: Path) -> Measure:
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "120"})
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measure(elapsed, int(usage.ru_maxrss), proc.returncode)


def median_of(args: list[str], cwd: Path, runs: int, before: object = None) -> Measure:
    results = []
    for _ in range(runs):
        if callable(before):
            before()
        results.append(run_once(args, cwd))
    return Measure(statistics.median(r.seconds for r in results),
                   max(r.peak_kb for r in results), results[-1].exit_code)


def runs_for(size: int) -> int:
    if "BENCH_RUNS" in os.environ:
        return int(os.environ["BENCH_RUNS"])
    return 7 if size <= 1000 else 5 if size <= 10_000 else 3


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("typer", "pydantic", "ruamel.yaml", "PyYAML", "rich", "Jinja2"):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version(name)}")
        except Exception:
            continue
    return (f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()} on "
            f"{platform.system()} {platform.release()}; {', '.join(versions)}")


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "20,1000,10000,100000").split(",")
             if s.strip()]
    make_plan = load_generator()
    rows: list[str] = []
    floors: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="jtai-bench-"))
    try:
        start_floor = median_of([sys.executable, "-c", "pass"], work, 15)
        help_run = median_of([JTAI, "--help"], work, 15)
        floors.append(f"- `python -c pass`: {start_floor.seconds * 1000:.0f} ms")
        rows.append(_row("jtai --help", "-", help_run, start_floor.seconds, None))
        real = median_of([JTAI, "status", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF],
                         work, 15)
        rows.append(_row("jtai status (real plan, table)", 20, real, start_floor.seconds,
                         None))
        for size in sizes:
            plan = work / f"plan-{size}.yaml"
            plan.write_text(make_plan(size, seed=1), encoding="utf-8")
            pristine = work / f"pristine-{size}.yaml"
            shutil.copyfile(plan, pristine)
            runs = runs_for(size)
            load_floor = median_of([sys.executable, "-c", _SAFE_LOAD, str(plan)], work, runs)
            floors.append(f"- libyaml safe load, {size:,} actions ({plan.stat().st_size / 1e6:.1f}"
                          f" MB): {load_floor.seconds * 1000:.0f} ms, "
                          f"{load_floor.peak_kb / 1024:.0f} MB")
            p = ["--plan", str(plan)]
            commands: list[tuple[str, list[str]]] = [
                ("jtai validate", [JTAI, "validate", *p]),
                ("jtai lint", [JTAI, "lint", *p, "--as-of", AS_OF, "--exit-zero"]),
                ("jtai status --format json", [JTAI, "status", *p, "--as-of", AS_OF,
                                               "--format", "json"]),
                ("jtai report --format html", [JTAI, "report", *p, "--as-of", AS_OF]),
                ("jtai update (one RAG)", [JTAI, "update", "1.1", "--progress", "red",
                                           "--note", "bench", "--by", "bench", "--on", AS_OF,
                                           *p]),
            ]
            if size <= 1000:
                commands.insert(0, ("jtai status (table)", [JTAI, "status", *p, "--as-of",
                                                            AS_OF]))
            for label, args in commands:
                before = (lambda: shutil.copyfile(pristine, plan)) if "update" in label else None
                measure = median_of(args, work, runs, before)
                if measure.exit_code not in (0, 1):
                    label += f" (exit {measure.exit_code}!)"
                rows.append(_row(label, size, measure, load_floor.seconds, size))
                print(rows[-1], flush=True)
            shutil.copyfile(pristine, plan)
        portfolio = os.environ.get("BENCH_PORTFOLIO", "150x40").strip()
        if portfolio:
            count, actions = (int(v) for v in portfolio.lower().split("x"))
            _portfolio(work, make_plan, count, actions, rows, floors)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _write(rows, floors)
    return 0


def write_portfolio(folder: Path, make_plan, count: int, actions: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` plans of ``actions`` actions, each with its own id, all taking their
    agencies from one shared agencies.yaml (which lint skips as not a plan)."""
    folder.mkdir()
    shared = ""
    for k in range(count):
        text = make_plan(actions, seed=k + 1)
        head, rest = text.split("agencies:\n", 1)
        block, tail = rest.split("objectives:\n", 1)
        shared = shared or "agencies:\n" + block
        (folder / f"plan-{k:03d}.yaml").write_text(
            f"id: plan-{k:03d}\n{head}agencies_from: agencies.yaml\nobjectives:\n{tail}",
            encoding="utf-8")
    (folder / "agencies.yaml").write_text(shared, encoding="utf-8")


def _portfolio(work: Path, make_plan, count: int, actions: int,  # type: ignore[no-untyped-def]
               rows: list[str], floors: list[str]) -> None:
    folder = work / "portfolio"
    write_portfolio(folder, make_plan, count, actions)
    runs = runs_for(count * actions)
    files = sorted(str(p) for p in folder.glob("plan-*.yaml"))
    load_floor = median_of([sys.executable, "-c", _SAFE_LOAD_ALL, *files], work, runs)
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    label = f"{count} plans x {actions}"
    floors.append(f"- libyaml safe load of a portfolio of {label} actions ({size:.1f} MB): "
                  f"{load_floor.seconds * 1000:.0f} ms")
    for name, args in (
        ("jtai lint --plan DIR (portfolio)", [JTAI, "lint", "--plan", str(folder), "--as-of",
                                              AS_OF, "--exit-zero"]),
        ("jtai status --plan DIR --owner (portfolio)",
         [JTAI, "status", "--plan", str(folder), "--as-of", AS_OF, "--owner", "POLICE",
          "--format", "json"]),
    ):
        measure = median_of(args, work, runs)
        if measure.exit_code not in (0, 1):
            name += f" (exit {measure.exit_code}!)"
        rows.append(_row(name, label, measure, load_floor.seconds, count * actions))
        print(rows[-1], flush=True)


_SAFE_LOAD_ALL = ("import gc, sys, yaml; gc.disable(); "
                  "[yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader) "
                  "for f in sys.argv[1:]]")

_SAFE_LOAD = ("import gc, sys, yaml; gc.disable(); "
              "yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)")


def _row(label: str, size: int | str, m: Measure, floor: float, per: int | None) -> str:
    ms = m.seconds * 1000
    per_action = f"{m.seconds / per * 1e6:.0f} µs" if per else "-"
    per_kb = f"{m.peak_kb / per:.1f}" if per else "-"
    return (f"| {label} | {size if isinstance(size, str) else f'{size:,}'} | {ms:,.0f} | "
            f"{m.seconds / floor:.2f}x | {per_action} | {m.peak_kb / 1024:,.0f} | {per_kb} |")


def _write(rows: list[str], floors: list[str]) -> None:
    out = Path(os.environ.get("BENCH_OUT", REPO / "bench" / "results.md"))
    text = "\n".join([
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on: {machine()}.",
        "",
        "Whole processes, medians; peak memory is the largest max-RSS of the runs. Ratios "
        "compare start-up figures with `python -c pass` and whole-plan commands with a "
        "libyaml safe load of the same file (both measured in this run).",
        "",
        "Floors:",
        *floors,
        "",
        "| command | actions | median ms | ratio to floor | per action | peak MB | "
        "KB per action |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
    ])
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    raise SystemExit(main())
