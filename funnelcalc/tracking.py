"""Tracking: actuals against the phased plan (pace, observed rates, status) and a re-forecast
of what the rest of the period now needs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from pydantic_core import PydanticCustomError

from funnelcalc.actuals import Record, read_actuals
from funnelcalc.errors import InputError
from funnelcalc.exact import EXACT, ceil_div
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.phasing import (
    needed_before,
    period_label,
    shift,
    stage_curves,
    unit_bounds,
    unit_kind,
    weights,
    working_days,
)
from funnelcalc.solver import Plan, needed_above, solve
from funnelcalc.values import parse_date, portion

AHEAD, ON_TRACK, BEHIND = "ahead", "on track", "behind"


@dataclass(frozen=True)
class StageTrack:
    """One stage to date, and what it still needs."""

    name: str
    actual: int
    planned: int
    """What the phased plan needed before the day after `as_of`."""
    rate: Decimal | None
    observed_rate: Fraction | None
    """This stage's actual to date ÷ the stage above's actual up to one lag earlier."""
    status: str
    spend: Decimal | None
    needed: int
    """The whole period's need at this stage, re-forecast with the chosen rates."""
    per_working_day: int | None
    """⌈still to do ÷ working days left⌉, for daily stages."""

    @property
    def pace(self) -> Fraction | None:
        """actual ÷ planned to date."""
        return None if self.planned == 0 else Fraction(self.actual, self.planned)

    @property
    def remaining(self) -> int:
        """Still to do: the re-forecast need less what is done."""
        return max(0, self.needed - self.actual)


@dataclass(frozen=True)
class Track:
    """A tracking report."""

    plan: Plan
    as_of: date
    tolerance: Decimal
    rates: str
    """planned or observed: the rates the re-forecast uses."""
    stages: tuple[StageTrack, ...]
    reforecast: tuple[tuple[str, tuple[int, ...]], ...]
    """The remaining periods, each with what every stage still needs in it."""
    working_days_left: int

    @property
    def behind(self) -> bool:
        """Whether any stage is behind pace beyond the tolerance."""
        return any(stage.status == BEHIND for stage in self.stages)


def track(
    goals: Goals,
    plan: Plan,
    records: Sequence[Record],
    *,
    as_of: date,
    tolerance: Decimal,
    rates: str,
) -> Track:
    """Compare the actuals up to `as_of` with the plan, and re-forecast the rest."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    count = len(goals.stages)
    actual = [0] * count
    spend: list[Decimal | None] = [None] * count
    for record in records:
        if record.day > as_of:
            continue
        actual[record.stage] += record.count
        if record.spend is not None:
            spend[record.stage] = EXACT.add(spend[record.stage] or Decimal(0), record.spend)
    curves = stage_curves(goals, plan.clients, period)
    tomorrow = as_of + timedelta(days=1)
    planned = [needed_before(curve, tomorrow) for curve in curves]
    observed = [None] + [
        _observed(records, i, as_of, goals.stages[i].lag, actual[i]) for i in range(1, count)
    ]
    needed = _needed(goals, plan.clients, observed if rates == "observed" else None)
    end = unit_bounds(period)[-1]
    days_left = working_days(max(tomorrow, period.start), end, period) if tomorrow < end else 0
    stages = tuple(
        StageTrack(
            name=stage.name,
            actual=actual[i],
            planned=planned[i],
            rate=point(stage.rate),
            observed_rate=observed[i],
            status=_status(actual[i], planned[i], tolerance),
            spend=spend[i],
            needed=needed[i],
            per_working_day=(
                -(-max(0, needed[i] - actual[i]) // days_left)
                if stage.daily and days_left
                else None
            ),
        )
        for i, stage in enumerate(goals.stages)
    )
    remaining = [s.remaining for s in stages]
    return Track(
        plan, as_of, tolerance, rates, stages, _spread(goals, remaining, tomorrow), days_left
    )


def _observed(
    records: Sequence[Record], index: int, as_of: date, lag: str | None, reached: int
) -> Fraction | None:
    """Stage `index`'s actual ÷ what the stage above had done a lag earlier: the rate seen so
    far, not understated by work still in the pipeline."""
    cutoff = shift(as_of, lag, -1)
    above = sum(r.count for r in records if r.stage == index - 1 and r.day <= cutoff)
    return Fraction(reached, above) if above else None


def _status(actual: int, planned: int, tolerance: Decimal) -> str:
    if planned == 0:
        return AHEAD if actual > 0 else ON_TRACK
    pace = Fraction(actual, planned)
    if pace < 1 - Fraction(tolerance):
        return BEHIND
    if pace > 1 + Fraction(tolerance):
        return AHEAD
    return ON_TRACK


def _needed(goals: Goals, clients: int, observed: Sequence[Fraction | None] | None) -> list[int]:
    """Each stage's need over the whole period, from the clients up: with the observed rate
    where there is one (capped at 100%), else the planned rate or the stage's sources."""
    needs = [clients]
    for index in range(len(goals.stages) - 1, 0, -1):
        seen = observed[index] if observed is not None else None
        if seen:
            needs.append(ceil_div(needs[-1], min(seen, Fraction(1))))
        else:
            needs.append(needed_above(goals, index, needs[-1]))
    needs.reverse()
    return needs


def _spread(
    goals: Goals, remaining: Sequence[int], start: date
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """What is left, spread over the periods still to come by their seasonality weights
    (cumulative shares rounded up, so each stage's periods add up to what it still needs)."""
    period = goals.period
    assert period is not None
    bounds = unit_bounds(period)
    spread = weights(period, len(bounds) - 1)
    ahead = [
        (period_label(begin, stop, unit_kind(period)), weight)
        for begin, stop, weight in zip(bounds, bounds[1:], spread, strict=False)
        if stop > start
    ]
    total = sum((weight for _, weight in ahead), Fraction(0))
    if not ahead or total == 0:
        return ()
    rows = []
    running = Fraction(0)
    done = [0] * len(remaining)
    for label, weight in ahead:
        running += weight
        due = [math.ceil(need * running / total) for need in remaining]
        rows.append((label, tuple(d - p for d, p in zip(due, done, strict=True))))
        done = due
    return tuple(rows)


def run_track(
    file: GoalsFile,
    actuals: str | Path,
    *,
    as_of: str | None,
    today: date,
    tolerance: str,
    rates: str,
    scenario: str | None = None,
    sets: Sequence[str] = (),
) -> Track:
    """`track`'s whole job: read and check the flags and files, then track."""
    name, goals = file.resolve(scenario, sets)
    if goals.period is None:
        raise InputError.single(
            file.source, "has no period: track needs `period:` with a start and a length"
        )
    day = today
    if as_of is not None:
        try:
            day = parse_date(as_of)
        except PydanticCustomError as error:
            raise InputError.single("--as-of", error.message()) from None
    try:
        allowed = portion(tolerance, "a tolerance", most=Decimal(1))
    except PydanticCustomError as error:
        raise InputError.single("--tolerance", error.message()) from None
    records = read_actuals(actuals, goals)
    plan = solve(goals, scenario=name)
    return track(goals, plan, records, as_of=day, tolerance=allowed, rates=rates)
