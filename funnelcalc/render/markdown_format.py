"""Markdown that pastes into GitHub, Notion or a doc: pipe tables, numbers right-aligned."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from funnelcalc.ownership import handoffs
from funnelcalc.render import figures
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


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {escape(line)}" for line in lines)


def _plan(plan: Plan) -> str:
    title = plan.name or "Funnel plan"
    if plan.scenario:
        title += f" — scenario {plan.scenario}"
    parts = [f"## {escape(title)}"]
    parts.append(
        "\n".join(f"- **{label}:** {escape(value)}" for label, value in figures.summary(plan))
    )
    columns = figures.stage_columns(plan)
    parts.append(table(columns, figures.stage_rows(plan), figures.NUMERIC_COLUMNS))
    warnings = figures.limit_warnings(plan) + figures.assumption_lines(plan)
    if warnings:
        parts.append(_bullets(warnings))
    money_lines = figures.money_lines(plan)
    money_columns = figures.money_columns(plan)
    if money_lines or money_columns:
        section = ["### Money" if plan.budget is not None else "### Pipeline"]
        if money_lines:
            section.append(
                "\n".join(f"- **{label}:** {escape(value)}" for label, value in money_lines)
            )
        if money_columns:
            rows = figures.money_rows(plan)
            section.append(table(money_columns, rows, figures.NUMERIC_COLUMNS))
        parts.append("\n\n".join(section))
    for title, rows in figures.source_tables(plan):
        parts.append(
            f"### {escape(title)}\n\n"
            + table(figures.SOURCE_COLUMNS, rows, figures.NUMERIC_COLUMNS)
        )
    if any(stage.owner for stage in plan.stages):
        owners = table(figures.OWNER_COLUMNS, figures.owner_rows(plan), frozenset())
        sentences = [figures.handoff_text(h) for h in handoffs(plan)]
        parts.append("### Who owns what\n\n" + owners)
        if sentences:
            parts.append(_bullets(sentences))
    glossary = figures.definitions(plan)
    if glossary:
        items = (f"- **{escape(name)}:** {escape(text)}" for name, text in glossary)
        parts.append("### Definitions\n\n" + "\n".join(items))
    parts.append(f"_{escape(ROUNDING_RULE)}_")
    return "\n\n".join(parts) + "\n"


def _comparison(comparison: Comparison) -> str:
    columns = figures.comparison_columns(comparison)
    parts = [
        f"## {escape(comparison.base.name or 'Funnel plan')}: scenarios compared",
        table(columns, figures.comparison_rows(comparison), frozenset(columns[1:])),
    ]
    if comparison.descriptions:
        parts.append(
            "\n".join(
                f"- **{escape(name)}:** {escape(text)}"
                for name, text in comparison.descriptions.items()
            )
        )
    return "\n\n".join(parts) + "\n"


def _sweep(result: Sweep) -> str:
    columns = figures.sweep_columns(result)
    keys = " and ".join(f"`{axis.key}`" for axis in result.axes)
    return (
        f"## {escape(result.show)} needed as {keys} vary\n\n"
        + table(columns, figures.sweep_rows(result), frozenset(columns))
        + "\n"
    )


def _check(result: Check) -> str:
    parts = [f"## Limits: {escape(figures.check_summary(result))}"]
    if result.results:
        parts.append(
            table(figures.CHECK_COLUMNS, figures.check_rows(result), figures.NUMERIC_COLUMNS)
        )
    return "\n\n".join(parts) + "\n"


def _schedule(result: Schedule) -> str:
    columns = figures.schedule_columns(result)
    parts = [
        _plan(result.plan).rstrip("\n"),
        f"### Schedule by {result.by}",
        table(columns, figures.schedule_rows(result), frozenset(columns[1:])),
    ]
    notes = figures.schedule_notes(result)
    if notes:
        parts.append(_bullets(notes))
    return "\n\n".join(parts) + "\n"


def _track(result: Track) -> str:
    parts = [
        f"## {escape(figures.track_title(result))}",
        table(figures.track_columns(result), figures.track_rows(result), figures.NUMERIC_COLUMNS),
        f"**{escape(figures.track_summary(result))}**",
        "### Re-forecast: what the rest of the period now needs",
        table(
            figures.reforecast_columns(result),
            figures.reforecast_rows(result),
            figures.NUMERIC_COLUMNS,
        ),
    ]
    if result.reforecast:
        columns = figures.remaining_columns(result)
        parts.append(table(columns, figures.remaining_rows(result), frozenset(columns[1:])))
    return "\n\n".join(parts) + "\n"


def _simulation(result: Simulation) -> str:
    columns = figures.simulation_columns(result)
    parts = [
        f"## {escape(result.plan.name or 'Funnel plan')}: simulated",
        table(columns, figures.simulation_rows(result), figures.NUMERIC_COLUMNS),
        _bullets(figures.simulation_lines(result)),
    ]
    return "\n\n".join(parts) + "\n"


def _levers(result: Levers) -> str:
    top = result.plan.stages[0]
    return (
        f"## Levers, ranked by how much +10% cuts the {escape(top.name)} needed\n\n"
        + table(figures.LEVER_COLUMNS, figures.lever_rows(result), figures.NUMERIC_COLUMNS)
        + "\n"
    )


def _seek(result: Seek) -> str:
    parts = [_bullets(figures.seek_lines(result))]
    if result.plan is not None:
        rows = figures.stage_rows(result.plan)
        parts.append(table(figures.STAGE_COLUMNS, rows, figures.NUMERIC_COLUMNS))
    return "\n\n".join(parts) + "\n"


def _projection(result: Projection) -> str:
    rows = figures.projection_rows(result)
    return (
        table(figures.PROJECTION_COLUMNS, rows, figures.NUMERIC_COLUMNS)
        + "\n\n"
        + _bullets(figures.projection_lines(result))
        + "\n"
    )


_BY_RESULT: dict[str, Callable[[Any], str]] = {
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


def render(result: Result) -> str:
    """`--format markdown` for any result."""
    return _BY_RESULT[type(result).__name__](result)
