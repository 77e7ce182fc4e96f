"""The read path never pays for office libraries or templates (issues 12, 13 and 15).

Each command runs in a fresh interpreter, as a user's would; the modules it imported are
read from ``sys.modules`` when it finishes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("openpyxl", "docx", "icalendar", "jinja2", "lxml")

PROBE = """
import atexit, json, sys
from jtaiplan.cli.main import main
atexit.register(lambda: print(json.dumps(sorted(
    {m.split('.')[0] for m in sys.modules})), file=sys.stderr))
sys.argv = ["jtai", *ARGS]
main()
"""


def imported_by(*args: str) -> set[str]:
    code = PROBE.replace("ARGS", repr(list(args)))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode in (0, 1), done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [
    ("status", "--as-of", "2025-07-01"),
    ("status", "--as-of", "2025-07-01", "--format", "json"),
    ("show", "2.3", "--as-of", "2025-07-01"),
    ("lint", "--as-of", "2025-07-01"),
    ("validate",),
], ids=lambda a: " ".join(a))
def test_read_commands_import_no_office_library_nor_jinja(args: tuple[str, ...]) -> None:
    modules = imported_by(*args)
    assert "jtaiplan" in modules  # the probe saw the command run
    assert sorted(modules & set(HEAVY)) == []


def test_the_probe_sees_a_heavy_import_when_there_is_one() -> None:
    """The report renders through Jinja: if the probe missed that, the test above would
    pass whatever the commands import."""
    assert "jinja2" in imported_by("report", "--as-of", "2025-07-01", "--format", "markdown")
