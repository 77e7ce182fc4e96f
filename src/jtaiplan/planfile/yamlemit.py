"""ruamel.yaml, configured once: how jtai writes YAML.

Two uses. Fragments (one scalar, one new key, one history entry) are emitted here and
spliced into the file by :mod:`jtaiplan.planfile.textedit`, so the rest of the file stays
byte-identical. ``jtai fmt`` round-trips a whole file into the canonical layout.

The settings keep a round trip of a canonical file byte-identical: quotes preserved, no
wrapping of lines at any length, mappings indented 2, sequences 4 with the dash at 2.

Writers never alter text: a string is written plain only when every reader takes it back
as that same string, YAML 1.1 ones (PyYAML's ``safe_load``, yq, many CI tools) as well as
YAML 1.2 ones (ruamel, jtai's own reader). :func:`needs_quotes` says which are not, for
ruamel here and for :mod:`.blockyaml` alike.
"""

from __future__ import annotations

import io
import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.representer import Representer


WIDTH = sys.maxsize
"""No line is ever folded: ruamel folds a long scalar at a double space even within 4,096
columns, and the fold loses one of the spaces."""

# YAML 1.1 reads these as booleans or null in the cases PyYAML knows, and the 1.1 spec in
# any case (y and n too); "=" and "<<" are its value and merge keys. "?" and ":" open a
# key or a value in a flow list to libyaml and PyYAML, whatever follows them.
_SPECIAL_WORD = re.compile(r"(?i:y|n|yes|no|on|off|true|false|null|~|=|<<)\Z|[?:]")
_STR_TAG = "tag:yaml.org,2002:str"


def needs_quotes(text: str, in_flow: bool = False) -> bool:
    """Whether ``text``, written plain, might be read back as anything but this string by
    a YAML 1.1 reader (a boolean, null, a number, a base-60 ``1:30``, a date), or in a flow
    list (``[a, b]``, where PyYAML ends plain text at any ``?``); YAML 1.2's own resolver
    and indicators are applied by the emitters themselves."""
    if in_flow and "?" in text:
        return True
    if "\n" in text:
        return False  # never plain: both emitters quote text with a line break
    if not text or _SPECIAL_WORD.match(text):
        return True
    from yaml.resolver import Resolver

    table = Resolver.yaml_implicit_resolvers
    return any(tag != _STR_TAG and pattern.match(text)
               for tag, pattern in (*table.get(text[0], ()), *table.get(None, ())))


def _represent_str(representer: Representer, data: str) -> ScalarNode:
    style = ('"' if "'" in data else "'") if needs_quotes(data) else None
    return representer.represent_scalar(_STR_TAG, data, style=style)


@cache
def yaml() -> YAML:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    # The same date in two places must be written twice, not as an anchor and an alias
    # (which the reader refuses). Containers still count as "represented": ruamel writes
    # None as an empty value only when something has been.
    y.representer.ignore_aliases = lambda data: not isinstance(data, dict | list)
    y.representer.add_representer(str, _represent_str)
    y.Emitter = _flow_safe_emitter()
    return y


def _flow_safe_emitter() -> type[Any]:
    from ruamel.yaml.emitter import Emitter

    class FlowSafeEmitter(Emitter):
        """Only the emitter knows a scalar is in a flow list: it quotes what PyYAML would
        misread there."""

        def choose_scalar_style(self) -> Any:
            style = super().choose_scalar_style()
            value = self.event.value
            if style == "" and self.flow_level and needs_quotes(value, in_flow=True):
                return '"' if "'" in value else "'"
            return style

    return FlowSafeEmitter


def dump(data: Any) -> str:
    out = io.StringIO()
    yaml().dump(data, out)
    return out.getvalue()


def load(text: str) -> Any:
    return yaml().load(text)


def scalar_text(value: Any, style: str = "", key: str = "k") -> str:
    """How ``value`` is written after ``key: ``, keeping a quoted scalar's quote style.

    Text with line breaks is written double-quoted on one line, so a diff stays one line.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(value, str):
        if style == '"' or "\n" in value or "\r" in value:
            value = DoubleQuotedScalarString(value)
        elif style == "'":
            value = SingleQuotedScalarString(value)
    text = dump({key: value})
    assert text.startswith(f"{key}:"), text
    body = text[len(key) + 1:].rstrip("\n")
    return body[1:] if body.startswith(" ") else body


def block_text(data: dict[str, Any] | list[Any], indent: int) -> str:
    """``data`` as block YAML lines, every line indented by ``indent`` spaces."""
    text = dump(data)
    lines = text.splitlines()
    common = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return "".join(" " * indent + line[common:] + "\n" if line.strip() else "\n"
                   for line in lines)
