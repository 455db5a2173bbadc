"""Track v2: steady actuals on plan read on track every month; observed rates from whole
cohorts; a re-forecast that knows what can no longer close; spend against plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from funnelcalc import parse
from funnelcalc.actuals import Record
from funnelcalc.model import Goals
from funnelcalc.phasing import schedule
from funnelcalc.solver import solve
from funnelcalc.timeline import add_months
from funnelcalc.tracking import ON_TRACK, track

QUARTERLY = """\
target: {revenue: 3600000}
deal_size: 30000
period: {start: 2027-01-01, quarters: 4, CONTINUOUS}
stages:
  - {name: visitors, cost: 0.5}
  - {name: leads, rate: 3%}
  - {name: MQL, rate: 40%, lag: 7d}
  - {name: SQL, rate: 30%, lag: 2w}
  - {name: won, rate: 25%, lag: {30d: 30%, 60d: 70%, 120d: 100%}}
"""


def _month_end(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


def _records_by_month(goals: Goals, counts: dict[date, tuple[int, ...]]) -> list[Record]:
    return [
        Record(month, add_months(month, 1), index, count, None)
        for month, volumes in counts.items()
        for index, count in enumerate(volumes)
    ]


def test_steady_actuals_at_run_rate_are_on_track_every_month() -> None:
    """A going concern doing a twelfth of each stage's year every month reads on track at
    every month end, at every stage (the issue's plan flipped from 168% to 67%)."""
    goals = parse(QUARTERLY.replace("CONTINUOUS", "continuous: true"))
    plan = solve(goals)
    steady = tuple(stage.volume // 12 for stage in plan.stages)
    months = {add_months(date(2027, 1, 1), k): steady for k in range(12)}
    records = _records_by_month(goals, months)
    for k in range(1, 13):
        as_of = _month_end(date(2027, 1, 1), k)
        result = track(goals, plan, records, as_of=as_of, tolerance=Decimal("0.1"), rates="planned")
        assert [s.status for s in result.stages] == [ON_TRACK] * 5, (as_of, result.stages)


@pytest.mark.parametrize("continuous", [True, False])
def test_actuals_equal_to_the_schedule_are_exactly_on_pace(continuous: bool) -> None:
    """Actuals that are the schedule's own months (pre-start ones too) have pace 1 at every
    month end: plan to date is compared like with like."""
    flag = "continuous: true" if continuous else "continuous: false"
    goals = parse(QUARTERLY.replace("CONTINUOUS", flag))
    plan = solve(goals)
    buckets = [b for b in schedule(goals, plan, "month").buckets if not b.after_end]
    records = _records_by_month(goals, {b.start: b.volumes for b in buckets})
    for bucket in buckets:
        as_of = bucket.end - timedelta(days=1)
        result = track(goals, plan, records, as_of=as_of, tolerance=Decimal("0.1"), rates="planned")
        for stage in result.stages:
            assert stage.status == ON_TRACK
            assert stage.pace in (None, 1)


def test_observed_rates_wait_for_whole_cohorts() -> None:
    """With a two-month lag and data from January, wins in February come from SQLs before the
    data: no observed rate until March, then March's wins ÷ January's SQLs."""
    goals = parse(
        "target: {clients: 60}\nperiod: {start: 2027-01-01, months: 12}\n"
        "stages:\n  - {name: SQL}\n  - {name: won, rate: 25%, lag: 2m}\n"
    )
    plan = solve(goals)
    records = _records_by_month(
        goals,
        {date(2027, 1, 1): (20, 7), date(2027, 2, 1): (20, 7), date(2027, 3, 1): (20, 5)},
    )
    early = track(
        goals, plan, records, as_of=date(2027, 2, 28), tolerance=Decimal("0.1"), rates="planned"
    )
    assert early.stages[1].observed_rate is None
    later = track(
        goals, plan, records, as_of=date(2027, 3, 31), tolerance=Decimal("0.1"), rates="planned"
    )
    assert later.stages[1].observed_rate == Fraction(5, 20)


def test_a_cohort_curve_weighs_the_cohorts_it_came_from() -> None:
    """Wins in March with a {1m: 50%, 2m: 100%} lag: ÷ (½ February's SQLs + ½ January's)."""
    goals = parse(
        "target: {clients: 60}\nperiod: {start: 2027-01-01, months: 12}\n"
        "stages:\n  - {name: SQL}\n  - {name: won, rate: 25%, lag: {1m: 50%, 2m: 100%}}\n"
    )
    records = _records_by_month(
        goals,
        {date(2027, 1, 1): (20, 0), date(2027, 2, 1): (40, 0), date(2027, 3, 1): (0, 6)},
    )
    result = track(
        goals,
        solve(goals),
        records,
        as_of=date(2027, 3, 31),
        tolerance=Decimal("0.1"),
        rates="planned",
    )
    assert result.stages[1].observed_rate == Fraction(6, 30)


def test_the_reforecast_says_what_can_no_longer_close() -> None:
    """Late in a plan that is not continuous, SQLs still needed cannot close two months on."""
    goals = parse(
        "target: {clients: 60}\nperiod: {start: 2027-01-01, months: 12}\n"
        "stages:\n  - {name: SQL, daily: true}\n  - {name: won, rate: 25%, lag: 2m}\n"
    )
    plan = solve(goals)
    records = [Record(date(2027, 1, 1), date(2027, 11, 1), 0, 100, None)]
    result = track(
        goals, plan, records, as_of=date(2027, 11, 15), tolerance=Decimal("0.1"), rates="planned"
    )
    sql = result.stages[0]
    assert sql.last_useful == date(2027, 10, 31)
    assert sql.per_working_day is None
    assert any(
        "SQL: 140 more are needed" in note and "can no longer close" in note
        for note in result.notes
    )


def test_spend_is_compared_with_planned_spend() -> None:
    """Visitors at $0.50: planned spend to date is the planned visitors to date × $0.50."""
    goals = parse(QUARTERLY.replace("CONTINUOUS", "continuous: true"))
    plan = solve(goals)
    records = [Record(date(2027, 1, 1), date(2027, 2, 1), 0, 10000, Decimal(6000))]
    result = track(
        goals, plan, records, as_of=date(2027, 1, 31), tolerance=Decimal("0.1"), rates="planned"
    )
    visitors = result.stages[0]
    assert visitors.planned_spend == Decimal(visitors.planned) / 2
    assert visitors.spend_pace == Fraction(6000) / Fraction(visitors.planned_spend or 1)
