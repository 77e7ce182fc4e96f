"""The README's tour, run as written: every command of its console blocks, in a fresh clone,
after the two set-up commands, exits as the README says (0 unless a "# exits N" comment)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETUP = ("make run", "make test")
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXITS = re.compile(r"#\s*exits (\d+)")


def readme_commands(text: str) -> list[tuple[str, int]]:
    """``(command, expected exit code)`` for each ``$ `` line of the console blocks, in order,
    leaving out the set-up commands themselves."""
    commands = []
    for block in _BLOCK.findall(text):
        for line in block.splitlines():
            if not line.startswith("$ "):
                continue
            command = line[2:].strip()
            if command.startswith(SETUP):
                continue
            expected = _EXITS.search(command)
            commands.append((command, int(expected[1]) if expected else 0))
    return commands


def test_readme_commands_are_found() -> None:
    commands = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == (". .venv/bin/activate     # Windows: .venv\\Scripts\\activate", 0)
    assert ("jtai lint --as-of 2025-07-01     # exits 1: the plan has errors", 1) in commands
    assert ("jtai validate", 0) in commands
    assert len(commands) >= 15


@pytest.mark.slow
def test_readme_tour_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    clone = tmp_path / "jtaiplan"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    # The README being tested is this checkout's, committed or not.
    shutil.copyfile(REPO / "README.md", clone / "README.md")
    # `make run` would create .venv and install jtai: reuse the environment running the
    # tests instead of installing again.
    (clone / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    if not (clone / ".venv" / "bin" / "activate").exists():
        pytest.skip("the tests do not run in a virtual environment")
    commands = readme_commands((clone / "README.md").read_text(encoding="utf-8"))
    # One shell, as a person pasting the lines into one terminal; each command's exit code
    # is written where the test can read it.
    codes = tmp_path / "codes"
    script = "".join(f"{command}\necho $? >> {codes}\n" for command, _ in commands)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JTAI_", "GIT_", "VIRTUAL_ENV"))}
    # No jtai on the PATH until the README's activation line puts it there.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not (Path(p) / "jtai").exists())
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1")
    run = subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True,
                         text=True, timeout=300)
    got = [int(code) for code in codes.read_text().split()]
    expected = [code for _, code in commands]
    assert list(zip([c for c, _ in commands], got, strict=True)) == list(
        zip([c for c, _ in commands], expected, strict=True)), run.stderr
    assert "report.html" not in subprocess.run(
        ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
