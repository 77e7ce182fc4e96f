"""Issue 16, a newcomer's first hour: each place a new user stumbled, as a test."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest

from conftest import Invoke
from jtaiplan.plan.dates import ACCEPTED_FORMS

BY = ("--by", "Jo Bloggs")
FORMS = ACCEPTED_FORMS  # "2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026"


# -- 2. one date grammar everywhere ---------------------------------------------------------

def _edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_plan_file_dates_read_in_every_accepted_form(jtai: Invoke, plan_copy: Path) -> None:
    _edit(plan_copy, "complete_by: 2025-09-30", "complete_by: 31/03/2026")
    _edit(plan_copy, "start: 2025-02-24", 'start: "24 February 2025"')
    _edit(plan_copy, "end: 2025-03-10", "end: 10.03.25")
    assert jtai("validate", "--plan", str(plan_copy)).exit_code == 0
    shown = json.loads(jtai("show", "1.3", "--plan", str(plan_copy), "--format", "json",
                            "--as-of", "2025-07-01").stdout)
    assert shown["due"] == "2026-03-31"


def test_fmt_writes_typed_dates_iso_and_nothing_else(jtai: Invoke, plan_copy: Path) -> None:
    original = plan_copy.read_text(encoding="utf-8")
    _edit(plan_copy, "complete_by: 2025-09-30", "complete_by: 30-09-2025")
    _edit(plan_copy, "start: 2025-02-24", 'start: "24 February 2025"')
    result = jtai("fmt", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{plan_copy.as_posix()}: reformatted\n"
    assert plan_copy.read_text(encoding="utf-8") == original


def test_fmt_refuses_a_plan_that_does_not_validate(jtai: Invoke, plan_copy: Path) -> None:
    _edit(plan_copy, "progress: Amber", "progress: Amberish")
    before = plan_copy.read_bytes()
    result = jtai("fmt", "--plan", str(plan_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"jtai: {plan_copy.as_posix()} is not a valid plan (1 problem), so it was not "
        "formatted; fix it (`jtai validate` lists them) and run jtai fmt again")
    assert "'Amberish' is not a RAG rating" in result.stderr
    assert plan_copy.read_bytes() == before
    assert jtai("fmt", "--check", "--plan", str(plan_copy)).exit_code == 1


@pytest.mark.parametrize("typed", ["2025-06-30", "30/06/2025", "30.06.25", "30-06-2025",
                                   "30 June 2025", "30 Jun 2025"])
def test_as_of_takes_every_form(jtai: Invoke, real_plan: Path, typed: str) -> None:
    result = jtai("status", "--plan", str(real_plan), "--format", "json", "--as-of", typed)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == "2025-06-30"


@pytest.mark.parametrize("typed", ["2027-03-31", "31/03/2027", "31.03.27", "31-03-2027",
                                   "31 March 2027"])
def test_due_and_on_take_every_form(jtai: Invoke, plan_copy: Path, typed: str) -> None:
    result = jtai("update", "6.1", "--due", typed, "--on", typed, "--reason", "board", *BY,
                  "--plan", str(plan_copy), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "-        complete_by: 2025-06-30\n+        complete_by: 2027-03-31\n" in result.stdout
    assert "+          - date: 2027-03-31\n" in result.stdout


def test_update_due_takes_a_declared_word(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("update", "6.1", "--due", "UNDERWAY", "--reason", "no date agreed yet",
                  *BY, "--on", "2025-07-01", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (f"jtai: updated {plan_copy.as_posix()}: 6.1: complete by "
                             "2025-06-30 → underway, reason recorded\n")


@pytest.mark.parametrize("command", [
    ("update", "6.1", *BY), ("add", "6", "--action", "A", "--owner", "BFfC", "--theme",
                             "Information Sharing", "--plan-type", "Operational", *BY)])
def test_due_next_tuesday_names_dates_and_words(jtai: Invoke, plan_copy: Path,
                                                command: tuple[str, ...]) -> None:
    before = plan_copy.read_bytes()
    result = jtai(*command, "--due", "next Tuesday", "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert result.stderr == (
        f"jtai: --due: 'next Tuesday' is neither a date ({FORMS}) nor one of the plan's "
        "complete-by words (In place, underway)\n")
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (("status", "--as-of", "soon"), f"jtai: --as-of must be a date such as {FORMS}; got 'soon'"),
    (("update", "6.1", "--note", "n", *BY, "--on", "yesterday"),
     f"jtai: --on must be a date such as {FORMS}; got 'yesterday'"),
    (("init", "x.yaml", "--start", "Feb 2026"),
     f"jtai: --start must be a date such as {FORMS}; got 'Feb 2026'"),
])
def test_refused_date_lists_the_accepted_forms(jtai: Invoke, real_plan: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               args: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    plan = () if args[0] == "init" else ("--plan", str(real_plan))
    result = jtai(*args, *plan)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        message, "    hint: dates are always day first, as in England: 01/02/2026 is "
                 "1 February 2026"]
    assert "YYYY-MM-DD" not in result.stderr


# -- 3. the reason a date moved --------------------------------------------------------------

REASON = "Awaiting partnership board sign-off"


@pytest.fixture
def moved(jtai: Invoke, plan_copy: Path) -> Path:
    result = jtai("update", "6.1", "--due", "31/03/2026", "--reason", REASON, *BY,
                  "--on", "2025-07-01", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stderr
    return plan_copy


def test_reason_in_show_and_json(jtai: Invoke, moved: Path) -> None:
    text = jtai("show", "6.1", "--plan", str(moved), "--as-of", "2025-07-01").stdout
    assert (f"Complete by:     2026-03-31 (revised)\nBaseline date:   2025-06-30\n"
            f"Date moved:      {REASON}\n") in text
    rows = json.loads(jtai("status", "--plan", str(moved), "--format", "json", "--objective",
                           "6", "--as-of", "2025-07-01").stdout)["actions"]
    assert {r["ref"]: r["revision_reason"] for r in rows} == {
        "6.1": REASON, "6.2": None, "6.3": None}


def test_reason_in_reports(jtai: Invoke, moved: Path, tmp_path: Path) -> None:
    markdown = jtai("report", "--plan", str(moved), "--format", "markdown", "--as-of",
                    "2025-07-01").stdout
    assert (f"| 2026-03-31 (revised) (baseline 2025-06-30); moved: {REASON} | Amber |"
            in markdown)
    html = tmp_path / "r.html"
    assert jtai("report", "--plan", str(moved), "--as-of", "2025-07-01", "-o",
                str(html)).exit_code == 0
    assert (f'<br><small>baseline 2025-06-30</small><br><small class="reason">moved: '
            f"{REASON}</small>") in html.read_text(encoding="utf-8")


# -- 4. starting a plan for another partnership ---------------------------------------------

AGENCIES = ("--agency", "WBC=Wokingham Borough Council", "--agency", "TVP=Thames Valley Police")


def test_init_add_objective_and_two_adds_validate(jtai: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "wokingham.yaml"
    steps = [
        ("init", str(plan), "--area", "Wokingham", *AGENCIES, "--start", "02/02/2026",
         "--end", "13 February 2026"),
        ("add-objective", "--title", "STRATEGY MEETINGS", "--risk", "High", "--lead", "wbc",
         "--good", "Every agency that knows the child is at the strategy meeting",
         "--plan", str(plan)),
        ("add", "2", "--action", "Audit strategy meeting attendance", "--owner", "WBC,tvp",
         "--theme", "service delivery and design", "--plan-type", "operational", "--due",
         "31/03/2027", *BY, "--plan", str(plan)),
        ("add", "2", "--action", "Train strategy meeting chairs", "--owner",
         "Thames Valley Police", "--theme", "Learning and Training", "--plan-type",
         "Strategic", "--due", "underway", *BY, "--plan", str(plan)),
    ]
    for step in steps:
        result = jtai(*step)
        assert result.exit_code == 0, (step, result.stderr)
    assert jtai("validate", "--plan", str(plan)).exit_code == 0
    text = plan.read_text(encoding="utf-8")
    assert ("agencies:\n  - code: WBC\n    name: Wokingham Borough Council\n"
            "  - code: TVP\n    name: Thames Valley Police\n") in text
    assert "  start: 2026-02-02\n  end: 2026-02-13\n" in text
    assert ("  - number: 2\n    title: STRATEGY MEETINGS\n    risk: high\n    lead: WBC\n"
            "    characteristics_of_good: Every agency that knows the child is at the strategy "
            "meeting\n    actions:\n      - ref: \"2.1\"\n") in text
    rows = json.loads(jtai("status", "--plan", str(plan), "--format", "json").stdout)["actions"]
    assert [(r["ref"], r["owners"], r["due"], r["due_status"]) for r in rows] == [
        ("1.1", ["WBC", "TVP"], rows[0]["due"], None),
        ("2.1", ["WBC", "TVP"], "2027-03-31", None),
        ("2.2", ["TVP"], None, "underway")]


@pytest.mark.parametrize(("args", "message"), [
    (("--title", "T", "--risk", "severe", "--lead", "BFfC"),
     "jtai: --risk: 'severe' is not one of the plan's values"),
    (("--title", "T", "--risk", "high", "--lead", "Nobody"),
     "jtai: --lead: unknown agency 'Nobody'"),
    (("--title", "T", "--risk", "high", "--lead", "BFfC", "--number", "3"),
     "jtai: objective 3 is already in the plan"),
    (("--title", " ", "--risk", "high", "--lead", "BFfC"), "jtai: --title must not be empty"),
])
def test_add_objective_refusals(jtai: Invoke, plan_copy: Path, args: tuple[str, ...],
                                message: str) -> None:
    before = plan_copy.read_bytes()
    result = jtai("add-objective", *args, "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message
    assert plan_copy.read_bytes() == before


def test_add_objective_numbers_the_next_one(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("add-objective", "--title", "TRANSITIONS", "--risk", "MODERATE", "--lead",
                  "police", "--plan", str(plan_copy), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert ("+  - number: 11\n+    title: TRANSITIONS\n+    risk: moderate\n+    lead: TVP\n"
            in result.stdout)


@pytest.mark.parametrize(("agency", "message"), [
    ("WBC", "jtai: --agency 'WBC' is not CODE=NAME"),
    ("two words=X", "jtai: --agency 'two words=X' is not CODE=NAME"),
    ("WBC=", "jtai: --agency 'WBC=' is not CODE=NAME"),
])
def test_init_agency_refusals(jtai: Invoke, tmp_path: Path, agency: str, message: str) -> None:
    plan = tmp_path / "new.yaml"
    result = jtai("init", str(plan), "--agency", agency)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message
    assert not plan.exists()


def test_declared_words_in_any_case_in_the_file(jtai: Invoke, plan_copy: Path) -> None:
    _edit(plan_copy, "risk: high", "risk: High")
    _edit(plan_copy, "theme: Information Sharing", "theme: INFORMATION SHARING")
    _edit(plan_copy, "plan_type: Strategic", "plan_type: strategic")
    result = jtai("validate", "--plan", str(plan_copy))
    assert result.exit_code == 0, result.stdout
    shown = jtai("show", "2.1", "--plan", str(plan_copy), "--as-of", "2025-07-01").stdout
    assert "  Risk: High risk: Urgent activity required\n" in shown
    rows = json.loads(jtai("status", "--plan", str(plan_copy), "--format", "json",
                           "--theme", "information sharing").stdout)["actions"]
    assert "INFORMATION SHARING" in {r["theme"] for r in rows}


# -- 5. the terminal table at 80 columns ----------------------------------------------------

def test_status_at_80_columns_is_compact(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("status", "--plan", str(real_plan), "--as-of", "2025-07-01",
                  env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    assert max(len(line) for line in lines) <= 80
    assert lines[:8] == [
        "JTAI Reading: Multi-Agency Improvement Plan · as of 2025-07-01",
        "Ref    Complete by           Progress Impact Owners / action",
        "",
        "Objective 1: VOICE AND EXPERIENCE OF INDIVIDUAL CHILDREN (lead TVP)",
        "1.1    In place              Blue     —      TVP, BFfC",
        "       ABE Interviewing with police is in place – to upskill social workers…",
        "1.2    2025-06-30 OVERDUE    Amber    —      BWSCP",
        "       All partners across the Reading partnership can evidence that they…",
    ]
    # Each action: one line of facts starting with its ref, then at most one more line.
    ref_lines = [i for i, line in enumerate(lines) if re.match(r"\d+\.\d+ ", line)]
    assert len(ref_lines) == 20
    for i in ref_lines:
        assert lines[i + 1].startswith("       ") and lines[i + 1].strip()
        assert not lines[i + 2].startswith("       ")
    assert len(lines) < 70


def _badge_codes(color_system: str) -> dict[str, str]:
    from rich.console import Console

    from jtaiplan.cli.terminal import _rag

    codes = {}
    for word in ("Blue", "Green", "Amber", "Red"):
        out = StringIO()
        console = Console(file=out, force_terminal=True, color_system=color_system,  # type: ignore[arg-type]
                          width=80)
        console.print(_rag(word), end="")
        match = re.match(r"\x1b\[([0-9;]+)m " + word + r" \x1b\[0m", out.getvalue())
        assert match, repr(out.getvalue())
        codes[word] = match[1]
    return codes


@pytest.mark.parametrize("color_system", ["standard", "256"])
def test_rag_badges_differ_in_16_and_256_colours(color_system: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    # Background 44 blue, 42 green, 43 yellow, 41 red: the four the terminal itself names,
    # never white (47, 107) or a grey of the 256-colour ramp (48;5;7, 48;5;8, 48;5;232+).
    assert _badge_codes(color_system) == {
        "Blue": "1;37;44", "Green": "30;42", "Amber": "30;43", "Red": "1;37;41"}


def test_status_table_colours_through_the_cli(jtai: Invoke, real_plan: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    result = jtai("status", "--plan", str(real_plan), "--as-of", "2025-07-01",
                  "--objective", "2", env={"COLUMNS": "80", "FORCE_COLOR": "1",
                                           "TERM": "xterm", "COLORTERM": ""})
    assert "\x1b[1;37;44m Blue \x1b[0m" in result.stdout
    assert "\x1b[30;42m Green \x1b[0m" in result.stdout
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


# -- 6. the smaller ones ---------------------------------------------------------------------

def test_date_moves_are_hinted_with_reason(jtai: Invoke, real_plan: Path) -> None:
    result = jtai("lint", "--plan", str(real_plan), "--as-of", "2025-07-01", "--format", "json")
    hints = {f["hint"] for f in json.loads(result.stdout)
             if f["code"] in ("JTAI101", "JTAI103")}
    assert "`jtai complete 1.2 --evidence ...` or `jtai update 1.2 --due DATE --reason ...`" \
        in hints
    assert not [h for h in hints if "--note" in h]
    rules = jtai("rules", "JTAI101").stdout
    assert "(`jtai update REF --due DATE --reason ...`)" in rules
    assert "``" not in rules


@pytest.mark.parametrize(("command", "usage", "argument"), [
    ("update", "Usage: jtai update [OPTIONS] REF", "  REF  The action's ref, e.g. 2.2.  "
                                                   "[required]"),
    ("show", "Usage: jtai show [OPTIONS] REF", None),
    ("complete", "Usage: jtai complete [OPTIONS] REF", None),
    ("add", "Usage: jtai add [OPTIONS] OBJECTIVE",
     "  OBJECTIVE  The objective's number; PLAN:N among several plans.  [required]"),
    ("rules", "Usage: jtai rules [OPTIONS] [CODE]", None),
    ("diff", "Usage: jtai diff [OPTIONS] [BASE] [HEAD]", None),
    ("init", "Usage: jtai init [OPTIONS] [PATH]", None),
])
def test_help_reads_without_type_noise(jtai: Invoke, command: str, usage: str,
                                       argument: str | None) -> None:
    text = jtai(command, "--help").stdout
    assert text.splitlines()[0] == usage
    if argument:
        assert argument in text.splitlines()
    assert not re.search(r"<str>|<int|<path>|\{[a-z]+\}", text)


def test_add_progress_has_help(jtai: Invoke) -> None:
    assert "  --progress RAG                  Progress rating to start with: blue, green," \
        in jtai("add", "--help").stdout.splitlines()


@pytest.mark.parametrize(("old", "new", "message"), [
    ("        progress: Green\n", "        progress:Green\n",
     "a line here or just above is not 'key: value': is there a space after the colon "
     "(progress: Green, not progress:Green), and is every quote above closed? (the YAML "
     "reader says: could not find expected ':' (while scanning a simple key))"),
    ("        progress: Green\n", "       progress: Green\n",
     "this line is not indented like the list items around it (the YAML reader says: did "
     "not find expected '-' indicator (while parsing a block collection))"),
    ("        plan_type: Operational\n", '        plan_type: "Operational\n',
     "the quote opened on line 85 is not closed on that line, so the lines after it are "
     "read as part of its text (the YAML reader says: did not find expected key"),
    ("  review_cadence_days: 42\n", '  review_cadence_days: "42\n',
     "a quote opened here is never closed (the YAML reader says: found unexpected end of "
     "stream (while scanning a quoted scalar))"),
])
def test_yaml_errors_in_plain_english(jtai: Invoke, plan_copy: Path, old: str, new: str,
                                      message: str) -> None:
    _edit(plan_copy, old, new)
    result = jtai("validate", "--plan", str(plan_copy), "--format", "json")
    assert result.exit_code == 1
    finding = json.loads(result.stdout)[0]
    assert finding["code"] == "JTAI001"
    assert finding["message"].startswith(f"YAML syntax error: {message}")


def test_generated_files_are_ignored_by_git() -> None:
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text().splitlines()
    for pattern in ("/report.html", "/report.md", "/*.xlsx", "/*.docx", "/*.ics", "/exports/",
                    "/packs/"):
        assert pattern in ignored


def test_top_level_help_examples_are_not_rewrapped(jtai: Invoke) -> None:
    lines = jtai("--help", env={"COLUMNS": "80"}).stdout.splitlines()
    assert "    jtai status --owner BFfC             what Brighter Futures for Children owes" \
        in lines
    assert "    jtai status --overdue --format json  overdue actions, for a script" in lines


def _main_output(args: list[str], *, whole_app: bool = False) -> tuple[int, str]:
    """``jtai ARGS`` as a user runs it, through ``main()``, which builds only what it needs;
    or through the app with every command built."""
    import os
    import subprocess
    import sys

    run = ["-c", "import sys; from jtaiplan.cli.main import app; sys.argv[0] = 'jtai'; "
           "app(prog_name='jtai')"] if whole_app else ["-m", "jtaiplan"]
    done = subprocess.run([sys.executable, *run, *args], capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, "COLUMNS": "100"})
    return done.returncode, done.stdout + done.stderr


def test_root_help_lists_every_command_without_building_them() -> None:
    """`jtai --help` lists the commands from their docstrings, unbuilt (issue 15): the same
    text as the app with all twenty built."""
    from jtaiplan.cli.main import COMMANDS

    code, text = _main_output(["--help"])
    assert code == 0
    assert (code, text) == _main_output(["--help"], whole_app=True)
    listed = [line.split()[0] for line in text.split("Commands:\n", 1)[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == list(COMMANDS)


def test_a_mistyped_command_is_refused_with_a_suggestion() -> None:
    code, text = _main_output(["stauts"])
    assert code == 2
    assert text.splitlines()[-1] == "Error: No such command 'stauts'. Did you mean 'status'?"
