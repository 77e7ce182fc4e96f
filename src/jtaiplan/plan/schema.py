"""The JSON Schema of plan.yaml, generated from the models for editors."""

from __future__ import annotations

import json
from typing import Any

from .constraints import json_schema
from .model import AgencyRegistry, Plan


def plan_schema() -> dict[str, Any]:
    schema = json_schema(Plan)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "jtaiplan improvement plan"
    schema["description"] = ("A JTAI multi-agency improvement plan: objectives, actions, "
                             "owners, complete-by dates and RAG ratings.")
    return schema


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"


def agencies_schema() -> dict[str, Any]:
    """The shared agency registry a plan names in ``agencies_from:``."""
    schema = json_schema(AgencyRegistry)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "jtaiplan shared agency registry"
    schema["description"] = ("Agencies shared by the plans of one partnership: plans point at "
                             "this file with agencies_from: and may add their own.")
    return schema


def agencies_schema_json() -> str:
    return json.dumps(agencies_schema(), indent=2, ensure_ascii=False) + "\n"
