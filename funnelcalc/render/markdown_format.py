"""Markdown that pastes into GitHub, Notion or a doc: pipe tables, numbers right-aligned."""

from __future__ import annotations

import re
from collections.abc import Sequence

from funnelcalc.ownership import handoffs
from funnelcalc.render import figures
from funnelcalc.solver import ROUNDING_RULE, Plan

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$])")


def escape(text: str) -> str:
    """User text made inert: Markdown punctuation escaped, line breaks folded to spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[str]) -> str:
    """A pipe table whose numeric columns are right-aligned (`---:`)."""
    lines = [
        "| " + " | ".join(escape(c) for c in columns) + " |",
        "|" + "|".join("---:" if c in numeric else ":---" for c in columns) + "|",
    ]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render(plan: Plan) -> str:
    """`plan --format markdown`."""
    parts = [f"## {escape(plan.name or 'Funnel plan')}"]
    parts.append(
        "\n".join(f"- **{label}:** {escape(value)}" for label, value in figures.summary(plan))
    )
    parts.append(table(figures.STAGE_COLUMNS, figures.stage_rows(plan), figures.NUMERIC_COLUMNS))
    if any(stage.owner for stage in plan.stages):
        owners = table(figures.OWNER_COLUMNS, figures.owner_rows(plan), frozenset())
        sentences = [f"- {escape(figures.handoff_text(h))}" for h in handoffs(plan)]
        parts.append(
            "### Who owns what\n\n" + owners + ("\n\n" + "\n".join(sentences) if sentences else "")
        )
    glossary = figures.definitions(plan)
    if glossary:
        items = (f"- **{escape(name)}:** {escape(text)}" for name, text in glossary)
        parts.append("### Definitions\n\n" + "\n".join(items))
    parts.append(f"_{escape(ROUNDING_RULE)}_")
    return "\n\n".join(parts) + "\n"
