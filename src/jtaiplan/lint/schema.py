"""Rules whose findings come from reading the file: YAML syntax and the schema.

They are registered here so that ``jtai rules`` documents them; the loader produces their
findings, because nothing else can run until the file is read.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Severity
from .registry import Context, Hit, rule


@rule("JTAI001", "yaml", Severity.ERROR, "The file is not readable YAML, or uses refused YAML "
      "features", integrity=True)
def yaml_syntax(ctx: Context) -> Iterable[Hit]:
    """The file must be UTF-8 text holding one YAML document: no tabs for indentation, no
    unclosed quotes, no duplicate keys, no git merge-conflict markers. Explicit tags
    (``!!python/...``), anchors and aliases are refused: a plan needs none of them, and
    aliases can expand a small file into billions of entries.
    """
    return ()


@rule("JTAI002", "schema", Severity.ERROR, "A value does not fit the plan's schema",
      integrity=True)
def schema(ctx: Context) -> Iterable[Hit]:
    """Every key must be known (a misspelt key is never ignored), every value of the right
    kind: RAG ratings are Blue, Green, Amber or Red (any case), dates are YYYY-MM-DD, refs
    are quoted text such as "2.10", true/false where a flag is expected. The JSON Schema
    printed by ``jtai schema`` says the same, for editors.
    """
    return ()
