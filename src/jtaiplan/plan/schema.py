"""The JSON Schema of plan.yaml, generated from the models for editors."""

from __future__ import annotations

import json
from typing import Any

from .model import Plan


def plan_schema() -> dict[str, Any]:
    schema = Plan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "jtaiplan improvement plan"
    schema["description"] = ("A JTAI multi-agency improvement plan: objectives, actions, "
                             "owners, complete-by dates and RAG ratings.")
    return schema


def schema_json() -> str:
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"
