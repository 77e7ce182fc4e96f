"""Reading the plan file as text: encoding, byte-order mark, line endings, size.

The rest of the library sees LF-only text without a BOM; :class:`SourceText` remembers what
the file had so that a writer can put it back exactly.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CannotRun, PlanInvalid
from ..findings import Finding, Severity
from ..plan.textpolicy import REFUSED, describe, first_refused
from .linediff import line_opcodes

BOM = "\ufeff"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
# A half-merged file must be named as such: the YAML error it would give is baffling.
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
# A raw character the text policy refuses (after CRLF -> LF, a carriage return left over
# stands alone, and is one of them) cannot be in any value, and YAML refuses most of them or
# reads them as line breaks where editors do not: refused for the whole file, comments too.
_BREAKS = "\r\x85\u2028\u2029"


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    text: str
    """The content with LF line endings and no BOM."""
    newline: str = "\n"
    bom: bool = False
    raw: bytes = field(default=b"", repr=False, compare=False)
    """The bytes as read, to tell whether the file changed on disk meanwhile."""
    endings: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    """Only for a file whose lines end differently: each line's own ending, in order."""

    @property
    def display_name(self) -> str:
        return display_path(self.path)

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for ``text`` (default: this text, an edited version of it) in the file's
        original conventions.

        In a file whose lines end differently (some CRLF, some LF), every line the edit kept
        keeps its own ending, so the bytes outside the edited lines stay as they were. A
        replaced line keeps the ending of the line it replaces; a new line takes the ending
        of the line it follows, because new lines extend the block around them (a history
        entry the action it belongs to), which was typed or pasted in one editor.
        """
        body = self.text if text is None else text
        if self.endings is not None:
            body = _with_endings(self.text, self.endings, body, self.newline)
        elif self.newline != "\n":
            body = body.replace("\n", self.newline)
        return ((BOM if self.bom else "") + body).encode("utf-8")


def _with_endings(old: str, endings: tuple[str, ...], new: str, default: str) -> str:
    """``new`` (LF only, an edit of ``old``) with each line's ending taken from ``old``."""
    before, after = old.split("\n"), new.split("\n")
    chosen: list[str] = []  # the ending of each line of ``after`` but the unterminated last
    for _tag, i1, i2, j1, j2 in line_opcodes(before, after):
        for k in range(min(j2, len(after) - 1) - j1):
            if i1 + k < min(i2, len(endings)):
                chosen.append(endings[i1 + k])
            elif chosen:
                chosen.append(chosen[-1])
            else:  # new lines at the very start: the ending of the line they precede
                chosen.append(endings[i1] if i1 < len(endings) else default)
    return "".join(line + ending for line, ending in zip(after, chosen, strict=False)) + after[-1]


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
            f"{display_path(path)} is {_size(size)}; plans are limited to {_size(limit)}",
            hint="set JTAI_MAX_BYTES to raise the limit if the file really is a plan",
        )
    try:
        # At most limit + 1 bytes: /dev/zero or a pipe reports size 0 and never ends.
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise CannotRun(f"{display_path(path)}: cannot read: {exc.strerror}") from None
    if len(raw) > limit:
        raise CannotRun(f"{display_path(path)} is over {_size(limit)}, the limit for plans",
                        hint="set JTAI_MAX_BYTES to raise the limit if the file really is a plan")
    return decode_source(path, raw)


def decode_source(path: Path, raw: bytes) -> SourceText:
    name = display_path(path)
    if _utf16(raw):
        raise PlanInvalid([_problem(name, 1, "the file is UTF-16, not UTF-8",
                                    "save the file as UTF-8 (in Notepad: Save As, Encoding: "
                                    "UTF-8)")])
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
    endings = None
    if "\r" in text:
        if 0 < text.count("\r\n") < text.count("\n"):
            endings = tuple("\r\n" if line.endswith("\r") else "\n"
                            for line in text.split("\n")[:-1])
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
    if first_refused(text):
        raise PlanInvalid(_control_problems(name, text))
    return SourceText(path=path, text=text, newline=newline, bom=bom, raw=raw, endings=endings)


def _control_problems(name: str, text: str) -> list[Finding]:
    """Raw control characters, each with its line and column as an editor counts them.

    YAML refuses most of them, and reads NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR and a lone
    carriage return as line breaks where editors (and jtai's own edits) do not: every line
    number after one would be wrong. Written as escapes in double quotes ("\\u0085") they
    load, and lint reports them (JTAI206).
    """
    if "\r" in text and "\n" not in text.rstrip("\r"):
        return [_problem(name, 1, "the file's lines end in a carriage return alone (U+000D, "
                         "old Mac line endings)", "save the file with LF or CRLF line endings")]
    problems = []
    for match in REFUSED.finditer(text):
        char = match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Finding(
            code="JTAI001", severity=Severity.ERROR, file=name, line=line, column=column,
            message=f"{describe(char)} on line {line}"
            + (": YAML reads it as a line break" if char in _BREAKS else ""),
            hint="delete it (text pasted from Word, email or a terminal carries such "
            "characters): retype the text around it",
        ))
        if len(problems) >= 20:
            break
    return problems


def _utf16(raw: bytes) -> bool:
    """A UTF-16 byte-order mark, or ASCII text with a NUL byte beside every character."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:8]
    return len(head) == 8 and len(raw) % 2 == 0 and (
        (not any(head[0::2]) and all(head[1::2])) or (all(head[0::2]) and not any(head[1::2])))


def _size(size: int) -> str:
    if size < 10_000:
        return f"{size:,} bytes"
    if size < 10_000_000:
        return f"{size / 1000:,.0f} kB"
    return f"{size / 1_000_000:,.0f} MB"


def _problem(file: str, line: int, message: str, hint: str) -> Finding:
    return Finding(code="JTAI001", severity=Severity.ERROR, message=message, file=file,
                   line=line, column=1, hint=hint)
