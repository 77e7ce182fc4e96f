"""The wheel is the product: installed into a new virtual environment outside the repository,
jtai starts a plan, changes it, and writes every kind of file it makes, from there.

One environment a session (pip fetches the dependencies from the package index or its
cache, about half a minute); every command runs with its working folder outside the
repository and no PYTHONPATH, so templates, the schema and every module can only come from
the installed package. test_report_wheel.py shares the wheel (conftest's `wheel`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

import jtaiplan
from conftest import REPO, Invoke
from test_new import BASE_FILES

AS_OF = "2026-03-01"
EPOCH = "1772323200"


@dataclass(frozen=True)
class Installed:
    venv: Path
    env: dict[str, str]

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / args[0]), *args[1:]], cwd=cwd,
                              env=self.env, capture_output=True, text=True, timeout=300,
                              check=False)


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    assert not root.is_relative_to(REPO)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JTAI_", "PYTHON", "VIRTUAL_ENV", "GIT_"))}
    env.update(PATH=os.pathsep.join([str(venv / "bin"), *(
        p for p in env.get("PATH", "").split(os.pathsep) if not Path(p, "jtai").exists())]),
        NO_COLOR="1", COLUMNS="120", SOURCE_DATE_EPOCH=EPOCH, HOME=str(root),
        PIP_DISABLE_PIP_VERSION_CHECK="1", JTAI_CACHE_DIR=str(root / "cache"))
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           str(wheel)], cwd=root, env=env, capture_output=True, text=True,
                          timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return Installed(venv, env)


@pytest.mark.slow
def test_every_module_and_data_file_comes_from_the_installed_package(
        installed: Installed, tmp_path: Path) -> None:
    script = (
        "import json, pkgutil, sys, jtaiplan\n"
        "from jtaiplan.views.templating import default_template_dir\n"
        "from jtaiplan.cli.main import COMMANDS\n"
        "names = [m.name for m in pkgutil.walk_packages(jtaiplan.__path__, 'jtaiplan.')\n"
        "         if m.name != 'jtaiplan.__main__']\n"
        "for name in names: __import__(name)\n"
        "files = sorted({m.__file__ for n, m in sys.modules.items()\n"
        "                if n.startswith('jtaiplan') and getattr(m, '__file__', None)})\n"
        "print(json.dumps({'files': files, 'templates': str(default_template_dir()),\n"
        "                  'count': len(names)}))\n")
    done = installed.run("python", "-c", script, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    site = installed.venv / "lib"
    assert found["count"] >= 100
    assert len(found["files"]) == found["count"] + 1  # and jtaiplan/__init__.py
    for file in found["files"]:
        assert Path(file).is_relative_to(site), file
    templates = Path(found["templates"])
    assert templates.is_relative_to(site) and templates.name == "templates"
    assert (templates / "report.html.j2").is_file()
    assert (templates / "new" / "workflows" / "plan.yml.j2").is_file()


@pytest.mark.slow
def test_the_installed_jtai_runs_a_plan_from_start_to_pack(
        installed: Installed, tmp_path: Path, jtai: Invoke,
        monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "partnership"
    work.mkdir()

    def ok(*args: str) -> str:
        done = installed.run("jtai", *args, cwd=work)
        assert (done.returncode, done.stderr.count("Traceback")) == (0, 0), done.stderr
        return done.stdout + done.stderr

    version = ok("--version")
    assert version == f"jtai {jtaiplan.__version__}\n"
    ok("init", "plan.yaml", "--area", "Smoke", "--start", "2026-02-02", "--end", "2026-02-13",
       "--agency", "LA=Local Authority", "--agency", "POL=Police")
    schema = (work / "plan.schema.json").read_text(encoding="utf-8")
    assert schema == (REPO / "schema" / "plan.schema.json").read_text(encoding="utf-8")
    assert ok("add", "1", "--action", "Audit strategy meetings", "--owner", "LA,POL",
              "--theme", "Service Delivery and Design", "--plan-type", "Operational",
              "--due", "31/03/2026", "--by", "Jo Bloggs", "--on", "2026-02-20") == (
        "jtai: updated plan.yaml: 1.2 added to objective 1\n")
    status = ok("status", "--as-of", AS_OF)
    assert (" 1.2    Audit strategy meetings                                     LA, POL"
            "      2026-03-31             Green     —\n") in status
    assert status.endswith(
        "2 actions as of 2026-03-01 · progress: Blue 0, Green 2, Amber 0, Red 0 · "
        "impact: none 2 · 0 overdue\n")

    # The report, rendered by the installed templates, is byte for byte the report this
    # checkout renders from the same plan.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(work)
    for fmt, suffix in (("html", "html"), ("markdown", "md")):
        ok("report", "--as-of", AS_OF, "--format", fmt, "-o", f"report.{suffix}")
        here = tmp_path / f"here.{suffix}"
        assert jtai("report", "--plan", "plan.yaml", "--as-of", AS_OF,
                    "--format", fmt, "-o", str(here)).exit_code == 0
        assert (work / f"report.{suffix}").read_bytes() == here.read_bytes(), fmt
    assert "Audit strategy meetings" in (work / "report.md").read_text(encoding="utf-8")

    ok("export", "--as-of", AS_OF, "-o", "plan.xlsx")
    actions = load_workbook(work / "plan.xlsx", read_only=True)["Actions"]
    assert [row[2:5] for row in actions.iter_rows(min_row=2, values_only=True)] == [
        ("1.1", "MULTI-AGENCY: An example action; `jtai add 1 --action ...` adds the next "
         "one as 1.2.", datetime(2027, 3, 1)),
        ("1.2", "MULTI-AGENCY: Audit strategy meetings", datetime(2026, 3, 31))]
    ok("export", "--as-of", AS_OF, "-o", "plan.docx")
    cells = [cell.text for table in Document(str(work / "plan.docx")).tables
             for row in table.rows for cell in row.cells]
    assert "MULTI-AGENCY: Audit strategy meetings" in cells

    assert ok("pack", "--owner", "POL", "--as-of", AS_OF, "-o", "pol.xlsx") == (
        "jtai: wrote pol.xlsx: 2 actions for POL\n")
    returned = load_workbook(work / "pol.xlsx", read_only=True)["Return"]
    assert [row[0] for row in returned.iter_rows(min_row=2, values_only=True)
            if row[0]] == ["1.1", "1.2"]
    with zipfile.ZipFile(work / "pol.xlsx") as archive:
        assert "xl/workbook.xml" in archive.namelist()


@pytest.mark.slow
def test_the_installed_jtai_makes_a_plan_repository(installed: Installed,
                                                    tmp_path: Path) -> None:
    """`jtai new` renders templates/new/ from the installed package."""
    env = {**installed.env, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig")}
    done = subprocess.run(
        [str(installed.venv / "bin" / "jtai"), "new", "ourplan", "--area", "Smoke",
         "--agency", "LA=Local Authority"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "ourplan"
    files = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True,
                           check=True).stdout.split()
    assert sorted(files) == sorted(BASE_FILES)
    workflow = (repo / ".github" / "workflows" / "plan.yml").read_text(encoding="utf-8")
    assert f'JTAI_VERSION: "{jtaiplan.__version__}"' in workflow
    assert (repo / "README.md").read_text(encoding="utf-8").startswith(
        "# Smoke: Multi-Agency Improvement Plan\n")
