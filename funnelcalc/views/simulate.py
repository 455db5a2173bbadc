"""A simulation: each stage's P10/P50/P90 beside the plan, and the odds a capacity suffices."""

from __future__ import annotations

from typing import Any

from funnelcalc.keypath import BUDGET
from funnelcalc.report import Note, Report
from funnelcalc.uncertainty import Simulation
from funnelcalc.views.cells import approx_percent, table
from funnelcalc.views.plan_json import plan_document, rounded


def report(result: Simulation) -> Report:
    """The spread of every stage (and the budget), and how the numbers were drawn."""
    currency = result.plan.currency

    specs = [
        ("stage", "Stage"),
        ("plan", "Plan", "number"),
        ("p10", "P10", "number"),
        ("p50", "P50", "number"),
        ("p90", "P90", "number"),
        ("capacity", "Capacity", "number"),
    ]
    width = len(specs) - (not result.capacity)
    capacity = result.capacity
    rows: list[tuple[object, ...]] = [
        (stage.name, stage.volume, spread.p10, spread.p50, spread.p90, capacity.get(stage.name))
        for stage, spread in zip(result.plan.stages, result.stages, strict=True)
    ]
    budget = result.budget
    if budget is not None:
        total = result.plan.budget_total
        rows.append((BUDGET, total, budget.p10, budget.p50, budget.p90, capacity.get(BUDGET)))
    notes = [
        Note(
            f"{result.runs:,} runs (seed {result.seed}). P90 is the volume 90% of runs need at "
            "most: plan for it to be nine times in ten sure."
        )
    ]
    if not result.uncertain:
        notes.append(
            Note(
                "No value in the file is a range: every run needs the same plan, so P10, P50 "
                "and P90 are the plan; only chance varies.",
                "warning",
            )
        )
    if result.plan.segments:
        notes.append(
            Note(
                "Each segment's ranges are drawn on their own, and every run adds the segments' "
                "volumes and budgets: the percentiles and the odds are the company's. Whole "
                "people converting by chance is counted per segment (--segment NAME)."
            )
        )
    notes += odds(result)
    spreads = table(None, "percentiles", specs[:width], (row[:width] for row in rows), currency)
    return Report(f"{result.plan.name or 'Funnel plan'}: simulated", (spreads, *notes))


def odds(result: Simulation) -> list[Note]:
    """The probability that the capacity reaches the target: with chance, and from the ranges
    alone where that differs."""
    alone, full = result.probability, result.chance_probability
    if alone is None:
        return []
    runs = f"{result.runs:,} runs"
    if full is None or result.chance_successes is None:
        return [
            Note(
                f"Probability of reaching the target with this capacity: {approx_percent(alone)} "
                f"({result.successes:,} of {runs})",
                "warning",
            )
        ]
    found = [
        Note(
            f"Probability of reaching the target with this capacity: {approx_percent(full)} "
            f"({result.chance_successes:,} of {runs}), counting chance: whole people converting "
            "one by one at each run's rates.",
            "warning",
        )
    ]
    if full != alone:
        found.append(
            Note(
                f"From the ranges alone (every stage converting exactly at its rate): "
                f"{approx_percent(alone)}."
            )
        )
    return found


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
        chance_successes=result.chance_successes,
        probability_with_chance=rounded(result.chance_probability, 4),
    )
    return document
