"""The canonical layout of a plan file, as ``jtai fmt`` writes it."""

from __future__ import annotations

from ruamel.yaml.error import YAMLError

from ..errors import PlanInvalid
from ..findings import Finding, Severity
from .datefields import iso_dates
from .textfile import SourceText
from .yamlemit import dump, load
from .yamlread import compose, to_python


def canonical_text(source: SourceText) -> str:
    """The same data in the canonical layout (2-space mappings, lists indented 4 with the
    dash at 2, one line per value, dates ISO); comments, key order and quoting are kept.

    Refuses (PlanInvalid) files the safe reader refuses, and any result whose data differs
    from the original: formatting must never change what the plan says.
    """
    name = source.display_name
    before = to_python(compose(source), name)
    if not isinstance(before, dict):
        raise PlanInvalid([Finding(
            "JTAI001", Severity.ERROR, "jtai fmt formats plans, whose top level is a mapping "
            "of keys; this file's is not, so it was left as it is", name, line=1, column=1,
            hint="`jtai validate` says what the file needs")])
    iso_dates(before)
    try:
        data = load(source.text)
        iso_dates(data, as_date=True)
        text = dump(data)
    except (YAMLError, ValueError) as exc:
        # ruamel.yaml is stricter than libyaml in places (a tab after a value) and builds
        # dates itself (2025-02-31 fails there): refuse rather than guess.
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanInvalid([Finding(
            "JTAI001", Severity.ERROR, f"jtai fmt cannot reformat this file: {problem}", name,
            line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
            hint="fix what `jtai validate` reports (or this line), then run jtai fmt again",
        )]) from None
    after = to_python(compose(SourceText(source.path, text)), source.display_name)
    if before != after:
        raise PlanInvalid([Finding("JTAI001", Severity.ERROR, "formatting would change the "
                                   "plan's data; the file was left as it is", source.display_name,
                                   hint="please report this file as a bug in jtai fmt")])
    return text
