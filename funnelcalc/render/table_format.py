"""The terminal view: rich tables whose numbers are never cut, whatever the width."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from funnelcalc.ownership import handoffs
from funnelcalc.render import figures
from funnelcalc.solver import ROUNDING_RULE, Plan


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for index, column in enumerate(columns):
        if column in numeric:
            # A number must never be wrapped or cut with "…": reserve its full width.
            width = max(len(row[index]) for row in rows)
            table.add_column(column, justify="right", no_wrap=True, min_width=width)
        else:
            table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def plan_view(plan: Plan) -> Group:
    """Everything `plan` shows in the terminal, as one rich renderable."""
    title = Text(plan.name or "Funnel plan", style="bold")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    for label, value in figures.summary(plan):
        facts.add_row(label, Text(value))
    parts: list[RenderableType] = [
        title,
        facts,
        _table(figures.STAGE_COLUMNS, figures.stage_rows(plan), figures.NUMERIC_COLUMNS),
    ]
    if any(stage.owner for stage in plan.stages):
        parts.append(Text("Who owns what", style="bold"))
        parts.append(_table(figures.OWNER_COLUMNS, figures.owner_rows(plan), frozenset()))
        parts.extend(Text("→ " + figures.handoff_text(h)) for h in handoffs(plan))
        parts.append(Text())
    glossary = figures.definitions(plan)
    if glossary:
        parts.append(Text("Definitions", style="bold"))
        for name, definition in glossary:
            line = Text(no_wrap=False)
            line.append(name, style="bold")
            line.append(f": {definition}")
            parts.append(line)
        parts.append(Text())
    parts.append(Text(ROUNDING_RULE, style="dim"))
    return Group(*parts)


_WIDEST = 10_000


def minimum_width(console: Console, view: Group) -> int:
    """The narrowest width at which every table of the view shows at its natural width, so
    rich never wraps or cuts a number ("1,250,0…"); plain text lines may still wrap."""
    unbounded = console.options.update_width(_WIDEST)
    tables = [r for r in view.renderables if isinstance(r, Table)]
    return max(Measurement.get(console, unbounded, table).maximum for table in tables)


def to_text(view: Group, *, width: int) -> str:
    """Plain text without colour codes (for --output and snapshot tests), never narrower
    than the numbers need."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    console.width = max(width, minimum_width(console, view))
    console.print(view)
    return out.getvalue()
