"""A simulation: each stage's P10/P50/P90 beside the plan, and the odds a capacity suffices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnelcalc.keypath import BUDGET
from funnelcalc.report import Cell, Note, Report, Table
from funnelcalc.uncertainty import Simulation
from funnelcalc.views.cells import NONE, approx_percent, columns, count, money, text_cell
from funnelcalc.views.plan_json import plan_document, rounded


def report(result: Simulation) -> Report:
    """The spread of every stage (and the budget), and how the numbers were drawn."""
    currency = result.plan.currency

    def show(value: int | Decimal | None) -> Cell:
        if value is None:
            return NONE
        return Cell(value, count(value) if isinstance(value, int) else money(value, currency))

    specs = [
        ("stage", "Stage"),
        ("plan", "Plan", "number"),
        ("p10", "P10", "number"),
        ("p50", "P50", "number"),
        ("p90", "P90", "number"),
    ]
    if result.capacity:
        specs.append(("capacity", "Capacity", "number"))
    rows = []
    spreads = list(zip(result.plan.stages, result.stages, strict=True))
    for stage, spread in spreads:
        row = [
            text_cell(stage.name),
            show(stage.volume),
            *(show(v) for v in (spread.p10, spread.p50, spread.p90)),
        ]
        if result.capacity:
            row.append(show(result.capacity.get(stage.name)))
        rows.append(tuple(row))
    if result.budget is not None:
        row = [text_cell(BUDGET), show(result.plan.budget_total)]
        budget = result.budget
        row += [show(v) for v in (budget.p10, budget.p50, budget.p90)]
        if result.capacity:
            row.append(show(result.capacity.get(BUDGET)))
        rows.append(tuple(row))
    notes = [
        Note(
            f"{result.runs:,} runs (seed {result.seed}). P90 is the volume 90% of runs need at "
            "most: plan for it to be nine times in ten sure."
        )
    ]
    if result.probability is not None and result.successes is not None:
        notes.append(
            Note(
                f"Probability of reaching the target with this capacity: "
                f"{approx_percent(result.probability)} "
                f"({result.successes:,} of {result.runs:,} runs)",
                "warning",
            )
        )
    table = Table(None, columns(*specs), tuple(rows), "percentiles")
    return Report(f"{result.plan.name or 'Funnel plan'}: simulated", (table, *notes))


def document(result: Simulation) -> dict[str, Any]:
    """The plan's JSON at likely values; each stage gains p10, p50, p90 (and its capacity);
    the document gains runs, seed, the budget's spread, and the probability with a capacity."""
    document = plan_document(result.plan)
    for stage, spread in zip(document["stages"], result.stages, strict=True):
        stage.update(p10=spread.p10, p50=spread.p50, p90=spread.p90)
        stage["capacity"] = result.capacity.get(stage["name"])
    budget = result.budget
    document.update(
        runs=result.runs,
        seed=result.seed,
        budget_percentiles=(
            {"p10": budget.p10, "p50": budget.p50, "p90": budget.p90} if budget else None
        ),
        capacity=result.capacity or None,
        successes=result.successes,
        probability=rounded(result.probability, 4),
    )
    return document
