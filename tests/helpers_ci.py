"""GitHub's workflow and action schemas, as check-jsonschema vendors them (no network)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def check_jsonschema(builtin: str, files: list[Path]) -> None:
    """Validate ``files`` against check-jsonschema's ``vendor.<builtin>`` schema (e.g.
    ``github-workflows``, ``github-actions``) with its own command, which reads YAML as
    GitHub does (``on:`` a key, not True); fails the test with its report."""
    assert files, "nothing to validate"
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{builtin}",
         *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
