"""ruamel.yaml, configured once: how jtai writes YAML.

Two uses. Fragments (one scalar, one new key, one history entry) are emitted here and
spliced into the file by :mod:`jtaiplan.planfile.textedit`, so the rest of the file stays
byte-identical. ``jtai fmt`` round-trips a whole file into the canonical layout.

The settings keep a round trip of a canonical file byte-identical: quotes preserved, no
wrapping of long lines (width 4096), mappings indented 2, sequences 4 with the dash at 2.
"""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML


WIDTH = 4096


@cache
def yaml(width: int = WIDTH) -> YAML:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = width
    y.indent(mapping=2, sequence=4, offset=2)
    # The same date in two places must be written twice, not as an anchor and an alias
    # (which the reader refuses). Containers still count as "represented": ruamel writes
    # None as an empty value only when something has been.
    y.representer.ignore_aliases = lambda data: not isinstance(data, dict | list)
    return y


def dump(data: Any, width: int = WIDTH) -> str:
    out = io.StringIO()
    yaml(width).dump(data, out)
    return out.getvalue()


def load(text: str) -> Any:
    return yaml().load(text)


def scalar_text(value: Any, style: str = "", key: str = "k", column: int = 0) -> str:
    """How ``value`` is written after ``key: ``, keeping a quoted scalar's quote style.

    Text with line breaks is written double-quoted on one line, so a diff stays one line.
    Text longer than the line width is folded where a whole-file dump (``jtai fmt``) would
    fold it with ``key`` at ``column``; continuation lines are indented for column 0.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(value, str):
        if style == '"' or "\n" in value or "\r" in value:
            value = DoubleQuotedScalarString(value)
        elif style == "'":
            value = SingleQuotedScalarString(value)
    text = dump({key: value}, WIDTH - column)
    assert text.startswith(f"{key}:"), text
    body = text[len(key) + 1:].rstrip("\n")
    return body[1:] if body.startswith(" ") else body


def block_text(data: dict[str, Any] | list[Any], indent: int) -> str:
    """``data`` as block YAML lines, every line indented by ``indent`` spaces."""
    text = dump(data)
    lines = text.splitlines()
    common = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    shift = indent - common
    if shift > 0 and max(map(len, lines)) > (WIDTH - shift) // 2:
        # Long enough for the width to matter: fold as a whole-file dump would, the lines
        # standing ``shift`` columns further right.
        lines = dump(data, WIDTH - shift).splitlines()
    return "".join(" " * indent + line[common:] + "\n" if line.strip() else "\n"
                   for line in lines)
