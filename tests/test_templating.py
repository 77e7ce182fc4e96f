"""The report and site templates' environment: Jinja's sandbox, with record fields read fast.

``views/templating.py`` reads ``record.field`` on a plain dict as the item first, for speed.
These tests hold it to exactly what Jinja's own sandbox renders, the sandbox's refusals
included.
"""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from jtaiplan.views.templating import environment

RECORD: dict[str, Any] = {"ref": "2.3", "items": "a field named like a dict method",
                          "owners": ["TVP", "BFfC"], "nested": {"get": "inner"}}

SOURCES = [
    "{{ r.ref }}",
    "{{ r.owners | join(', ') }}",
    "{{ r.items is callable }}",  # dict's method, as Jinja reads an attribute first
    "{% for k, v in r.items() %}{{ k }};{% endfor %}",
    "{{ r['items'] }}",
    "{{ r.nested.get('x', 'none') }}",
    "{{ r.nested['get'] }}",
    "{{ r.missing is defined }}",
]


def _plain() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _ours() -> Any:
    return environment([], markdown=False, filters={"md": str, "rag_class": str})


@pytest.mark.parametrize("source", SOURCES)
def test_a_record_renders_as_in_jinjas_own_sandbox(source: str) -> None:
    expected = _plain().from_string(source).render(r=RECORD)
    assert _ours().from_string(source).render(r=RECORD) == expected


def test_a_missing_field_is_still_an_error() -> None:
    with pytest.raises(UndefinedError, match="'dict object' has no attribute 'missing'"):
        _ours().from_string("{{ r.missing }}").render(r=RECORD)


def test_the_sandbox_still_refuses_a_records_internals() -> None:
    with pytest.raises(SecurityError):
        _ours().from_string("{{ r.__class__.__subclasses__() }}").render(r=RECORD)
    # A dict's own key of that name is data, and read as Jinja's sandbox reads it.
    data = {"__class__": "text"}
    source = "{{ r['__class__'] }}"
    assert (_ours().from_string(source).render(r=data)
            == _plain().from_string(source).render(r=data) == "text")
