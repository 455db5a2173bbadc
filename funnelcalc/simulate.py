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

from funnelcalc.chance import chance_successes
from funnelcalc.cohorts import pipeline_totals
from funnelcalc.errors import InputError
from funnelcalc.exact import exact_sum
from funnelcalc.fields import CostRange, MoneyRange, RateRange, point
from funnelcalc.goalseek import parse_given
from funnelcalc.keypath import BUDGET
from funnelcalc.model import Goals
from funnelcalc.solver import Plan, clients_needed, solve
from funnelcalc.uncertainty import Z95, Simulation, Spread, pert_for

MAX_RUNS = 1_000_000
MAX_VOLUME = 10**12
MAX_SEED = 2**64 - 1
RATE_UNITS = 1_000_000
MONEY_UNITS = 100
PERCENTILES = (10, 50, 90)
CHUNK = 1 << 16
"""Runs worked out at a time: arrays of 64k values keep memory small at a million runs."""

Ints = Any  # a numpy array of int64, one value per run


def _draw(
    rng: np.random.Generator | None,
    value: Decimal | RateRange | MoneyRange | CostRange | None,
    runs: int,
    *,
    bounded: bool,
) -> tuple[Ints, Ints]:
    """numerators and denominators, per run, of a value or of `runs` draws from its range (to
    a millionth for a rate, `bounded` within (0, 1]; to a cent for money)."""
    units = RATE_UNITS if bounded else MONEY_UNITS
    if not isinstance(value, RateRange | MoneyRange | CostRange):
        assert value is not None  # only a stage below the top is drawn, and each has a rate
        exact = Fraction(value)
        return _ints(exact.numerator, runs), _ints(exact.denominator, runs)
    assert rng is not None
    low, high = float(value.low), float(value.high)
    likely = float(value.likely) if value.likely is not None else None
    if bounded:
        pert = pert_for(low, high, likely)
        spread = pert.upper - pert.lower
        drawn = pert.lower + spread * rng.beta(pert.alpha, pert.beta, runs)
    else:
        lo, hi = math.log(low), math.log(high)
        centre = math.log(likely) if likely is not None else (lo + hi) / 2
        z = rng.standard_normal(runs)
        drawn = np.exp(np.where(z < 0, (centre - lo) / Z95, (hi - centre) / Z95) * z + centre)
    top = units if bounded else np.iinfo(np.int64).max // 4
    numerators = np.clip(np.rint(drawn * units), 1, top).astype(np.int64)
    return numerators, np.full(runs, units, dtype=np.int64)


def _ceil_div(a: Ints, b: Ints | int) -> Ints:
    return -((-a) // b)


INT64_SAFE = 2**62


def _ints(value: int, runs: int) -> Ints:
    """`value` for every run: int64 when it fits, else exact Python integers."""
    return np.full(runs, value, dtype=np.int64 if abs(value) < INT64_SAFE else object)


def _times(a: Ints | int, b: Ints | int) -> Ints:
    """a × b exactly: in int64 when the product fits, else in Python integers (slower, but
    numpy's int64 would wrap round silently)."""
    if _peak(a) * _peak(b) < INT64_SAFE:
        return np.multiply(a, b)
    return np.multiply(np.asarray(a, dtype=object), np.asarray(b, dtype=object))


def _peak(values: Ints | int) -> int:
    if isinstance(values, int):
        return abs(values)
    return int(np.max(np.abs(values))) if values.size else 0


def _checked(volumes: Ints) -> Ints:
    """Volumes back in int64, or an error when a draw needs more than 10¹² at a stage."""
    if volumes.size and int(np.max(volumes)) > MAX_VOLUME:
        raise InputError.single(
            "simulate", "the drawn values need more than 10¹² at a stage: narrow the ranges"
        )
    return np.asarray(volumes, dtype=np.int64)


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
    if max(stage.volume for stage in solve(goals, scenario=scenario).stages) > MAX_VOLUME:
        raise InputError.single(
            source, "the plan needs more than 10¹² at a stage: too large to simulate"
        )
    try:
        return _simulate(goals, runs=runs, seed=seed, capacity=capacity, scenario=scenario)
    except InputError as error:  # name the file, not the command, in what the draws found
        raise InputError(
            [replace(p, source=source) if p.source == "simulate" else p for p in error.problems]
        ) from None


def _simulate(
    goals: Goals,
    *,
    runs: int,
    seed: int,
    capacity: Mapping[str, int | Decimal],
    scenario: str | None = None,
) -> Simulation:
    """Draw every range `runs` times and plan each draw exactly.

    Runs are worked out CHUNK at a time so that memory stays bounded: each range is still
    drawn in one stretch of the seed's stream, in the same order (the deal size, the rates top
    first, then the costs), so the draws, and the result, do not depend on the chunking."""
    rng = np.random.default_rng(seed)
    plan = solve(goals, scenario=scenario)
    spans = [slice(start, min(start + CHUNK, runs)) for start in range(0, runs, CHUNK)]
    count = len(goals.stages)
    volumes = [_Column(runs, np.int32) for _ in range(count)]
    # open pipeline (converted at the likely rates) brings some of each stage: the runs plan
    # the rest, fresh, as the solver does, and count the pipeline's part back in below
    arrivals = pipeline_totals(goals.at_points())
    for span in spans:
        fresh = np.maximum(_clients(goals, plan, rng, span.stop - span.start) - arrivals[-1], 0)
        volumes[-1].put(span, fresh)
    # the rates' numerators, drawn top first and kept small (at most RATE_UNITS)
    drawn = [
        _Column(runs, np.int32) if isinstance(stage.rate, RateRange) else None
        for stage in goals.stages
    ]
    for stage, column in zip(goals.stages, drawn, strict=True):
        if column is None:
            continue
        for span in spans:
            numerators, _ = _draw(rng, stage.rate, span.stop - span.start, bounded=True)
            column.put(span, numerators)
    fixed = exact_sum(goals.fixed_costs.values())
    budget = _Column(runs, np.int64, fill=math.ceil(fixed * MONEY_UNITS))
    priced = set()
    for span in spans:
        priced |= _up_the_funnel(goals, span, volumes, drawn, budget)
        for column, more in zip(volumes, arrivals, strict=True):
            if more:
                column.put(span, column.get(span) + more)
    has_costs = any(s.cost is not None for s in goals.stages) or goals.fixed_costs
    if has_costs or priced:
        for index, stage in enumerate(goals.stages):
            if index in priced or stage.cost is None:
                continue
            for span in spans:
                num, den = _draw(rng, stage.cost, span.stop - span.start, bounded=False)
                part = _times(_times(volumes[index].get(span), num), MONEY_UNITS)
                budget.put(span, budget.get(span) + _ceil_div(part, den))
    total = budget.values if has_costs or priced else None
    successes = _successes(goals, capacity, volumes, total, runs)

    def rate(index: int, span: slice) -> Any:
        column = drawn[index]
        if column is not None:
            return column.get(span) / RATE_UNITS
        if goals.source_list(goals.stages[index].name):
            return volumes[index].get(span) / np.maximum(volumes[index - 1].get(span), 1)
        return float(Fraction(point(goals.stages[index].rate) or 0))

    chance = chance_successes(
        goals,
        capacity=capacity,
        needed=[column.get for column in volumes],
        rates=rate,
        spans=spans,
        seed=seed,
        fits_budget=_fits(capacity, total),
    )
    return Simulation(  # _spread reorders each column in place: successes are counted first
        plan=plan,
        runs=runs,
        seed=seed,
        stages=tuple(_spread(v.values) for v in volumes),
        budget=_spread(total, money=True) if total is not None else None,
        capacity=dict(capacity),
        successes=successes,
        chance_successes=chance,
        uncertain=goals.uncertain,
    )


def _fits(capacity: Mapping[str, int | Decimal], budget: Ints | None) -> Ints | None:
    """Per run, whether the budget stays within its capacity; None without one."""
    if BUDGET not in capacity or budget is None:
        return None
    return budget <= int(Fraction(capacity[BUDGET]) * MONEY_UNITS)


class _Column:
    """One figure for every run, filled a chunk at a time: in `dtype` while the values fit,
    else in int64, else in exact Python integers."""

    def __init__(self, runs: int, dtype: Any, fill: int = 0) -> None:
        kind = dtype if abs(fill) <= np.iinfo(dtype).max else np.int64
        self.values: Ints = _ints(fill, runs) if kind is np.int64 else np.full(runs, fill, kind)

    def get(self, span: slice) -> Ints:
        part = self.values[span]
        return part.astype(np.int64) if part.dtype == np.int32 else part

    def put(self, span: slice, values: Ints) -> None:
        if values.dtype == object and self.values.dtype != object:
            self.values = self.values.astype(object)
        elif self.values.dtype == np.int32 and not _small(values):
            self.values = self.values.astype(np.int64)
        self.values[span] = values


def _small(values: Ints) -> bool:
    """Whether every value fits an int32."""
    return not values.size or -INT32_MAX <= int(np.min(values)) <= int(np.max(values)) <= INT32_MAX


INT32_MAX = int(np.iinfo(np.int32).max)


def _up_the_funnel(
    goals: Goals,
    span: slice,
    volumes: Sequence[_Column],
    drawn: Sequence[_Column | None],
    budget: _Column,
) -> set[int]:
    """The volumes of one chunk of runs, bottom up; what sources spend goes to the budget.
    Returns the stages whose spend their sources priced."""
    runs = span.stop - span.start
    below = volumes[-1].get(span)
    priced: set[int] = set()
    for index in range(len(goals.stages) - 1, 0, -1):
        stage = goals.stages[index]
        column = drawn[index]
        if column is not None:
            rate = (column.get(span), _ints(RATE_UNITS, runs))
        else:
            rate = _draw(None, stage.rate, runs, bounded=True)
        sources = goals.source_list(stage.name)
        if sources:
            above_cost = point(goals.stages[index - 1].cost)
            upstream, spend = _sourced(below, sources, rate, above_cost)
            if spend is not None:
                priced.add(index - 1)
                budget.put(span, budget.get(span) + spend)
        else:
            upstream = _ceil_div(_times(below, rate[1]), rate[0])
        below = _checked(upstream)
        volumes[index - 1].put(span, below)
    return priced


def _successes(
    goals: Goals,
    capacity: Mapping[str, int | Decimal],
    volumes: Sequence[_Column],
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
    deal_num, deal_den = _draw(rng, goals.deal_size, runs, bounded=False)
    # ⌈revenue ÷ deal⌉ = ⌈revenue × den ÷ num⌉, in integers
    return _checked(
        _ceil_div(_times(exact.numerator, deal_den), _times(exact.denominator, deal_num))
    )


def _sourced(
    below: Ints, sources: Sequence[Any], stage_rate: tuple[Ints, Ints], above_cost: Decimal | None
) -> tuple[Ints, Ints | None]:
    """What a sourced stage draws from the stage above per run, and what that costs (in cents;
    None when nothing is priced)."""
    fixed = sum(int(s.volume or 0) for s in sources if s.share is None)
    rest = np.maximum(below - fixed, 0)
    upstream = np.zeros_like(below)
    spend = np.zeros_like(below)
    priced = False
    for source in sources:
        if source.share is None:
            continue
        share = Fraction(source.share)
        target = _ceil_div(_times(rest, share.numerator), share.denominator)
        if source.rate is not None:
            rate = Fraction(source.rate)
            drawn = _ceil_div(_times(target, rate.denominator), rate.numerator)
        else:
            drawn = _ceil_div(_times(target, stage_rate[1]), stage_rate[0])
        upstream += drawn
        cost = source.cost if source.cost is not None else above_cost
        if cost is not None:
            priced = True
            spend = spend + _times(drawn, math.ceil(cost * MONEY_UNITS))
    return upstream, spend if priced else None


def _spread(values: Ints, *, money: bool = False) -> Spread:
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
        elif isinstance(value, Decimal):
            index = goals.stage_index(name)
            assert index is not None
            capacity[goals.stages[index].name] = int(value)
    return capacity
