"""The JSON contract of `plan --format json` (schema_version 1: extend, never break)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from funnelcalc.exact import plain
from funnelcalc.render.figures import displayed
from funnelcalc.solver import ROUNDING_RULE, Plan

SCHEMA_VERSION = 1


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain data; Decimals stay exact and are written as JSON numbers."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": plan.name,
        "currency": plan.currency,
        "target": {"revenue": plan.target_revenue, "clients": plan.target_clients},
        "deal_size": plan.deal_size,
        "clients": plan.clients,
        "revenue": plan.revenue,
        "surplus": plan.surplus,
        "rounding": ROUNDING_RULE,
        "stages": [
            {
                "name": stage.name,
                "rate": stage.rate,
                "volume": stage.volume,
                "owner": stage.owner,
                "definition": stage.definition,
                "to_clients": stage.to_clients,
                "one_in": displayed(stage.one_in),
                "lost": stage.lost,
            }
            for stage in plan.stages
        ],
    }


def dumps(value: Any, indent: str = "") -> str:
    """JSON text, writing each Decimal as the exact number it is (json.dumps cannot)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{inner}{json.dumps(str(k))}: {dumps(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in value) + f"\n{indent}]"
    if isinstance(value, Decimal):
        return format(plain(value), "f")
    return json.dumps(value, ensure_ascii=False)


def render(plan: Plan) -> str:
    """`plan --format json`."""
    return dumps(plan_document(plan)) + "\n"
