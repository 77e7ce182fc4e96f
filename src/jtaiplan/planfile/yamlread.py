"""Fast, safe reading of a plan's YAML into plain Python data, keeping the node tree.

Read-only commands never need ruamel's round-trip loader: libyaml (through PyYAML's C
binding, when present) composes nodes with line marks several times faster. Scalars are
resolved here by the YAML 1.2 core schema, as ruamel.yaml reads them, so the plan means the
same whichever library reads it: ``yes``, ``no`` and ``on`` stay words, dates stay text
(the model parses them), and nothing is ever constructed from a tag.

Refused outright, with their positions: explicit tags (``!!python/object/apply:...``),
anchors and aliases (exponential "billion laughs" expansion), duplicate keys, complex keys
and nesting deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import PlanInvalid
from ..findings import Finding, Severity
from .textfile import SourceText

try:
    from yaml import CBaseLoader as _Loader
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

_SCALAR_TAG = "tag:yaml.org,2002:str"
_TAGS = {ScalarNode: _SCALAR_TAG, SequenceNode: "tag:yaml.org,2002:seq",
         MappingNode: "tag:yaml.org,2002:map"}


class _Composer(_Parser):
    """libyaml's composer with tag resolution switched off.

    Every plain scalar is resolved here (YAML 1.2 core), not by PyYAML's resolver, whose
    Python-level calls per node cost more than the parse itself on a large plan.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        return _TAGS[kind]

    def descend_resolver(self, parent: Any, index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

MAX_DEPTH = 40
MAX_FINDINGS = 50

# Only where one of these could start a tag, anchor or alias is the token scan worth its
# cost: after a space or a flow indicator (or at the start), before anything else.
_TOKEN_CHARS = "&*!"
_FLOW = frozenset("[]{},")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_CONSTANTS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_SCALAR_HINTS = {
    "\t": "YAML does not allow tab characters for indentation: indent with spaces",
    "could not find expected ':'": "a line is missing ':' after its key, or a quote is "
    "not closed on the line before",
    "found unexpected end of stream": "a quote or bracket is never closed",
    "mapping values are not allowed here": "text containing ': ' must be quoted: "
    'key: "text: more text"',
    "found character that cannot start any token": "quote values that start with "
    "characters such as @ or `",
    "did not find expected key": "check the indentation: keys of one mapping line up",
    "did not find expected '-' indicator": "check the indentation of the list items",
    "expected a single document": "a plan is one YAML document: remove the extra '---'",
}
# What the common mistakes look like to a person, before the parser's own wording.
_PLAIN_SENTENCES = {
    "could not find expected ':'": "a line here or just above is not 'key: value': is "
    "there a space after the colon (progress: Green, not progress:Green), and is every "
    "quote above closed?",
    "while scanning a quoted scalar": "a quote opened here is never closed",
    "found unexpected end of stream": "a quote or bracket opened here is never closed",
    "did not find expected '-' indicator": "this line is not indented like the list items "
    "around it",
    "did not find expected key": "this line is not indented like the keys around it",
    "mapping values are not allowed": "this line is indented further than the line above "
    "allows, or its text contains ': ' and needs quotes",
}


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar's value under the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _MAYBE_NOT_TEXT:
        return value
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if value in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value]
    return value


def compose(source: SourceText) -> Node | None:
    """The document's node tree (``None`` for an empty document), or PlanInvalid."""
    name = source.display_name
    candidates = _token_candidates(source.text)
    loader = _Composer(source.text)
    try:
        node: Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if candidates:
            _refuse_tags_and_anchors(source.text, name)  # names what it refuses, then exc
        raise PlanInvalid([syntax_finding(exc, name, source.text)]) from None
    except yaml.YAMLError as exc:
        message = f"YAML error: {exc}"
        raise PlanInvalid([Finding("JTAI001", Severity.ERROR, message, name)]) from None
    except RecursionError:
        raise PlanInvalid([Finding("JTAI001", Severity.ERROR,
                                   "the YAML is nested too deeply to be a plan", name)]) from None
    finally:
        loader.dispose()
    # Aliases are resolved by now but not expanded: that happens in to_python, which a
    # refused document never reaches.
    if candidates and _outside_scalars(candidates, node, source.text):
        _refuse_tags_and_anchors(source.text, name)
    return node


def compose_vouched(source: SourceText) -> Node | None:
    """The node tree of text :func:`compose` accepted before, byte for byte (the
    validated-plan cache vouches for it), without the scan for tags and anchors: only
    positions are wanted from it."""
    loader = _Composer(source.text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _token_candidates(text: str) -> list[int]:
    """Offsets where a tag, anchor or alias could start (most are inside text)."""
    # str.find runs at C speed, and these characters are rare in a plan: a regular
    # expression over the whole text cost a tenth of a large plan's lint.
    found = []
    for char in _TOKEN_CHARS:
        at = text.find(char)
        while at >= 0:
            after = text[at + 1:at + 2]
            if after and not _separates(after) and (at == 0 or _separates(text[at - 1])):
                found.append(at - 1 if at else 0)  # where the candidate's context begins
            at = text.find(char, at + 1)
    return sorted(found)


def _separates(char: str) -> bool:
    return char.isspace() or char in _FLOW


def _outside_scalars(candidates: list[int], root: Node | None, text: str) -> bool:
    """Whether any candidate's ``& * !`` lies outside every scalar's text (a real token, or
    a comment).

    Only then is the exact token scan worth its cost: text such as "R&D *must* !" in a
    value is the common case and needs none. Each candidate is looked up by descending the
    tree by offset, so a large plan with a few candidates costs a few paths, not a walk of
    every node.
    """
    if root is None:
        return True
    children: dict[int, tuple[list[Node], list[int]]] = {}
    # A candidate begins at the separator before its & * or ! (or at the text's start).
    # The character itself is what must be inside a scalar: the separator may close the
    # scalar before it (a block scalar's last line break before an anchored key).
    return not all(_inside_scalar(root, offset if text[offset] in _TOKEN_CHARS else offset + 1,
                                  children)
                   for offset in candidates)


def _inside_scalar(node: Node, offset: int,
                   children: dict[int, tuple[list[Node], list[int]]]) -> bool:
    """Whether ``offset`` is in the text of a scalar holding one of ``& * !``."""
    while not isinstance(node, ScalarNode):
        known = children.get(id(node))
        if known is None:
            nodes = ([n for pair in node.value for n in pair] if isinstance(node, MappingNode)
                     else list(node.value))
            known = children[id(node)] = nodes, [n.start_mark.index for n in nodes]
        nodes, starts = known
        # An alias repeats a node from elsewhere: its marks are out of order, no child
        # contains the offset, and the token scan decides.
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0 or not offset < nodes[k].end_mark.index:
            return False
        node = nodes[k]
    # Strictly after the start: a scalar's own text never has a candidate at its first
    # character (a quote, a block indicator, or plain text, which cannot begin with a
    # separator), but a tag or anchor on the scalar is where its start mark is.
    return (node.start_mark.index < offset < node.end_mark.index
            and ("&" in node.value or "*" in node.value or "!" in node.value))


def syntax_finding(exc: yaml.MarkedYAMLError, file: str, text: str = "") -> Finding:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "YAML syntax error"
    if exc.context_mark is not None and mark is not None and (
            "end of stream" in problem or _past_last_line(text, mark.line)):
        # The end of the file is past its last line: point at the unclosed quote or bracket.
        mark = exc.context_mark
    context = f" ({exc.context})" if exc.context else ""
    hint = next((h for key, h in _SCALAR_HINTS.items() if key in problem or key in context),
                "check the YAML syntax on this line and the line before")
    if mark is not None and _indented_with_tab(text, mark.line):
        # libyaml never names the tab: "found character that cannot start any token".
        hint = _SCALAR_HINTS["\t"]
    plain = next((sentence for key, sentence in _PLAIN_SENTENCES.items()
                  if key in problem or key in context), None)
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    if plain and mark is not None and "quote" not in plain:
        # A quote left open earlier swallows the lines after it, and libyaml complains
        # about indentation where it ends: name the line with the open quote instead.
        opened = _unclosed_quote(text, mark.line)
        if opened is not None:
            line, column = opened[0] + 1, opened[1] + 1
            plain = (f"the quote opened on line {line} is not closed on that line, so the "
                     "lines after it are read as part of its text")
            hint = "close the quote at the end of the value, or remove it"
    said = f"{plain} (the YAML reader says: {problem}{context})" if plain else (
        f"{problem}{context}")
    return Finding("JTAI001", Severity.ERROR, f"YAML syntax error: {said}", file,
                   line=line, column=column, hint=hint)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+|-\s+)?(["'])""")


def _unclosed_quote(text: str, before: int, lookback: int = 40) -> tuple[int, int] | None:
    """The (line, column), 0-based, of the last value in the ``lookback`` lines up to
    ``before`` that opens a quote and does not close it on its line."""
    lines = text.split("\n")
    for number in range(min(before, len(lines) - 1), max(-1, before - lookback), -1):
        match = _QUOTED_VALUE.match(lines[number])
        if not match:
            continue
        quote, rest = match[1], lines[number][match.end():]
        closing = rest.replace('\\\\', "").replace('\\"', "") if quote == '"' else (
            rest.replace("''", ""))
        if quote not in closing:
            return number, match.start(1)
    return None


def _past_last_line(text: str, line: int) -> bool:
    """Whether 0-based ``line`` is the empty end after the text's final newline."""
    return text.endswith("\n") and line >= text.count("\n")


def _indented_with_tab(text: str, line: int) -> bool:
    """Whether 0-based ``line`` of ``text`` has a tab in its indentation."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return False
    content = lines[line]
    return "\t" in content[: len(content) - len(content.lstrip(" \t"))]


def _refuse_tags_and_anchors(text: str, file: str) -> None:
    findings: list[Finding] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                what = f"explicit YAML tag '{handle or ''}{suffix}'"
                hint = "remove the tag and write the value plainly: a plan needs no tags"
            elif isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                what = f"YAML {'anchor' if sign == '&' else 'alias'} '{sign}{token.value}'"
                hint = ("write the value out in full where it is needed: anchors and aliases "
                        "are refused because they can expand without limit")
            else:
                continue
            findings.append(Finding(
                "JTAI001", Severity.ERROR, f"{what} is not allowed in a plan", file,
                line=token.start_mark.line + 1, column=token.start_mark.column + 1, hint=hint,
            ))
            if len(findings) >= MAX_FINDINGS:
                break
    except yaml.MarkedYAMLError as exc:
        # The scanner stops at a syntax error; report what was refused before it, then it.
        findings.append(syntax_finding(exc, file, text))
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not accept
        findings.append(Finding("JTAI001", Severity.ERROR, f"YAML error: {exc}", file))
    if findings:
        raise PlanInvalid(findings)


def to_python(node: Node | None, file: str) -> Any:
    """Plain dicts, lists and scalars from the node tree; duplicate keys refused."""
    if node is None:
        return None
    problems: list[Finding] = []
    data = _convert(node, 0, problems, file)
    if problems:
        raise PlanInvalid(problems)
    return data


def _convert(node: Node, depth: int, problems: list[Finding], file: str) -> Any:
    if isinstance(node, ScalarNode):
        if node.style:
            return node.value
        try:
            return resolve_plain(node.value)
        except ValueError:  # int() refuses more than 4,300 digits (sys.int_info)
            problems.append(_at(node, file, f"a number of {len(node.value):,} digits is too "
                                "large for a plan", "quote it if it is text"))
            return None
    if depth >= MAX_DEPTH:
        problems.append(_at(node, file, f"nesting deeper than {MAX_DEPTH} levels",
                            "a plan is at most a few levels deep: check the indentation"))
        return None
    if isinstance(node, SequenceNode):
        return [_convert(item, depth + 1, problems, file) for item in node.value]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(_at(key_node, file, "a key must be a plain word, not a "
                                    "list or mapping", "write the key as text followed by ':'"))
                continue
            key = key_node.value
            if key in out:
                problems.append(_at(
                    key_node, file,
                    f"duplicate key '{key}' (first on line {first_line[key]}): YAML would keep "
                    "only the last one",
                    "remove one of the two, or merge their contents",
                ))
                continue
            first_line[key] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, depth + 1, problems, file)
        return out
    problems.append(_at(node, file, "unsupported YAML node", ""))  # pragma: no cover
    return None


def _at(node: Node, file: str, message: str, hint: str) -> Finding:
    return Finding("JTAI001", Severity.ERROR, message, file, line=node.start_mark.line + 1,
                   column=node.start_mark.column + 1, hint=hint)
