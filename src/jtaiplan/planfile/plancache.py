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
``jtaiplan/``. ``JTAI_NO_CACHE=1`` turns it off, and so does ``CI`` (a fresh machine gains
nothing from it, and a CI cache may be restored from another branch).

A cache folder is a place others may write (a shared ``JTAI_CACHE_DIR``, a restored CI
cache), and entries are pickles, which run code when read. So a folder is used only when it
belongs to the user and no one else can write to it (on POSIX; on Windows the rest holds),
and every entry carries an HMAC-SHA256 made with a key that only this user can read, kept
outside the cache folder (:func:`key_file`, made on first use): an entry jtai did not write
is a miss and is never unpickled. HMAC keeps pickle's speed (a hit of 10,000 actions must
stay below a libyaml load); a format that cannot run code would have to rebuild every
dataclass in Python on each hit. An entry of any other shape is a miss too, and pruning
removes only jtai's own entries (``jtai-<40 hex>.cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

from .textfile import SourceText

_MAGIC = b"jtaiplc2"
_DIGEST = 32
_OWN = re.compile(r"jtai-[0-9a-f]{40}\.cache\Z")
"""An entry's name: pruning touches nothing else in the folder."""
_REASONS: dict[str, str] = {}
"""Why the cache is off for this run, said once under ``--debug``."""
# The modules whose code decides what a file validates to. A change to any of them (an
# editable install being worked on) makes every entry stale.
_DECIDING = ("plan/model.py", "plan/constraints.py", "plan/textpolicy.py", "plan/dates.py",
             "planfile/loader.py", "planfile/yamlread.py", "planfile/plancache.py",
             "__init__.py")


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def cache_folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    if os.environ.get("JTAI_NO_CACHE") or _flag("CI"):
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


def key_file() -> Path:
    """The entries' key: in the user's configuration folder, never in the cache folder."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "jtaiplan" / "cache.key"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "jtaiplan" / "cache.key"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "jtaiplan" / "cache.key"


def _private(path: Path, mask: int) -> str | None:
    """Why ``path`` must not be trusted (not the user's, or open to others by ``mask``),
    or None; on Windows, where ownership is not in the mode, only that it exists."""
    stat = path.stat()
    if sys.platform != "win32":
        if stat.st_uid != os.geteuid():
            return f"{path} belongs to another user"
        if stat.st_mode & mask:
            return f"{path} can be written or read by others (mode {stat.st_mode & 0o777:o})"
    return None


def _off(reason: str) -> None:
    if reason not in _REASONS:
        _REASONS[reason] = reason
        if _flag("JTAI_DEBUG"):  # --debug sets it
            print(f"jtai: cache off for this run: {reason}", file=sys.stderr)


_CHECKED: dict[Path, bool] = {}


def _usable(folder: Path) -> bool:
    """The folder is the user's and no one else can write to it (looked at once a run)."""
    if folder not in _CHECKED:
        try:
            reason = _private(folder, 0o022)
        except OSError:
            return False  # not there yet: a write makes it
        if reason is not None:
            _off(reason)
        _CHECKED[folder] = reason is None
    return _CHECKED[folder]


_KEYS: dict[Path, bytes] = {}


def _key(create: bool) -> bytes | None:
    path = key_file()
    if path not in _KEYS:
        key = _read_key(path, create)
        if key is None:
            return None
        _KEYS[path] = key
    return _KEYS[path]


def _read_key(path: Path, create: bool) -> bytes | None:
    with contextlib.suppress(OSError):
        if create and not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(
                    os, "O_BINARY", 0), 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(os.urandom(_DIGEST))
        reason = _private(path, 0o077)
        if reason is not None:
            _off(reason)
            return None
        key = path.read_bytes()
        return key if len(key) == _DIGEST else None
    return None


def _mac(key: bytes, head: bytes, body: bytes) -> bytes:
    mac = hmac.new(key, head, hashlib.sha256)
    mac.update(body)
    return mac.digest()


def read(source: SourceText, kind: str) -> tuple[Any, Any] | None:
    """``(data, validated)`` as stored for this file's exact text, or None."""
    entry = _entry(source, kind)
    if entry is None or not _usable(entry.parent):
        return None
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    head = _MAGIC + _stamp(kind) + _content_digest(source)
    if not blob.startswith(head):
        return None
    key = _key(False)
    mac, body = blob[len(head):len(head) + _DIGEST], blob[len(head) + _DIGEST:]
    if key is None or not hmac.compare_digest(mac, _mac(key, head, body)):
        return None  # not written by jtai for this user: never unpickled
    try:
        found = pickle.loads(body)
    except Exception:  # a damaged entry of any kind is a miss, never an error
        return None
    return found if _shaped(found, kind) else None


def _shaped(found: Any, kind: str) -> bool:
    """An entry holds what ``write`` stored for ``kind``: anything else is a miss."""
    from ..plan.model import AgencyRegistry, Plan

    if not (isinstance(found, tuple) and len(found) == 2):
        return False
    data, validated = found
    if kind == "agencies":
        return data is None and type(validated) is AgencyRegistry
    return isinstance(data, dict) and type(validated) is Plan


def write(source: SourceText, kind: str, data: Any, validated: Any) -> None:
    """Store what validating this file produced; silently skipped if it cannot be."""
    entry = _entry(source, kind)
    if entry is None:
        return
    import tempfile  # only a miss writes: a hit's start-up does without it

    with contextlib.suppress(OSError, pickle.PicklingError, RecursionError):
        body = pickle.dumps((data, validated), protocol=pickle.HIGHEST_PROTOCOL)
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = _key(True)
        if key is None or not _usable(entry.parent):
            return
        head = _MAGIC + _stamp(kind) + _content_digest(source)
        fd, name = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(head + _mac(key, head, body) + body)
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
    entries = [entry for entry in folder.glob("jtai-*.cache") if _OWN.match(entry.name)]
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
    return folder / f"jtai-{name[:40]}.cache"


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

