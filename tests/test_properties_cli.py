"""Property tests: whatever the file and whatever the command line, jtai keeps its promises.

Generated inputs: YAML documents built from random data (dumped by PyYAML and by ruamel.yaml,
block and flow style), raw random text and bytes, and mutations of the real plan.yaml (a line
deleted, duplicated or re-indented; characters swapped; tabs, quotes, colons, markers and
invisible characters inserted). Generated command lines: every command with options drawn
from valid values, near misses and random text.

The promises: exit 0, 1 or 2 (3 is a bug), never a traceback, a message whenever the exit is
not 0, and a file left byte-identical whenever a command refuses. The runs are derandomized
and keep no example database, so CI sees the same cases every time; each example has a
deadline, and the whole file runs in well under a minute.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner, Result

from conftest import REAL_PLAN
from jtaiplan.cli.main import app

PLAN_TEXT = REAL_PLAN.read_text(encoding="utf-8")
PLAN_LINES = PLAN_TEXT.splitlines(keepends=True)

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    print_blob=False,
)
RUNNER = CliRunner()

READ = [("status",), ("show", "1.1"), ("validate",), ("lint", "--as-of", "2025-07-01"),
        ("report", "--format", "markdown"), ("report", "--format", "html"),
        ("status", "--format", "json"), ("lint", "--format", "sarif", "--as-of", "2025-07-01")]
WRITE = [("update", "1.1", "--progress", "amber", "--by", "t", "--on", "2025-07-01"), ("fmt",)]
COUNTS: dict[str, int] = {}
"""How many generated cases of each kind ran: `make property-counts` prints it."""


def _count(kind: str) -> None:
    COUNTS[kind] = COUNTS.get(kind, 0) + 1


def run(*args: str) -> Result:
    return RUNNER.invoke(app, list(args), catch_exceptions=False)


def check(result: Result, args: tuple[str, ...]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output[-3000:])
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output[-3000:])
    if result.exit_code != 0:
        assert output.strip(), (args, "non-zero exit without a message")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


DATE_LIKE = re.compile(rb"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")



def through_commands(plan: Path, data: bytes, command: tuple[str, ...]) -> None:
    """Write ``data`` as the plan, run one command on it, check every promise."""
    plan.write_bytes(data)
    args = (*command, "--plan", str(plan))
    result = run(*args)
    check(result, args)
    _count(f"cli:{command[0]}")
    _count(f"exit {result.exit_code}")
    if command in WRITE or command[0] in ("update", "fmt"):
        if result.exit_code != 0:
            assert plan.read_bytes() == data, (args, "a refused write changed the file")
    else:
        assert plan.read_bytes() == data, (args, "a read command changed the file")


# -- documents -------------------------------------------------------------------------

KEYS = ["version", "inspection", "objectives", "actions", "ref", "progress", "impact",
        "complete_by", "owners", "theme", "plan_type", "agencies", "code", "name", "themes",
        "plan_types", "risk_levels", "number", "title", "risk", "lead", "updates", "date",
        "by", "lint", "waivers", "start", "end", "type", "area"]
WEIRD_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
                     max_size=30)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), WEIRD_TEXT,
    st.sampled_from(["Blue", "Green", "Amber", "Red", "Purple", "", "1.1", "2.10", "yes",
                     "no", "~", "In place", "2025-02-31", "31/02/2025", "2025-07-01"]),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), WEIRD_TEXT), children, max_size=6),
    ),
    max_leaves=40,
)


def dump_pyyaml(data: Any, flow: bool | None, unicode: bool) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode,
                          sort_keys=False)


def dump_ruamel(data: Any) -> str:
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    data = draw(st.one_of(DATA, st.dictionaries(st.sampled_from(KEYS), DATA, max_size=8)))
    how = draw(st.sampled_from(["block", "flow", "default", "ascii", "ruamel"]))
    if how == "ruamel":
        text = dump_ruamel(data)
    else:
        text = dump_pyyaml(data, {"block": False, "flow": True}.get(how), how != "ascii")
    return text.encode("utf-8")


@settings(SETTINGS, max_examples=250)
@given(document=yaml_documents(), command=st.sampled_from(READ + WRITE))
def test_generated_yaml_documents(workdir: Path, document: bytes,
                                  command: tuple[str, ...]) -> None:
    _count("documents")
    through_commands(workdir / "plan.yaml", document, command)


@settings(SETTINGS, max_examples=150)
@given(raw=st.one_of(st.binary(max_size=300), WEIRD_TEXT.map(lambda t: t.encode("utf-8")),
                     st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))),
       command=st.sampled_from(READ + WRITE))
def test_raw_text_and_bytes(workdir: Path, raw: bytes, command: tuple[str, ...]) -> None:
    _count("raw")
    through_commands(workdir / "plan.yaml", raw, command)


# -- mutations of the real plan ----------------------------------------------------------

INSERTS = ["\t", '"', "'", ":", ": ", "- ", "#", "[", "]", "{", "}", "&a ", "*a", "!x ", "|",
           ">", "%", "@", "`", ",", "?", "\u00a0", "\u2028", "\x85", "\x07", "\x00", "\r",
           "\ufeff", "\u201c", "\u2019", "<<<<<<< HEAD\n", "=======\n", ">>>>>>> main\n",
           "---\n", "...\n", "~", "!!python/object/apply:os.system ['true'] ", "9" * 5000,
           "1e999", "\\", "\n"]


def _delete(lines: list[str], i: int, _d: st.DrawFn) -> None:
    del lines[i]


def _duplicate(lines: list[str], i: int, _d: st.DrawFn) -> None:
    lines.insert(i, lines[i])


def _swap(lines: list[str], i: int, draw: st.DrawFn) -> None:
    line = lines[i]
    if len(line) > 2:
        j = draw(st.integers(0, len(line) - 2))
        lines[i] = line[:j] + line[j + 1] + line[j] + line[j + 2:]


def _insert(lines: list[str], i: int, draw: st.DrawFn) -> None:
    line = lines[i]
    j = draw(st.integers(0, len(line)))
    lines[i] = line[:j] + draw(st.sampled_from(INSERTS)) + line[j:]


def _reindent(lines: list[str], i: int, draw: st.DrawFn) -> None:
    shift = draw(st.sampled_from([-2, -1, 1, 2]))
    lines[i] = lines[i][-shift:] if shift < 0 else " " * shift + lines[i]


def _replace_value(lines: list[str], i: int, draw: st.DrawFn) -> None:
    key, sep, _value = lines[i].partition(": ")
    if sep:
        value = draw(st.one_of(SCALARS.map(str), WEIRD_TEXT))
        lines[i] = f"{key}: {value}\n"


def _truncate(lines: list[str], i: int, draw: st.DrawFn) -> None:
    cut = draw(st.integers(0, len(lines[i])))
    lines[i] = lines[i][:cut]
    del lines[i + 1:]


MUTATIONS: list[Callable[[list[str], int, st.DrawFn], None]] = [
    _delete, _duplicate, _swap, _insert, _insert, _reindent, _replace_value, _truncate]


@st.composite
def mutated_plans(draw: st.DrawFn) -> bytes:
    lines = list(PLAN_LINES)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        draw(st.sampled_from(MUTATIONS))(lines, i, draw)
    text = "".join(lines)
    if draw(st.booleans()):
        return text.encode("utf-8", "surrogatepass")
    # As saved on Windows: CRLF and, sometimes, a byte-order mark.
    return (draw(st.sampled_from(["", "\ufeff"])) + text.replace("\n", "\r\n")).encode("utf-8")


@settings(SETTINGS, max_examples=400)
@given(plan=mutated_plans(), command=st.sampled_from(READ + WRITE))
def test_mutated_real_plan(workdir: Path, plan: bytes, command: tuple[str, ...]) -> None:
    _count("mutations")
    through_commands(workdir / "plan.yaml", plan, command)


# -- command lines -------------------------------------------------------------------------

RAGS = ["blue", "Green", "AMBER", "red", "Purple", "", "none", "amber,red", "Blue,Purple"]
DATES = ["2025-07-01", "2025-02-31", "31/02/2025", "30/06/2025", "30.06.25", "06/30/2025",
         "tomorrow", "", "2025-7-1", "0000-01-01", "9999-12-31", "2025-13-01"]
REFS = ["1.1", "2.10", "9.9", "1", "1.1.1", "", "banana", "-1", "1.01", "١.١"]
AGENCIES = ["TVP", "bffc", "Police", "Nobody", "", "TVP,BFfC", ",", "KCC,,"]
NUMBERS = ["0", "1", "-1", "2", "99", "3.5", "x", "", "2,3", "1e3"]
TEXTS = ["A note", "", "   ", "bell\x07", "nel\x85x", "sep\u2028x", "nul\x00x", "x" * 30_000,
         '"quoted": yes', "- item", "# comment", "{flow: map}", "&anchor *alias", "\t"]


def value(choices: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(choices), WEIRD_TEXT)


def options(draw: st.DrawFn, table: dict[str, st.SearchStrategy[str] | None]) -> list[str]:
    if not table:
        return []
    chosen = draw(st.lists(st.sampled_from(sorted(table)), max_size=4, unique=True))
    out: list[str] = []
    for name in chosen:
        strategy = table[name]
        out += [name] if strategy is None else [name, draw(strategy)]
    return out


FILTERS: dict[str, st.SearchStrategy[str] | None] = {
    "--owner": value(AGENCIES), "--lead": value(AGENCIES), "--objective": value(NUMBERS),
    "--progress": value(RAGS), "--impact": value(RAGS), "--theme": value(["Learning and "
    "Training", "nope"]), "--plan-type": value(["Operational", "strategic", "x"]),
    "--overdue": None, "--due-within": value(NUMBERS), "--as-of": value(DATES),
}
COMMAND_OPTIONS: dict[str, dict[str, st.SearchStrategy[str] | None]] = {
    "status": {**FILTERS, "--format": value(["table", "json", "csv", "markdown", "xml"])},
    "show": {"--as-of": value(DATES), "--format": value(["text", "json", "yaml"])},
    "validate": {"--format": value(["text", "json", "xml"])},
    "lint": {"--as-of": value(DATES), "--format": value(["text", "json", "github", "sarif",
                                                          "xml"]),
             "--select": value(["JTAI1", "JTAI101", "JTAI999", "x"]),
             "--ignore": value(["JTAI2", "JTAI206", "nope"]), "--strict": None,
             "--exit-zero": None, "--due-soon-days": value(NUMBERS),
             "--review-cadence-days": value(NUMBERS), "--base": value(["HEAD", "nope"])},
    "report": {**FILTERS, "--format": value(["html", "markdown", "pdf", "HTML"]),
               "--group-by": value(["objective", "owner", "theme", "colour"]),
               "--templates": value(["/nonexistent", "."])},
    "update": {"--progress": value(RAGS), "--impact": value(RAGS), "--due": value(DATES),
               "--note": value(TEXTS), "--reason": value(TEXTS), "--evidence": value(TEXTS),
               "--impact-evidence": value(TEXTS), "--on": value(DATES),
               "--dry-run": None},
    "complete": {"--note": value(TEXTS), "--on": value(DATES), "--dry-run": None},
    "add": {"--multi-agency": None, "--single-agency": None, "--progress": value(RAGS),
            "--note": value(TEXTS), "--on": value(DATES), "--dry-run": None},
    "fmt": {"--check": None},
    "rules": {"--format": value(["text", "json", "xml"])},
    "schema": {},
}
WRITES = {"update", "complete", "add", "fmt"}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMAND_OPTIONS)))
    args = [command]
    if command in ("show", "update", "complete"):
        args.append(draw(value(REFS)))
    if command == "add":
        args.append(draw(value(NUMBERS)))
        args += ["--action", draw(value(TEXTS)), "--owner", draw(value(AGENCIES)),
                 "--theme", draw(value(["Learning and Training", "Cooking"])),
                 "--plan-type", draw(value(["Operational", "x"])), "--due", draw(value(DATES))]
    if command == "complete":
        args += ["--evidence", draw(value(TEXTS))]
    if command == "rules":
        args += draw(st.lists(value(["JTAI101", "jtai206", "JTAI999", ""]), max_size=1))
    if command in ("update", "complete", "add"):
        args += ["--by", draw(value(["Sam", "", "bell\x07"]))]
    args += options(draw, COMMAND_OPTIONS[command])
    return args



@settings(SETTINGS, max_examples=600)
@given(args=command_lines())
def test_arbitrary_command_lines(workdir: Path, args: list[str]) -> None:
    _count(f"argv:{args[0]}")
    plan = workdir / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    before = plan.read_bytes()
    full = (*args, "--plan", str(plan)) if args[0] not in ("rules", "schema") else tuple(args)
    result = run(*full)
    check(result, full)
    _count(f"exit {result.exit_code}")
    if args[0] not in WRITES or result.exit_code != 0 or "--dry-run" in args or (
            "--check" in args):
        assert plan.read_bytes() == before, (full, "the file changed")


# -- bugs outside the loader, found by the tests above (since fixed) -------------------


@pytest.mark.parametrize("objective", ["²", "9" * 5000])
def test_objective_filter_with_odd_digits(workdir: Path, objective: str) -> None:
    plan = workdir / "plan.yaml"
    shutil.copyfile(REAL_PLAN, plan)
    args = ("status", "--objective", objective, "--plan", str(plan))
    result = run(*args)
    check(result, args)
    assert result.exit_code == 2
    assert result.stderr == (f"jtai: --objective: no objective '{objective}'\n"
                             "    hint: objectives are numbered 1 to 10\n")
    assert result.stdout == ""
