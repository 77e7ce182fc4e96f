"""Shared test fixtures: the real plan, copies of it, and a CLI runner."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jtaiplan.cli.main import app

REPO = Path(__file__).resolve().parent.parent
REAL_PLAN = REPO / "plan.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_RUN_CACHE = Path(tempfile.mkdtemp(prefix="jtai-test-cache-"))
_RUN_CONFIG = Path(tempfile.mkdtemp(prefix="jtai-test-config-"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never depend on the developer's shell: no plan, date or CI settings leak in."""
    for name in ("JTAI_PLAN", "JTAI_AS_OF", "JTAI_DEBUG", "GITHUB_ACTIONS",
                 "GITHUB_STEP_SUMMARY", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    # Never the developer's own cache; one folder for the run, so that hits happen as they
    # would for a user (tests of the cache itself set their own). JTAI_NO_CACHE=1 in the
    # run's environment (bench/mutate.py sets it) is kept.
    monkeypatch.setenv("JTAI_CACHE_DIR", str(_RUN_CACHE))
    # Nor the developer's own cache key (made in the configuration folder on first use).
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_RUN_CONFIG))


@pytest.fixture
def real_plan() -> Path:
    return REAL_PLAN


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A writable copy of the real plan (with its schema beside it, as in the repo)."""
    target = tmp_path / "plan.yaml"
    shutil.copyfile(REAL_PLAN, target)
    return target


Invoke = Callable[..., Result]


@pytest.fixture
def jtai() -> Invoke:
    """``jtai("status", "--owner", "BFfC")``: runs the CLI in-process, stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """jtaiplan's wheel, built once a session from this checkout. Building uses the
    environment's hatchling when it has one (no network needed); otherwise pip fetches it
    into an isolated build environment."""
    out = tmp_path_factory.mktemp("wheel")
    offline = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *offline, "-w", str(out),
         str(REPO)],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(out.glob("jtaiplan-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]
