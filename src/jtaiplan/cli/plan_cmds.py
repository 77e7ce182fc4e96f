"""Commands about the plan file itself: ``jtai schema``."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import write_out


def schema(
    agencies: Annotated[bool, typer.Option(
        "--agencies", help="The schema of a shared agency registry (the file a plan names "
                           "in agencies_from:) instead of the plan's.")] = False,
) -> None:
    """Print the plan's JSON Schema (editors use it to check plan.yaml as you type).

    plan.yaml's first line points at the committed copy, schema/plan.schema.json:
    regenerate it with `jtai schema > schema/plan.schema.json` (or `make schema`).
    A shared agency registry's first line can point at schema/agencies.schema.json
    (`jtai schema --agencies`).
    """
    from ..plan.schema import agencies_schema_json, schema_json

    write_out(agencies_schema_json() if agencies else schema_json())
