"""The terminal view: rich tables whose numbers are never cut, whatever the width."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from funnelcalc.ownership import handoffs
from funnelcalc.render import figures
from funnelcalc.render.chart import shares, terminal_bar
from funnelcalc.solver import ROUNDING_RULE, Plan

if TYPE_CHECKING:
    from funnelcalc.goalseek import Seek
    from funnelcalc.levers import Levers
    from funnelcalc.limits import Check
    from funnelcalc.phasing import Schedule
    from funnelcalc.projection import Projection
    from funnelcalc.render import Result
    from funnelcalc.scenarios import Comparison
    from funnelcalc.sweep import Sweep
    from funnelcalc.tracking import Track
    from funnelcalc.uncertainty import Simulation


class View(NamedTuple):
    """What the terminal shows, and the width below which its tables would have to squeeze."""

    renderable: Group
    width: int


class _Builder:
    """Collects the parts of a view and the width its tables need."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []
        self.width = 0

    def text(self, text: str, style: str = "") -> None:
        self.parts.append(Text(text, style=style))

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        numeric: frozenset[str] = frozenset(),
    ) -> None:
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        for index, column in enumerate(columns):
            if column in numeric:
                # A number must never be wrapped or cut with "…": reserve its full width.
                width = max((len(row[index]) for row in rows), default=0)
                table.add_column(Text(column), justify="right", no_wrap=True, min_width=width)
            else:
                table.add_column(Text(column), overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        self.parts.append(table)
        self.width = max(self.width, _natural_width(columns, rows))

    def facts(self, lines: Sequence[tuple[str, str]]) -> None:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for label, value in lines:
            grid.add_row(Text(label), Text(value))
        self.parts.append(grid)

    def view(self) -> View:
        return View(Group(*self.parts), self.width)


def _natural_width(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """An upper bound of a table's natural width: each column as wide as its widest cell,
    plus two characters of padding and one of divider per column, plus the edges."""
    widest = [
        max(cell_len(text) for text in (column, *(row[i] for row in rows)))
        for i, column in enumerate(columns)
    ]
    return sum(widest) + 3 * len(columns) + 1


def _plan(plan: Plan) -> View:
    out = _Builder()
    title = plan.name or "Funnel plan"
    out.text(f"{title} — scenario {plan.scenario}" if plan.scenario else title, "bold")
    out.facts(figures.summary(plan))
    widths, log = shares(plan)
    columns = (*figures.stage_columns(plan), "Funnel (log scale)" if log else "Funnel")
    rows = [
        (*row, terminal_bar(share))
        for row, share in zip(figures.stage_rows(plan), widths, strict=True)
    ]
    out.table(columns, rows, figures.NUMERIC_COLUMNS)
    for warning in figures.limit_warnings(plan):
        out.text(warning, "bold red")
    for assumption in figures.assumption_lines(plan):
        out.text("~ " + assumption, "yellow")
    money_lines = figures.money_lines(plan)
    money_columns = figures.money_columns(plan)
    if money_lines or money_columns:
        out.text("Money" if plan.budget is not None else "Pipeline", "bold")
        if money_lines:
            out.facts(money_lines)
        if money_columns:
            out.table(money_columns, figures.money_rows(plan), figures.NUMERIC_COLUMNS)
    for title, rows in figures.source_tables(plan):
        out.text(title, "bold")
        out.table(figures.SOURCE_COLUMNS, rows, figures.NUMERIC_COLUMNS)
    if any(stage.owner for stage in plan.stages):
        out.text("Who owns what", "bold")
        out.table(figures.OWNER_COLUMNS, figures.owner_rows(plan))
        for handoff in handoffs(plan):
            out.text("→ " + figures.handoff_text(handoff))
        out.text("")
    glossary = figures.definitions(plan)
    if glossary:
        out.text("Definitions", "bold")
        for name, definition in glossary:
            line = Text()
            line.append(name, style="bold")
            line.append(f": {definition}")
            out.parts.append(line)
        out.text("")
    out.text(ROUNDING_RULE, "dim")
    return out.view()


def _comparison(comparison: Comparison) -> View:
    out = _Builder()
    out.text(f"{comparison.base.name or 'Funnel plan'}: scenarios compared", "bold")
    columns = figures.comparison_columns(comparison)
    out.table(columns, figures.comparison_rows(comparison), frozenset(columns[1:]))
    for name, description in comparison.descriptions.items():
        line = Text()
        line.append(name, style="bold")
        line.append(f": {description}")
        out.parts.append(line)
    return out.view()


def _sweep(result: Sweep) -> View:
    out = _Builder()
    keys = " and ".join(axis.key for axis in result.axes)
    out.text(f"{result.show} needed as {keys} vary", "bold")
    columns = figures.sweep_columns(result)
    out.table(columns, figures.sweep_rows(result), frozenset(columns))
    return out.view()


def _check(result: Check) -> View:
    out = _Builder()
    if result.results:
        out.table(figures.CHECK_COLUMNS, figures.check_rows(result), figures.NUMERIC_COLUMNS)
    out.text(figures.check_summary(result), "bold" if result.passed else "bold red")
    return out.view()


def _schedule(result: Schedule) -> View:
    out = _Builder()
    plan = result.plan
    title = plan.name or "Funnel plan"
    out.text(f"{title}: schedule by {result.by}", "bold")
    out.facts(figures.summary(plan))
    columns = figures.schedule_columns(result)
    out.table(columns, figures.schedule_rows(result), frozenset(columns[1:]))
    for note in figures.schedule_notes(result):
        out.text(note, "bold" if note.startswith("⚠") else "dim")
    return out.view()


def _track(result: Track) -> View:
    out = _Builder()
    out.text(figures.track_title(result), "bold")
    out.table(figures.track_columns(result), figures.track_rows(result), figures.NUMERIC_COLUMNS)
    out.text(figures.track_summary(result), "bold red" if result.behind else "bold")
    out.text("")
    out.text("Re-forecast: what the rest of the period now needs", "bold")
    columns = figures.reforecast_columns(result)
    out.table(columns, figures.reforecast_rows(result), figures.NUMERIC_COLUMNS)
    if result.reforecast:
        columns = figures.remaining_columns(result)
        out.table(columns, figures.remaining_rows(result), frozenset(columns[1:]))
    return out.view()


def _simulation(result: Simulation) -> View:
    out = _Builder()
    out.text(f"{result.plan.name or 'Funnel plan'}: simulated", "bold")
    out.table(
        figures.simulation_columns(result), figures.simulation_rows(result), figures.NUMERIC_COLUMNS
    )
    for line in figures.simulation_lines(result):
        out.text(line, "bold" if line.startswith("Probability") else "dim")
    return out.view()


def _levers(result: Levers) -> View:
    out = _Builder()
    top = result.plan.stages[0]
    now = figures.count(top.volume)
    out.text(f"Levers, ranked by how much +10% cuts the {top.name} needed ({now} now)", "bold")
    out.table(figures.LEVER_COLUMNS, figures.lever_rows(result), figures.NUMERIC_COLUMNS)
    return out.view()


def _seek(result: Seek) -> View:
    out = _Builder()
    for line in figures.seek_lines(result):
        out.text(line, "bold" if line.startswith(("The smallest", "No ")) else "")
    if result.plan is not None:
        out.text("")
        out.table(figures.STAGE_COLUMNS, figures.stage_rows(result.plan), figures.NUMERIC_COLUMNS)
    return out.view()


def _projection(result: Projection) -> View:
    out = _Builder()
    start = result.plan.stages[result.start]
    out.text(f"From {figures.count(result.volumes[result.start] or 0)} {start.name}", "bold")
    out.table(figures.PROJECTION_COLUMNS, figures.projection_rows(result), figures.NUMERIC_COLUMNS)
    for line in figures.projection_lines(result):
        out.text(line)
    return out.view()


_BY_RESULT: dict[str, Callable[[Any], View]] = {
    "Levers": _levers,
    "Seek": _seek,
    "Projection": _projection,
    "Plan": _plan,
    "Schedule": _schedule,
    "Comparison": _comparison,
    "Sweep": _sweep,
    "Check": _check,
    "Track": _track,
    "Simulation": _simulation,
}


def view(result: Result) -> View:
    """The terminal view of any result."""
    return _BY_RESULT[type(result).__name__](result)


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
