"""Levers ranked: what +1 point or +10% on each rate (and the deal size) would do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelcalc.levers import Effect, Levers
from funnelcalc.report import Bar, Cell, Chart, Report, Table
from funnelcalc.views.cells import (
    NONE,
    columns,
    compared,
    count,
    money,
    number,
    percent,
    signed,
)
from funnelcalc.views.cells import text_cell as text
from funnelcalc.views.plan import capitalised, won
from funnelcalc.views.plan_json import SCHEMA_VERSION


def report(result: Levers) -> Report:
    """Two rows a lever (+1 point, +10%), the lever that cuts the top most first."""
    base = result.plan
    currency = base.currency
    top = base.stages[0]

    def value(amount: Decimal, is_rate: bool, per: bool = False) -> Cell:
        if per:
            return Cell(amount, f"×{number(amount)}")
        return Cell(amount, percent(amount) if is_rate else money(amount, currency))

    rows: list[tuple[Cell, ...]] = []
    bars = []
    for lever in result.levers:
        for label, effect in (("+1 point", lever.plus_one_point), ("+10%", lever.plus_ten_percent)):
            if effect is None:
                continue
            budget = NONE
            if effect.budget is not None and base.budget_total is not None:
                shown = compared(effect.budget, base.budget_total, lambda v: money(v, currency))
                budget = Cell(effect.budget, shown)
            rows.append(
                (
                    text(f"{lever.label} {label}"),
                    value(lever.value, lever.is_rate, lever.is_multiplier),
                    value(effect.value, lever.is_rate, lever.is_multiplier),
                    Cell(effect.top, count(effect.top)),
                    Cell(effect.top - top.volume, signed(effect.top - top.volume)),
                    Cell(effect.clients, compared(effect.clients, base.clients, count)),
                    budget,
                )
            )
        if lever.plus_ten_percent is not None:
            cut = top.volume - lever.plus_ten_percent.top
            bars.append(Bar(lever.label, max(cut, 0), signed(-cut), f"{top.name} at +10%"))
    specs: list[tuple[str, ...]] = [
        ("lever", "Lever"),
        ("now", "Now", "number"),
        ("pulled_to", "Pulled to", "number"),
        ("top_needed", "Top needed", "count"),
        ("change_at_top", "Change at top", "count"),
        ("won", capitalised(won(base)), "count"),
    ]
    if base.budget_total is None:  # nothing costs money: no column of dashes
        rows = [row[:-1] for row in rows]
    else:
        specs.append(("budget", "Budget", "money"))
    table_columns = columns(*specs)
    title = f"Levers, ranked by how much +10% cuts the {top.name} needed ({count(top.volume)} now)"
    sections = (
        Table(None, table_columns, tuple(rows), "levers"),
        Chart("bars", f"{top.name} cut by +10% on each lever", "", tuple(bars)),
    )
    return Report(title, sections)


def _effect(item: Effect | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"value": item.value, "top": item.top, "clients": item.clients, "budget": item.budget}


def document(result: Levers) -> dict[str, Any]:
    """The levers, the one that cuts the top of the funnel most first."""
    plan = result.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "top_stage": plan.stages[0].name,
        "base": {
            "top": plan.stages[0].volume,
            "clients": plan.clients,
            "budget": plan.budget_total,
        },
        "levers": [
            {
                "key": lever.key,
                "name": lever.label,
                "value": lever.value,
                "plus_one_point": _effect(lever.plus_one_point),
                "plus_ten_percent": _effect(lever.plus_ten_percent),
            }
            for lever in result.levers
        ],
    }
