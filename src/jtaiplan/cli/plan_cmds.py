"""Commands about the plan file itself: ``jtai schema``."""

from __future__ import annotations

from .common import write_out


def schema() -> None:
    """Print the plan's JSON Schema (editors use it to check plan.yaml as you type).

    plan.yaml's first line points at the committed copy, schema/plan.schema.json:
    regenerate it with `jtai schema > schema/plan.schema.json` (or `make schema`).
    """
    from ..plan.schema import schema_json

    write_out(schema_json())
