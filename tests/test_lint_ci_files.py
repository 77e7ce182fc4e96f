"""The files that put jtai into CI: pre-commit hooks, the example workflow, docs/ci.md.

Each command these files run is also run here, through the CLI, on the real plan.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

import jtaiplan
from conftest import REPO, Invoke
from helpers_ci import check_jsonschema

HOOKS = REPO / ".pre-commit-hooks.yaml"
WORKFLOW = REPO / ".github" / "workflows" / "plan.yml"
DOCS = REPO / "docs" / "ci.md"


def load_hooks() -> list[dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return hooks


def load_workflow() -> dict[Any, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    return workflow


def jtai_args(command: str) -> list[str]:
    """``jtai lint --format sarif > out`` -> ``["lint", "--format", "sarif"]``."""
    words = shlex.split(command)
    assert words[0] == "jtai", command
    if ">" in words:
        words = words[:words.index(">")]
    return words[1:]


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    return REPO


# --- pre-commit --------------------------------------------------------------------------


def test_pre_commit_hooks_declare_both_hooks() -> None:
    hooks = load_hooks()
    assert [h["id"] for h in hooks] == ["jtai-validate", "jtai-lint"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files", "pass_filenames"} <= hook.keys()
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert isinstance(hook["name"], str)
        assert hook["name"]
    assert [h["entry"] for h in hooks] == ["jtai validate", "jtai lint"]


@pytest.mark.parametrize(("path", "runs"), [
    ("plan.yaml", True),
    ("plan.yml", True),
    ("plans/reading/plan.yaml", True),
    ("schema/plan.schema.json", False),
    ("myplan.yaml", False),
    ("plan.yaml.bak", False),
    ("README.md", False),
])
def test_pre_commit_hooks_run_for_plan_files(path: str, runs: bool) -> None:
    for hook in load_hooks():
        assert bool(re.search(hook["files"], path)) is runs, (hook["id"], path)


def test_pre_commit_hook_entries_run(jtai: Invoke, in_repo: Path) -> None:
    validate, lint = (jtai_args(h["entry"]) for h in load_hooks())
    # validate never fails because a day passed; lint does.
    assert jtai(*validate, env={"JTAI_AS_OF": "2025-07-01"}).exit_code == 0
    assert jtai(*lint, env={"JTAI_AS_OF": "2025-07-01"}).exit_code == 1
    assert jtai(*lint, env={"JTAI_AS_OF": "2025-04-01"}).exit_code == 0


# --- GitHub Actions workflow -------------------------------------------------------------


def test_workflow_triggers() -> None:
    workflow = load_workflow()
    # YAML 1.1 (PyYAML) reads the key `on` as true; GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    assert {"push", "pull_request", "schedule"} <= triggers.keys()
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert crons == ["0 6 * * *"]
    assert len(crons[0].split()) == 5


def steps_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    steps = job["steps"]
    assert isinstance(steps, list)
    return steps


def test_workflow_lint_job() -> None:
    job = load_workflow()["jobs"]["lint"]
    steps = steps_of(job)
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [PINNED_INSTALL, "jtai lint"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    version = tuple(int(part) for part in str(setup["with"]["python-version"]).split("."))
    assert version >= (3, 11)  # jtaiplan's requires-python


def test_workflow_sarif_upload_job() -> None:
    workflow = load_workflow()
    job = workflow["jobs"]["code-scanning"]
    assert job["permissions"]["security-events"] == "write"
    steps = steps_of(job)
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [PINNED_INSTALL, "jtai lint --format sarif --exit-zero > jtai.sarif"]
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "jtai.sarif"
    # Least privilege elsewhere.
    assert workflow["permissions"] == {"contents": "read"}


PINNED_INSTALL = 'pip install "jtaiplan==${JTAI_VERSION}"'
VERSION = jtaiplan.__version__
RELEASE = f"v{VERSION}"
# "pip install ." (or "-e .", "./"): the repository the workflow runs in, which in a
# partnership's repository holds only plan.yaml.
FROM_CHECKOUT = re.compile(r"pip install\b[^\n]*\s(-e\s+)?\.(/|\s|$)")


@pytest.mark.parametrize("name", ["plan.yml", "pr-comment.yml"])
def test_workflows_install_a_pinned_release(name: str) -> None:
    """Before: both example workflows ran `pip install .`, which works only inside
    jtaiplan's own repository."""
    workflow = yaml.safe_load((WORKFLOW.parent / name).read_text(encoding="utf-8"))
    installs = 0
    for job in workflow["jobs"].values():
        for step in steps_of(job):
            run = " ".join(str(step.get("run", "")).split())
            assert not FROM_CHECKOUT.search(run + " "), (name, run)
            if "pip install" in run:
                installs += 1
                assert run.endswith(PINNED_INSTALL.removeprefix("pip install")), run
                env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                assert env["JTAI_VERSION"] == VERSION
    assert installs == len(workflow["jobs"])


def test_every_pin_names_the_same_release() -> None:
    """The action, the hooks and the docs pin the release the workflows install."""
    action = (REPO / "action.yml").read_text(encoding="utf-8")
    assert f"#   - uses: jtaiplan/jtaiplan@{RELEASE} " in action
    assert "@main" not in action
    assert f"- uses: jtaiplan/jtaiplan@{RELEASE} " in (
        REPO / "docs" / "github.md").read_text(encoding="utf-8")
    docs = DOCS.read_text(encoding="utf-8")
    assert f"rev: {RELEASE}" in docs
    assert f"JTAI_VERSION: {VERSION}" in docs and "## Pinning jtai's version" in docs
    assert not FROM_CHECKOUT.search(docs)


def test_action_installs_its_own_release_from_pypi() -> None:
    """Before: the action pip-installed its own files at the ref; now the release of the
    same version from PyPI, so the action at tag vX.Y.Z runs jtaiplan==X.Y.Z."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    [install] = [s for s in action["runs"]["steps"] if "pip install" in s.get("run", "")]
    assert install["env"] == {"JTAI_VERSION": VERSION}
    assert install["run"].endswith(PINNED_INSTALL.removeprefix("pip install"))
    assert not FROM_CHECKOUT.search(install["run"] + " ")


def test_no_install_from_a_git_url() -> None:
    for path in [REPO / "action.yml", DOCS, *WORKFLOW.parent.glob("*.yml")]:
        assert "git+https://" not in path.read_text(encoding="utf-8"), path


def test_every_ci_file_validates_against_githubs_schemas() -> None:
    workflows = sorted(WORKFLOW.parent.glob("*.yml"))
    assert [p.name for p in workflows] == ["plan.yml", "pr-comment.yml", "release.yml",
                                          "site.yml"]
    check_jsonschema("github-workflows", workflows)
    check_jsonschema("github-actions", [REPO / "action.yml"])


def test_workflow_commands_run(jtai: Invoke, in_repo: Path) -> None:
    jobs = load_workflow()["jobs"]
    env = {"GITHUB_ACTIONS": "true", "JTAI_AS_OF": "2025-07-01"}
    lint_step = jtai_args(steps_of(jobs["lint"])[-1]["run"])
    result = jtai(*lint_step, env=env)
    assert result.exit_code == 1
    assert result.stdout.startswith("::warning file=plan.yaml,line=86,col=19,title=JTAI104 ")
    assert result.stdout.count("::error file=plan.yaml,") == 15
    sarif_step = next(s["run"] for s in steps_of(jobs["code-scanning"])
                      if s.get("run", "").startswith("jtai "))
    result = jtai(*jtai_args(sarif_step), env=env)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["version"] == "2.1.0"
    assert len(document["runs"][0]["results"]) == 18


# --- docs/ci.md --------------------------------------------------------------------------


def test_docs_ci_covers_the_essentials() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text.startswith("# Using jtai in CI\n")
    for needed in ("| 0 |", "| 1 |", "| 2 |", "--as-of", "JTAI_AS_OF", "jtai-validate",
                   "jtai-lint", ".github/workflows/plan.yml", "upload-sarif", "waivers:",
                   "--exit-zero", "--strict", "GITHUB_STEP_SUMMARY", "06:00 UTC"):
        assert needed in text, needed
    for output_format in ("text", "json", "github", "sarif"):
        assert f"- `{output_format}`" in text


def test_docs_ci_mentions_only_real_lint_options(jtai: Invoke) -> None:
    help_text = jtai("lint", "--help").stdout
    before, rest = DOCS.read_text(encoding="utf-8").split("## Weekly reminders by email", 1)
    reminders, after = rest.split("\n## ", 1)
    # The reminders section's options are `jtai remind`'s.
    remind_help = jtai("remind", "--help").stdout
    for option in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", reminders))):
        assert option in remind_help, option
    mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", before + after))
    assert {"--as-of", "--select", "--ignore", "--strict", "--exit-zero", "--format",
            "--due-soon-days", "--review-cadence-days", "--plan"} <= mentioned
    mentioned -= {"--all-files"}  # pre-commit's own option
    for option in sorted(mentioned):
        assert option in help_text, option


def test_docs_ci_lint_section_example_is_valid(jtai: Invoke, tmp_path: Path,
                                               in_repo: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(lint:\n.*?)```", text, re.DOTALL)
    assert example is not None
    plan = tmp_path / "plan.yaml"
    source = (REPO / "plan.yaml").read_text(encoding="utf-8")
    start = source.index("\nlint:\n") + 1
    plan.write_text(source[:start] + example.group(1), encoding="utf-8")
    result = jtai("lint", "--plan", str(plan), "--as-of", "2025-07-01", "--format", "json")
    findings = json.loads(result.stdout)
    assert not any(f["code"] in ("JTAI002", "JTAI402") for f in findings)
    overdue = [f["ref"] for f in findings if f["code"] == "JTAI101"]
    assert "2.4" not in overdue
    assert len(overdue) == 14


# --- workflows against GitHub's workflow schema ------------------------------------------


def reminders_workflow() -> tuple[str, dict[Any, Any]]:
    """The example in docs/ci.md's "Weekly reminders by email"."""
    section = DOCS.read_text(encoding="utf-8").split("## Weekly reminders by email", 1)[1]
    text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(text)
    assert isinstance(workflow, dict)
    return text, workflow


def test_reminders_workflow_matches_githubs_workflow_schema(tmp_path: Path) -> None:
    example = tmp_path / "remind.yml"
    example.write_text(reminders_workflow()[0], encoding="utf-8")
    check_jsonschema("github-workflows", [example])


def test_reminders_workflow_sends_weekly_with_the_password_a_secret(
        jtai: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text, workflow = reminders_workflow()
    assert workflow[True]["schedule"] == [{"cron": "0 7 * * 1"}]
    assert workflow["env"]["JTAI_VERSION"] == VERSION
    [job] = workflow["jobs"].values()
    [step] = [s for s in job["steps"] if str(s.get("run", "")).startswith("jtai ")]
    assert step["env"]["JTAI_SMTP_PASSWORD"] == "${{ secrets.JTAI_SMTP_PASSWORD }}"
    assert text.count("PASSWORD") == 2  # the secret, named once in env: nowhere else
    args = jtai_args(step["run"])
    assert args == ["remind", "--within", "14", "--send", "-o", "outbox/"]
    # The command as written, on the real plan, as a dry run.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_bytes((REPO / "plan.yaml").read_bytes())
    (tmp_path / "contacts.yaml").write_text(
        "".join(f"{code}: {{to: {code.lower()}@example.org}}\n"
                for code in ("BFfC", "TVP", "BWSCP", "KCC", "RBC")), encoding="utf-8")
    result = jtai(*args, "--dry-run", "--as-of", "2025-06-20")
    assert result.exit_code == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == \
        ["BFfC", "TVP", "BWSCP"]


# --- the site workflow ---------------------------------------------------------------------

SITE_WORKFLOW = WORKFLOW.parent / "site.yml"


def as_github_reads(path: Path) -> dict[Any, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in workflow:  # YAML 1.1 (PyYAML) reads the key `on` as true; GitHub, as "on"
        workflow["on"] = workflow.pop(True)
    assert isinstance(workflow, dict)
    return workflow


def test_site_workflow_builds_and_publishes_with_pages() -> None:
    workflow = as_github_reads(SITE_WORKFLOW)
    triggers = workflow["on"]
    assert triggers["push"] == {"branches": ["main"]}
    assert [entry["cron"] for entry in triggers["schedule"]] == ["0 6 * * *"]
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = steps_of(build)
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == [
        "actions/checkout", "actions/setup-python", "actions/upload-pages-artifact"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == PINNED_INSTALL
    assert workflow["env"]["JTAI_VERSION"] == VERSION
    assert runs[1].splitlines()[-1] == "jtai site -o site"
    assert steps[-1]["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps_of(deploy)] == ["actions/deploy-pages"]


def test_site_workflow_command_runs(jtai: Invoke, in_repo: Path, tmp_path: Path) -> None:
    command = next(s["run"] for s in steps_of(as_github_reads(SITE_WORKFLOW)["jobs"]["build"])
                   if "jtai site" in s.get("run", "")).splitlines()[-1]
    args = jtai_args(command)
    args[args.index("-o") + 1] = str(tmp_path / "site")
    result = jtai(*args, env={"JTAI_AS_OF": "2025-07-01", "SOURCE_DATE_EPOCH": "1751360400"})
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "agency-TVP.html").is_file()


def test_docs_ci_shows_the_site_workflow_as_it_is_and_the_privacy_warning() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Publishing the plan as a website\n", 1)[1].split("\n## ", 1)[0]
    shown = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert shown is not None
    assert shown.group(1) == SITE_WORKFLOW.read_text(encoding="utf-8")
    assert "**A public site makes the plan public.**" in section
    for needed in ("private publication", "actions/upload-artifact", "intranet", "file://",
                   "static host", "SOURCE_DATE_EPOCH"):
        assert needed in section, needed
