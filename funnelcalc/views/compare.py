"""Scenarios side by side: a row per stage, then the last stage, budget, CAC and revenue,
each plan against the base."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.keypath import BASE
from funnelcalc.report import Cell, Column, Facts, Report, Section, Table
from funnelcalc.scenarios import Comparison
from funnelcalc.solver import Plan
from funnelcalc.views.cells import NONE, approx_money, compared, count, money, text_cell
from funnelcalc.views.plan import won
from funnelcalc.views.plan_json import SCHEMA_VERSION, plan_document


def _money(new: Decimal | None, old: Decimal | None, currency: str) -> Cell:
    if new is None:
        return NONE
    if old is None:
        return Cell(new, money(new, currency))
    return Cell(new, compared(new, old, lambda value: money(value, currency)))


def _cac(plan: Plan) -> Cell:
    if plan.budget is None or not plan.clients:
        return NONE
    cac = Fraction(plan.budget.total) / plan.clients
    return Cell(plan.budget.total / plan.clients, approx_money(cac, plan.currency))


def report(comparison: Comparison) -> Report:
    """The comparison table, and what each scenario changes."""
    base, plans = comparison.base, comparison.plans
    names = [plan.scenario or BASE for plan in plans]
    table_columns = (Column("row", ""), *(Column(name, name, "number") for name in names))
    rows = [
        (
            text_cell(stage.name),
            *(
                Cell(p.stages[i].volume, compared(p.stages[i].volume, stage.volume, count))
                for p in plans
            ),
        )
        for i, stage in enumerate(base.stages)
    ]
    rows.append(
        (
            text_cell(f"{won(base)} needed"),
            *(Cell(p.clients, compared(p.clients, base.clients, count)) for p in plans),
        )
    )
    if any(plan.budget is not None for plan in plans):
        budgets = (_money(p.budget_total, base.budget_total, base.currency) for p in plans)
        rows.append((text_cell("budget"), *budgets))
        rows.append((text_cell("CAC (blended)"), *(_cac(p) for p in plans)))
    rows.append(
        (text_cell("revenue"), *(_money(p.revenue, base.revenue, base.currency) for p in plans))
    )
    sections: list[Section] = [Table(None, table_columns, tuple(rows), "comparison")]
    if comparison.descriptions:
        sections.append(Facts("Scenarios", tuple(comparison.descriptions.items())))
    return Report(f"{base.name or 'Funnel plan'}: scenarios compared", tuple(sections))


def document(comparison: Comparison) -> dict[str, Any]:
    """Each plan shaped like `plan`'s JSON, named by its scenario (the base is "base")."""
    entries = []
    for plan in comparison.plans:
        entry = plan_document(plan)
        del entry["schema_version"]
        name = plan.scenario or BASE
        entry = {
            "name": name,
            "title": plan.name,
            "description": comparison.descriptions.get(name),
            **{k: v for k, v in entry.items() if k != "name"},
        }
        entries.append(entry)
    return {"schema_version": SCHEMA_VERSION, "scenarios": entries}
