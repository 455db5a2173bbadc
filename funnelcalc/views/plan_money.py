"""A plan's money as report sections: the baseline derivation, the budget and what it buys,
the cost and pipeline of every stage, and where each sourced stage's volume comes from."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from funnelcalc.attribution import channel_spend
from funnelcalc.report import Cell, Facts, Section, Table
from funnelcalc.solver import Plan, StagePlan
from funnelcalc.views.cells import (
    approx_money,
    approx_percent,
    count,
    money,
    percent,
    ratio_cell,
    table,
    times,
)
from funnelcalc.views.plan_economics import pipeline_lines, ratio_lines, unit_lines


def baseline_lines(plan: Plan) -> list[tuple[str, str]]:
    """The derivation of the new revenue from existing customers, line by line."""
    d = plan.baseline
    if d is None:
        return []

    def cash(value: Decimal) -> str:
        return money(value, plan.currency)

    churned = f"−{cash(d.churned)}"
    lines = []
    if d.churned_customers is not None and d.logo_churn is not None:
        replace = f"{count(d.churned_customers)} of {count(d.customers or 0)}"
        lines.append(("Customers to replace", f"{replace} (logo churn {percent(d.logo_churn)})"))
    total = cash(d.total)
    if d.growth is not None:
        total += f" ({percent(d.growth)} growth over the baseline)"
    return [
        ("Baseline revenue", cash(d.baseline)),
        (f"− revenue churn {percent(d.churn)}", churned),
        (f"+ expansion {percent(d.expansion)}", f"+{cash(d.expanded)}"),
        ("= from existing customers", cash(d.existing)),
        ("Revenue to reach", total),
        ("New revenue to win", f"{cash(d.new_revenue)} (to reach − from existing)"),
        *lines,
    ]


def money_facts(plan: Plan) -> list[tuple[str, str]]:
    """The budget and what it buys: spend, fixed costs, budget, CAC, ROI, ROAS."""
    budget = plan.budget
    if budget is None:
        return []

    def cash(value: Decimal) -> str:
        return money(value, plan.currency)

    lines = [("Spend", cash(budget.spend))]
    if budget.fixed_costs:
        names = ", ".join(f"{n} {cash(v)}" for n, v in budget.fixed_costs.items())
        lines.append(("Fixed costs", f"{cash(budget.fixed)} ({names})"))
    total = cash(budget.total)
    if budget.limit is not None:
        written = f"{percent(budget.limit_share)} of revenue = " if budget.limit_share else ""
        mark = "✗ over" if budget.over_limit else "within"
        total += f" ({mark} its limit of {written}{cash(budget.limit)})"
    lines.append(("Budget", total))
    lines += ratio_lines(plan)
    revenue = plan.revenue
    if revenue:
        lines.append(
            ("Budget share of revenue", approx_percent(Fraction(budget.total) / Fraction(revenue)))
        )
    return lines


def budget_per_unit(plan: Plan, stage: StagePlan) -> Fraction | None:
    """The budget ÷ the stage's volume; none for a roll-up's stage that only some segments
    have: the company's budget also pays for the other segments' funnels."""
    if plan.budget is None or not stage.volume:
        return None
    folded = stage.name.casefold()
    if not all(any(s.name.casefold() == folded for s in p.plan.stages) for p in plan.segments):
        return None
    return Fraction(plan.budget.total) / stage.volume


def money_table(plan: Plan) -> Table | None:
    """Per stage: its cost, spend, budget ÷ volume, the most a unit may cost, its pipeline."""
    specs: list[tuple[str, ...]] = [("stage", "Stage", "text")]
    budget = plan.budget
    if budget is not None:
        specs += [
            ("cost", "Cost per unit", "money"),
            ("spend", "Spend", "money"),
            ("budget_per_unit", "Budget per unit", "money"),
        ]
        if budget.limit is not None:
            specs.append(("max_cost", "Most per unit", "money"))
    if plan.deal_size is not None:
        specs += [("pipeline_value", "Pipeline value", "money"), ("coverage", "Coverage", "ratio")]
    if len(specs) == 1:
        return None
    currency = plan.currency
    rows = []
    last = plan.stages[-1]
    for stage in plan.stages:
        # above the first opportunity stage there is no pipeline, and won deals are closed, not
        # pipeline: without a cost to show, no row
        if budget is None and (stage.pipeline_value is None or stage is last):
            continue
        row: list[object] = [stage.name]
        if budget is not None:
            per_unit = budget_per_unit(plan, stage)
            row += [
                stage.cost,
                stage.spend,
                ratio_cell(per_unit, lambda v: approx_money(v, currency)),
            ]
            if budget.limit is not None:
                row.append(stage.max_cost)
        if plan.deal_size is not None and stage is last:
            row += [None, None]
        elif plan.deal_size is not None:
            row += [stage.pipeline_value, ratio_cell(plan.coverage(stage), times)]
        rows.append(row)
    return table(None, "money", specs, rows, currency)


def money_sections(plan: Plan) -> list[Section]:
    """The money facts and table under one heading (Money, or Pipeline without costs), then
    the unit economics."""
    facts, table = money_facts(plan) + pipeline_lines(plan), money_table(plan)
    heading = "Money" if plan.budget is not None else "Pipeline"
    sections: list[Section] = []
    if facts or table is not None:
        sections.append(Facts(heading, tuple(facts)))
    if table is not None:
        sections.append(table)
    units = unit_lines(plan)
    if units:
        sections.append(Facts("Unit economics", tuple(units)))
    return sections


def source_sections(plan: Plan) -> list[Section]:
    """A table for each stage that has sources."""
    tables: list[Section] = []
    specs = [
        ("source", "Source"),
        ("share", "Share", "rate"),
        ("target", "Target", "count"),
        ("rate", "Rate", "rate"),
        ("needs", "Needs", "count"),
        ("cost", "Cost per unit", "money"),
        ("spend", "Spend", "money"),
    ]
    for index, stage in enumerate(plan.stages):
        if not stage.sources:
            continue
        above = plan.stages[index - 1] if index else None
        rows = []
        for source in stage.sources:
            needs, unit = None, None
            if source.upstream is not None and above is not None:
                needs = Cell(source.upstream, f"{count(source.upstream)} {above.name}")
            if source.upstream is not None:
                unit = source.cost if source.cost is not None else (above.cost if above else None)
            spend = channel_spend(source, above.cost if above else None)  # fixed costs too
            share = source.share if source.share is not None else Cell("fixed", "fixed")
            target = Cell(source.target, f"{count(source.target)} {stage.name}")
            rows.append((source.name, share, target, source.rate, needs, unit, spend))
        title = f"Sources of {stage.name}"
        tables.append(table(title, f"sources_{index}", specs, rows, plan.currency))
    return tables
