"""The JSON Schema of goals.yaml, generated from the pydantic model, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

from funnelcalc.model import Goals

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def goals_schema() -> dict[str, Any]:
    """The schema (draft 2020-12) of a goals file."""
    schema = Goals.model_json_schema()
    return {
        "$schema": DIALECT,
        "title": "funnelcalc goals file",
        "description": "What the business must win and how its funnel converts.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    """The schema as the JSON text that is committed as examples/goals.schema.json."""
    return json.dumps(goals_schema(), indent=2, ensure_ascii=False) + "\n"
