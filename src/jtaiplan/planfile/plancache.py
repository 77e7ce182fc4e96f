"""The validated-plan cache: a file read before, unchanged, is not validated again.

Only plans read from their files use it (``load_plan``, and the read before an edit); text
made in memory, such as an edit's result, is always validated.

Validating needs pydantic, whose import alone is about half of a ``jtai status`` run. An
entry keeps what validation produced (the plain data and the plan's dataclasses), keyed by
the file's path and checked against a digest of its text and a stamp of the code that
validated it, so a changed file, a new jtai or a new pydantic is simply a miss. Any entry
that cannot be read (truncated, corrupt, from another version) is a miss too: the cache can
make a run faster, never different. Writing an entry is best effort and never fails a run.

Where: ``JTAI_CACHE_DIR``, else the platform's cache folder (``%LOCALAPPDATA%`` on Windows,
``~/Library/Caches`` on macOS, ``$XDG_CACHE_HOME`` or ``~/.cache`` elsewhere), in
``jtaiplan/``. ``JTAI_NO_CACHE=1`` turns it off. Entries are pickles, read only from that
folder, which is created private to the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from .textfile import SourceText

_MAGIC = b"jtaiplc1"
# The modules whose code decides what a file validates to. A change to any of them (an
# editable install being worked on) makes every entry stale.
_DECIDING = ("plan/model.py", "plan/constraints.py", "plan/textpolicy.py", "plan/dates.py",
             "planfile/loader.py", "planfile/yamlread.py", "planfile/plancache.py",
             "__init__.py")


def cache_folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    if os.environ.get("JTAI_NO_CACHE"):
        return None
    chosen = os.environ.get("JTAI_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "jtaiplan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "jtaiplan"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jtaiplan"


def read(source: SourceText, kind: str) -> tuple[Any, Any] | None:
    """``(data, validated)`` as stored for this file's exact text, or None."""
    entry = _entry(source, kind)
    if entry is None:
        return None
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head = _MAGIC + _stamp(kind) + _content_digest(source)
    if not blob.startswith(head):
        return None
    try:
        data, validated = pickle.loads(blob[len(head):])
    except Exception:  # a damaged entry of any kind is a miss, never an error
        return None
    return data, validated


def write(source: SourceText, kind: str, data: Any, validated: Any) -> None:
    """Store what validating this file produced; silently skipped if it cannot be."""
    entry = _entry(source, kind)
    if entry is None:
        return
    import tempfile  # only a miss writes: a hit's start-up does without it

    with contextlib.suppress(OSError, pickle.PicklingError, RecursionError):
        body = pickle.dumps((data, validated), protocol=pickle.HIGHEST_PROTOCOL)
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + _stamp(kind) + _content_digest(source) + body)
            temp.replace(entry)
        finally:
            temp.unlink(missing_ok=True)
        _prune(entry.parent)


KEEP = 1000
"""Entries kept, one per plan file: room for a partnership's whole portfolio several times
over (fewer, and a portfolio larger than the room would evict its own plans on every run),
while the folder stays bounded as plans come and go."""
_PRUNED: set[Path] = set()


def _prune(folder: Path) -> None:
    """The least recently written entries beyond :data:`KEEP` removed, looked for once a
    run (a portfolio's first read writes an entry per plan)."""
    if folder in _PRUNED:
        return
    _PRUNED.add(folder)
    entries = list(folder.glob("*.pickle"))
    if len(entries) <= KEEP:
        return
    aged = []
    for entry in entries:
        with contextlib.suppress(OSError):
            aged.append((entry.stat().st_mtime_ns, entry))
    for _mtime, entry in sorted(aged)[:-KEEP]:
        with contextlib.suppress(OSError):
            entry.unlink()


def _entry(source: SourceText, kind: str) -> Path | None:
    folder = cache_folder()
    if folder is None or not source.raw:
        return None
    try:
        where = str(source.path.resolve())
    except OSError:
        return None
    name = hashlib.sha256(f"{kind}\0{where}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{name[:40]}.pickle"


def _content_digest(source: SourceText) -> bytes:
    # Of the text validated, not of the bytes read: a caller may pair a file's bytes with
    # text edited in memory, and only the text decides the plan.
    return hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).digest()


_STAMPS: dict[str, bytes] = {}


def _stamp(kind: str) -> bytes:
    """The code that validated: jtai's deciding modules, pydantic, Python, as stat data
    (reading them whole would cost more than the cache saves on a small plan)."""
    if kind not in _STAMPS:
        package = Path(__file__).resolve().parent.parent
        parts = [kind, sys.version, str(pickle.HIGHEST_PROTOCOL)]
        files = [package / name for name in _DECIDING]
        # pydantic's version file, looked for along sys.path as an import would (not with
        # importlib.util, whose import the hit path would pay for).
        versions = (Path(entry or ".") / "pydantic" / "version.py" for entry in sys.path)
        files.append(next((found for found in versions if found.is_file()),
                          Path("pydantic-not-found")))
        for path in files:
            try:
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{path}:missing")
        _STAMPS[kind] = hashlib.sha256("\n".join(parts).encode("utf-8",
                                                               "surrogatepass")).digest()
    return _STAMPS[kind]

