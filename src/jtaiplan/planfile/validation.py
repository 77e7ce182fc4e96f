"""pydantic's validation errors turned into findings people can act on.

Each error becomes a JTAI002 finding at the file, line and column of the value (or of the
mapping that lacks a key), with the field path and a hint on how to fix it; a text the
text policy refuses is a JTAI206 finding, naming the character.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any, Union

from yaml.nodes import ScalarNode

from ..findings import Finding, Path_, Severity, format_path, ref_at
from ..plan.constraints import TEXT_POLICY, ValidationError
from ..plan.dates import ACCEPTED_FORMS
from ..plan.textpolicy import REFUSED
from .sourcemap import SourceMap

SCHEMA_CODE = "JTAI002"
TEXT_CODE = "JTAI206"
# pydantic's word for a key the class does not have (it validates into dataclasses, whose
# fields are keyword arguments).
_UNKNOWN_KEY = "unexpected_keyword_argument"
_DATE_HINT = f"write a real date, day first: {ACCEPTED_FORMS}"


def findings_from_error(
    error: ValidationError, model: type[Any], sourcemap: SourceMap, file: str, data: Any
) -> list[Finding]:
    findings = []
    for item in error.errors(include_url=False):
        path = _document_path(item["loc"], data)
        kind = item["type"]
        message, hint = _explain(kind, item, path, model, data, _as_written(sourcemap, path))
        position = sourcemap.locate_key(path) if kind == _UNKNOWN_KEY else (
            sourcemap.locate(path))
        findings.append(Finding(
            code=TEXT_CODE if kind == TEXT_POLICY else SCHEMA_CODE, severity=Severity.ERROR,
            message=message, file=file,
            line=position.line if position else None,
            column=position.column if position else None,
            path=path, ref=ref_at(data, path), hint=hint,
        ))
    # In file order, as the rules' findings are: pydantic reports in field order.
    findings.sort(key=lambda f: (f.line or 0, f.column or 0))
    return findings


def _as_written(sourcemap: SourceMap, path: Path_) -> str | None:
    """A scalar's text as in the file: 2.10, where the data holds the number 2.1."""
    node, found = sourcemap.node(path)
    return node.value if found and isinstance(node, ScalarNode) else None


def _document_path(loc: Iterable[int | str], data: Any) -> Path_:
    """The part of pydantic's ``loc`` that names places in the document.

    Unions and validators add parts (``function-after[...]``, ``date``) that are not keys;
    they always follow a scalar, so walking the data tells them apart. A missing key is kept.
    """
    out: list[str | int] = []
    current: Any = data
    for part in loc:
        if isinstance(current, dict):
            if part not in current:
                out.append(part)
                break
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            break
        out.append(part)
    return tuple(out)


def _explain(
    kind: str, item: Any, path: Path_, model: type[Any], data: Any,
    written: str | None = None,
) -> tuple[str, str]:
    field = path[-1] if path else ""
    value = item.get("input")
    shown = _show(value)
    where = f"'{field}'" if isinstance(field, str) and field else "this value"
    if kind == _UNKNOWN_KEY:
        known = _field_names(model, path[:-1])
        close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else (
            f"known keys here: {', '.join(known)}" if known else "remove it")
        return f"unknown key '{field}'", hint
    if kind == TEXT_POLICY:
        context = item.get("ctx", {})
        # The whole path: the same text may sit in a note, evidence and an alias alike.
        # A refused key is part of the path: shown as its escape, never raw.
        shown_path = REFUSED.sub(lambda m: f"\\u{ord(m.group()):04X}", format_path(path))
        return (f"{shown_path or where} {context.get('message', item['msg'])}",
                str(context.get("hint", "")))
    if kind == "missing":
        return f"missing required key '{field}'", f"add '{field}:' to this entry"
    if field == "ref" and isinstance(value, int | float) and not isinstance(value, bool):
        ref = written or shown
        return (f"ref {ref} must be quoted text",
                f'write ref: "{ref}" (unquoted, YAML reads 2.10 as the number 2.1)')
    if field == "ref" and kind == "string_pattern_mismatch":
        return (f"ref {shown} is not of the form OBJECTIVE.N",
                'write refs as "2.1", "2.10": the objective number, a dot, a number')
    if kind == "value_error":
        message = str(item.get("ctx", {}).get("error", item["msg"]))
        return f"{where}: {message}", _hint_for_value_error(message)
    if kind in ("bool_type", "bool_parsing"):
        return (f"{where} must be true or false, not {_found(value, shown)}",
                "write true or false")
    if kind in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return f"{where} must be a date, not {_found(value, shown)}", _DATE_HINT
    if kind in ("string_type",):
        return f"{where} must be text, not {_described(value, shown)}", _hint_for_text(value)
    if kind == "string_too_short":
        return f"{where} must not be empty", f"write a value after '{field}:' or remove the key"
    if kind == "string_too_long":
        return f"{where} is too long", "plans hold summaries: keep each text under 20,000 " \
            "characters"
    if kind == "list_type":
        return f"{where} must be a list, not {_described(value, shown)}", (
            f"write '{field}: [A, B]' or one '- item' per line")
    if kind in ("dataclass_type", "dict_type"):
        return f"{where} must be a mapping of keys, not {_described(value, shown)}", (
            "indent the keys that belong to it under it")
    if kind == "too_short":
        return f"{where} must not be empty", "add at least one entry"
    if kind == "literal_error":
        return f"{where}: {item['msg']}, not {shown}", ""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{where} must be a whole number, not {_found(value, shown)}", ""
    if kind in ("greater_than", "greater_than_equal"):
        return f"{where}: {item['msg'].lower()}, not {shown}", ""
    return f"{where}: {item['msg']} (got {shown})", ""


def _hint_for_value_error(message: str) -> str:
    if "RAG" in message:
        return "RAG ratings are Blue (completed), Green, Amber or Red, in any case"
    if "date" in message:
        return _DATE_HINT
    return ""


def _hint_for_text(value: Any) -> str:
    if value is None:
        return "write a value after the colon, or remove the key"
    if isinstance(value, bool):
        return "quote it to keep it as text: \"yes\""
    if isinstance(value, int | float):
        return f'quote it to keep it as text: "{value}"'
    return ""


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "the number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "the value"


def _described(value: Any, shown: str) -> str:
    """"empty", "a list", "the number 12.5": the kind of a value, and the value itself
    where there is one to show."""
    kind = _kind_of(value)
    return f"{kind} {shown}" if value is not None and shown else kind


def _found(value: Any, shown: str) -> str:
    """The value found where a date, number or true/false belongs: itself, or "empty", "a
    list", "a mapping" where there is nothing to show."""
    return shown if value is not None and shown else _kind_of(value)


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return ""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."



def _field_names(model: type[Any], path: Path_) -> list[str]:
    """The keys allowed at ``path``, following the model's annotations."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    target = _unwrap(annotation)
    if dataclasses.is_dataclass(target):
        return [f.metadata.get("alias", f.name) for f in dataclasses.fields(target)]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    target = _unwrap(annotation)
    if isinstance(target, type) and dataclasses.is_dataclass(target):
        names = {f.metadata.get("alias", f.name): f.name for f in dataclasses.fields(target)}
        return typing.get_type_hints(target).get(names.get(str(part), ""))
    origin = typing.get_origin(target)
    if origin is list and isinstance(part, int):
        return typing.get_args(target)[0]
    if origin is dict:
        return typing.get_args(target)[1]
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if typing.get_origin(m) or (isinstance(m, type)
                      and dataclasses.is_dataclass(m))]
            annotation = models[0] if models else members[0]
        else:
            return annotation
