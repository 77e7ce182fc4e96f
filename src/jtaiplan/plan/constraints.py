"""What each value of a plan file must be, and pydantic applying it.

The classes of :mod:`jtaiplan.plan.model` are plain dataclasses whose annotations name the
value types defined here (``Text``, ``IsoDate``, ``Rag``...). This module gives those names
their rules and hands them to pydantic, which validates plain data (a file's YAML) straight
into the dataclasses. Only reading a file imports this module; a plan read back from the
validated-plan cache never does, which keeps pydantic off ``jtai status``'s start-up.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    NonNegativeInt,
    PositiveInt,
    StrictBool,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from . import model, textpolicy
from .dates import ACCEPTED_FORMS, BadDate, looks_like_date, parse_date
from .model import MAX_TEXT, RAG

__all__ = ["TEXT_POLICY", "ValidationError", "json_schema", "validate"]

_ISO_SHAPE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\Z")


def _rag_any_case(value: Any) -> Any:
    return RAG.parse(value) if isinstance(value, str) else value


def _not_a_number(value: Any) -> Any:
    # pydantic's lax date reads a number as seconds since 1970: `completed_on: 0` would be
    # 1 January 1970. A date in a plan is written as a date, never as a number.
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


def _any_date(value: Any) -> Any:
    # One grammar for the file and the command line: 31/03/2026 in the file is that date,
    # and `jtai fmt` writes it back ISO.
    if isinstance(value, date) or not isinstance(value, str):
        return _not_a_number(value)
    try:
        return parse_date(value, "date")
    except BadDate as exc:
        if looks_like_date(value):
            raise ValueError(str(exc)) from None
        raise ValueError(f"'{value}' is not a date: write it as {ACCEPTED_FORMS}") from None


def _date_or_word(value: Any) -> Any:
    # A date-shaped string must be a real date; any other text is a status word ("In place",
    # "underway") that the integrity rules check against the plan's own list. Never coerced.
    if isinstance(value, str) and (_ISO_SHAPE.match(value.strip()) or looks_like_date(value)):
        return _any_date(value.strip())
    return _not_a_number(value)


# Editors should accept what the model accepts: a RAG word in any case.
_RAG_JSON_SCHEMA = {
    "type": "string",
    "description": "Blue (completed), Green (on track), Amber (at risk) or Red (highly likely "
                   "late), in any case.",
    "pattern": "^(" + "|".join("".join(f"[{c.upper()}{c.lower()}]" for c in r.value)
                               for r in RAG) + ")$",
    "examples": [r.value for r in RAG],
}
Rag = Annotated[RAG, BeforeValidator(_rag_any_case), WithJsonSchema(_RAG_JSON_SCHEMA)]
# Editors should accept the date forms the model accepts (YAML 1.2 reads them all as text).
_DATE_JSON_SCHEMA = {
    "type": "string",
    "description": f"A date, day-first: {ACCEPTED_FORMS}. `jtai fmt` writes it ISO.",
    "pattern": r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}([./-])\d{1,2}\2(\d{2}|\d{4})"
               r"|\d{1,2}(st|nd|rd|th)?[\s-]+[A-Za-z]+\.?[\s,-]+(\d{2}|\d{4}))\s*$",
    "examples": ["2026-03-31", "31/03/2026"],
}
IsoDate = Annotated[date, BeforeValidator(_any_date), WithJsonSchema(_DATE_JSON_SCHEMA)]


def _policy(value: str) -> str:
    # Every string of the plan passes here, so a hand edit (even one written as a YAML
    # escape, "\x0b") is refused exactly as an option, an import or a return is.
    refusal = textpolicy.check(value)
    if refusal is not None:
        raise PydanticCustomError(TEXT_POLICY, "{message}",
                                  {"message": refusal.message, "hint": refusal.hint})
    return value


TEXT_POLICY = "text_policy"
"""The error type of a refusal by :mod:`~jtaiplan.plan.textpolicy` (its ``ctx`` holds the
message and the hint)."""
PlainText = Annotated[StrictStr, AfterValidator(_policy)]
"""Any string the plan holds, empty or not (mapping keys, a history entry's from/to)."""
Text = Annotated[StrictStr, StringConstraints(min_length=1, max_length=MAX_TEXT),
                 AfterValidator(_policy)]
OptionalText = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT),
                         AfterValidator(_policy)] | None
# ASCII digits only: \d would also admit Arabic-Indic and other digits that nobody can type
# back at `jtai show`; six digits each side is room for any real plan.
Ref = Annotated[StrictStr, StringConstraints(pattern=r"^[0-9]{1,6}\.[0-9]{1,6}$")]
CompleteBy = Annotated[date | Text, BeforeValidator(_date_or_word)]
# Not ':' (it separates a plan's id from a ref: reading-jtai:2.3).
PlanId = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
AgencyCode = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]

def _not_true_or_false(value: Any) -> Any:
    # pydantic's lax int reads true as 1: `number: true` would be objective 1.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


StrictPositiveInt = Annotated[PositiveInt, BeforeValidator(_not_true_or_false)]
StrictNonNegativeInt = Annotated[NonNegativeInt, BeforeValidator(_not_true_or_false)]

# The names model.py's annotations use, resolved there (pydantic reads a dataclass's
# annotations in its own module's namespace).
vars(model).update(
    Rag=Rag, IsoDate=IsoDate, Text=Text, OptionalText=OptionalText, PlainText=PlainText, Ref=Ref,
    CompleteBy=CompleteBy, PlanId=PlanId, AgencyCode=AgencyCode, StrictStr=StrictStr,
    StrictBool=StrictBool, PositiveInt=StrictPositiveInt, NonNegativeInt=StrictNonNegativeInt,
)

T = TypeVar("T")
_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[T]) -> TypeAdapter[T]:
    # Building one costs as much as a pydantic model class: only for the classes used.
    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def validate(cls: type[T], data: Any) -> T:
    """``data`` (a file's plain YAML data) as a ``cls`` of :mod:`~jtaiplan.plan.model`.

    Raises pydantic's :class:`ValidationError`, which
    :mod:`jtaiplan.planfile.validation` turns into findings with lines and hints.
    """
    return _adapter(cls).validate_python(data)


def json_schema(cls: type[Any]) -> dict[str, Any]:
    return _adapter(cls).json_schema(mode="validation")
