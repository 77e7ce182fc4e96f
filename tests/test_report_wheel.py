"""The report templates are found however jtaiplan is installed.

In the repository they live in the top-level templates/; the wheel carries them as
jtaiplan/templates (pyproject.toml: hatch force-include). Two installs are tried: the dev
environment's editable one, and a wheel built here and unpacked, imported from that unpacked
copy alone, as a normal install would be. Building uses the environment's hatchling when it
has one (no network needed); otherwise pip fetches it into an isolated build environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import jtaiplan
from conftest import REPO
from jtaiplan.views.templating import TEMPLATE_NAMES, default_template_dir

AS_OF = "2025-07-01"
EPOCH = "1751360400"
GOLDEN = Path(__file__).resolve().parent / "golden"
# Every file under templates/, the report's and `jtai new`'s (templates/new/).
REPO_TEMPLATES = sorted(p.relative_to(REPO / "templates").as_posix()
                        for p in (REPO / "templates").rglob("*") if p.is_file())


def test_editable_install_uses_the_repository_templates() -> None:
    package = Path(jtaiplan.__file__).resolve().parent
    if package != REPO / "src" / "jtaiplan":
        pytest.skip(f"jtaiplan is imported from {package}, not this checkout's src/ "
                    "(not an editable install)")
    assert default_template_dir() == REPO / "templates"
    assert not (package / "templates").exists(), "a stray copy would shadow templates/"
    assert set(TEMPLATE_NAMES) <= set(REPO_TEMPLATES)


@pytest.mark.slow
def test_wheel_carries_every_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in ("report.html.j2", "report.md.j2"):
            assert f"jtaiplan/templates/{name}" in names
        shipped = sorted(n.removeprefix("jtaiplan/templates/") for n in names
                         if n.startswith("jtaiplan/templates/"))
        assert shipped == REPO_TEMPLATES
        for name in REPO_TEMPLATES:
            assert archive.read(f"jtaiplan/templates/{name}") == \
                (REPO / "templates" / name).read_bytes(), name
        assert "jtaiplan/views/templating.py" in names
        assert not [n for n in names if n.startswith("templates/")], "templates outside package"


@pytest.mark.slow
def test_unpacked_wheel_renders_the_report(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "SOURCE_DATE_EPOCH": EPOCH,
           "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("JTAI_PLAN", "JTAI_AS_OF"):
        env.pop(name, None)
    # -P: the working folder is not put on sys.path, so only PYTHONPATH's copy can be found
    # ahead of the editable install's path entry.
    where = subprocess.run(
        [sys.executable, "-P", "-c", "import json, jtaiplan, jtaiplan.views.templating as t; "
         "print(json.dumps([jtaiplan.__file__, str(t.default_template_dir())]))"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert where.returncode == 0, where.stderr
    module, templates = (Path(p) for p in json.loads(where.stdout))
    assert module.is_relative_to(site), module
    assert templates == site / "jtaiplan" / "templates"

    for fmt, suffix in (("html", "html"), ("markdown", "md")):
        out = tmp_path / f"report.{suffix}"
        done = subprocess.run(
            [sys.executable, "-P", "-m", "jtaiplan", "report", "--plan", "plan.yaml",
             "--as-of", AS_OF, "--format", fmt, "-o", str(out)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == (GOLDEN / f"report-{AS_OF}.{suffix}").read_bytes(), fmt


@pytest.mark.slow
def test_unpacked_wheel_without_templates_says_so(wheel: Path, tmp_path: Path) -> None:
    """A broken install (templates missing) is a clear error, not a traceback."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site, [n for n in archive.namelist()
                                  if not n.startswith("jtaiplan/templates/")])
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-P", "-m", "jtaiplan", "report", "--plan", str(REPO / "plan.yaml"),
         "--as-of", AS_OF], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
        check=False)
    assert done.returncode == 2, done.stderr
    assert "jtai's report templates are missing from this installation" in done.stderr
    assert "Traceback" not in done.stderr
