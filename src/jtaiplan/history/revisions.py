"""Reading the plan as it was at a git revision (or as it is in the working tree)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotRun, PlanInvalid
from ..planfile.agencyfile import registries_read_by
from ..planfile.loader import LoadedPlan, parse_plan
from ..planfile.textfile import SourceText, decode_source, display_path, read_source
from .gitio import default_base, renamed_from, repo_root, resolve_revision, show_file


@dataclass(frozen=True)
class Versions:
    base: LoadedPlan | None
    """None when the plan did not exist at the base revision."""
    head: LoadedPlan
    base_label: str
    head_label: str


def load_versions(plan: Path, base: str | None, head: str | None) -> Versions:
    """The plan at ``base`` (default: merge-base with the default branch) and at ``head``
    (default: the working tree), read through git itself."""
    folder, in_repo = locate(plan)
    default = None if base else default_base(folder)
    base_rev = resolve_revision(base or default or "HEAD", folder)
    # default_base falls back to HEAD when there is no other branch to meet.
    base_label = base or ("HEAD" if default == "HEAD" else "merge-base")
    if head is None:
        head_loaded = parse_plan(read_source(plan), integrity=False)
        head_label = "working tree"
        head_rev = None
    else:
        head_rev = resolve_revision(head, folder)
        at_head = _at(head_rev, in_repo, folder, plan)
        if at_head is None:
            raise CannotRun(f"{in_repo} does not exist at {head}")
        head_loaded, head_label = at_head, head
    old_path = in_repo
    base_loaded = _at(base_rev, old_path, folder, plan)
    if base_loaded is None:
        previous = renamed_from(base_rev, head_rev, in_repo, folder)
        if previous is not None:
            base_loaded = _at(base_rev, previous, folder, plan)
            base_label += f" ({previous})"
    return Versions(base_loaded, head_loaded, f"{base_label} {base_rev[:10]}", head_label)


def locate(plan: Path) -> tuple[Path, str]:
    """The folder git is asked in, and the plan's path inside its repository.

    git keeps a symbolic link as a link, never the file it points at, so the history that
    counts is the real file's: a link from outside a checkout into it follows the link; a
    link that leads out of every checkout has no history to compare, and says so.
    """
    name = display_path(plan)
    try:
        real = plan.resolve(strict=True)
    except FileNotFoundError:
        target = f" (a symbolic link to {_link_target(plan)}, which does not exist)" \
            if plan.is_symlink() else ""
        raise CannotRun(f"{name}: no such file{target}",
                        hint="pass --plan with the path of the plan in its git checkout") from None
    except (OSError, RuntimeError) as exc:  # a loop of links; a file where a folder belongs
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a loop of " \
            "symbolic links"
        raise CannotRun(f"{name}: cannot follow the path to the plan: {reason}",
                        hint="pass --plan with the path of the plan in its git checkout") from None
    try:
        root = repo_root(real.parent)
    except CannotRun as exc:
        if real == plan.absolute():
            raise
        raise CannotRun(f"{name} leads to {real.as_posix()}, which is not inside a git "
                        "repository",
                        hint="git keeps a symbolic link, not the plan it points at: run jtai "
                        "diff on the plan in its own git checkout") from exc
    try:
        return real.parent, real.relative_to(root.resolve()).as_posix()
    except ValueError:  # git was pointed elsewhere (GIT_DIR, GIT_WORK_TREE)
        raise CannotRun(f"{real.as_posix()} is not inside the git checkout "
                        f"{root.as_posix()}") from None


def _link_target(path: Path) -> str:
    try:
        return path.readlink().as_posix()
    except OSError:
        return "a missing file"


def _at(rev: str, path_in_repo: str, cwd: Path, plan: Path) -> LoadedPlan | None:
    raw = show_file(rev, path_in_repo, cwd)
    if raw is None:
        return None

    def registry(agencies_from: str) -> SourceText | None:
        # agencies_from is relative to the plan's folder; git names files from the root.
        where = posixpath.normpath(posixpath.join(posixpath.dirname(path_in_repo),
                                                  agencies_from))
        found = None if where.startswith("../") else show_file(rev, where, cwd)
        return None if found is None else decode_source(Path(f"{rev[:10]}:{where}"), found)

    try:
        with registries_read_by(registry):
            return parse_plan(decode_source(Path(f"{rev[:10]}:{path_in_repo}"), raw),
                              integrity=False)
    except PlanInvalid as exc:
        problem = exc.findings[0].message if exc.findings else "it is invalid"
        raise CannotRun(f"the plan at {rev[:10]} ({path_in_repo}) cannot be read: "
                        f"{problem}") from None
