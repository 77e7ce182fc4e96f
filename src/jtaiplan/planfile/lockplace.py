"""Where a plan's lock file lives: never in the user's folder.

filelock leaves its file behind by design (removing it would race another writer), so a
lock beside the plan would show in ``git status`` and in the partnership's shared folder.
A plan inside a git repository is locked under that working tree's git folder, which every
writer to the tree shares; any other plan in a per-user folder. Both are
keyed by the plan's real path, so a link to a plan and the plan itself share one lock.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_GIT_SUBFOLDER = "jtai-locks"


def lock_file(target: Path) -> Path:
    """The lock for the plan at ``target`` (its real path, links already followed)."""
    where = os.path.realpath(target)
    key = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    name = f"{Path(where).name}-{key}.lock"
    git = _git_folder(Path(where).parent)
    if git is not None:
        folder = git / _GIT_SUBFOLDER
        try:
            folder.mkdir(exist_ok=True)
            return folder / name
        except OSError:  # a repository we may read but not write: the user's own folder
            pass
    folder = user_lock_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / name


def user_lock_folder() -> Path:
    """jtai's own folder (``JTAI_CACHE_DIR``), else the session's runtime folder, else the
    cache folder; locks are needed even when the cache is turned off."""
    chosen = os.environ.get("JTAI_CACHE_DIR")
    if chosen:
        return Path(chosen) / "locks"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "jtaiplan" / "locks"
    from .plancache import cache_folder

    cached = cache_folder()
    if cached is not None:
        return cached / "locks"
    return Path(tempfile.gettempdir()) / f"jtaiplan-locks-{_user_id()}"


def _user_id() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else os.environ.get("USERNAME", "user")


def _git_folder(start: Path) -> Path | None:
    """The git folder of the working tree holding ``start``: ``.git`` itself, or the folder
    a worktree's ``.git`` file names."""
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not line.startswith("gitdir:"):
                return None
            named = Path(line[len("gitdir:"):].strip())
            named = named if named.is_absolute() else folder / named
            return named if named.is_dir() else None
    return None
