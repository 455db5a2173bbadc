"""A company of segments, simulated: each segment's ranges drawn on its own stream of the
seed, and the segments' volumes and budgets added run by run."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import numpy as np

from funnelcalc.errors import InputError
from funnelcalc.exact import exact_sum
from funnelcalc.keypath import BUDGET
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.rollup import company_plan
from funnelcalc.runs import (
    MAX_VOLUME,
    MONEY_UNITS,
    Ints,
    checked,
    ints,
)
from funnelcalc.simulate import (
    CHUNK,
    MAX_RUNS,
    MAX_SEED,
    parse_capacity,
    runs_of,
    spread_of,
)
from funnelcalc.solver import Plan
from funnelcalc.uncertainty import Simulation


def simulate_company(
    file: GoalsFile,
    *,
    runs: int,
    seed: int,
    given: Sequence[str],
    scenario: str | None = None,
    sets: Sequence[str] = (),
) -> Simulation:
    """The roll-up of a file with segments, simulated: the capacity is `given` (stages of the
    shared funnel) or the company's limits, on the roll-up."""
    name = file.scenario_name(scenario) if scenario is not None else None
    plan = company_plan(file, name, sets)
    company = file.goals(scenario=name, sets=sets)
    capacity: dict[str, int | Decimal] = {}
    if given:
        capacity = parse_capacity(given, company)
    else:
        capacity = {s.name: s.limit for s in plan.stages if s.limit is not None}
        if plan.budget is not None and plan.budget.limit is not None:
            capacity[BUDGET] = plan.budget.limit
    parts = [
        (file.segment_goals(part.name, scenario=name, sets=sets), part.plan)
        for part in plan.segments
    ]
    fixed = exact_sum(company.fixed_costs.values())
    return simulate_rollup(
        parts, plan, runs=runs, seed=seed, capacity=capacity, fixed_costs=fixed, source=file.source
    )


def simulate_rollup(
    parts: Sequence[tuple[Goals, Plan]],
    plan: Plan,
    *,
    runs: int,
    seed: int,
    capacity: Mapping[str, int | Decimal],
    fixed_costs: Decimal = Decimal(0),
    source: str = "simulate",
) -> Simulation:
    """Draw each segment's ranges `runs` times (a stream of the seed per segment) and add the
    segments' volumes and budgets run by run: the roll-up `plan` needs them together, and a
    run meets the company's capacity when the sums do. `fixed_costs`: the company's, once."""
    if not 1 <= runs <= MAX_RUNS:
        raise InputError.single("--runs", f"give from 1 to {MAX_RUNS:,} runs")
    if not 0 <= seed <= MAX_SEED:
        raise InputError.single("--seed", "a seed is a whole number from 0 to 2⁶⁴ − 1")
    if max(stage.volume for stage in plan.stages) > MAX_VOLUME:
        raise InputError.single(
            source, "the plan needs more than 10¹² at a stage: too large to simulate"
        )
    spans = [slice(start, min(start + CHUNK, runs)) for start in range(0, runs, CHUNK)]
    names = [stage.name.casefold() for stage in plan.stages]
    sums: list[Ints] = [ints(0, runs) for _ in names]
    budget: Ints | None = None
    try:
        for index, (goals, part) in enumerate(parts):
            rng = np.random.default_rng([seed, index])
            volumes, total, _ = runs_of(goals, part, rng, spans, runs)
            for stage, column in zip(goals.stages, volumes, strict=True):
                at = names.index(stage.name.casefold())
                sums[at] = checked(sums[at] + column.values.astype(np.int64))
            if total is not None:
                budget = total if budget is None else budget + total
    except InputError as error:  # name the file, not the command, in what the draws found
        raise InputError(
            [replace(p, source=source) if p.source == "simulate" else p for p in error.problems]
        ) from None
    if budget is not None or fixed_costs:
        budget = (budget if budget is not None else ints(0, runs)) + math.ceil(
            fixed_costs * MONEY_UNITS
        )
    fits = np.ones(runs, dtype=bool)
    for name, limit in capacity.items():
        if name == BUDGET:
            if budget is not None:
                fits &= budget <= int(Fraction(limit) * MONEY_UNITS)
        elif name.casefold() in names:
            fits &= sums[names.index(name.casefold())] <= int(limit)
    return Simulation(
        plan=plan,
        runs=runs,
        seed=seed,
        stages=tuple(spread_of(values) for values in sums),
        budget=spread_of(budget, money=True) if budget is not None else None,
        capacity=dict(capacity),
        successes=int(fits.sum()) if capacity else None,
        uncertain=any(goals.uncertain for goals, _ in parts),
    )
