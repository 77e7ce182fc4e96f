"""Everything jtai asks git: who is making a change, files at other revisions, and which
commit brought in each line."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import CannotRun

GIT_TIMEOUT = 20


def run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT,
                              check=False)
    except FileNotFoundError:
        if not cwd.is_dir():
            raise CannotRun(f"cannot run git in {cwd.as_posix()}: no such folder") from None
        raise CannotRun("git is not installed (or not on PATH)") from None
    except OSError as exc:  # the folder is a file, or may not be entered
        raise CannotRun(f"cannot run git in {cwd.as_posix()}: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise CannotRun(f"git {' '.join(args)} did not answer in {GIT_TIMEOUT} s") from None


def folder_of(path: Path) -> Path:
    """The real folder of a file, following symbolic links; the folder as written when they
    cannot be followed (a loop, a missing target), where reading the file will say why."""
    try:
        return path.resolve().parent
    except (OSError, RuntimeError):
        return path.absolute().parent


def user_name(cwd: Path) -> str | None:
    """git's ``user.name`` for the folder, or None when git or the setting is missing."""
    try:
        result = run_git(["config", "user.name"], cwd)
    except CannotRun:
        return None
    name = result.stdout.decode("utf-8", "replace").strip()
    return name if result.returncode == 0 and name else None


def repo_root(cwd: Path) -> Path:
    result = run_git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise CannotRun(f"{cwd.as_posix()} is not inside a git repository",
                        hint="jtai diff compares plan.yaml between commits: run it in the "
                        "plan's git checkout")
    return Path(result.stdout.decode("utf-8").strip())


def resolve_revision(rev: str, cwd: Path) -> str:
    result = run_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    if result.returncode != 0:
        raise CannotRun(f"git does not know the revision '{rev}'",
                        hint="use a branch, tag or commit: main, HEAD~1, origin/main")
    return result.stdout.decode().strip()


def default_base(cwd: Path) -> str:
    """The merge-base with the default branch, or HEAD when there is none."""
    candidates = []
    head = run_git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cwd)
    if head.returncode == 0:
        candidates.append(head.stdout.decode().strip())
    candidates += ["origin/main", "origin/master", "main", "master"]
    current = run_git(["rev-parse", "--abbrev-ref", "HEAD"], cwd).stdout.decode().strip()
    for branch in candidates:
        if branch == current:
            continue
        base = run_git(["merge-base", "HEAD", branch], cwd)
        if base.returncode == 0:
            return base.stdout.decode().strip()
    return "HEAD"


def show_file(rev: str, path_in_repo: str, cwd: Path) -> bytes | None:
    """The file's bytes at ``rev``, or None when it did not exist there."""
    result = run_git(["show", f"{rev}:{path_in_repo}"], cwd)
    return result.stdout if result.returncode == 0 else None


def renamed_from(base: str, head: str | None, path_in_repo: str, cwd: Path) -> str | None:
    """The path ``path_in_repo`` had at ``base``, if git sees it as renamed since."""
    args = ["diff", "-M", "--name-status", "-z", base] + ([head] if head else [])
    result = run_git(args, cwd)
    if result.returncode != 0:
        return None
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if new == path_in_repo:
                return old
            i += 3
        else:
            i += 2
    return None


@dataclass(frozen=True)
class BlameCommit:
    sha: str
    author: str
    when: int
    """Author time, seconds since the epoch."""
    summary: str

    @property
    def committed(self) -> bool:
        return self.sha.strip("0") != ""


def blame(path: Path) -> list[BlameCommit] | None:
    """The commit that brought in each line of ``path`` as it is in the working tree
    (index 0 is line 1); None without git, outside a repository, or for a file git does not
    track."""
    try:
        result = run_git(["blame", "--porcelain", "--", path.name], path.resolve().parent)
    except CannotRun:  # no git here: the history is still in the plan itself
        return None
    if result.returncode != 0:
        return None
    commits: dict[str, dict[str, str]] = {}
    lines: list[str] = []
    current: str | None = None
    for raw in result.stdout.decode("utf-8", "replace").split("\n"):
        if current is None:
            fields = raw.split(" ")
            if len(fields) >= 3 and len(fields[0]) >= 40:
                current = fields[0]
                commits.setdefault(current, {})
            continue
        if raw.startswith("\t"):
            lines.append(current)
            current = None
            continue
        key, _, value = raw.partition(" ")
        commits[current].setdefault(key, value)
    made = {sha: BlameCommit(sha, info.get("author", ""), int(info.get("author-time", "0")),
                             info.get("summary", "")) for sha, info in commits.items()}
    return [made[sha] for sha in lines]


# When git has no identity configured (a new machine, a CI runner), the first commit of a
# new plan repository is still made, under this name, and only then.
FALLBACK_IDENTITY = ("user.name=jtai", "user.email=jtai@localhost")


def init_and_commit(folder: Path, message: str) -> None:
    """``git init`` in ``folder`` (branch main), then one commit of everything in it."""
    def git(command: str, *args: str, settings: tuple[str, ...] = ()) -> None:
        done = run_git([*(w for s in settings for w in ("-c", s)), command, *args], folder)
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CannotRun(f"git {command} failed in {folder.as_posix()}: "
                            f"{said[-1] if said else 'no message'}")

    git("init", "--quiet", "--initial-branch=main")
    git("add", "--all")
    email = run_git(["config", "user.email"], folder)
    identified = user_name(folder) is not None and email.returncode == 0 and email.stdout.strip()
    git("commit", "--quiet", "-m", message, settings=() if identified else FALLBACK_IDENTITY)
