"""A plan's plain data as YAML text, character for character what :mod:`.yamlemit` writes.

ruamel.yaml's emitter is pure Python and general: about 30 µs for each scalar, seven
seconds for the 10,000-action plan ``jtai import`` can write. A plan holds only mappings,
lists, text, integers, booleans, dates and None, in the one layout yamlemit sets (mappings
indented 2, sequences 4 with the dash at 2, no line folded), so this writes that
directly. The rules are ruamel's own (``Emitter.analyze_scalar`` and
``choose_scalar_style``, and its resolver for text that would read back as another type),
with :func:`.yamlemit.needs_quotes` for what YAML 1.1 readers would misread, and
tests/test_blockyaml.py compares the two on random text and on whole plans.

Whatever it does not handle it refuses (:func:`dump` returns None) and the caller asks
ruamel: comments, empty text, line breaks other than ``\\n``, a key too long to be a simple
key, a value of another type.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from functools import cache, lru_cache
from typing import Any

from .yamlemit import needs_quotes

_SPACE = "\0 \t\r\n\x85\u2028\u2029"
"""What ruamel counts as whitespace around an indicator."""
_RARE_BREAKS = re.compile("[\x85\u2028\u2029]")
_SPECIAL = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")
"""Characters only a double-quoted scalar can hold (escaped)."""
_LEADING = "#,[]{}&*!|>'\"%@`"
_COLON = re.compile(":(?:[\0 \t\r\n\x85\u2028\u2029]|\\Z)")
"""``: `` or a final ``:``, an indicator after the first character."""
_COMMENT = re.compile("[\0 \t\r\n\x85\u2028\u2029]#")
_FLOW_INDICATOR = re.compile(r"[,\[\]{}]")
_DOUBLE_ESCAPED = re.compile(
    '["\\\\\x85\u2028\u2029\ufeff]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]')
_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v",
            "\x0c": "f", "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
            "\xa0": "_", "\u2028": "L", "\u2029": "P"}
_STR = "tag:yaml.org,2002:str"
MAX_SIMPLE_KEY = 128 - len("!!str")
"""ruamel writes a key this long or longer (counting its tag) in the explicit ``? key`` form."""


class Unwritable(Exception):
    """Something ruamel must write: :func:`dump` returns None."""


def dump(data: dict[str, Any], *, flow: Collection[str] = (),
         quoted: Collection[str] = ()) -> str | None:
    """``data`` as a YAML document, or None for what only ruamel writes. Lists under a key in
    ``flow`` are written ``[a, b]``; text under a key in ``quoted`` is double-quoted (the
    ``DoubleQuotedScalarString`` of ruamel)."""
    out: list[str] = []
    try:
        _mapping(data, 0, "", out, flow, quoted)
    except Unwritable:
        return None
    return "".join(out)


def _mapping(data: dict[str, Any], indent: int, first: str, out: list[str],
             flow: Collection[str], quoted: Collection[str]) -> None:
    pad = " " * indent
    for number, (key, value) in enumerate(data.items()):
        if not isinstance(key, str) or len(key) >= MAX_SIMPLE_KEY:
            raise Unwritable(key)
        head = f"{first if number == 0 else pad}{scalar(key, key=True)}:"
        if isinstance(value, dict):
            if not value:
                out.append(head + " {}\n")
            else:
                out.append(head + "\n")
                _mapping(value, indent + 2, " " * (indent + 2), out, flow, quoted)
        elif isinstance(value, list):
            if key in flow:
                out.append(f"{head} [{', '.join(scalar(v, in_flow=True) for v in value)}]\n")
            elif not value:
                out.append(head + " []\n")
            else:
                out.append(head + "\n")
                _sequence(value, indent + 2, out, flow, quoted)
        elif value is None:
            out.append(head + "\n")
        elif key in quoted and isinstance(value, str):
            out.append(f"{head} {double_quoted(value)}\n")
        else:
            out.append(f"{head} {scalar(value)}\n")


def _sequence(items: Sequence[Any], indent: int, out: list[str], flow: Collection[str],
              quoted: Collection[str]) -> None:
    dash = " " * indent + "- "
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, dash, out, flow, quoted)
        elif isinstance(item, dict | list) or item is None:
            raise Unwritable(item)
        else:
            out.append(dash + scalar(item) + "\n")


def scalar(value: Any, *, in_flow: bool = False, key: bool = False) -> str:
    """How ruamel writes ``value`` (a key when ``key``; inside ``[...]`` when ``in_flow``)."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is date:
        return str(value.isoformat())
    if kind is not str:
        raise Unwritable(value)  # a float, a datetime, an enum, ruamel's own string types
    return _text(value, in_flow, key)


@lru_cache(maxsize=4096)
def _text(text: str, in_flow: bool, key: bool) -> str:
    # Cached: keys, owners, themes and ratings repeat on every action.
    if not text or _RARE_BREAKS.search(text):
        raise Unwritable(text)
    special = _SPECIAL.search(text) is not None
    breaks = "\n" in text
    if key and breaks:
        raise Unwritable(text)  # a multi-line key
    if (not special and not breaks and _plain_allowed(text, in_flow) and _reads_as_text(text)
            and not needs_quotes(text, in_flow)):
        return text
    # Not plain: double quotes for a quote or a line break in the text, or for characters
    # only an escape can write; single quotes otherwise.
    if special or breaks or "'" in text:
        return double_quoted(text)
    return f"'{text}'"


def _plain_allowed(text: str, in_flow: bool) -> bool:
    """ruamel's ``allow_block_plain`` / ``allow_flow_plain`` for one line of printable text."""
    if text[0] == " " or text[-1] == " " or text.startswith(("---", "...")):
        return False
    first = text[0]
    followed = len(text) == 1 or text[1] in _SPACE
    if first in _LEADING or (first == "-" and followed):
        return False
    if first in "?:" and (len(text) == 1 if in_flow else followed):
        return False  # YAML 1.2: a leading "? " or ": " bars block plain only
    if _COLON.search(text, 1) or _COMMENT.search(text):
        return False
    return not (in_flow and _FLOW_INDICATOR.search(text, 1))


@cache
def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    from .yamlemit import yaml

    return dict(yaml().resolver.versioned_resolver)


def _reads_as_text(text: str) -> bool:
    """Whether the text, written plain, reads back as text (not true, 12, 2025-06-30, ~)."""
    table = _resolvers()
    for tag, pattern in (*table.get(text[0], ()), *table.get(None, ())):
        if pattern.match(text):
            return bool(tag == _STR)
    return True


def double_quoted(text: str) -> str:
    """``"text"`` with ruamel's escapes (for a line it does not fold)."""
    return '"' + _DOUBLE_ESCAPED.sub(_escape, text) + '"'


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _ESCAPES:
        return "\\" + _ESCAPES[ch]
    if ch <= "\xff":
        return f"\\x{ord(ch):02X}"
    if ch <= "\uffff":
        return f"\\u{ord(ch):04X}"
    return f"\\U{ord(ch):08X}"
