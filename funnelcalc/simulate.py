"""Monte Carlo over the ranges: how many of each stage the plan needs at P10, P50 and P90, and
how likely a given capacity reaches the target.

Each range is a 90% interval. Rates are drawn from a PERT distribution (a beta on a support
within (0, 1], shaped by its mode) fitted so that its 5th and 95th percentiles are the range's low
and high and its mode is the likely value (the middle without one); amounts of money from a split
log-normal with the same 5th and 95th percentiles and the likely value as its median (always
positive, with the long upper tail prices have). A draw is
kept to a millionth (rates) or a cent (money), then every volume is worked out from it
with the exact rounding rule, in integers. The same seed gives the same result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from funnelcalc.bounds import bounds_of
from funnelcalc.chance import chance_successes
from funnelcalc.channels import Terms, terms_of
from funnelcalc.cohorts import pipeline_totals
from funnelcalc.errors import InputError
from funnelcalc.exact import exact_sum
from funnelcalc.fields import RateRange, point
from funnelcalc.goalseek import parse_given
from funnelcalc.keypath import BUDGET
from funnelcalc.model import Goals
from funnelcalc.runs import (
    MAX_VOLUME,
    MONEY_UNITS,
    RATE_UNITS,
    Column,
    Ints,
    SourceDraws,
    ceil_div,
    checked,
    draw,
    ints,
    source_draws,
    sourced,
    times,
)
from funnelcalc.simchannels import channel_rates, deal_values, rates_in, solve_runs
from funnelcalc.solver import Plan, clients_needed, solve
from funnelcalc.uncertainty import Simulation, Spread

MAX_RUNS = 1_000_000
MAX_SEED = 2**64 - 1
PERCENTILES = (10, 50, 90)
CHUNK = 1 << 16
"""Runs worked out at a time: arrays of 64k values keep memory small at a million runs."""


def simulate(
    goals: Goals,
    *,
    runs: int,
    seed: int,
    capacity: Mapping[str, int | Decimal],
    scenario: str | None = None,
    source: str = "simulate",
) -> Simulation:
    """Draw every range `runs` times and plan each draw exactly; `source` (the goals file)
    is named when the plan is too large to simulate."""
    if not 1 <= runs <= MAX_RUNS:
        raise InputError.single("--runs", f"give from 1 to {MAX_RUNS:,} runs")
    if not 0 <= seed <= MAX_SEED:
        raise InputError.single("--seed", "a seed is a whole number from 0 to 2⁶⁴ − 1")
    plan = solve(goals, scenario=scenario)
    if max(stage.volume for stage in plan.stages) > MAX_VOLUME:
        raise InputError.single(
            source, "the plan needs more than 10¹² at a stage: too large to simulate"
        )
    try:
        return _simulate(goals, plan, runs=runs, seed=seed, capacity=capacity)
    except InputError as error:  # name the file, not the command, in what the draws found
        raise InputError(
            [replace(p, source=source) if p.source == "simulate" else p for p in error.problems]
        ) from None


def _simulate(
    goals: Goals,
    plan: Plan,
    *,
    runs: int,
    seed: int,
    capacity: Mapping[str, int | Decimal],
) -> Simulation:
    """Draw every range `runs` times and plan each draw exactly (`plan`: the goals at their
    likely values).

    Runs are worked out CHUNK at a time so that memory stays bounded: each range is still
    drawn in one stretch of the seed's stream, in the same order (the deal size, the rates top
    first, then the costs), so the draws, and the result, do not depend on the chunking."""
    rng = np.random.default_rng(seed)
    spans = [slice(start, min(start + CHUNK, runs)) for start in range(0, runs, CHUNK)]
    volumes, total, drawn = runs_of(goals, plan, rng, spans, runs)
    successes = _successes(goals, capacity, volumes, total, runs)

    terms = _terms(goals)

    def rate(index: int, span: slice) -> Any:
        column = drawn[index]
        if column is not None:
            return column.get(span) / RATE_UNITS
        mixed = goals.stages[index].rate is None or (terms is not None and index > terms.stage)
        if mixed or goals.source_list(goals.stages[index].name):
            return volumes[index].get(span) / np.maximum(volumes[index - 1].get(span), 1)
        return float(Fraction(point(goals.stages[index].rate) or 0))

    chance = chance_successes(
        goals,
        capacity=capacity,
        needed=[column.get for column in volumes],
        rates=rate,
        spans=spans,
        seed=seed,
        fits_budget=fits_budget(capacity, total),
    )
    return Simulation(  # spread_of reorders each column in place: successes are counted first
        plan=plan,
        runs=runs,
        seed=seed,
        stages=tuple(spread_of(v.values) for v in volumes),
        budget=spread_of(total, money=True) if total is not None else None,
        capacity=dict(capacity),
        successes=successes,
        chance_successes=chance,
        uncertain=goals.uncertain,
    )


def _terms(goals: Goals) -> Terms | None:
    """The channel stage and its channels' terms, at the likely values (None without)."""
    points = goals.at_points()
    return terms_of(
        [stage.name for stage in points.stages],
        [point(stage.rate) for stage in points.stages],
        [points.source_list(stage.name) for stage in points.stages],
    )


def runs_of(
    goals: Goals, plan: Plan, rng: np.random.Generator, spans: Sequence[slice], runs: int
) -> tuple[list[Column], Ints | None, list[Column | None]]:
    """Every run's volume of each stage, its budget in cents (None without costs) and the
    rates drawn (None where a rate is not a range)."""
    count = len(goals.stages)
    volumes = [Column(runs, np.int32) for _ in range(count)]
    # open pipeline (converted at the likely rates) brings some of each stage: the runs plan
    # the rest, fresh, as the solver does, and count the pipeline's part back in below
    arrivals = pipeline_totals(goals.at_points())
    for span in spans:
        fresh = np.maximum(_clients(goals, plan, rng, span.stop - span.start) - arrivals[-1], 0)
        volumes[-1].put(span, fresh)
    # the rates' numerators, drawn top first and kept small (at most RATE_UNITS)
    drawn = [
        Column(runs, np.int32) if isinstance(stage.rate, RateRange) else None
        for stage in goals.stages
    ]
    for stage, column in zip(goals.stages, drawn, strict=True):
        if column is None:
            continue
        for span in spans:
            numerators, _ = draw(rng, stage.rate, span.stop - span.start, bounded=True)
            column.put(span, numerators)
    by_source = source_draws(goals, rng, spans, runs)
    terms = _terms(goals)
    own = channel_rates(goals, terms, rng, spans, runs) if terms is not None else []
    # fixed costs, what fixed sources cost in all (an event's budget) and share sources' fixed
    # costs, at likely values
    events = [point(s.cost) for e in goals.sources.values() for s in e if s.share is None]
    events += [point(s.fixed_cost) for e in goals.sources.values() for s in e]
    fixed = exact_sum([*goals.fixed_costs.values(), *(c for c in events if c is not None)])
    budget = Column(runs, np.int64, fill=math.ceil(fixed * MONEY_UNITS))
    priced = set()
    for span in spans:
        start = len(goals.stages) - 1
        if terms is not None:
            start = _channels(
                goals,
                plan,
                terms,
                span=span,
                volumes=volumes,
                drawn=drawn,
                own=own,
                from_pipeline=arrivals[-1],
            )
        priced |= _up_the_funnel(
            goals, span, volumes, drawn=drawn, budget=budget, by_source=by_source, start=start
        )
        for column, more in zip(volumes, arrivals, strict=True):
            if more:
                column.put(span, column.get(span) + more)
    has_costs = any(s.cost is not None for s in goals.stages) or goals.fixed_costs
    if has_costs or priced:
        for index, stage in enumerate(goals.stages):
            if index in priced or stage.cost is None:
                continue
            for span in spans:
                num, den = draw(rng, stage.cost, span.stop - span.start, bounded=False)
                part = times(times(volumes[index].get(span), num), MONEY_UNITS)
                budget.put(span, budget.get(span) + ceil_div(part, den))
    total = budget.values if has_costs or priced else None
    return volumes, total, drawn


def fits_budget(capacity: Mapping[str, int | Decimal], budget: Ints | None) -> Ints | None:
    """Per run, whether the budget stays within its capacity; None without one."""
    if BUDGET not in capacity or budget is None:
        return None
    return budget <= int(Fraction(capacity[BUDGET]) * MONEY_UNITS)


def _up_the_funnel(
    goals: Goals,
    span: slice,
    volumes: Sequence[Column],
    *,
    drawn: Sequence[Column | None],
    budget: Column,
    by_source: Mapping[tuple[int, int], SourceDraws],
    start: int,
) -> set[int]:
    """The volumes of one chunk of runs, bottom up from stage `start`; what sources spend goes
    to the budget. Returns the stages whose spend their sources priced."""
    runs = span.stop - span.start
    below = volumes[start].get(span)
    priced: set[int] = set()
    for index in range(start, 0, -1):
        stage = goals.stages[index]
        column = drawn[index]
        if column is not None:
            rate = (column.get(span), ints(RATE_UNITS, runs))
        elif stage.rate is not None:
            rate = draw(None, stage.rate, runs, bounded=True)
        else:  # every share source gives its own rate: the stage's is never read
            rate = (ints(1, runs), ints(1, runs))
        sources = goals.source_list(stage.name)
        if sources:
            above_cost = point(goals.stages[index - 1].cost)
            draws = {
                k: (None if r is None else r.get(span), None if c is None else c.get(span))
                for (i, k), (r, c) in by_source.items()
                if i == index
            }
            upstream, spend = sourced(below, sources, rate, above_cost, draws)
            if spend is not None:
                priced.add(index - 1)
                budget.put(span, budget.get(span) + spend)
        else:
            upstream = ceil_div(times(below, rate[1]), rate[0])
        below = checked(upstream)
        volumes[index - 1].put(span, below)
    return priced


def _channels(
    goals: Goals,
    plan: Plan,
    terms: Terms,
    *,
    span: slice,
    volumes: Sequence[Column],
    drawn: Sequence[Column | None],
    own: list[list[Column | None]],
    from_pipeline: int,
) -> int:
    """The channels' stage and every stage below, for one chunk of runs (see simchannels);
    returns the channels' stage, where the climb up the funnel starts."""
    runs = span.stop - span.start
    entries = goals.source_list(goals.stages[terms.stage].name)
    values = deal_values(terms, plan.deal_size)
    needed: Ints | Fraction = volumes[-1].get(span)
    if plan.target_clients is not None or plan.target_revenue is None:
        values = [None] * len(values)
    elif values[0] is not None:
        pipeline = from_pipeline * Fraction(plan.deal_size or 0)
        needed = max(Fraction(0), Fraction(plan.target_revenue or 0) - pipeline)
    rates = rates_in(goals, terms, span, drawn, own)
    volume, flows = solve_runs(entries, rates, values, needed, runs)
    volumes[terms.stage].put(span, volume)
    for index in range(terms.stage + 1, len(goals.stages)):
        volumes[index].put(span, checked(sum(flow[index - terms.stage] for flow in flows)))
    return terms.stage


def _successes(
    goals: Goals,
    capacity: Mapping[str, int | Decimal],
    volumes: Sequence[Column],
    budget: Ints | None,
    runs: int,
) -> int | None:
    """The runs in which every capacity holds; None without a capacity."""
    if not capacity:
        return None
    fits = np.ones(runs, dtype=bool)
    for name, limit in capacity.items():
        if name == BUDGET:
            if budget is not None:
                fits &= budget <= int(Fraction(limit) * MONEY_UNITS)
            continue
        position = goals.stage_index(name)
        assert position is not None
        fits &= volumes[position].values <= int(limit)
    return int(fits.sum())


def _clients(goals: Goals, plan: Plan, rng: np.random.Generator, runs: int) -> Ints:
    revenue = plan.target_revenue
    if revenue is None or goals.deal_size is None:
        return np.full(runs, clients_needed(goals.at_points()), dtype=np.int64)
    exact = Fraction(revenue)
    deal_num, deal_den = draw(rng, goals.deal_size, runs, bounded=False)
    # ⌈revenue ÷ deal⌉ = ⌈revenue × den ÷ num⌉, in integers
    return checked(ceil_div(times(exact.numerator, deal_den), times(exact.denominator, deal_num)))


"""A source's drawn rate numerators (over RATE_UNITS) and cost in cents, where ranges."""


def spread_of(values: Ints, *, money: bool = False) -> Spread:
    """P10, P50 and P90 of `values`, which it reorders."""
    # the inverted CDF: the smallest value that at least p% of runs stay within; partitioning
    # puts exactly those order statistics in place, without sorting every run or a copy
    ranks = [max(0, math.ceil(p * len(values) / 100) - 1) for p in PERCENTILES]
    values.partition(ranks)
    found = [values[rank] for rank in ranks]
    if money:
        return Spread(*(Decimal(int(v)).scaleb(-2) for v in found))
    return Spread(*(int(v) for v in found))


def parse_capacity(texts: Sequence[str], goals: Goals) -> dict[str, int | Decimal]:
    """`--given STAGE=VOLUME` flags, or without any the file's limits, as a capacity."""
    if not texts:
        return _limits(goals)
    capacity: dict[str, int | Decimal] = {}
    for text in texts:
        index, volume = parse_given(text, goals)
        capacity[goals.stages[index].name] = volume
    return capacity


def _limits(goals: Goals) -> dict[str, int | Decimal]:
    """The file's limits: stage volumes, and the budget (a share of the planned revenue
    resolved at the likely deal size)."""
    capacity: dict[str, int | Decimal] = {}
    for name, value in goals.limits.items():
        if name.casefold() == BUDGET:
            budget = solve(goals).budget
            if budget is not None and budget.limit is not None:
                capacity[BUDGET] = budget.limit
        elif isinstance(most := bounds_of(name, value).max, Decimal):
            index = goals.stage_index(name)
            if index is not None:  # else a ratio's limit (ltv_cac): not a capacity
                capacity[goals.stages[index].name] = int(most)
    return capacity
