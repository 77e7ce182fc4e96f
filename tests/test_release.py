"""The release process: one version, a changelog written for users, release.yml."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from types import ModuleType
from typing import Any

import pytest
import yaml

import jtaiplan
from conftest import REPO

RELEASE = REPO / ".github" / "workflows" / "release.yml"
SCRIPT = REPO / "scripts" / "release_notes.py"


def release_notes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release_notes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHANGELOG = """# Changelog

## [Unreleased]

### Added

- Something new.

## [0.2.0] - 2026-03-01

### Changed

- JTAI108 warns on an action without owners.

## [0.1.0] - 2025-07-01

- The first.
- Second line.

[Unreleased]: https://github.com/jtaiplan/jtaiplan/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/jtaiplan/jtaiplan/compare/v0.1.0...v0.2.0
"""


def test_release_notes_are_the_versions_section() -> None:
    notes = release_notes()
    assert notes.section(CHANGELOG, "0.2.0") == (
        "### Changed\n\n- JTAI108 warns on an action without owners.\n")
    # The last section stops at the link references.
    assert notes.section(CHANGELOG, "0.1.0") == "- The first.\n- Second line.\n"
    assert notes.section(CHANGELOG, "Unreleased") == "### Added\n\n- Something new.\n"


@pytest.mark.parametrize(("version", "message"), [
    ("0.3.0", "no section '## [0.3.0]'"),
    ("0.2", "no section '## [0.2]'"),          # not a prefix of 0.2.0
    ("0.1.0.1", "no section '## [0.1.0.1]'"),
])
def test_release_notes_refuse_a_version_without_a_section(version: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        release_notes().section(CHANGELOG, version)
    assert str(raised.value) == message


def test_release_notes_refuse_an_empty_section() -> None:
    with pytest.raises(ValueError) as raised:
        release_notes().section("## [1.0.0] - 2026-01-01\n\n## [0.9.0]\n- x\n", "1.0.0")
    assert str(raised.value) == "the section '## [1.0.0]' is empty"


def test_release_notes_command(tmp_path: Any) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), "v0.1.0", str(changelog)],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "- The first.\n- Second line.\n", "")
    done = subprocess.run([sys.executable, str(SCRIPT), "v9.0.0", str(changelog)],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"release_notes: {changelog}: no section '## [9.0.0]'\n"


def test_changelog_is_keep_a_changelog_for_users() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/" in text
    headings = re.findall(r"^## (.*)$", text, re.MULTILINE)
    assert headings[0] == "[Unreleased]"
    for heading in headings[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
    kinds = set(re.findall(r"^### (.*)$", text, re.MULTILINE))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert "`jtai new DIR`" in release_notes().section(text, "Unreleased")


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"] == {"path": "src/jtaiplan/__init__.py"}
    init = (REPO / "src" / "jtaiplan" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "(.+)"$', init, re.MULTILINE) == [jtaiplan.__version__]


def load_release() -> dict[Any, Any]:
    workflow = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_release_runs_on_version_tags_only() -> None:
    workflow = load_release()
    triggers = workflow.get("on", workflow.get(True))
    assert triggers == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert workflow["permissions"] == {"contents": "read"}


def test_release_builds_checks_and_smoke_tests_outside_the_checkout() -> None:
    build = load_release()["jobs"]["build"]
    script = runs(build)
    order = ["python scripts/release_notes.py", "python -m build",
             "python -m twine check --strict dist/*", 'python -m venv "$RUNNER_TEMP/venv"']
    assert [script.index(step) for step in order] == sorted(script.index(s) for s in order)
    smoke = script[script.index('python -m venv "$RUNNER_TEMP/venv"'):]
    assert '"$RUNNER_TEMP/venv/bin/pip" install --quiet dist/*.whl' in smoke
    assert 'cd "$RUNNER_TEMP/smoke"' in smoke  # outside the checkout
    for command in ("jtai init", "jtai validate", "jtai report", "jtai export", "jtai new"):
        assert f"\n{command} " in smoke or f"\n{command}\n" in smoke, command


def test_release_publishes_by_trusted_publishing_then_makes_the_github_release() -> None:
    jobs = load_release()["jobs"]
    pypi = jobs["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["environment"]["name"] == "pypi"
    assert pypi["permissions"] == {"id-token": "write"}
    [publish] = [s for s in pypi["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert publish["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "password" not in publish.get("with", {})  # no token: trusted publishing
    release = jobs["github-release"]
    assert release["needs"] == "pypi"
    assert release["permissions"] == {"contents": "write"}
    assert "--notes-file release-notes.md" in runs(release)
