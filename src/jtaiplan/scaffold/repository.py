"""The files of a new plan repository, rendered from templates/new/, and writing them.

The templates are Jinja with ``[[ ]]`` and ``[% %]`` as delimiters, so that GitHub's own
``${{ }}`` expressions in a workflow are plain text to them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotRun
from .registry import HOOKS, Workflow, available

PLAN_FILE = "plan.yaml"
GUIDE_ROOT = "https://github.com/jtaiplan/jtaiplan"
FIRST_COMMIT = "The plan, its checks and CI: made by jtai new"

_Render = Callable[[str, dict[str, object]], str]


@dataclass(frozen=True)
class NewFile:
    path: str
    """Relative to the new repository, with forward slashes."""
    text: str


def refuse_unless_empty(folder: Path) -> None:
    """CannotRun for a folder that holds anything, or a path that is not a folder."""
    if folder.exists() and not folder.is_dir():
        raise CannotRun(f"{folder.as_posix()} exists and is not a folder",
                        hint="name a new folder for the plan repository")
    if folder.is_dir() and any(folder.iterdir()):
        raise CannotRun(f"{folder.as_posix()} is not empty; jtai new makes a repository "
                        "only in a new or empty folder",
                        hint="name a new folder, or use `jtai init` to add a plan to an "
                             "existing one")


def repository_files(plan_text: str, *, version: str,
                     commands: Collection[str]) -> list[NewFile]:
    """Every file of the new repository; ``plan_text`` must be a valid plan (CannotRun
    otherwise), ``commands`` the jtai commands that exist (they choose the workflows)."""
    from ..errors import PlanInvalid
    from ..plan.schema import schema_json
    from ..planfile.loader import parse_plan
    from ..planfile.schemacopy import SCHEMA_FILE
    from ..planfile.textfile import SourceText

    try:
        plan = parse_plan(SourceText(Path(PLAN_FILE), plan_text)).plan
    except PlanInvalid as exc:  # the callers validate first: a bug if it happens
        raise CannotRun(f"the new plan is not valid: {exc}") from None
    area = plan.inspection.area
    workflows = available(commands)
    context: dict[str, object] = {
        "version": version, "area": area, "workflows": workflows, "hooks": HOOKS,
        "guide_root": GUIDE_ROOT,
        "title": f"{area}: {plan.inspection.plan_title or 'improvement plan'}"}
    render = _renderer()
    files = [NewFile(PLAN_FILE, plan_text), NewFile(SCHEMA_FILE, schema_json()),
             NewFile(".gitignore", render("gitignore.j2", context)),
             NewFile(".pre-commit-config.yaml", render("pre-commit-config.yaml.j2", context)),
             *(_workflow(w, render, context) for w in workflows),
             NewFile("README.md", render("README.md.j2", context))]
    return files


def _workflow(workflow: Workflow, render: _Render, context: dict[str, object]) -> NewFile:
    return NewFile(f".github/workflows/{workflow.file}", render(workflow.template, context))


def _renderer() -> _Render:
    import jinja2

    from ..views.templating import default_template_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(default_template_dir() / "new"),
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, autoescape=False)

    def render(name: str, context: dict[str, object]) -> str:
        return env.get_template(name).render(context)

    return render


def create_repository(folder: Path, files: list[NewFile]) -> None:
    """Write ``files`` into ``folder`` (made if missing), ``git init`` it and commit them
    once. Checked first: the folder is new or empty, and git is there."""
    from ..history.gitio import init_and_commit
    from ..planfile.atomicfile import write_atomic

    refuse_unless_empty(folder)
    if shutil.which("git") is None:
        raise CannotRun("git is not installed (or not on PATH); jtai new makes a git "
                        "repository", hint="install git, then run jtai new again")
    existed = folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for file in files:
            path = folder / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, file.text.encode("utf-8"), exclusive=True)
        init_and_commit(folder, FIRST_COMMIT)
    except BaseException:
        # All or nothing: the folder was new or empty, and is left as it was found.
        _empty(folder, remove=not existed)
        raise


def _empty(folder: Path, *, remove: bool) -> None:
    if remove:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
