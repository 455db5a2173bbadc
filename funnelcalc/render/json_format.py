"""JSON text for scripts: each Decimal written as the exact number it is (json.dumps cannot).
The documents themselves (schema_version 1: extend, never break) are the views'."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from funnelcalc.exact import plain


def dumps(value: Any, indent: str = "") -> str:
    """JSON text, two-space indented, Decimals exact."""
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


def render(document: dict[str, Any]) -> str:
    """`--format json`: one document."""
    return dumps(document) + "\n"
