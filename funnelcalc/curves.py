"""Every stage's cumulative curve by day, from the closes up.

The closes spread over the period's days by seasonality; each stage's curve is the share of
its own volume due by each day, rounded up (cumulative ceilings, so whole people and exactly
the plan's volume at the end). The share a stage above has due at a point is Σ share × the
share the stage below has due an age later, over the ages of the lag, on the plan's unit axis
(`axis`). Fixed sources arrive in step with their stage's need or on their dates, and open
pipeline converts down: both reduce what must be generated. A continuous plan repeats every
period, so its curves run on before the start and past the end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from funnelcalc.axis import Axis, Sampled, coarse, window
from funnelcalc.cohorts import Cumulative, lag_shares, longest, origin_for, pipeline_arrivals
from funnelcalc.model import Goals, Period, Source
from funnelcalc.solver import Plan
from funnelcalc.sources import fixed_volume
from funnelcalc.timeline import day_weights, period_end, shift


@dataclass(frozen=True)
class Curves:
    """Every stage's cumulative curve, top first, and what the reader must know of them."""

    stages: tuple[Cumulative, ...]
    """What each stage must have reached before each day (open pipeline's part included)."""
    pipeline: tuple[Cumulative | None, ...]
    """What the open pipeline brings into each stage, None where it brings nothing."""
    notes: tuple[str, ...]


def close_shares(period: Period, axis: Axis) -> Sampled:
    """The share of the period's closes due by each point of the axis."""
    weights = day_weights(period)
    total = sum(weights, Fraction(0))
    if total == 0:
        weights, total = [Fraction(1)] * len(weights), Fraction(len(weights))
    running = [Fraction(0)]
    for weight in weights:
        running.append(running[-1] + weight / total)
    positions = [axis.position(day) for day in window(period.start, period_end(period))]
    cycle = axis.end - axis.start if period.continuous else None
    return Sampled(positions, running, cycle)


def _ceil_all(volume: int, shares: Sequence[Fraction]) -> list[int]:
    return [math.ceil(volume * share) for share in shares]


def _arrived(source: Source, day: date, axis: Axis, cycle: Fraction | None) -> int:
    """What a dated fixed source has brought before `day` (every period, when continuous)."""
    assert source.at is not None
    brought, count, volume = 0, len(source.at), source.volume or 0
    for position, arrival in enumerate(source.at):
        part = volume * (position + 1) // count - volume * position // count
        if cycle is None:
            brought += part if arrival < day else 0
        else:
            gap = axis.position(day) - axis.position(arrival + timedelta(days=1))
            brought += part * (math.floor(gap / cycle) + 1)
    return brought


def _rest_shares(
    goals: Goals,
    index: int,
    *,
    shares: list[Fraction],
    on: Sequence[date],
    volume: int,
    context: tuple[Axis, Fraction | None, list[str]],
) -> list[Fraction]:
    """The share of stage `index`'s share-sourced rest due by each day: its own shares while
    its fixed sources arrive in step with it; with dated ones, its need less what has arrived,
    never falling, capped at the rest (and a note where the cap bites)."""
    axis, cycle, notes = context
    sources = goals.source_list(goals.stages[index].name)
    dated = [s for s in sources if s.share is None and s.at]
    if not dated:
        return shares
    spread = sum(s.volume or 0 for s in sources if s.share is None and not s.at)
    cap = max(0, volume - fixed_volume(sources))
    raw = [
        math.ceil(volume * share)
        - math.floor(spread * share)
        - sum(_arrived(source, day, axis, cycle) for source in dated)
        for day, share in zip(on, shares, strict=True)
    ]
    # a continuous plan's previous period was the same, one rest lower
    rest: list[int] = [max(raw) - cap] if cycle is not None and raw else []
    for value in raw:
        rest.append(value if not rest else max(rest[-1], value))
    if cycle is not None:
        rest = rest[1:]
    if cycle is None and rest and rest[-1] > cap:
        late = next(day for day, value in zip(on, rest, strict=True) if value > cap)
        notes.append(
            f"{goals.stages[index].name}: dated fixed sources arrive after they are needed; "
            f"from {late.isoformat()} the share sources would need up to {rest[-1] - cap} more"
        )
        rest = [min(value, cap) for value in rest]
    if cap == 0:
        return [Fraction(0)] * len(rest)
    return [Fraction(max(value, 0) if cycle is None else value, cap) for value in rest]


def plan_curves(goals: Goals, plan: Plan, *, cover: date | None = None) -> Curves:
    """Every stage's cumulative curve of a planned goals file with a period, over the days
    from its first work to its end (past it, when continuous). A continuous plan's curves
    reach back to `cover`, if earlier: the previous period worked at run-rate (any other
    plan's curve is 0 before its first work whatever the day)."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    axis = Axis(period)
    cycle = axis.end - axis.start if period.continuous else None
    end = period_end(period)
    margin = timedelta(days=7 + 2 * len(goals.stages))
    first, last = origin_for(goals, period) - margin, end
    if period.continuous:
        first -= end - period.start
        for stage in goals.stages[1:]:
            last = shift(last, longest(stage.lag))
        last += margin
    if cover is not None and period.continuous:
        first = min(first, cover)
    days = window(first, last)
    every = [axis.position(day) for day in days]
    # a continuous plan is worked out over one period and repeats; else over every day
    on = window(period.start, end) if period.continuous else days
    positions = [axis.position(day) for day in on] if period.continuous else every
    fresh = [s.volume - s.from_pipeline for s in plan.stages]
    notes: list[str] = []
    arrivals = [None] * len(goals.stages) if period.continuous else pipeline_arrivals(goals)
    shares = close_shares(period, axis).at_many(positions)
    bottom, extra = plan.stages[-1], arrivals[-1]
    if extra is not None:
        shares = _net_pipeline(
            bottom.volume, fresh[-1], shares=shares, arrived=extra, on=on, notes=notes
        )
    every_share = [shares]
    context = (axis, cycle, notes)
    for index in range(len(goals.stages) - 1, 0, -1):
        rest = _rest_shares(
            goals, index, shares=shares, on=on, volume=fresh[index], context=context
        )
        sampled = Sampled(positions, rest, cycle)
        ages = [(axis.delta(age), part) for age, part in lag_shares(goals.stages[index].lag)]
        if ages == [(Fraction(0), Fraction(1))]:
            shares = rest
        else:
            total = [Fraction(0)] * len(positions)
            for delta, part in ages:
                moved = sampled.at_many([where + delta for where in positions])
                total = [t + part * m for t, m in zip(total, moved, strict=True)]
            shares = [coarse(value) for value in total]
        every_share.insert(0, shares)
    if period.continuous:
        every_share = [Sampled(positions, v, cycle).at_many(every) for v in every_share]
    curves = [_ceil_all(v, s) for v, s in zip(fresh, every_share, strict=True)]
    stages = tuple(
        Cumulative(first, tuple(values), plus=more)
        for values, more in zip(curves, arrivals, strict=True)
    )
    return Curves(stages, tuple(arrivals), tuple(notes))


def _net_pipeline(
    total: int,
    fresh: int,
    *,
    shares: list[Fraction],
    arrived: Cumulative,
    on: Sequence[date],
    notes: list[str],
) -> list[Fraction]:
    """The share of the fresh closes due by each day: the closes due less what the open
    pipeline has closed, never falling, capped at the fresh total (a note where it bites)."""
    values: list[int] = []
    for day, share in zip(on, shares, strict=True):
        value = max(0, math.ceil(total * share) - arrived.before(day))
        values.append(value if not values else max(values[-1], value))
    if values and values[-1] > fresh:
        late = next(day for day, value in zip(on, values, strict=True) if value > fresh)
        notes.append(
            f"the open pipeline closes later than the plan needs: from {late.isoformat()} "
            f"fresh work would need up to {values[-1] - fresh} more closes"
        )
    if fresh == 0:
        return [Fraction(0)] * len(values)
    return [Fraction(min(value, fresh), fresh) for value in values]
