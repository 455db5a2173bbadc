"""CSV that opens in a spreadsheet: a header, numbers as plain numbers, text defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from funnelcalc.exact import plain
from funnelcalc.keypath import BASE
from funnelcalc.render.figures import displayed
from funnelcalc.solver import Plan

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

Cell = str | int | Decimal | bool | None
PLAN_HEADER = (
    "stage",
    "owner",
    "rate",
    "volume",
    "to_clients",
    "one_in",
    "lost",
    "definition",
    "limit",
    "cost",
    "spend",
    "max_cost",
    "pipeline_value",
)
CHECK_HEADER = ("scenario", "stage", "limit", "needed", "headroom", "holds")
# A cell starting with one of these is a formula to a spreadsheet: never let user text be one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Cell) -> str:
    """One CSV cell: numbers plain, booleans as true/false, text defused against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(plain(value), "f")
    if isinstance(value, int):
        return str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def table(header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> str:
    """A header and rows as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(value) for value in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def _plan(plan: Plan) -> str:
    return table(
        PLAN_HEADER,
        (
            (
                stage.name,
                stage.owner,
                stage.rate,
                stage.volume,
                stage.to_clients,
                displayed(stage.one_in),
                stage.lost,
                stage.definition,
                stage.limit,
                stage.cost,
                stage.spend,
                stage.max_cost,
                stage.pipeline_value,
            )
            for stage in plan.stages
        ),
    )


def _comparison(comparison: Comparison) -> str:
    """Wide, like the table: a row per stage, then clients and revenue; a column per plan."""
    plans = comparison.plans
    rows: list[list[Cell]] = [
        [stage.name, *(plan.stages[i].volume for plan in plans)]
        for i, stage in enumerate(comparison.base.stages)
    ]
    rows.append(["clients needed", *(plan.clients for plan in plans)])
    if any(plan.budget is not None for plan in plans):
        rows.append(["budget", *(plan.budget_total for plan in plans)])
    rows.append(["revenue", *(plan.revenue for plan in plans)])
    return table(["row", *(plan.scenario or BASE for plan in plans)], rows)


def _sweep(result: Sweep) -> str:
    first = result.axes[0]
    if len(result.axes) == 1:
        header: list[Cell] = [first.key, result.show]
    else:
        header = [f"{first.key} \\ {result.axes[1].key}", *result.axes[1].values]
    rows: list[list[Cell]] = [
        [value, *volumes] for value, volumes in zip(first.values, result.volumes, strict=True)
    ]
    return table(header, rows)


def _check(result: Check) -> str:
    return table(
        CHECK_HEADER,
        (
            (item.scenario, item.stage, item.limit, item.needed, item.headroom, item.holds)
            for item in result.results
        ),
    )


def _schedule(result: Schedule) -> str:
    """A row per period: its dates, working days, each stage's volume, and per working day."""
    stages = result.plan.stages
    daily = [i for i, is_daily in enumerate(result.daily) if is_daily]
    header = [
        "period",
        "start",
        "end",
        "before_start",
        "working_days",
        *(stage.name for stage in stages),
        *(f"{stages[i].name} per working day" for i in daily),
    ]
    rows: list[list[Cell]] = [
        [
            bucket.label,
            bucket.start.isoformat(),
            (bucket.end - timedelta(days=1)).isoformat(),
            bucket.before_start,
            bucket.working_days,
            *bucket.volumes,
            *(bucket.per_day(i) for i in daily),
        ]
        for bucket in result.buckets
    ]
    return table(header, rows)


TRACK_HEADER = (
    "stage",
    "actual",
    "planned",
    "pace",
    "rate",
    "observed_rate",
    "status",
    "spend",
    "needed",
    "remaining",
    "per_working_day",
)


def _track(result: Track) -> str:
    """A row per stage: to date, and the re-forecast."""
    return table(
        TRACK_HEADER,
        (
            (
                stage.name,
                stage.actual,
                stage.planned,
                displayed(stage.pace, 4) if stage.pace is not None else None,
                stage.rate,
                displayed(stage.observed_rate, 4) if stage.observed_rate is not None else None,
                stage.status,
                stage.spend,
                stage.needed,
                stage.remaining,
                stage.per_working_day,
            )
            for stage in result.stages
        ),
    )


def _simulation(result: Simulation) -> str:
    rows: list[list[Cell]] = [
        [
            stage.name,
            stage.volume,
            spread.p10,
            spread.p50,
            spread.p90,
            result.capacity.get(stage.name),
        ]
        for stage, spread in zip(result.plan.stages, result.stages, strict=True)
    ]
    if result.budget is not None:
        budget = result.budget
        rows.append(
            [
                "budget",
                result.plan.budget_total,
                budget.p10,
                budget.p50,
                budget.p90,
                result.capacity.get("budget"),
            ]
        )
    return table(("stage", "plan", "p10", "p50", "p90", "capacity"), rows)


def _levers(result: Levers) -> str:
    rows: list[list[Cell]] = []
    for lever in result.levers:
        for change, effect in (
            ("+1 point", lever.plus_one_point),
            ("+10%", lever.plus_ten_percent),
        ):
            if effect is not None:
                rows.append(
                    [
                        lever.key,
                        lever.label,
                        change,
                        lever.value,
                        effect.value,
                        effect.top,
                        effect.clients,
                        effect.budget,
                    ]
                )
    header = ("key", "lever", "change", "now", "pulled_to", "top_needed", "clients", "budget")
    return table(header, rows)


def _seek(result: Seek) -> str:
    return table(
        ("key", "given_stage", "given_volume", "now", "smallest", "possible"),
        [[result.key, result.stage, result.volume, result.current, result.usable, result.possible]],
    )


def _projection(result: Projection) -> str:
    rows: list[list[Cell]] = [
        [stage.name, stage.rate, volume, stage.volume]
        for stage, volume in zip(result.plan.stages, result.volumes, strict=True)
        if volume is not None
    ]
    return table(("stage", "rate", "projected", "plan_needs"), rows)


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
    """`--format csv` for any result."""
    return _BY_RESULT[type(result).__name__](result)
