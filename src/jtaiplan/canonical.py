"""The canonical layout of a plan file, as ``jtai fmt`` writes it."""

from __future__ import annotations

from .errors import PlanInvalid
from .findings import Finding, Severity
from .textfile import SourceText
from .yamlemit import dump, load
from .yamlread import compose, to_python


def canonical_text(source: SourceText) -> str:
    """The same data in the canonical layout (2-space mappings, lists indented 4 with the
    dash at 2, one line per value); comments, key order and quoting are kept.

    Refuses (PlanInvalid) files the safe reader refuses, and any result whose data differs
    from the original: formatting must never change what the plan says.
    """
    before = to_python(compose(source), source.display_name)
    text = dump(load(source.text))
    after = to_python(compose(SourceText(source.path, text)), source.display_name)
    if before != after:
        raise PlanInvalid([Finding("JTAI001", Severity.ERROR, "formatting would change the "
                                   "plan's data; the file was left as it is", source.display_name,
                                   hint="please report this file as a bug in jtai fmt")])
    return text
