"""Hostile input: never a traceback, never a lost byte.

Every file in tests/hostile/ (see its README.md) goes through every read command and both
writing commands. Whatever the file holds, jtai exits 0, 1 or 2 (3 is a bug), prints no
traceback, says what is wrong when it refuses, and leaves the file byte-identical when a
write is refused. Then exact messages for the classes that must be named, the size and depth
limits (deep nesting runs in a subprocess, so a crash of the interpreter is a failure rather
than the end of the test run), and bad option values on every command.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import REPO, Invoke

HOSTILE = Path(__file__).resolve().parent / "hostile"
CORPUS = sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md")
README = (HOSTILE / "README.md").read_text(encoding="utf-8")
AS_OF = "2025-07-01"

READ_COMMANDS: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "show": ("show", "1.1"),
    "validate": ("validate",),
    "lint": ("lint", "--as-of", AS_OF),
    "report-markdown": ("report", "--format", "markdown"),
    "report-html": ("report", "--format", "html"),
    # every page rendered, nothing written: -o names a folder that is never made
    "site": ("site", "--dry-run", "-o", "hostile-site-never-written"),
}
WRITE_COMMANDS: dict[str, tuple[str, ...]] = {
    "update": ("update", "1.1", "--progress", "amber", "--by", "t", "--on", AS_OF),
    "fmt": ("fmt",),
}
# validate and lint print their findings on stdout (they are the command's output, for CI);
# every other command says why it refused on stderr.
FINDINGS_ON_STDOUT = {"validate", "lint"}
LOCATED = re.compile(r":\d+:\d+: JTAI\d{3} ")


def _check_sane(result: Result, command: str) -> None:
    """The invariants every run must keep, whatever the input."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.exit_code in (0, 1, 2), (result.exit_code, output[-3000:])
    if result.exit_code != 0:
        said = result.stderr.strip()
        if command in FINDINGS_ON_STDOUT:
            said = said or result.stdout.strip()
        assert said, f"{command} exited {result.exit_code} without saying why"


def _in_tmp(source: Path, tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    shutil.copyfile(source, plan)
    return plan


# -- the corpus itself -----------------------------------------------------------------


def test_corpus_is_large_and_documented() -> None:
    assert len(CORPUS) >= 40
    for path in CORPUS:
        assert f"| `{path.name}` |" in README, f"{path.name} is missing from hostile/README.md"
    listed = set(re.findall(r"^\| `([^`]+)` \|", README, re.MULTILINE))
    assert listed == {p.name for p in CORPUS}, listed ^ {p.name for p in CORPUS}


# Files whose format leaves no room for a leading comment line (README.md describes them).
NO_COMMENT = {"binary-png.yaml", "binary-zip-docx.yaml", "utf16-le-bom.yaml", "utf16-be.yaml",
              "empty.yaml", "bom-only.yaml", "bom-twice.yaml"}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_file_says_what_it_is(path: Path) -> None:
    if path.name in NO_COMMENT:
        return
    first = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    assert first.startswith(b"# hostile: ") and len(first.strip()) > len(b"# hostile:"), (
        f"{path.name} should start with '# hostile: <what it is>'")


# -- every file through every command ------------------------------------------------


# Bugs found by this corpus and not yet fixed: each is a strict xfail, so that once fixed
# the case passes, the xfail fails, and the entry goes.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _cases(commands: dict[str, tuple[str, ...]]) -> list[object]:
    return [pytest.param(path, command, id=f"{path.name}-{command}", marks=[
        pytest.mark.xfail(reason=KNOWN_BUGS[path.name, command], strict=True)
    ] if (path.name, command) in KNOWN_BUGS else []) for path in CORPUS for command in commands]


def _comments(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _findings(jtai: Invoke, plan: Path) -> tuple[int, list[str]]:
    result = jtai("validate", "--format", "json", "--plan", str(plan))
    _check_sane(result, "validate")
    found = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, sorted(f"{f['code']} {f['message']}" for f in found)


@pytest.mark.parametrize(("path", "command"), _cases(READ_COMMANDS))
def test_read_commands_survive(jtai: Invoke, tmp_path: Path, path: Path, command: str) -> None:
    plan = _in_tmp(path, tmp_path)
    before = plan.read_bytes()
    result = jtai(*READ_COMMANDS[command], "--plan", str(plan))
    _check_sane(result, command)
    if result.exit_code == 1 and command not in FINDINGS_ON_STDOUT:
        # A plan with problems is named with its line: file:LINE:COLUMN: JTAInnn.
        assert LOCATED.search(result.stderr), result.stderr
    assert plan.read_bytes() == before, f"{command} changed the file"


@pytest.mark.parametrize(("path", "command"), _cases(WRITE_COMMANDS))
def test_write_commands_never_lose_a_byte(jtai: Invoke, tmp_path: Path, path: Path,
                                          command: str) -> None:
    plan = _in_tmp(path, tmp_path)
    before = plan.read_bytes()
    checked_before = _findings(jtai, plan)
    result = jtai(*WRITE_COMMANDS[command], "--plan", str(plan))
    _check_sane(result, command)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers, leftovers
    after = plan.read_bytes()
    if result.exit_code != 0:
        assert after == before, f"refused {command} changed the file"
        return
    if after == before:
        return
    checked_after = _findings(jtai, plan)
    if command == "update":
        # Only a valid plan is ever changed, and it stays valid.
        assert checked_after[0] == 0, checked_after
    else:
        # fmt changes the layout, never what the plan says, and keeps every comment.
        assert checked_after == checked_before
        assert _comments(after) == _comments(before)


@functools.cache
def _fuzz_target() -> Callable[[bytes], None]:
    spec = importlib.util.spec_from_file_location(
        "fuzz_loader", Path(__file__).resolve().parent / "fuzz" / "fuzz_loader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target: Callable[[bytes], None] = module.TestOneInput
    return target


@pytest.mark.parametrize("path", [pytest.param(path, id=path.name, marks=[
    pytest.mark.xfail(reason=KNOWN_BUGS[path.name, "validate"], strict=True)
] if (path.name, "validate") in KNOWN_BUGS else []) for path in CORPUS])
def test_fuzz_target_takes_the_corpus(path: Path) -> None:
    """The atheris target (tests/fuzz/fuzz_loader.py) on each seed: loader and every rule,
    in-process, where only JtaiError may escape."""
    try:
        _fuzz_target()(path.read_bytes())
    except Exception as exc:  # the target lets JtaiError through as a refusal, not a crash
        pytest.fail(f"{type(exc).__name__} escaped the loader or a rule on {path.name}: {exc}")


# -- exact messages --------------------------------------------------------------------


def _run(jtai: Invoke, name: str, tmp_path: Path, *args: str) -> Result:
    plan = _in_tmp(HOSTILE / name, tmp_path)
    return jtai(*(args or ("status",)), "--plan", str(plan))


def _line_of(name: str, needle: str) -> int:
    """The 1-based line of ``needle``'s first place after the '# hostile:' line."""
    text = (HOSTILE / name).read_bytes().decode("utf-8").replace("\r\n", "\n")
    return text[: text.index(needle, text.index("\n"))].count("\n") + 1


def test_merge_conflict_names_marker_and_line(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "merge-conflict.yaml", tmp_path)
    assert result.exit_code == 1
    line = _line_of("merge-conflict.yaml", "<<<<<<<")
    assert f"plan.yaml:{line}:1: JTAI001" in result.stderr
    assert f"git merge-conflict marker '<<<<<<<' on line {line}" in result.stderr
    assert "half-merged" in result.stderr


def test_half_merged_end_marker_is_named(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "half-merged-end-marker.yaml", tmp_path)
    line = _line_of("half-merged-end-marker.yaml", ">>>>>>>")
    assert result.exit_code == 1
    assert f"marker '>>>>>>>' on line {line}" in result.stderr


def test_merge_conflict_in_crlf_file_counts_lines(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "merge-conflict-crlf.yaml", tmp_path, "validate")
    line = _line_of("merge-conflict-crlf.yaml", "<<<<<<<")
    assert result.exit_code == 1
    assert f"marker '<<<<<<<' on line {line}" in result.stdout


def test_duplicate_key_names_both_lines(jtai: Invoke, tmp_path: Path) -> None:
    name = "duplicate-key-action.yaml"
    first = _line_of(name, "progress: Blue")
    result = _run(jtai, name, tmp_path)
    assert result.exit_code == 1
    assert f"plan.yaml:{first + 1}:9: JTAI001" in result.stderr
    assert f"duplicate key 'progress' (first on line {first})" in result.stderr


def test_duplicate_top_level_key_names_both_lines(jtai: Invoke, tmp_path: Path) -> None:
    name = "duplicate-key-top.yaml"
    first, second = _line_of(name, "themes:"), _line_of(name, "themes: [Other]")
    plan = _in_tmp(HOSTILE / name, tmp_path)
    before = plan.read_bytes()
    result = jtai("status", "--plan", str(plan))
    assert result.exit_code == 1
    assert f"plan.yaml:{second}:1: JTAI001 error: duplicate key 'themes' (first on line " \
        f"{first})" in result.stderr
    assert result.stdout == ""
    assert plan.read_bytes() == before


def test_python_tag_is_named_and_never_run(jtai: Invoke, tmp_path: Path) -> None:
    pwned = Path("/tmp/jtai-pwned")
    if pwned.exists():
        pwned.unlink()
    name = "tag-python-os-system.yaml"
    for command in (*READ_COMMANDS.values(), *WRITE_COMMANDS.values()):
        result = _run(jtai, name, tmp_path, *command)
        assert result.exit_code == 1, result.stdout + result.stderr
        said = result.stdout + result.stderr
        line = _line_of(name, "!!python")
        assert f"plan.yaml:{line}:17: JTAI001" in said
        assert "explicit YAML tag '!!python/object/apply:os.system' is not allowed" in said
    assert not pwned.exists()


def test_custom_tag_is_named(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "tag-custom.yaml", tmp_path)
    assert result.exit_code == 1
    line = _line_of("tag-custom.yaml", "!secret")
    assert f"plan.yaml:{line}:9: JTAI001 error: explicit YAML tag '!secret' is not allowed " \
        "in a plan" in result.stderr
    assert result.stdout == ""


def test_anchor_and_alias_are_refused(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "anchor-alias.yaml", tmp_path)
    assert result.exit_code == 1
    assert "YAML anchor '&both' is not allowed" in result.stderr
    assert "YAML alias '*both' is not allowed" in result.stderr
    assert "expand without limit" in result.stderr


def test_billion_laughs_is_refused_quickly(jtai: Invoke, tmp_path: Path) -> None:
    start = time.perf_counter()
    result = _run(jtai, "billion-laughs.yaml", tmp_path, "validate")
    assert time.perf_counter() - start < 2
    assert result.exit_code == 1
    assert result.stdout.count("is not allowed in a plan") >= 10
    assert len(result.stdout) < 20_000


def test_findings_are_capped(jtai: Invoke, tmp_path: Path) -> None:
    assert (HOSTILE / "many-tags.yaml").read_text(encoding="utf-8").count(": !t") == 200
    result = _run(jtai, "many-tags.yaml", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.count("JTAI001") == 50
    assert "explicit YAML tag '!t0' is not allowed" in result.stderr
    assert "'!t50'" not in result.stderr
    assert "jtai: the plan has 50 problems; fix them and run `jtai validate`" in result.stderr


def test_empty_file_says_empty(jtai: Invoke, tmp_path: Path) -> None:
    for name in ("empty.yaml", "only-comments.yaml", "bom-only.yaml", "tilde-top.yaml",
                 "document-marker-only.yaml"):
        result = _run(jtai, name, tmp_path)
        assert result.exit_code == 1, name
        assert "the file is empty (or holds only comments)" in result.stderr, name


def test_list_at_top_says_mapping(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "list-at-top.yaml", tmp_path)
    assert result.exit_code == 1
    assert "plan.yaml:1:1: JTAI001 error: the top level must be a mapping of keys " \
        "(version:, inspection:, objectives:...), not a list" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "expected"), [
    ("binary-png.yaml", "NUL bytes: it is binary"),
    ("nul-bytes.yaml", "NUL bytes"),
    ("utf16-le-bom.yaml", "the file is UTF-16, not UTF-8"),
    ("utf16-be.yaml", "the file is UTF-16, not UTF-8"),
    ("latin1-smart-quotes.yaml", "not UTF-8 (byte 0x93 on line"),
    ("overlong-utf8.yaml", "not UTF-8 (byte 0xc0 on line"),
    ("syntax-tab-indent.yaml", "YAML does not allow tab characters"),
    ("syntax-unclosed-double-quote.yaml", "YAML syntax error"),
    ("multiple-documents.yaml", "a plan is one YAML document"),
    ("deep-nesting-flow.yaml", "nest"),
    ("long-text-over-limit.yaml", "'action' is too long"),
    ("enormous-integer.yaml", "digits"),
    ("refs-as-floats.yaml", 'write ref: "1.10"'),
    ("rag-purple.yaml", "'Purple' is not a RAG rating: use Blue, Green, Amber or Red"),
    ("dates-impossible.yaml", "is not a real date"),
    ("control-raw-nel.yaml", "U+0085"),
    ("control-raw-bel.yaml", "U+0007"),
    ("unicode-line-separator.yaml", "U+2028"),
    ("cr-only-line-endings.yaml", "U+000D"),
])
def test_named_problems(jtai: Invoke, tmp_path: Path, name: str, expected: str) -> None:
    result = _run(jtai, name, tmp_path)
    assert result.exit_code == 1, result.stderr
    assert expected in result.stderr


def test_raw_control_character_is_located(jtai: Invoke, tmp_path: Path) -> None:
    name = "control-raw-nel.yaml"
    line = _line_of(name, "Audit\x85")
    result = _run(jtai, name, tmp_path)
    assert result.exit_code == 1
    assert f"plan.yaml:{line}:{len('        action: Audit') + 1}: JTAI001" in result.stderr
    assert "U+0085" in result.stderr


def test_escaped_control_characters_are_refused_at_the_value(jtai: Invoke,
                                                            tmp_path: Path) -> None:
    # Written as YAML escapes, no raw character is in the file: the model's text policy
    # refuses the value, located at the value's line and column with its field path.
    result = _run(jtai, "control-escaped-c0-c1.yaml", tmp_path, "lint", "--as-of", AS_OF)
    assert result.exit_code == 1
    line = _line_of("control-escaped-c0-c1.yaml", "Audit\\x07")
    assert f"plan.yaml:{line}:17: JTAI206 objectives[0].actions[1].action contains U+0007 " \
        "(control character) at character 6" in result.stdout
    assert "1 error, 0 warnings as of 2025-07-01" in result.stdout


@pytest.mark.parametrize(("text", "named"), [
    ("bell\x07", "U+0007 (control character) at character 5"),
    ("next\x85line", "U+0085 (next-line character (NEL)) at character 5"),
    ("esc\x1b[31m", "U+001B (escape character) at character 4"),
    ("nul\x00x", "U+0000 (null character) at character 4"),
    ("sep\u2028x", "U+2028 (line separator) at character 4"),
    ("del\x7f", "U+007F (delete character) at character 4"),
    ("c1\x9b", "U+009B (C1 control character) at character 3"),
    ("nonchar\ufffe", "U+FFFE (noncharacter) at character 8"),
    ("nonchar\U0010ffff", "U+10FFFF (noncharacter) at character 8"),
])
def test_control_characters_in_new_text_are_refused(jtai: Invoke, plan_copy: Path,
                                                    text: str, named: str) -> None:
    before = plan_copy.read_bytes()
    result = jtai("update", "1.2", "--note", text, "--by", "t", "--on", AS_OF,
                  "--plan", str(plan_copy))
    assert result.exit_code == 2
    assert f"jtai: --note contains {named}\n" in result.stderr
    assert plan_copy.read_bytes() == before


def test_internal_error_is_one_line_asking_for_a_report(
        jtai: Invoke, plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jtaiplan.planfile.loader

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret plan text must not leak")

    monkeypatch.setattr(jtaiplan.planfile.loader, "load_plan", broken)
    result = jtai("status", "--plan", str(plan_copy))
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error (RuntimeError)" in result.stderr
    assert "please report it" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "secret" not in result.stdout + result.stderr
    debug = jtai("--debug", "status", "--plan", str(plan_copy))
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr


# -- size and depth --------------------------------------------------------------------


def test_size_limit_is_enforced(jtai: Invoke, plan_copy: Path) -> None:
    result = jtai("validate", "--plan", str(plan_copy), env={"JTAI_MAX_BYTES": "4096"})
    assert result.exit_code == 2
    assert "plan.yaml is 18 kB; plans are limited to 4,096 bytes" in result.stderr
    assert "JTAI_MAX_BYTES" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused(jtai: Invoke) -> None:
    """/dev/zero reports a size of 0 and never ends: read no more than the limit."""
    start = time.perf_counter()
    result = jtai("status", "--plan", "/dev/zero", env={"JTAI_MAX_BYTES": "100000"})
    assert time.perf_counter() - start < 5
    assert result.exit_code == 2
    assert "/dev/zero is over 100 kB, the limit for plans" in result.stderr


def test_large_file_completes(jtai: Invoke, tmp_path: Path) -> None:
    """50 MB: a valid plan followed by comments. Read, decoded and parsed in seconds."""
    plan = tmp_path / "plan.yaml"
    filler = ("# " + "padding " * 15 + "\n").encode() * (50 * 1_048_576 // 123)
    plan.write_bytes((HOSTILE / "crlf-valid.yaml").read_bytes().replace(b"\r\n", b"\n")
                     + filler)
    assert plan.stat().st_size > 50_000_000
    start = time.perf_counter()
    result = jtai("status", "--plan", str(plan), "--as-of", AS_OF)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.stderr
    assert elapsed < 20, elapsed
    assert re.findall(r"^ (\d+\.\d+) ", result.stdout, re.MULTILINE) == ["1.1", "1.2", "2.1"]


def test_large_single_value_is_refused_not_stored(jtai: Invoke, tmp_path: Path) -> None:
    """A 20 MB action text on one line: refused by the length limit, and quickly."""
    plan = tmp_path / "plan.yaml"
    base = (HOSTILE / "crlf-valid.yaml").read_bytes().replace(b"\r\n", b"\n")
    plan.write_bytes(base.replace(b"Audit strategy meetings.", b"x" * 20_000_000))
    start = time.perf_counter()
    result = jtai("show", "1.2", "--plan", str(plan))
    assert time.perf_counter() - start < 20
    assert result.exit_code == 1
    assert "'action' is too long" in result.stderr
    assert len(result.stderr) < 2000


def _subprocess(*args: str, plan: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JTAI_")}
    return subprocess.run([sys.executable, "-m", "jtaiplan", *args, "--plan", str(plan)],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO, env=env)


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    "[" * 100_000 + "]" * 100_000,
    "{a: " * 100_000,
    "- " * 100_000 + "x\n",
    "".join(" " * i + "a:\n" for i in range(3000)),
], ids=["open-brackets", "closed-brackets", "flow-mappings", "block-sequences", "block-maps"])
def test_deep_nesting_in_a_subprocess(tmp_path: Path, text: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    for command in (("validate",), ("status",), ("fmt",)):
        done = _subprocess(*command, plan=plan)
        assert done.returncode >= 0, f"killed by signal {-done.returncode}"
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert "RecursionError" not in done.stdout + done.stderr
        assert "nest" in done.stdout + done.stderr
    assert plan.read_text(encoding="utf-8") == text


# -- bad option values -----------------------------------------------------------------

BAD_OPTIONS: list[tuple[tuple[str, ...], str]] = [
    # unknown ref
    (("show", "9.9"), "no action 9.9 in the plan"),
    (("show", "banana"), "no action banana"),
    (("update", "9.9", "--progress", "red", "--by", "t"), "no action 9.9"),
    (("complete", "9.9", "--evidence", "e", "--by", "t"), "no action 9.9"),
    # RAG values
    (("update", "1.2", "--progress", "Purple", "--by", "t"),
     "'Purple' is not a RAG rating: use Blue, Green, Amber or Red"),
    (("update", "1.2", "--impact", "", "--by", "t"), "use Blue, Green, Amber or Red"),
    (("status", "--progress", "Purple"), "Purple"),
    (("report", "--impact", "Purple"), "Purple"),
    (("add", "1", "--action", "a", "--owner", "TVP", "--theme", "Learning and Training",
      "--plan-type", "Operational", "--due", "2026-01-01", "--progress", "Purple", "--by", "t"),
     "use Blue, Green, Amber or Red"),
    # impossible dates
    (("update", "1.2", "--progress", "red", "--by", "t", "--on", "31/02/2025"),
     "--on '31/02/2025' is not a real date"),
    (("update", "1.2", "--due", "31/02/2025", "--by", "t"), "--due '31/02/2025' is not a real"),
    (("complete", "1.2", "--evidence", "e", "--by", "t", "--on", "2025-02-31"),
     "is not a real date"),
    (("add", "1", "--action", "a", "--owner", "TVP", "--theme", "Learning and Training",
      "--plan-type", "Operational", "--due", "31/02/2025", "--by", "t"), "is not a real date"),
    (("status", "--as-of", "2025-02-31"), "is not a real date"),
    (("lint", "--as-of", "31/02/2025"), "--as-of '31/02/2025' is not a real date"),
    (("show", "1.1", "--as-of", "tomorrow"), "--as-of must be a date such as 2026-03-31, "
                                              "31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026; "
                                              "got 'tomorrow'"),
    (("report", "--as-of", "2025-13-01"), "not a real date"),
    (("update", "1.2", "--progress", "red", "--by", "t", "--on", "06/30/2025"),
     "'06/30/2025' is not a real date (day 6 of month 30, 2025)"),
    (("update", "1.2", "--progress", "red", "--by", "t", "--on", "June"),
     "must be a date such as 2026-03-31, 31/03/2026, 31.03.26, 31-03-2026 or 31 March 2026; "
     "got 'June'"),
    # negative days
    (("status", "--due-within", "-1"),
     "'--due-within': Input should be greater than or equal to 0"),
    (("report", "--due-within", "-5"), "greater than or equal to 0"),
    (("lint", "--due-soon-days", "-3"),
     "'--due-soon-days': Input should be greater than or equal"),
    (("lint", "--review-cadence-days", "0"), "greater than or equal to 1"),
    (("status", "--due-within", "soon"), "'--due-within': Input should be a valid integer"),
    # unknown formats and choices
    (("status", "--format", "xml"), "'table', 'json', 'csv', 'markdown'"),
    (("show", "1.1", "--format", "xml"), "'text', 'json'"),
    (("validate", "--format", "xml"), "'text', 'json'"),
    (("lint", "--format", "xml"), "'text', 'json', 'github', 'sarif'"),
    (("report", "--format", "pdf"), "--format: 'pdf' is not one of html, markdown"),
    (("report", "--group-by", "colour"), "--group-by: 'colour' is not one of"),
    (("lint", "--select", "JTAI999"), "--select: no rule matches JTAI999"),
    # unknown filter values
    (("status", "--owner", "Nobody"), "unknown agency 'Nobody'"),
    (("status", "--objective", "99"), "no objective '99'"),
    (("status", "--objective", "one"), "no objective 'one'"),
    # nothing to do, unknown plan
    (("update", "1.2", "--by", "t"), "nothing to update"),
    (("add", "99", "--action", "a", "--owner", "TVP", "--theme", "Learning and Training",
      "--plan-type", "Operational", "--due", "2026-01-01", "--by", "t"), "no objective 99"),
    (("add", "1", "--action", "a", "--owner", "TVP", "--theme", "Cooking",
      "--plan-type", "Operational", "--due", "2026-01-01", "--by", "t"), "use one of:"),
]


@pytest.mark.parametrize(("args", "expected"), BAD_OPTIONS,
                         ids=[" ".join(a)[:60] for a, _e in BAD_OPTIONS])
def test_bad_option_values_say_what_was_expected(jtai: Invoke, plan_copy: Path,
                                                 args: tuple[str, ...], expected: str) -> None:
    before = plan_copy.read_bytes()
    result = jtai(*args, "--plan", str(plan_copy))
    _check_sane(result, args[0])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert expected in result.stderr, result.stderr
    assert plan_copy.read_bytes() == before


@pytest.mark.parametrize("command", ["status", "validate", "lint", "report", "fmt"])
def test_missing_plan_and_folder_plan(jtai: Invoke, tmp_path: Path, command: str) -> None:
    # Reading commands take a folder of plans (issue 14): an empty one cannot run.
    folder = "is a folder, not a plan file" if command == "fmt" else \
        "no plan files in this folder"
    for plan, expected in ((tmp_path / "nope.yaml", "no such file"), (tmp_path, folder)):
        result = jtai(command, "--plan", str(plan))
        assert result.exit_code == 2
        assert expected in result.stderr


# -- bugs found outside the loader, since fixed ------------------------------------------


def test_source_date_epoch_beyond_the_calendar_is_ignored(jtai: Invoke, plan_copy: Path) -> None:
    """A value beyond the calendar is ignored (the stamp is now), never a refusal."""
    before = plan_copy.read_bytes()
    result = jtai("report", "--plan", str(plan_copy), "--as-of", AS_OF,
                  env={"SOURCE_DATE_EPOCH": "99999999999999999999"})
    _check_sane(result, "report")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "<h1>JTAI Reading: Multi-Agency Improvement Plan</h1>" in result.stdout
    assert plan_copy.read_bytes() == before


def test_refs_in_non_ascii_digits_are_refused(jtai: Invoke, tmp_path: Path) -> None:
    result = _run(jtai, "refs-non-ascii-digits.yaml", tmp_path, "validate")
    assert result.exit_code == 1
    line = _line_of("refs-non-ascii-digits.yaml", "\u0662.\u0661")
    assert f"plan.yaml:{line}:14: JTAI002 ref '\u0662.\u0661' is not of the form " \
        "OBJECTIVE.N" in result.stdout
    assert "1 error, 0 warnings" in result.stdout


@pytest.mark.parametrize("name", ["empty.yaml", "bom-only.yaml"])
def test_fmt_refuses_an_empty_file(jtai: Invoke, tmp_path: Path, name: str) -> None:
    plan = _in_tmp(HOSTILE / name, tmp_path)
    before = plan.read_bytes()
    result = jtai("fmt", "--plan", str(plan))
    assert result.exit_code == 1
    assert "plan.yaml:1:1: JTAI001 error: the file is empty (or holds only comments)" \
        in result.stderr
    assert "is not a valid plan (1 problem), so it was not formatted" in result.stderr
    assert plan.read_bytes() == before
