"""Time: when each stage's volume must happen so the closes land when the target needs them.

Every stage has a cumulative curve: how much of it must have happened before each date. The
last stage's curve comes from the target spread over the plan's periods (by seasonality), its
cumulative numbers rounded up. Each stage above needs, by a date, ⌈what the stage below needs
a lag later ÷ the rate⌉: so every curve is whole, never leaves the stage below short at any
date, and ends at exactly the plan's volume. A period's volume is the rise of the curve over it.
"""

from __future__ import annotations

import bisect
import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from funnelcalc.errors import InputError
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals, Period
from funnelcalc.solver import Plan, needed_above
from funnelcalc.values import WEEKDAYS

GRANULARITIES = ("month", "quarter", "week")
Curve = list[tuple[date, int]]
"""Steps (date, n): from that date on, n must have happened (before the date)."""


@dataclass(frozen=True)
class Bucket:
    """One period of a schedule: [start, end) and what each stage must produce in it."""

    label: str
    start: date
    end: date
    """The day after the last one."""
    before_start: bool
    """Work that must happen before the plan starts (pushed there by lags)."""
    working_days: int
    volumes: tuple[int, ...]
    """Per stage, top first."""

    def per_day(self, index: int) -> int | None:
        """⌈volume ÷ working days⌉ for stage `index`; None without working days."""
        if self.working_days == 0:
            return None
        return -(-self.volumes[index] // self.working_days)


@dataclass(frozen=True)
class Schedule:
    """A plan spread over time."""

    plan: Plan
    by: str
    buckets: tuple[Bucket, ...]
    daily: tuple[bool, ...]
    """Which stages are daily work (shown per working day)."""


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), clamped to the month's end."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, lag: str | None, sign: int = 1) -> date:
    """`day` moved by a lag such as 14d, 6w or 3m."""
    if not lag:
        return day
    amount, unit = int(lag[:-1]) * sign, lag[-1]
    if unit == "m":
        return add_months(day, amount)
    return day + timedelta(days=amount * (7 if unit == "w" else 1))


def earliest(day: date, lag: str | None) -> date:
    """The earliest date from which a lag later is on or after `day`."""
    candidate = shift(day, lag, -1)
    while shift(candidate, lag) < day:
        candidate += timedelta(days=1)
    while shift(candidate - timedelta(days=1), lag) >= day:
        candidate -= timedelta(days=1)
    return candidate


def unit_bounds(period: Period) -> list[date]:
    """The boundaries of the plan's periods: start, …, end (one more than the periods)."""
    if period.months is not None:
        return [add_months(period.start, k) for k in range(period.months + 1)]
    if period.quarters is not None:
        return [add_months(period.start, 3 * k) for k in range(period.quarters + 1)]
    return [period.start + timedelta(weeks=k) for k in range(int(period.weeks or 0) + 1)]


def unit_kind(period: Period) -> str:
    """month, quarter or week: the unit the period is counted in."""
    if period.months is not None:
        return "month"
    return "quarter" if period.quarters is not None else "week"


def weights(period: Period, units: int) -> list[Fraction]:
    """The seasonality weight of each period (equal without one); per-quarter weights given
    for months are split evenly over their three months."""
    given = period.seasonality
    if not given:
        return [Fraction(1)] * units
    if len(given) == units:
        return [Fraction(w) for w in given]
    return [Fraction(w) / 3 for w in given for _ in range(3)]


def close_curve(clients: int, period: Period) -> Curve:
    """How many clients must be won before the end of each period: ⌈clients × share so far⌉."""
    bounds = unit_bounds(period)
    spread = weights(period, len(bounds) - 1)
    total = sum(spread)
    running = Fraction(0)
    curve: Curve = []
    for end, weight in zip(bounds[1:], spread, strict=True):
        running += weight
        curve.append((end, math.ceil(clients * running / total)))
    return curve


def stage_curves(goals: Goals, clients: int, period: Period) -> list[Curve]:
    """Every stage's cumulative curve, top first."""
    curves = [close_curve(clients, period)]
    for index in range(len(goals.stages) - 1, 0, -1):
        lag = goals.stages[index].lag
        steps: Curve = []
        for day, needed in curves[0]:
            value = needed_above(goals, index, needed)
            when = earliest(day, lag)
            if steps and steps[-1][0] == when:
                steps[-1] = (when, max(steps[-1][1], value))
            else:
                steps.append((when, value))
        curves.insert(0, steps)
    return curves


def needed_before(curve: Curve, day: date) -> int:
    """How much must have happened before `day`."""
    position = bisect.bisect_right([step for step, _ in curve], day)
    return curve[position - 1][1] if position else 0


def working_days(start: date, end: date, period: Period) -> int:
    """Working days in [start, end): the period's weekdays, less its holidays."""
    days = {WEEKDAYS.index(day) for day in period.working_days}
    holidays = set(period.holidays)
    count = 0
    day = start
    while day < end:
        if day.weekday() in days and day not in holidays:
            count += 1
        day += timedelta(days=1)
    return count


def schedule(goals: Goals, plan: Plan, by: str) -> Schedule:
    """The plan spread over months, quarters or weeks, from the first pre-start period on."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    curves = stage_curves(goals, plan.clients, period)
    end = unit_bounds(period)[-1]
    first = min((day for curve in curves for day, n in curve if n > 0), default=end)
    bounds = _display_bounds(period.start, end, first, by)
    buckets = []
    for start, stop in pairwise(bounds):
        volumes = tuple(needed_before(c, stop) - needed_before(c, start) for c in curves)
        buckets.append(
            Bucket(
                label=period_label(start, stop, by),
                start=start,
                end=stop,
                before_start=stop <= period.start,
                working_days=working_days(start, stop, period),
                volumes=volumes,
            )
        )
    daily = tuple(stage.daily for stage in goals.stages)
    return Schedule(plan, by, tuple(buckets), daily)


def _step(day: date, by: str, count: int) -> date:
    if by == "week":
        return day + timedelta(weeks=count)
    return add_months(day, count * (3 if by == "quarter" else 1))


def _display_bounds(start: date, end: date, first: date, by: str) -> list[date]:
    """Boundaries from the plan's start in steps of `by`, back to cover `first`, on to `end`."""
    back = 0
    while _step(start, by, -back) >= first:  # work due before `first` happens on earlier days
        back += 1
    bounds = [_step(start, by, k) for k in range(-back, 1)]
    while bounds[-1] < end:
        bounds.append(min(_step(start, by, len(bounds) - back), end))
    return bounds


def period_label(start: date, stop: date, by: str) -> str:
    """How a period reads: 2027-03, 2027-Q1, 2027-W05, or its dates when not calendar-aligned."""
    if by == "month":
        return f"{start:%Y-%m}" if start.day == 1 else start.isoformat()
    if by == "quarter":
        if start.day == 1 and start.month % 3 == 1:
            return f"{start.year}-Q{start.month // 3 + 1}"
        return f"{start.isoformat()}…{(stop - timedelta(days=1)).isoformat()}"
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}" if start.weekday() == 0 else start.isoformat()


def schedule_for(
    file: GoalsFile, plan: Plan, by: str, scenario: str | None, sets: Sequence[str]
) -> Schedule:
    """The schedule of a planned goals file, or a clear error when it has no period."""
    _, goals = file.resolve(scenario, sets)
    if goals.period is None:
        raise InputError.single(
            "--by", f"{file.source} has no period: add `period:` with a start and a length"
        )
    return schedule(goals, plan, by)
