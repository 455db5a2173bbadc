"""The re-forecast: what each stage now needs in all, when new work can still close before the
end, and how what is left spreads over the periods still to come."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from funnelcalc.cohorts import Cumulative, shortest
from funnelcalc.exact import ceil_div
from funnelcalc.model import Goals
from funnelcalc.solver import Plan, needed_above
from funnelcalc.timeline import ONE_DAY, period_label, shift, unit_bounds, unit_kind


def needs(goals: Goals, plan: Plan, observed: Sequence[Fraction | None] | None) -> list[int]:
    """Each stage's need over the whole period: the plan's, or from its clients up with the
    observed rate where there is one (capped at 100%), else the planned rate or sources."""
    if observed is None:
        return [stage.volume for stage in plan.stages]
    found = [plan.clients]
    for index in range(len(goals.stages) - 1, 0, -1):
        seen = observed[index]
        mix = plan.stages[index].effective_rate
        if seen:
            found.append(ceil_div(found[-1], min(seen, Fraction(1))))
        elif goals.stages[index].rate is None and not goals.source_list(goals.stages[index].name):
            found.append(ceil_div(found[-1], mix) if mix else found[-1])  # channels' mix
        else:
            found.append(needed_above(goals, index, found[-1]))
    found.reverse()
    return found


def last_useful_days(goals: Goals, end: date) -> list[date]:
    """For each stage, the last day new work there can still become a close before `end`,
    through the shortest age of every lag below it."""
    days = [end - ONE_DAY]
    for stage in reversed(goals.stages[1:]):
        days.append(shift(days[-1], shortest(stage.lag), -1))
    days.reverse()
    return days


def spread(
    goals: Goals, curves: Sequence[Cumulative], remaining: Sequence[int], start: date
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """What is left, spread over the periods still to come in step with what the plan's own
    curve still does in each (so lags and seasonality are respected), cumulative shares
    rounded up: each stage's periods add up to what it still needs, unless its plan has no
    work left in the period (then nothing new there can close in time)."""
    period = goals.period
    assert period is not None
    bounds = unit_bounds(period)
    kind = unit_kind(period)
    ahead = [(begin, stop) for begin, stop in itertools.pairwise(bounds) if stop > start]
    if not ahead:
        return ()
    parts = [[curve.between(max(begin, start), stop) for curve in curves] for begin, stop in ahead]
    totals = [sum(part[i] for part in parts) for i in range(len(curves))]
    rows = []
    running = [0] * len(curves)
    done = [0] * len(curves)
    for (begin, stop), part in zip(ahead, parts, strict=True):
        due = []
        for i, need in enumerate(remaining):
            running[i] += part[i]
            due.append(math.ceil(Fraction(need * running[i], totals[i])) if totals[i] else 0)
        label = period_label(begin, stop, kind, period.fiscal_year_start)
        rows.append((label, tuple(d - p for d, p in zip(due, done, strict=True))))
        done = due
    return tuple(rows)
