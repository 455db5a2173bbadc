"""Key paths as users write them (`stages.leads.rate`), and the names the file reserves."""

from __future__ import annotations

import re
from collections import Counter

Loc = tuple[str | int, ...]

BASE = "base"
"""What compare and check call the plan without any scenario."""
BUDGET = "budget"
"""The key of `limits` that caps the plan's total cost rather than a stage."""


def format_key(loc: Loc, data: object = None, *, names: dict[int, str] | None = None) -> str:
    """A key path as users write it: `stages.leads.rate`, or `stages[2]` when names are unclear.
    `names` (from stage_names) saves working them out again for every key of a long report."""
    parts: list[str] = []
    if names is None:
        names = stage_names(data) if len(loc) > 1 and loc[0] == "stages" else {}
    for index, part in enumerate(loc):
        if isinstance(part, int):
            under_stages = index == 1 and loc[0] == "stages"
            name = names.get(part) if under_stages else None
            if name is not None:
                parts.append(f".{name}")
            else:
                parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


_NAME = re.compile(r"[^\s.\[\]][^.\[\]]*")


def stage_names(data: object) -> dict[int, str]:
    """Stage index → name, for the stages of `data` whose names are clear and unique."""
    stages = data.get("stages") if isinstance(data, dict) else None
    if not isinstance(stages, list):
        return {}
    names: dict[int, str] = {}
    for index, stage in enumerate(stages):
        name = stage.get("name") if isinstance(stage, dict) else None
        if isinstance(name, str) and _NAME.fullmatch(name.strip()):
            names[index] = name.strip()
    counts = Counter(name.casefold() for name in names.values())
    return {i: n for i, n in names.items() if counts[n.casefold()] == 1}
