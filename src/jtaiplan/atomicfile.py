"""Writing the plan safely: atomically, under a lock, never over someone else's change."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import CannotRun
from .textfile import display_path

LOCK_TIMEOUT_SECONDS = 60


def real_path(path: Path) -> Path:
    """The file a symlinked plan points at: it is replaced, and the link keeps pointing."""
    return path.resolve() if path.is_symlink() else path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise writers with a lock file beside the plan (``plan.yaml.lock``)."""
    from filelock import FileLock, Timeout

    target = real_path(path)
    lock = FileLock(str(target.with_name(target.name + ".lock")), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        with lock:
            yield
    except Timeout:
        raise CannotRun(f"{display_path(path)} is being changed by another jtai (lock held "
                        f"for over {LOCK_TIMEOUT_SECONDS} s)",
                        hint="try again; if no other jtai is running, delete the .lock file "
                        "beside the plan") from None
    except PermissionError:
        raise CannotRun(f"cannot create a lock beside {display_path(path)}: the folder is not "
                        "writable") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, fsync, rename.

    A reader (or a crash) sees the old file or the new one, never a partial one. The old
    file's permission bits are kept.
    """
    target = real_path(path)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                     suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            temp.chmod(mode)
        temp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows has no directory handles to sync.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
