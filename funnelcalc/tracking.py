"""Tracking: actuals against the phased plan (pace, observed rates, spend, status) and a
re-forecast of what the rest of the period now needs.

Like is compared with like: from the first day the actuals cover to `as_of`, what happened
against what the plan's daily curves needed over the same days (pre-start work and what open
pipeline brings included in both). Observed rates only use cohorts whose lag lies within the
actuals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from pydantic_core import PydanticCustomError

from funnelcalc.actuals import Record, Segments, read_actuals
from funnelcalc.cohorts import lag_shares, longest
from funnelcalc.curves import plan_curves
from funnelcalc.errors import InputError
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.reforecast import last_useful_days, needs, spread
from funnelcalc.solver import Plan, solve
from funnelcalc.stage_actuals import StageActuals
from funnelcalc.timeline import ONE_DAY, period_end, shift, working_days
from funnelcalc.timevalues import parse_date
from funnelcalc.values import portion

AHEAD, ON_TRACK, BEHIND = "ahead", "on track", "behind"


@dataclass(frozen=True)
class StageTrack:
    """One stage to date, and what it still needs."""

    name: str
    actual: int
    """What happened from the first day the actuals cover to `as_of`."""
    planned: int
    """What the plan's curve needed over the same days."""
    rate: Decimal | None
    observed_rate: Fraction | None
    """This stage's arrivals ÷ the cohorts above they came from, counting only cohorts whose
    lag lies within the actuals; None until one does."""
    status: str
    spend: Decimal | None
    needed: int
    """The whole period's need at this stage, re-forecast with the chosen rates."""
    per_working_day: int | None
    """⌈still to do ÷ working days left in which new work can still close⌉, daily stages."""
    planned_spend: Decimal | None = None
    """What the plan spends at this stage over the compared days (to the cent)."""
    done: int | None = None
    """What counts towards the period's need (in a continuous plan, from its start)."""
    last_useful: date | None = None
    """The last day new work at this stage can still close before the end."""

    @property
    def pace(self) -> Fraction | None:
        """actual ÷ planned to date."""
        return None if self.planned == 0 else Fraction(self.actual, self.planned)

    @property
    def remaining(self) -> int:
        """Still to do: the re-forecast need less what is done."""
        return max(0, self.needed - (self.actual if self.done is None else self.done))

    @property
    def spend_pace(self) -> Fraction | None:
        """Actual spend ÷ planned spend to date."""
        if self.spend is None or not self.planned_spend:
            return None
        return Fraction(self.spend) / Fraction(self.planned_spend)


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
    since: date | None = None
    """The first day compared: the first day the actuals cover."""
    notes: tuple[str, ...] = ()
    """What can no longer close before the end, and other things the reader must know."""

    @property
    def behind(self) -> bool:
        """Whether any stage is behind pace beyond the tolerance."""
        return any(stage.status == BEHIND for stage in self.stages)


def observed_rate(
    goals: Goals, by_stage: Sequence[StageActuals], index: int, since: date, as_of: date
) -> Fraction | None:
    """Stage `index`'s arrivals from the first day every age of its lag fits within the
    actuals to `as_of`, ÷ Σ share × what the stage above did an age earlier over those days."""
    lag = goals.stages[index].lag
    first = shift(since, longest(lag))
    if first > as_of:
        return None
    mine, above = by_stage[index], by_stage[index - 1]
    reached = mine.total(first, as_of)
    base = Fraction(0)
    for age, share in lag_shares(lag):
        begin, end = shift(first, age, -1), shift(as_of, age, -1)
        base += share * above.total(begin, end)
    return reached / base if base else None


def status(actual: int, planned: int, tolerance: Decimal) -> str:
    """Ahead, on track or behind: actual against planned, within the tolerance."""
    if planned == 0:
        return AHEAD if actual > 0 else ON_TRACK
    pace = Fraction(actual, planned)
    if pace < 1 - Fraction(tolerance):
        return BEHIND
    if pace > 1 + Fraction(tolerance):
        return AHEAD
    return ON_TRACK


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def track(
    goals: Goals,
    plan: Plan,
    records: Sequence[Record],
    *,
    as_of: date,
    tolerance: Decimal,
    rates: str,
    since: date | None = None,
) -> Track:
    """Compare the actuals up to `as_of` with the plan (from the first day they cover, or
    `since`), and re-forecast the rest."""
    period = goals.period
    assert period is not None  # the caller checks and says so
    count = len(goals.stages)
    seen = StageActuals.by_stage([r for r in records if r.day <= as_of], count)
    since = since or min((d for s in seen if (d := s.first_day) is not None), default=None)
    actual = [stage.volume for stage in seen]
    done = [
        stage.volume_from(period.start) if period.continuous else stage.volume for stage in seen
    ]
    spend = [stage.spend for stage in seen]
    curves = plan_curves(goals, plan, cover=since).stages
    tomorrow = as_of + ONE_DAY
    first = since or tomorrow
    planned = [curve.between(first, tomorrow) for curve in curves]
    observed = [None] + [
        observed_rate(goals, seen, i, since, as_of) if since else None for i in range(1, count)
    ]
    needed = needs(goals, plan, observed if rates == "observed" else None)
    end = period_end(period)
    useful = last_useful_days(goals, end)
    days_left = working_days(max(tomorrow, period.start), end, period) if tomorrow < end else 0
    stages: list[StageTrack] = []
    notes: list[str] = []
    for i, stage in enumerate(goals.stages):
        left = max(0, needed[i] - done[i])
        usable = working_days(max(tomorrow, period.start), useful[i] + ONE_DAY, period)
        if left and tomorrow > useful[i] and not period.continuous:
            notes.append(
                f"{stage.name}: {left:,} more are needed, but new {stage.name} from "
                f"{tomorrow.isoformat()} on can no longer close before {end.isoformat()}"
            )
        cost = plan.stages[i].spend
        volume = plan.stages[i].volume
        stages.append(
            StageTrack(
                name=stage.name,
                actual=actual[i],
                planned=planned[i],
                rate=point(stage.rate),
                observed_rate=observed[i],
                status=status(actual[i], planned[i], tolerance),
                spend=spend[i],
                needed=needed[i],
                per_working_day=-(-left // usable) if stage.daily and usable else None,
                planned_spend=(
                    _cents(Fraction(cost) * planned[i] / volume)
                    if cost is not None and volume
                    else None
                ),
                done=done[i],
                last_useful=useful[i],
            )
        )
    remaining = [s.remaining for s in stages]
    rows = spread(goals, curves, remaining, tomorrow)
    return Track(plan, as_of, tolerance, rates, tuple(stages), rows, days_left, since, tuple(notes))


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
    segment: str | None = None,
    every_row_named: bool = False,
    since: date | None = None,
    read: Callable[[Goals, Segments], Sequence[Record]] | None = None,
) -> Track:
    """`track`'s whole job: read and check the flags and files, then track (one segment's plan,
    or the roll-up of a file with segments, whose actuals then name each row's segment)."""
    if segment is None and file.segment_names:
        from funnelcalc.track_rollup import track_company  # noqa: PLC0415 - imports this module

        return track_company(
            file,
            actuals,
            as_of=as_of,
            today=today,
            tolerance=tolerance,
            rates=rates,
            scenario=scenario,
            sets=sets,
        )
    name, goals = file.resolve(scenario, sets, segment)
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
    chosen = file.segment_name(segment) if segment is not None else None
    which = Segments(chosen, tuple(file.segment_names), named=every_row_named)
    # `read`: how the roll-up reads the file once for all its segments
    records = read(goals, which) if read is not None else read_actuals(actuals, goals, which)
    plan = solve(goals, scenario=name)
    return track(goals, plan, records, as_of=day, tolerance=allowed, rates=rates, since=since)


__all__ = ["AHEAD", "BEHIND", "ON_TRACK", "StageTrack", "Track", "run_track", "timedelta", "track"]
