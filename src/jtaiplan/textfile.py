"""Reading the plan file as text: encoding, byte-order mark, line endings, size.

The rest of the library sees LF-only text without a BOM; :class:`SourceText` remembers what
the file had so that a writer can put it back exactly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CannotRun, PlanInvalid
from .findings import Finding, Severity

BOM = "\ufeff"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
# A half-merged file must be named as such: the YAML error it would give is baffling.
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    text: str
    """The content with LF line endings and no BOM."""
    newline: str = "\n"
    bom: bool = False
    raw: bytes = field(default=b"", repr=False, compare=False)
    """The bytes as read, to tell whether the file changed on disk meanwhile."""

    @property
    def display_name(self) -> str:
        return display_path(self.path)

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for ``text`` (default: this text) in the file's original conventions."""
        body = self.text if text is None else text
        if self.newline != "\n":
            body = body.replace("\n", self.newline)
        return ((BOM if self.bom else "") + body).encode("utf-8")


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:  # outside the working folder, or on another drive
        return path.as_posix()


def max_bytes() -> int:
    try:
        return int(os.environ.get("JTAI_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


def read_source(path: Path) -> SourceText:
    """Read ``path`` as a plan's text, or raise CannotRun / PlanInvalid with the reason."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CannotRun(
            f"{display_path(path)}: no such file",
            hint="run jtai in the folder that holds plan.yaml, or pass --plan PATH "
            "(or set JTAI_PLAN); `jtai init` writes a new plan",
        ) from None
    except OSError as exc:
        raise CannotRun(f"{display_path(path)}: cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise CannotRun(f"{display_path(path)} is a folder, not a plan file")
    limit = max_bytes()
    if size > limit:
        raise CannotRun(
            f"{display_path(path)} is {size / 1_048_576:.0f} MB; plans are limited to "
            f"{limit / 1_048_576:.0f} MB",
            hint="set JTAI_MAX_BYTES to raise the limit if the file really is a plan",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CannotRun(f"{display_path(path)}: cannot read: {exc.strerror}") from None
    return decode_source(path, raw)


def decode_source(path: Path, raw: bytes) -> SourceText:
    name = display_path(path)
    if b"\x00" in raw:
        raise PlanInvalid([_problem(name, raw[: raw.index(b"\x00")].count(b"\n") + 1,
                                    "the file contains NUL bytes: it is binary, not a YAML plan",
                                    "check that --plan names the right file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanInvalid([_problem(
            name, line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})",
            "save the file as UTF-8 (in Excel or Notepad: Save As, Encoding: UTF-8)",
        )]) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    conflict = _CONFLICT.search(text) if ("<<<<<<<" in text or ">>>>>>>" in text
                                          or "=======" in text) else None

    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise PlanInvalid([_problem(
            name, line,
            f"git merge-conflict marker '{conflict.group(1)}' on line {line}: "
            "the file is half-merged",
            "resolve the conflict (keep one side between <<<<<<< and >>>>>>>), "
            "remove the markers, then run `jtai validate`",
        )])
    return SourceText(path=path, text=text, newline=newline, bom=bom, raw=raw)


def _problem(file: str, line: int, message: str, hint: str) -> Finding:
    return Finding(code="JTAI001", severity=Severity.ERROR, message=message, file=file,
                   line=line, column=1, hint=hint)
