"""Every stage's cumulative curve by day, from the closes up.

The closes' curve spreads the plan's clients over the period's days by seasonality, its
cumulative numbers rounded up. Each stage above needs, before a day t, ⌈Σ share × what the
stage below needs from its share sources before t + age⌉ (⌈… ÷ rate⌉, or what its sources
draw), over the ages of the stage's lag (one age with all of it for `lag: 14d`). Fixed sources
arrive over time (in step with their stage's need, or on their dates) and open pipeline
converts down: both reduce what must be generated. A continuous plan repeats every period.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from funnelcalc.cohorts import Cumulative, days, lag_shares, origin_for, pipeline_arrivals
from funnelcalc.exact import ceil_div
from funnelcalc.fields import point
from funnelcalc.model import Goals, Period, Source
from funnelcalc.solver import Plan
from funnelcalc.sources import fixed_volume, rest_draw
from funnelcalc.timeline import day_weights, period_end, shift


@dataclass(frozen=True)
class Curves:
    """Every stage's cumulative curve, top first, and what the reader must know of them."""

    stages: tuple[Cumulative, ...]
    """What each stage must have reached before each day (open pipeline's part included)."""
    pipeline: tuple[Cumulative | None, ...]
    """What the open pipeline brings into each stage, None where it brings nothing."""
    notes: tuple[str, ...]


def close_values(clients: int, period: Period, on: Sequence[date]) -> list[int]:
    """The closes needed before each day of `on`: ⌈clients × the share of the period's close
    weight before it⌉; 0 before the start, all of them from the end."""
    shares = day_weights(period)
    total = sum(shares, Fraction(0))
    if total == 0:
        shares, total = [Fraction(1)] * len(shares), Fraction(len(shares))
    running = [Fraction(0)]
    for share in shares:
        running.append(running[-1] + share)
    start = period.start
    values = []
    for day in on:
        offset = min(max((day - start).days, 0), len(shares))
        values.append(math.ceil(clients * running[offset] / total))
    return values


def _draw(goals: Goals, index: int) -> Callable[[int], int]:
    """What stage `index` − 1 must reach for stage `index` to reach a rest: what its share
    sources draw, else ⌈rest ÷ rate⌉."""
    stage = goals.stages[index]
    rate = point(stage.rate)
    sources = goals.source_list(stage.name)
    if sources:
        return lambda rest: rest_draw(rest, sources, stage_rate=rate)
    ratio = Fraction(rate or 1)
    return lambda rest: ceil_div(rest, ratio)


def _fixed_arrivals(
    sources: list[Source], need: Cumulative, day: date, per_cycle: int, cycle: int
) -> int:
    """What a stage's fixed sources have brought before `day`: those without dates in step
    with the stage's need, those with dates on them (every cycle in a continuous plan)."""
    spread = sum(s.volume or 0 for s in sources if s.share is None and not s.at)
    brought = math.floor(Fraction(spread * need.before(day), per_cycle)) if per_cycle else 0
    for source in sources:
        if source.share is not None or not source.at:
            continue
        count = len(source.at)
        for position, arrival in enumerate(source.at):
            part = (source.volume or 0) * (position + 1) // count
            part -= (source.volume or 0) * position // count
            elapsed = (day - arrival).days - 1
            brought += part * (elapsed // cycle + 1 if cycle else int(elapsed >= 0))
    return brought


def _rest(
    goals: Goals, index: int, need: Cumulative, on: Sequence[date], notes: list[str]
) -> Cumulative:
    """What stage `index`'s share sources must bring before each day: its need less what its
    fixed sources have brought, never falling (a share source cannot give back)."""
    sources = goals.source_list(goals.stages[index].name)
    fixed = fixed_volume(sources)
    if not fixed:
        return need
    cycle = need.cycle
    per_cycle = need.volume if cycle else need.values[-1]
    window = (
        [on[0] - timedelta(days=cycle) + timedelta(days=k) for k in range(cycle)] if cycle else []
    )
    raw = [
        need.before(day) - _fixed_arrivals(sources, need, day, per_cycle, cycle)
        for day in [*window, *on]
    ]
    values: list[int] = []
    for value in raw:
        values.append(value if not values else max(values[-1], value))
    if cycle:
        return Cumulative(on[0], tuple(values[cycle:]), cycle, max(0, per_cycle - fixed))
    cap = max(0, per_cycle - fixed)
    if values[-1] > cap:
        name = goals.stages[index].name
        late = next(day for day, value in zip(on, values, strict=True) if value > cap)
        notes.append(
            f"{name}: fixed sources arrive after they are needed; from {late.isoformat()} the "
            f"share sources would need up to {values[-1] - cap} more than the plan"
        )
    return Cumulative(on[0], tuple(min(max(0, value), cap) for value in values))


def _upstream(goals: Goals, index: int, rest: Cumulative, on: Sequence[date]) -> list[int]:
    """What stage `index` − 1 must have reached before each day of `on`."""
    draw = _draw(goals, index)
    shares = lag_shares(goals.stages[index].lag)
    if len(shares) == 1:
        age = shares[0][0]
        return [draw(rest.before(shift(day, age))) for day in on]
    return [
        math.ceil(sum(p * draw(rest.before(shift(day, age))) for age, p in shares)) for day in on
    ]


def plan_curves(goals: Goals, plan: Plan) -> Curves:
    """Every stage's cumulative curve of a planned goals file with a period."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    if period.continuous:
        return _continuous(goals, plan, period)
    end = period_end(period)
    on = days(origin_for(goals, period), end)
    arrivals = pipeline_arrivals(goals)
    notes: list[str] = []
    bottom = plan.stages[-1]
    closes = close_values(bottom.volume, period, on)
    if arrivals[-1] is None:
        fresh = closes
    else:
        fresh = _net_pipeline(closes, arrivals[-1], on, bottom.volume - bottom.from_pipeline)
        if fresh[1] > bottom.volume - bottom.from_pipeline:
            notes.append(
                f"{bottom.name}: the open pipeline closes later than the plan needs; until "
                f"{on[fresh[0]].isoformat()} fresh work runs up to {fresh[1] - fresh[-1]} short"
            )
        fresh = fresh[2:]
    curves = [Cumulative(on[0], tuple(fresh))]
    for index in range(len(goals.stages) - 1, 0, -1):
        rest = _rest(goals, index, curves[0], on, notes)
        curves.insert(0, Cumulative(on[0], tuple(_upstream(goals, index, rest, on))))
    stages = tuple(
        curve if extra is None else Cumulative(curve.origin, curve.values, plus=extra)
        for curve, extra in zip(curves, arrivals, strict=True)
    )
    return Curves(stages, tuple(arrivals), tuple(notes))


def _net_pipeline(
    closes: list[int], arrived: Cumulative, on: Sequence[date], total: int
) -> list[int]:
    """The closes fresh work must bring before each day: the need less what the pipeline has
    closed, never falling, capped at the fresh total; led by where and how far the cap bites."""
    values: list[int] = []
    for day, need in zip(on, closes, strict=True):
        value = max(0, need - arrived.before(day))
        values.append(value if not values else max(values[-1], value))
    peak = max(values, default=0)
    where = next((k for k, v in enumerate(values) if v > total), 0)
    return [where, peak, *(min(value, total) for value in values)]


def _continuous(goals: Goals, plan: Plan, period: Period) -> Curves:
    """A plan that repeats every period: each curve is worked out over one period and gains
    the stage's volume every period after (and lost it every period before)."""
    start, end = period.start, period_end(period)
    cycle = (end - start).days
    on = days(start, end - timedelta(days=1))
    closes = close_values(plan.clients, period, on)
    notes: list[str] = []
    curves = [Cumulative(start, tuple(closes), cycle, plan.clients)]
    for index in range(len(goals.stages) - 1, 0, -1):
        rest = _rest(goals, index, curves[0], on, notes)
        volume = plan.stages[index - 1].volume
        raw = _upstream(goals, index, rest, on)
        ceiling = raw[0] + volume
        curves.insert(0, Cumulative(start, tuple(min(v, ceiling) for v in raw), cycle, volume))
    return Curves(tuple(curves), (None,) * len(curves), tuple(notes))
