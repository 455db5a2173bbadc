"""Time: when each stage's volume must happen so the closes land when the target needs them.

Every stage has one cumulative curve by day (see `curves`); a schedule by week, month or
quarter is an aggregation of it, so every view of one plan agrees, and a period's volume is
the rise of the curve over it.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from funnelcalc.cohorts import longest
from funnelcalc.curves import Curves, plan_curves
from funnelcalc.errors import InputError
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals, Period
from funnelcalc.solver import Plan
from funnelcalc.timeline import (
    add_months,
    display_bounds,
    earliest,
    period_end,
    period_label,
    shift,
    unit_bounds,
    unit_kind,
    weights,
    working_days,
)

__all__ = [
    "GRANULARITIES",
    "Bucket",
    "Schedule",
    "add_months",
    "earliest",
    "needed_before",
    "period_label",
    "schedule",
    "schedule_for",
    "shift",
    "unit_bounds",
    "unit_kind",
    "weights",
    "working_days",
]

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
    """Per stage, top first (what open pipeline brings included)."""
    after_end: bool = False
    """A continuous plan's run-rate past its end: the next period's work, not in the totals."""
    pipeline: tuple[int, ...] = ()
    """Per stage, the part of `volumes` the open pipeline brings (empty without pipeline)."""

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
    continuous: bool = False
    """Planned as a going concern: no pre-start rows; run-rate rows past the end."""
    notes: tuple[str, ...] = ()
    """What the reader must know: late fixed sources or pipeline, a continuous plan's edges."""

    @property
    def in_period(self) -> tuple[Bucket, ...]:
        """The buckets within the plan's period: their volumes add up to the plan's."""
        return tuple(b for b in self.buckets if not b.before_start and not b.after_end)


def needed_before(curve: Curve, day: date) -> int:
    """How much must have happened before `day`, on a curve of steps."""
    found = 0
    for step_day, value in curve:
        if step_day > day:
            break
        found = value
    return found


def schedule(goals: Goals, plan: Plan, by: str) -> Schedule:
    """The plan spread over weeks, months or quarters: from the first pre-start period on, or
    for a continuous plan from its start to past its end by its longest chain of lags."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    curves = plan_curves(goals, plan)
    end = period_end(period)
    if period.continuous:
        first, last = period.start, end
        for stage in goals.stages[1:]:
            last = shift(last, longest(stage.lag))
    else:
        found = [c.first_work() for c in curves.stages]
        first = min((day for day in found if day is not None), default=period.start)
        first, last = min(first, period.start), end
    buckets = [
        _bucket(curves, period, start, stop, by)
        for start, stop in zip(*_pairs(display_bounds(period, first, last, by)), strict=True)
    ]
    daily = tuple(stage.daily for stage in goals.stages)
    notes = list(curves.notes)
    if period.continuous:
        notes.append(
            "A continuous plan: work for the first closes was done in the previous period at "
            "run-rate; rows past the end show the funnel running on into the next period "
            "(not in the totals)."
        )
    return Schedule(plan, by, tuple(buckets), daily, period.continuous, tuple(notes))


def _pairs(bounds: list[date]) -> tuple[list[date], list[date]]:
    return bounds[:-1], bounds[1:]


def _bucket(curves: Curves, period: Period, start: date, stop: date, by: str) -> Bucket:
    pipeline = tuple(c.between(start, stop) if c else 0 for c in curves.pipeline)
    return Bucket(
        label=period_label(start, stop, by, period.fiscal_year_start),
        start=start,
        end=stop,
        before_start=stop <= period.start,
        working_days=working_days(start, stop, period),
        volumes=tuple(curve.between(start, stop) for curve in curves.stages),
        after_end=start >= period_end(period),
        pipeline=pipeline if any(c is not None for c in curves.pipeline) else (),
    )


def schedule_for(
    file: GoalsFile,
    plan: Plan,
    by: str,
    scenario: str | None,
    sets: Sequence[str],
    *,
    segment: str | None = None,
) -> Schedule:
    """The schedule of a planned goals file, or a clear error when it has no period. A roll-up's
    is its segments' schedules added up period by period."""
    if plan.segments:
        name = file.scenario_name(scenario) if scenario is not None else None
        parts = []
        for part in plan.segments:
            goals = file.segment_goals(part.name, scenario=name, sets=sets)
            parts.append(schedule(_dated(file, goals), part.plan, by))
        return rolled_up(plan, by, parts)
    _, goals = file.resolve(scenario, sets, segment)
    return schedule(_dated(file, goals), plan, by)


def _dated(file: GoalsFile, goals: Goals) -> Goals:
    if goals.period is None:
        raise InputError.single(
            "--by", f"{file.source} has no period: add `period:` with a start and a length"
        )
    return goals


def rolled_up(plan: Plan, by: str, parts: Sequence[Schedule]) -> Schedule:
    """The segments' schedules added up period by period, stage by stage (by name)."""
    names = [stage.name.casefold() for stage in plan.stages]
    found: dict[tuple[date, date], Bucket] = {}
    volumes: dict[tuple[date, date], list[int]] = {}
    pipeline: dict[tuple[date, date], list[int]] = {}
    for part in parts:
        where = [names.index(stage.name.casefold()) for stage in part.plan.stages]
        for bucket in part.buckets:
            key = (bucket.start, bucket.end)
            found.setdefault(key, bucket)
            total = volumes.setdefault(key, [0] * len(names))
            brought = pipeline.setdefault(key, [0] * len(names))
            for index, volume in zip(where, bucket.volumes, strict=True):
                total[index] += volume
            for index, volume in zip(where, bucket.pipeline, strict=False):
                brought[index] += volume
    keys = sorted(found)
    if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(keys)):
        raise InputError.single(
            "--by", "the segments' periods do not line up: give them the same period"
        )
    buckets = [
        dataclasses.replace(
            found[key],
            volumes=tuple(volumes[key]),
            pipeline=tuple(pipeline[key]) if any(pipeline[key]) else (),
        )
        for key in keys
    ]
    daily = tuple(
        any(
            d
            for part in parts
            for s, d in zip(part.plan.stages, part.daily, strict=True)
            if s.name.casefold() == name
        )
        for name in names
    )
    notes = tuple(f"{p.plan.segment}: {note}" for p in parts for note in p.notes)
    return Schedule(plan, by, tuple(buckets), daily, any(p.continuous for p in parts), notes)
