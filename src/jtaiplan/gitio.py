"""Everything jtai asks git: who is making a change, and files at other revisions."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import CannotRun

GIT_TIMEOUT = 20


def run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT,
                              check=False)
    except FileNotFoundError:
        raise CannotRun("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise CannotRun(f"git {' '.join(args)} did not answer in {GIT_TIMEOUT} s") from None


def user_name(cwd: Path) -> str | None:
    """git's ``user.name`` for the folder, or None when git or the setting is missing."""
    try:
        result = run_git(["config", "user.name"], cwd)
    except CannotRun:
        return None
    name = result.stdout.decode("utf-8", "replace").strip()
    return name if result.returncode == 0 and name else None
