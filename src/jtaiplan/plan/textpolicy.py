"""What a text field of the plan may hold: the one definition every path applies.

The plan is an audit record, so text is kept exactly as a person wrote it or refused with
its place; nothing in between. This module says which characters are refused and why, and
nothing else: the model applies it (:mod:`jtaiplan.plan.constraints`), and so every path
into the plan (options, hand edits, imports, returns) accepts and refuses the same text.
Callers add the place (file:line:col, an option's name, ``Sheet!B7``, a CSV line).

Allowed: printable Unicode, tab and line feed (a line break). Refused:

- every other C0 control character, DEL and the C1 block (U+0080-U+009F): invisible, and
  XML (every xlsx and docx part) cannot hold most of them at all;
- a carriage return: files and cells say "line break" in several ways, and the plan holds
  one, LF; readers turn CRLF and lone CR into LF *before* the policy sees the text;
- U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR and U+0085 NEXT LINE, which YAML readers
  take for line breaks where editors do not;
- noncharacters (U+FDD0-U+FDEF, and U+xFFFE / U+xFFFF in every plane), which XML forbids;
- lone surrogates (U+D800-U+DFFF), which no UTF-8 file can hold.

and text longer than :data:`MAX_TEXT` characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT = 20_000
"""The most characters one text field holds (Excel's cell limit is 32,767)."""

_IN_THE_BMP = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
REFUSED = re.compile(f"[{_IN_THE_BMP}{_ASTRAL_NONCHARACTERS}]")
"""One refused character. To find the first in a long text, :func:`first_refused` is
ten times faster: ``re`` checks a class holding the 32 astral noncharacters character by
character (0.24 s over a 6 MB plan, against 0.02 s for the same class without them)."""
_REFUSED_IN_THE_BMP = re.compile(f"[{_IN_THE_BMP}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def first_refused(text: str) -> re.Match[str] | None:
    """The first refused character in ``text``, as ``REFUSED.search`` finds it."""
    if _ASTRAL.search(text) is None:  # the usual text: the fast class says it all
        return _REFUSED_IN_THE_BMP.search(text)
    return REFUSED.search(text)

_NAMES = {
    "\x00": "null character", "\x0b": "vertical tab", "\x0c": "form feed",
    "\r": "carriage return", "\x1b": "escape character", "\x7f": "delete character",
    "\x85": "next-line character (NEL)", "\u2028": "line separator",
    "\u2029": "paragraph separator",
}


def describe(char: str) -> str:
    """``U+000B (vertical tab)``: how every message names a refused character."""
    code = ord(char)
    if char in _NAMES:
        name = _NAMES[char]
    elif 0xD800 <= code <= 0xDFFF:
        name = "lone surrogate"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        name = "noncharacter"
    elif code < 0x20 or code == 0x7F:
        name = "control character"
    else:
        name = "C1 control character"
    return f"U+{code:04X} ({name})"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a text cannot go into the plan, and where in the text."""

    index: int
    """0-based index of the refused character (or of the first character past the limit)."""
    char: str | None
    """The refused character; None when the text is too long."""
    line: int
    """1-based line within the text (texts may hold line breaks)."""
    column: int
    """1-based column within that line."""

    @property
    def message(self) -> str:
        if self.char is None:
            return f"is longer than {MAX_TEXT:,} characters"
        where = (f"line {self.line}, character {self.column}" if self.line > 1
                 else f"character {self.column}")
        return f"contains {describe(self.char)} at {where}"

    @property
    def hint(self) -> str:
        if self.char is None:
            return "shorten it, or keep the detail in a linked document"
        return "retype the text, or delete it and paste it again as plain text"


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def check(text: str, limit: int = MAX_TEXT) -> Refusal | None:
    """The first reason ``text`` cannot be plan text, or None when it can."""
    match = first_refused(text)
    if match is not None:
        line, column = _position(text, match.start())
        return Refusal(match.start(), match.group(0), line, column)
    if len(text) > limit:
        line, column = _position(text, limit)
        return Refusal(limit, None, line, column)
    return None


def normalise_breaks(text: str) -> str:
    """CRLF and lone CR as LF: the one normalisation a reader applies before :func:`check`,
    because they are the same line break written another way."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def trim(text: str) -> str:
    """``text`` without the blank space around it, as a reader trims a cell or an option.

    ``str.strip`` would also drop refused characters (U+0085, U+2028, U+000B...) at either
    end, in silence; they stay, so that :func:`check` refuses them with their place.
    """
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return text[start:end]


def _blank(char: str) -> bool:
    # A carriage return is a line break written another way (normalise_breaks), not a
    # refused character, wherever a reader meets it.
    return char.isspace() and (char == "\r" or REFUSED.match(char) is None)
