"""Forward projection: what a volume at one stage turns into, beside what the plan needs."""

from __future__ import annotations

from typing import Any

from funnelcalc.projection import Projection
from funnelcalc.report import Cell, Note, Report
from funnelcalc.views.cells import (
    approx_percent,
    count,
    money,
    rate_cell,
    ratio_cell,
    signed,
    table,
)
from funnelcalc.views.plan import won
from funnelcalc.views.plan_json import SCHEMA_VERSION


def notes(result: Projection) -> list[Note]:
    """What the projected last stage brings against the target."""
    plan = result.plan
    found = [Note(f"{count(result.clients)} {won(plan)} (the plan needs {count(plan.clients)}).")]
    revenue, gap = result.revenue, result.gap
    if revenue is not None:
        text = f"They bring {money(revenue, plan.currency)}"
        short = False
        if gap is not None and plan.target_revenue is not None:
            target = money(plan.target_revenue, plan.currency)
            short = gap < 0
            if short:
                text += f": {money(-gap, plan.currency)} short of the {target} target"
            else:
                text += f": the {target} target is reached ({money(gap, plan.currency)} above it)"
        found.append(Note(text + ".", "warning" if short else "info"))
    found.append(
        Note("Each stage is rounded down to whole people: a fraction of a person never converts.")
    )
    if any(stage.sources for stage in result.plan.stages):
        found.append(
            Note(
                "Where sources feed a stage, what reaches the stage above is split between them "
                "as the plan splits it, each converting at its own rates; fixed sources come "
                "anyway."
            )
        )
    return found


def _difference(value: int) -> Cell:
    return Cell(value, signed(value))


def report(result: Projection) -> Report:
    """Per stage from the given one down: the projection beside the plan."""
    mixed = any(stage.effective_rate is not None for stage in result.plan.stages)
    rows = (
        (
            stage.name,
            rate_cell(stage.rate, stage.per),
            *([ratio_cell(stage.effective_rate, approx_percent)] if mixed else []),
            volume,
            stage.volume,
            _difference(volume - stage.volume),
        )
        for stage, volume in zip(result.plan.stages, result.volumes, strict=True)
        if volume is not None
    )
    specs = [
        ("stage", "Stage"),
        ("rate", "Rate", "rate"),
        *([("effective_rate", "Plan's effective rate", "ratio")] if mixed else []),
        ("projected", "Projected", "count"),
        ("plan_needs", "Plan needs", "count"),
        ("difference", "Difference", "count"),
    ]
    start = result.plan.stages[result.start]
    title = f"From {count(result.volumes[result.start] or 0)} {start.name}"
    return Report(title, (table(None, "projection", specs, rows), *notes(result)))


def document(result: Projection) -> dict[str, Any]:
    """Expected volumes from the given stage down, and the revenue they bring."""
    plan = result.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "from": {"stage": plan.stages[result.start].name, "volume": result.volumes[result.start]},
        "stages": [
            {"name": stage.name, "rate": stage.rate, "volume": volume, "plan_needs": stage.volume}
            for stage, volume in zip(plan.stages, result.volumes, strict=True)
            if volume is not None
        ],
        "clients": result.clients,
        "revenue": result.revenue,
        "target_revenue": plan.target_revenue,
        "gap": result.gap,
    }
