"""Writing the plan safely: atomically, under a lock, never over someone else's change."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import CannotRun
from .lockplace import lock_file
from .textfile import display_path

LOCK_TIMEOUT_SECONDS = 60


def real_path(path: Path) -> Path:
    """The file a symlinked plan points at: it is replaced, and the link keeps pointing."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        raise CannotRun(f"{display_path(path)} is a symbolic link that leads back to itself",
                        hint="point the link at the plan file, or pass the plan's own path "
                        "with --plan") from None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise writers with a lock file kept out of the plan's folder (``lockplace``)."""
    from filelock import FileLock, Timeout

    try:
        where = lock_file(real_path(path))
    except OSError as exc:
        raise CannotRun(f"cannot create a lock for {display_path(path)}: "
                        f"{exc.strerror or exc}") from None
    lock = FileLock(str(where), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        with lock:
            yield
    except Timeout:
        raise CannotRun(f"{display_path(path)} is being changed by another jtai (lock held "
                        f"for over {LOCK_TIMEOUT_SECONDS} s)",
                        hint=f"try again; if no other jtai is running, delete {where}") from None
    except PermissionError:
        raise CannotRun(f"cannot create the lock {where} for {display_path(path)}: the folder "
                        "is not writable") from None


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, fsync, rename.

    A reader (or a crash) sees the old file or the new one, never a partial one. The old
    file's permission bits are kept; a new file gets the usual ones (0o666 less the umask,
    where the temporary file would have 0o600). A failure to write (disk full, folder not
    writable) is CannotRun, the plan untouched. With ``exclusive`` an existing file is
    never replaced, even one created a moment ago by someone else.
    """
    target = real_path(path)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    try:
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
        if exclusive:
            _link_new(temp, target)
        else:
            temp.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise _cannot_write(target, exc) from None
        raise
    _fsync_folder(target.parent)


def _link_new(temp: Path, target: Path) -> None:
    """Give the finished temporary file its name only if that name is still free."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise CannotRun(f"{display_path(target)} already exists; it was left as it is") from None
    except OSError:  # a file system without hard links
        with target.open("xb") as handle:
            handle.write(temp.read_bytes())
    temp.unlink()


def _cannot_write(target: Path, exc: OSError) -> CannotRun:

    return CannotRun(f"cannot write {display_path(target)}: {exc.strerror or exc}; it was "
                     "left as it was")


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


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
