"""The terminal view: rich tables whose numbers are never cut, whatever the width."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from funnelcalc.ownership import handoffs
from funnelcalc.render import figures
from funnelcalc.solver import ROUNDING_RULE, Plan


class View(NamedTuple):
    """What the terminal shows, and the width below which its tables would have to squeeze."""

    renderable: Group
    width: int


def _natural_width(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """An upper bound of a _table's natural width: each column as wide as its widest cell,
    plus two characters of padding and one of divider per column, plus the edges."""
    widest = [
        max(cell_len(text) for text in (column, *(row[i] for row in rows)))
        for i, column in enumerate(columns)
    ]
    return sum(widest) + 3 * len(columns) + 1


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for index, column in enumerate(columns):
        if column in numeric:
            # A number must never be wrapped or cut with "…": reserve its full width.
            width = max(len(row[index]) for row in rows)
            table.add_column(Text(column), justify="right", no_wrap=True, min_width=width)
        else:
            table.add_column(Text(column), overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def plan_view(plan: Plan) -> View:
    """Everything `plan` shows in the terminal; printed at `width` or wider, no number is
    ever wrapped or cut ("1,250,0…"), while plain text lines may wrap."""
    title = Text(plan.name or "Funnel plan", style="bold")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    for label, value in figures.summary(plan):
        facts.add_row(Text(label), Text(value))
    stage_rows = figures.stage_rows(plan)
    width = _natural_width(figures.STAGE_COLUMNS, stage_rows)
    parts: list[RenderableType] = [
        title,
        facts,
        _table(figures.STAGE_COLUMNS, stage_rows, figures.NUMERIC_COLUMNS),
    ]
    if any(stage.owner for stage in plan.stages):
        owner_rows = figures.owner_rows(plan)
        width = max(width, _natural_width(figures.OWNER_COLUMNS, owner_rows))
        parts.append(Text("Who owns what", style="bold"))
        parts.append(_table(figures.OWNER_COLUMNS, owner_rows, frozenset()))
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
    return View(Group(*parts), width)


def to_text(view: View, *, width: int) -> str:
    """Plain text without colour codes (for --output and snapshot tests)."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=max(width, view.width),
        color_system=None,
        force_terminal=False,
        markup=False,
        emoji=False,
    )
    console.print(view.renderable)
    return out.getvalue()
