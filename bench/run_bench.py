"""``make bench``: whole-process timings of jtai on synthetic plans of growing size.

Each command runs as its own process, several times; the median is reported with peak
memory (the child's max RSS), the cost per action, and a ratio to a floor measured in the
same run: ``python -c pass`` for start-up, and a libyaml-backed safe load of the same
file for the commands that read a whole plan. Results go to bench/results.md.

A portfolio case (issue 14) writes a folder of many plans sharing one agency registry and
times ``jtai lint --plan DIR`` against a libyaml load of the same files in one process.

Start-up is measured round-robin (each command once per round, so a busy moment costs
all of them alike) against ``python -c pass``; the office case (issue 15) times ``jtai
export --format xlsx`` and ``jtai import`` of a 10,000-action workbook against openpyxl's
own write-only and read-only passes over the same cells. The table of targets at the top
of results.md says which are met.

Environment: BENCH_SIZES (default "20,1000,10000,100000"; empty for none), BENCH_RUNS
(default: 7 for small plans, 5 at 10,000 actions, 3 at 100,000), BENCH_PORTFOLIO (plans x
actions, default "150x40"; empty for none), BENCH_OFFICE (actions in the office case,
default 10000; 0 for none), BENCH_HISTORY (sizes of the plans whose actions carry 20
history entries each, timed with --as-of: issue 23; default "20,1000"; empty for none),
BENCH_OUT (default bench/results.md). At 1,000 actions, ``jtai site`` builds a new folder
and is compared with ``jtai report`` of the same plan: on disk beside the plan, and in a
RAM-backed folder (``/dev/shm``, where there is one), which the target is judged on (see
SITE_RAM below).
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
# As on a user's machine: bytecode cached (pip compiles it; some shells here set
# PYTHONDONTWRITEBYTECODE, which would make every run compile jtai's modules again).
CHILD_ENV = {key: value for key, value in os.environ.items()
             if key not in ("PYTHONDONTWRITEBYTECODE", "JTAI_NO_CACHE")} | {
    "NO_COLOR": "1", "COLUMNS": "120"}
# The validated-plan cache (planfile/plancache.py) is on, as for a user, in a folder of the
# bench's own (set in main()); commands marked "no cache" run as on a first read.
NO_CACHE = {"JTAI_NO_CACHE": "1"}
# The site (one page per action, objective and agency) is timed on this plan size only,
# against `jtai report` of the same plan (issue 26).
SITE_SIZE = 1000
# The site's 1,164 new files cost the disk's inode allocator, not jtai: on this VM's ext4,
# mounted without a journal, each create scans for inodes not recently deleted (perf:
# `recently_deleted` and `find_get_block_common`, half the samples), 15 to 250 µs a file
# depending on what was deleted in the minutes before. The same build into tmpfs measures
# jtai's own work, which the target is about; both rows are reported.
SITE_RAM = Path("/dev/shm")


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


def run_once(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measure:
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=CHILD_ENV | (env or {}))
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measure(elapsed, int(usage.ru_maxrss), proc.returncode)


def median_of(args: list[str], cwd: Path, runs: int, before: object = None,
              env: dict[str, str] | None = None) -> Measure:
    results = []
    for _ in range(runs):
        if callable(before):
            before()
        results.append(run_once(args, cwd, env))
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
    targets: list[tuple[str, float, float]] = []
    work = Path(tempfile.mkdtemp(prefix="jtai-bench-"))
    CHILD_ENV["JTAI_CACHE_DIR"] = str(work / "cache")
    try:
        startup = round_robin({
            "pass": [sys.executable, "-c", "pass"],
            "help": [JTAI, "--help"],
            "status": [JTAI, "status", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF],
            "json": [JTAI, "status", "--plan", str(REPO / "plan.yaml"), "--as-of", AS_OF,
                     "--format", "json"],
            "show": [JTAI, "show", "2.3", "--plan", str(REPO / "plan.yaml"), "--as-of",
                     AS_OF],
        }, work, int(os.environ.get("BENCH_STARTUP_ROUNDS", "21")))
        start_floor = startup["pass"]
        floors.append(f"- `python -c pass`: {start_floor.seconds * 1000:.1f} ms")
        for key, label, limit in (("help", "jtai --help", 7),
                                  ("status", "jtai status (real plan, table)", 14),
                                  ("json", "jtai status --format json (real plan)", 12),
                                  ("show", "jtai show 2.3 (real plan)", 12)):
            rows.append(_row(label, "-" if key == "help" else 20, startup[key],
                             start_floor.seconds, None))
            targets.append((f"`{label.split(' (')[0]}` ≤ {limit}× `python -c pass`",
                            startup[key].seconds / start_floor.seconds, limit))
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
                ("jtai lint (no cache)", [JTAI, "lint", *p, "--as-of", AS_OF,
                                          "--exit-zero"]),
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
            site_ram = (Path(tempfile.mkdtemp(prefix="jtai-bench-site-", dir=SITE_RAM))
                        if size == SITE_SIZE and SITE_RAM.is_dir()
                        and os.access(SITE_RAM, os.W_OK) else None)
            if size == SITE_SIZE:
                commands.append(("jtai site (a new folder on disk)", [
                    JTAI, "site", *p, "--as-of", AS_OF, "-o", str(work / "site")]))
            if site_ram is not None:
                commands.append(("jtai site (a new folder in RAM)", [
                    JTAI, "site", *p, "--as-of", AS_OF, "-o", str(site_ram / "site")]))
            measured: dict[str, Measure] = {}
            for label, args in commands:
                before = ((lambda p=pristine, q=plan: shutil.copyfile(p, q))
                          if "update" in label else
                          (lambda s=Path(args[-1]): _set_aside(s))
                          if "site" in label else None)
                cold = "no cache" in label
                measure = median_of(args, work, runs, before, NO_CACHE if cold else None)
                measured[label] = measure
                if measure.exit_code not in (0, 1):
                    label += f" (exit {measure.exit_code}!)"
                rows.append(_row(label, size, measure, load_floor.seconds, size))
                print(rows[-1], flush=True)
                if label.startswith("jtai lint") and size == 10_000:
                    targets.append((f"`jtai lint` of 10,000 actions ≤ 1.2× a libyaml load, "
                                    f"{_WHICH_READ[cold]}",
                                    measure.seconds / load_floor.seconds, 1.2))
            if size == SITE_SIZE:
                report = measured["jtai report --format html"]
                disk = measured["jtai site (a new folder on disk)"]
                where = "into a new folder on disk"
                site = disk
                if site_ram is not None:
                    site = measured["jtai site (a new folder in RAM)"]
                    where = (f"into a new folder in RAM ({disk.seconds / report.seconds:.2f}× "
                             "on this machine's disk)")
                    shutil.rmtree(site_ram, ignore_errors=True)
                targets.append((f"`jtai site` of {size:,} actions ≤ 2× `jtai report` of the "
                                f"same plan, {where}", site.seconds / report.seconds, 2))
            shutil.copyfile(pristine, plan)
        portfolio = os.environ.get("BENCH_PORTFOLIO", "150x40").strip()
        if portfolio:
            count, actions = (int(v) for v in portfolio.lower().split("x"))
            ratios = _portfolio(work, make_plan, count, actions, rows, floors)
            for cold, ratio in zip((False, True), ratios, strict=True):
                targets.append((f"`jtai lint --plan DIR` of {count} plans × {actions} ≤ 1.5× "
                                f"a libyaml load of the files, {_WHICH_READ[cold]}",
                                ratio, 1.5))
        office = int(os.environ.get("BENCH_OFFICE", "10000") or 0)
        if office:
            _office(work, make_plan, office, rows, floors, targets)
        history = [int(v) for v in os.environ.get("BENCH_HISTORY", "20,1000").split(",")
                   if v.strip()]
        if history:
            _history(work, make_plan, history, start_floor.seconds, rows, targets)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _write(rows, floors, targets)
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


_WHICH_READ = {False: "files read before (the validated-plan cache)",
               True: "first read (`JTAI_NO_CACHE=1`)"}


def _portfolio(work: Path, make_plan, count: int, actions: int,  # type: ignore[no-untyped-def]
               rows: list[str], floors: list[str]) -> list[float]:
    folder = work / "portfolio"
    write_portfolio(folder, make_plan, count, actions)
    runs = runs_for(count * actions)
    files = sorted(str(p) for p in folder.glob("plan-*.yaml"))
    load_floor = median_of([sys.executable, "-c", _SAFE_LOAD_ALL, *files], work, runs)
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    label = f"{count} plans x {actions}"
    floors.append(f"- libyaml safe load of a portfolio of {label} actions ({size:.1f} MB): "
                  f"{load_floor.seconds * 1000:.0f} ms")
    ratios = []
    lint = [JTAI, "lint", "--plan", str(folder), "--as-of", AS_OF, "--exit-zero"]
    for name, args in (
        ("jtai lint --plan DIR (portfolio)", lint),
        ("jtai lint --plan DIR (portfolio, no cache)", lint),
        ("jtai status --plan DIR --owner (portfolio)",
         [JTAI, "status", "--plan", str(folder), "--as-of", AS_OF, "--owner", "POLICE",
          "--format", "json"]),
    ):
        measure = median_of(args, work, runs, env=NO_CACHE if "no cache" in name else None)
        if measure.exit_code not in (0, 1):
            name += f" (exit {measure.exit_code}!)"
        rows.append(_row(name, label, measure, load_floor.seconds, count * actions))
        ratios.append(measure.seconds / load_floor.seconds)
        print(rows[-1], flush=True)
    return ratios[:2]


def round_robin(commands: dict[str, list[str]], cwd: Path, rounds: int) -> dict[str, Measure]:
    """Medians of commands run in turn, one of each per round."""
    results: dict[str, list[Measure]] = {key: [] for key in commands}
    for _ in range(rounds):
        for key, args in commands.items():
            results[key].append(run_once(args, cwd))
    return {key: Measure(statistics.median(r.seconds for r in runs),
                         max(r.peak_kb for r in runs), runs[-1].exit_code)
            for key, runs in results.items()}


# The floors of the office case: openpyxl alone doing the same I/O as jtai.
_OPENPYXL_READ = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in book.worksheets:
    for row in sheet.iter_rows(values_only=True):
        pass
"""
_OPENPYXL_WRITE = """
import json, sys, datetime
from openpyxl import Workbook
sheets = json.load(open(sys.argv[1], encoding="utf-8"))
book = Workbook(write_only=True)
for title, rows in sheets.items():
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append([datetime.date.fromisoformat(v[5:]) if isinstance(v, str)
                      and v.startswith("date:") else v for v in row])
book.save(sys.argv[2])
"""


def _set_aside(folder: Path) -> None:
    """Give each ``jtai site`` run a new folder, as a CI job has: the last run's is moved
    aside, not deleted, because the disk reclaiming a thousand files just deleted is charged
    to the next run's writes (0.3 s of system time on ext4, measured)."""
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}-{time.monotonic_ns()}"))


def _office(work: Path, make_plan, size: int, rows: list[str], floors: list[str],  # type: ignore[no-untyped-def]
            targets: list[tuple[str, float, float]]) -> None:
    import datetime
    import json

    from openpyxl import load_workbook

    plan = work / f"office-{size}.yaml"
    plan.write_text(make_plan(size, seed=7), encoding="utf-8")
    runs = runs_for(size)
    book = work / "export.xlsx"

    def fresh_export() -> None:
        book.unlink(missing_ok=True)

    export = median_of([JTAI, "export", "--plan", str(plan), "--as-of", AS_OF, "--format",
                        "xlsx", "-o", str(book)], work, runs, fresh_export)
    # The same cells, for openpyxl's own write-only pass.
    cells: dict[str, list[list[object]]] = {}
    for sheet in load_workbook(book, read_only=True).worksheets:
        cells[sheet.title] = [[f"date:{v.date().isoformat()}" if isinstance(
            v, datetime.datetime) else v for v in row] for row in sheet.iter_rows(
            values_only=True)]
    (work / "cells.json").write_text(json.dumps(cells), encoding="utf-8")
    write_floor = median_of([sys.executable, "-c", _OPENPYXL_WRITE, str(work / "cells.json"),
                             str(work / "floor.xlsx")], work, runs)
    read_floor = median_of([sys.executable, "-c", _OPENPYXL_READ, str(book)], work, runs)
    out = work / "imported.yaml"

    def fresh_import() -> None:
        out.unlink(missing_ok=True)

    imported = median_of([JTAI, "import", str(book), "--agencies", str(plan), "-o", str(out)],
                         work, runs, fresh_import)
    floors.append(f"- openpyxl write-only, the same cells as the {size:,}-action export: "
                  f"{write_floor.seconds * 1000:.0f} ms; read-only pass over that workbook "
                  f"({book.stat().st_size / 1e6:.1f} MB): {read_floor.seconds * 1000:.0f} ms")
    for label, measure, floor, limit, what in (
            ("jtai export --format xlsx", export, write_floor, 2, "openpyxl's write-only "
             "mode writing the same cells"),
            ("jtai import (xlsx)", imported, read_floor, 2, "openpyxl's read-only load")):
        if measure.exit_code != 0:
            label += f" (exit {measure.exit_code}!)"
        rows.append(_row(label, size, measure, floor.seconds, size))
        print(rows[-1], flush=True)
        targets.append((f"`{label}` of {size:,} actions ≤ {limit}× {what} "
                        f"({measure.peak_kb / size:.1f} KB peak per action)",
                        measure.seconds / floor.seconds, limit))


_SAFE_LOAD_ALL = ("import gc, sys, yaml; gc.disable(); "
                  "[yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader) "
                  "for f in sys.argv[1:]]")

_SAFE_LOAD = ("import gc, sys, yaml; gc.disable(); "
              "yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)")


HISTORY_ENTRIES = 20
HISTORY_AS_OF = "2025-10-01"
_RAG_CYCLE = ("Green", "Amber", "Red", "Amber")


def write_history_plan(path: Path, make_plan, size: int) -> None:  # type: ignore[no-untyped-def]
    """A plan of ``size`` actions, each with HISTORY_ENTRIES history entries a fortnight
    apart from 2025-04-01 (half of them after HISTORY_AS_OF, so --as-of undoes them), whose
    froms and tos chain to the ratings the file holds, as `jtai update` writes them."""
    import copy

    import yaml

    from jtaiplan.planfile.loader import load_plan

    # Read as jtai reads it (YAML 1.2: "yes" stays text), then written back quoted.
    path.write_text(make_plan(size, seed=3, with_history=False), encoding="utf-8")
    data = copy.deepcopy(load_plan(path).data)
    for objective in data["objectives"]:
        for action in objective["actions"]:
            progress = "Green"
            updates = []
            for k in range(HISTORY_ENTRIES):
                new = _RAG_CYCLE[(k + 1) % len(_RAG_CYCLE)]
                updates.append({"date": f"{_fortnight(k)}", "by": "Bench",
                                "changes": {"progress": {"from": progress, "to": new}},
                                "note": f"entry {k + 1}"})
                progress = new
            action["progress"] = progress
            action.pop("completed_on", None)
            action["updates"] = updates
    class Dumper(yaml.SafeDumper):
        """Every string double-quoted: text such as 1e5 stays text under YAML 1.2."""

    Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style='"'))
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False,
                              width=1000), encoding="utf-8")


def _fortnight(k: int) -> str:
    from datetime import date, timedelta

    return (date(2025, 4, 1) + timedelta(days=14 * k)).isoformat()


def _history(work: Path, make_plan, sizes: list[int], start_floor: float,  # type: ignore[no-untyped-def]
             rows: list[str], targets: list[tuple[str, float, float]]) -> None:
    """Issue 23: --as-of reconstructs each action from its history; the plain commands'
    targets must still hold on plans whose actions carry 20 entries each."""
    for size in sizes:
        plan = work / f"history-{size}.yaml"
        write_history_plan(plan, make_plan, size)
        p = ["--plan", str(plan)]
        runs = runs_for(size)
        load_floor = median_of([sys.executable, "-c", _SAFE_LOAD, str(plan)], work, runs)
        for label, args in (
                (f"jtai status --as-of ({HISTORY_ENTRIES} entries per action)",
                 [JTAI, "status", *p, "--as-of", HISTORY_AS_OF]),
                (f"jtai report ({HISTORY_ENTRIES} entries per action)",
                 [JTAI, "report", *p, "--as-of", HISTORY_AS_OF])):
            measure = median_of(args, work, runs)
            if measure.exit_code not in (0, 1):
                label += f" (exit {measure.exit_code}!)"
            # Ratio to a libyaml load of the same (larger) file, as the plain rows have.
            rows.append(_row(label, size, measure, load_floor.seconds, size))
            print(rows[-1], flush=True)
            if size <= 20 and label.startswith("jtai status"):
                targets.append((f"`jtai status --as-of` of {size} actions with "
                                f"{HISTORY_ENTRIES} entries each ≤ 14× `python -c pass`",
                                measure.seconds / start_floor, 14))


def _row(label: str, size: int | str, m: Measure, floor: float, per: int | None) -> str:
    ms = m.seconds * 1000
    per_action = f"{m.seconds / per * 1e6:.0f} µs" if per else "-"
    per_kb = f"{m.peak_kb / per:.1f}" if per else "-"
    return (f"| {label} | {size if isinstance(size, str) else f'{size:,}'} | {ms:,.0f} | "
            f"{m.seconds / floor:.2f}x | {per_action} | {m.peak_kb / 1024:,.0f} | {per_kb} |")


def _write(rows: list[str], floors: list[str],
           targets: list[tuple[str, float, float]]) -> None:
    out = Path(os.environ.get("BENCH_OUT", REPO / "bench" / "results.md"))
    text = "\n".join([
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on: {machine()}.",
        "",
        "Whole processes, medians; peak memory is the largest max-RSS of the runs. Ratios "
        "compare start-up figures with `python -c pass` and whole-plan commands with a "
        "libyaml safe load of the same file (both measured in this run). The validated-plan "
        "cache is on, as for a user, so repeated runs on one file read it from there (its "
        "first run fills it); rows marked \"no cache\" run with `JTAI_NO_CACHE=1`, as a "
        "first read or a CI machine without a kept cache does.",
        "",
        "Each step that brought these figures down, with the profile that motivated it and "
        "its before and after, is in [startup.md](startup.md).",
        "",
        "| target | measured | met |",
        "| --- | ---: | --- |",
        *(f"| {name} | {ratio:.2f}× | {'yes' if ratio <= limit else '**no**'} |"
          for name, ratio, limit in targets),
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
