"""Cohorts in time: cumulative curves by day, lags as cohort curves, and how open pipeline at
the start converts down the funnel."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from funnelcalc.fields import LagRange, lag_point, point
from funnelcalc.model import Goals, Period
from funnelcalc.timeline import ONE_DAY, period_end, shift
from funnelcalc.timevalues import lag_days

Shares = tuple[tuple[str | None, Fraction], ...]
"""A lag as cohort shares: (age, share of the eventual conversions reached at that age)."""


@dataclass(frozen=True)
class Cumulative:
    """How much of a stage must have happened before each day: values[k] before origin + k
    days; before the origin the first value, after the last value the last, unless the curve
    repeats every `cycle` days, gaining `volume` a cycle (a continuous plan)."""

    origin: date
    values: tuple[int, ...]
    cycle: int = 0
    volume: int = 0
    plus: Cumulative | None = None
    """Another curve added to this one (what open pipeline brings)."""

    def before(self, day: date) -> int:
        """How much must have happened before `day`."""
        more = self.plus.before(day) if self.plus is not None else 0
        offset = (day - self.origin).days
        if self.cycle:
            turns, rest = divmod(offset, self.cycle)
            return self.values[rest] + turns * self.volume + more
        return self.values[min(max(offset, 0), len(self.values) - 1)] + more

    def between(self, start: date, stop: date) -> int:
        """What must happen in [start, stop)."""
        return self.before(stop) - self.before(start)

    def first_work(self) -> date | None:
        """The first day on which something must happen, None if nothing ever must (or the
        curve repeats)."""
        if self.cycle:
            return None
        for offset, (now, then) in enumerate(zip(self.values, self.values[1:], strict=False)):
            if then > now:
                found = self.origin + timedelta(days=offset)
                break
        else:
            found = None
        other = self.plus.first_work() if self.plus is not None else None
        return min((d for d in (found, other) if d is not None), default=None)

    def steps(self) -> list[tuple[date, int]]:
        """The curve as steps (date, n): from that date on, n must have happened before it."""
        first = self.origin if self.plus is None else min(self.origin, self.plus.origin)
        last = self.origin + timedelta(days=len(self.values))
        if self.plus is not None:
            last = max(last, self.plus.origin + timedelta(days=len(self.plus.values)))
        found: list[tuple[date, int]] = []
        for day in days(first, last):
            value = self.before(day)
            if value and (not found or found[-1][1] != value):
                found.append((day, value))
        return found


AnyLag = str | dict[str, Decimal] | LagRange | None
"""A stage's lag as the file may write it: one age, a cohort curve, or a range of ages."""


def lag_shares(given: AnyLag) -> Shares:
    """A stage's lag as cohort shares: one age with all of it, or each age of a curve with the
    share it adds ({30d: 30%, 60d: 70%} → 30% at 30d, 40% at 60d); a range at its point."""
    lag = lag_point(given)
    if lag is None or isinstance(lag, str):
        return ((lag, Fraction(1)),)
    shares = []
    reached = Fraction(0)
    for age, share in lag.items():
        shares.append((age, Fraction(share) - reached))
        reached = Fraction(share)
    return tuple(shares)


def longest(given: AnyLag) -> str | None:
    """A lag's longest age: when the last of a cohort has converted."""
    lag = lag_point(given)
    return lag if lag is None or isinstance(lag, str) else max(lag, key=lag_days)


def shortest(given: AnyLag) -> str | None:
    """A lag's shortest age: when the first of a cohort converts."""
    lag = lag_point(given)
    return lag if lag is None or isinstance(lag, str) else min(lag, key=lag_days)


def origin_for(goals: Goals, period: Period) -> date:
    """A day before any work a plan can need: the start, less every stage's longest lag."""
    day = period.start
    for stage in goals.stages[1:]:
        day = shift(day, longest(stage.lag), -1)
    return day - timedelta(days=7)


def days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def converted(curve: Cumulative, shares: Shares, rate: Fraction, on: Sequence[date]) -> list[int]:
    """What a stage's cumulative curve becomes a stage down, before each day of `on`: its
    cohorts convert at `rate`, each share at its age, rounded down to whole people."""
    return [
        math.floor(rate * sum(p * curve.before(shift(day, age, -1)) for age, p in shares))
        for day in on
    ]


def pipeline_arrivals(goals: Goals) -> list[Cumulative | None]:
    """For each stage, what the open pipeline brings into it over time (None without any):
    what is open at a stage at the start converts down with the rates and lags; arrivals are
    pooled with what is open at each stage and rounded down to whole people."""
    if not goals.pipeline:
        return [None] * len(goals.stages)
    period = goals.period
    start = period.start if period is not None else date(2000, 1, 1)
    last = period_end(period) if period is not None else None
    open_at = [0] * len(goals.stages)
    for name, count in goals.pipeline.items():
        index = goals.stage_index(name)
        if index is not None:
            open_at[index] += count
    reach = start
    for stage in goals.stages[1:]:
        reach = shift(reach, longest(stage.lag))
    on = days(start, max(reach, last or reach) + ONE_DAY)
    curves: list[Cumulative | None] = [None]
    pool = Cumulative(start, (0, *([open_at[0]] * (len(on) - 1))))
    for index in range(1, len(goals.stages)):
        stage = goals.stages[index]
        rate = Fraction(point(stage.rate) or 1)
        arrived = converted(pool, lag_shares(stage.lag), rate, on)
        # what arrives after the end does not count for this period
        cut = len(arrived) if last is None else (last - start).days + 1
        curves.append(Cumulative(start, tuple(arrived[:cut])))
        here = open_at[index]
        pool = Cumulative(start, tuple(a + (here if k else 0) for k, a in enumerate(arrived)))
    return curves


def pipeline_totals(goals: Goals) -> list[int]:
    """What the open pipeline brings into each stage within the period (all of it without
    a period)."""
    return [curve.values[-1] if curve else 0 for curve in pipeline_arrivals(goals)]
