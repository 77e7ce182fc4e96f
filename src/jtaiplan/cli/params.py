"""Converting option values without building a pydantic adapter for each one.

typer 0.29 converts every parameter through a pydantic ``TypeAdapter`` built on first use,
and it uses it even for an option left at its default of ``None``: on ``jtai status`` that
is 15 adapters and the import of ``typer._adapters``, about a third of the command's time
(profile in bench/results.md). Nearly all of jtai's options are plain strings, paths, lists
of strings, small enums or bounded integers. For those, and only when the value is one the
conversion cannot reject, the value is converted here; anything else (a bad enum value, an
integer out of range, a type not listed) goes to typer's own adapter, so every message a
user sees is still typer's.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_PATH_DEFAULTS = {"exists": False, "file_okay": True, "dir_okay": True, "writable": False,
                  "readable": True, "resolve_path": False, "allow_dash": False,
                  "path_type": None}
_UNCONVERTED = object()


def _plain_path(info: Any) -> bool:
    return all(getattr(info, name, default) == default
               for name, default in _PATH_DEFAULTS.items())


def convert_plain(annotation: Any, info: Any, value: Any) -> Any:
    """``value`` converted as typer would, or ``_UNCONVERTED`` to leave it to typer."""
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None):
        return _UNCONVERTED
    if get_origin(annotation) is list:
        (inner,) = get_args(annotation) or (Any,)
        items = value if isinstance(value, list | tuple) else [value]
        converted = [convert_plain(inner, info, item) for item in items]
        return _UNCONVERTED if _UNCONVERTED in converted else converted
    if annotation is str:
        return value if isinstance(value, str) else _UNCONVERTED
    if annotation is bool:
        return value if isinstance(value, bool) else _UNCONVERTED
    if annotation is Path and _plain_path(info):
        return value if isinstance(value, Path) else (
            Path(value) if isinstance(value, str) and value else _UNCONVERTED)
    if annotation is int and not getattr(info, "clamp", False):
        if isinstance(value, bool) or not isinstance(value, int | str):
            return _UNCONVERTED
        try:
            number = int(value)
        except ValueError:
            return _UNCONVERTED
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (low is not None and number < low) or (high is not None and number > high):
            return _UNCONVERTED
        return number
    if isinstance(annotation, type) and issubclass(annotation, Enum) and isinstance(value, str):
        fold = str if getattr(info, "case_sensitive", True) else str.casefold
        for member in annotation:
            if fold(str(member.value)) == fold(value):
                return member
    return _UNCONVERTED


def install() -> None:
    """Put the plain conversions in front of typer's; a typer without the hook is left alone.

    ``JTAI_TYPER_ADAPTERS=1`` switches this off (for comparing both paths in tests)."""
    if os.environ.get("JTAI_TYPER_ADAPTERS") == "1":
        return
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # a typer release without the lazy adapter path: nothing to avoid
        return
    if getattr(_TyperParameter, "_jtai_plain", False):
        return

    class PlainRuntimeParam(RuntimeParam):
        """Plain values converted here; the rest by typer's runtime param, built once."""

        _descriptor: Any
        _typer: Any

        def __init__(self, descriptor: Any) -> None:
            object.__setattr__(self, "parameter_info", descriptor.parameter_info)
            object.__setattr__(self, "annotation", descriptor.annotation)
            object.__setattr__(self, "_descriptor", descriptor)
            object.__setattr__(self, "_typer", None)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            converted = convert_plain(self.annotation, self.parameter_info, value)
            if converted is not _UNCONVERTED:
                return converted
            if self._typer is None:
                object.__setattr__(self, "_typer", build_runtime_param(self._descriptor))
            return self._typer._coerce_value(value, param, ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = (build_runtime_param(descriptor)
                                   if descriptor.file_annotation is not None
                                   else PlainRuntimeParam(descriptor))
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    _TyperParameter._jtai_plain = True  # type: ignore[attr-defined]
