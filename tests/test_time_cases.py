"""Time v2 worked by hand: cohort lags, open pipeline, fixed sources in time, fiscal labels,
weekly plans weighted by month, new goals keys and their errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from funnelcalc import parse
from funnelcalc.errors import InputError
from funnelcalc.phasing import schedule
from funnelcalc.solver import solve
from funnelcalc.timeline import period_label
from tests.conftest import EXAMPLES, run_cli


def _rows(text: str, by: str = "month") -> dict[str, tuple[int, ...]]:
    goals = parse(text)
    return {b.label: b.volumes for b in schedule(goals, solve(goals), by).buckets}


def test_a_cohort_lag_worked_by_hand() -> None:
    """30 wins over three flat months at 50%, half a cohort's wins a month on and half two:
    each month's 10 wins need 10 SQLs a month earlier and 10 two months earlier."""
    rows = _rows(
        "target: {clients: 30}\nperiod: {start: 2027-01-01, months: 3}\nstages:\n"
        "  - {name: SQL}\n  - {name: won, rate: 50%, lag: {1m: 50%, 2m: 100%}}\n"
    )
    assert rows == {
        "2026-11": (10, 0),
        "2026-12": (20, 0),
        "2027-01": (20, 10),
        "2027-02": (10, 10),
        "2027-03": (0, 10),
    }


def test_a_single_lag_is_a_curve_with_one_age() -> None:
    """`lag: 2m` and `lag: {2m: 100%}` give the same schedule."""
    base = (
        "target: {clients: 24}\nperiod: {start: 2027-01-01, months: 6}\nstages:\n  - {name: SQL}\n"
    )
    assert _rows(base + "  - {name: won, rate: 25%, lag: 2m}\n") == _rows(
        base + "  - {name: won, rate: 25%, lag: {2m: 100%}}\n"
    )


PIPELINE = (
    "target: {clients: 60}\nperiod: {start: 2027-01-01, months: 12}\nstages:\n"
    "  - {name: SQL}\n  - {name: won, rate: 25%, lag: 2m}\npipeline: {SQL: 40}\n"
)


def test_open_pipeline_reduces_what_must_be_generated() -> None:
    """40 open SQLs at 25% bring 10 wins: 50 are left to win from 200 new SQLs, not 240."""
    plan = solve(parse(PIPELINE))
    assert [(s.volume, s.from_pipeline, s.open_pipeline) for s in plan.stages] == [
        (200, 0, 40),
        (60, 10, 0),
    ]


def test_open_pipeline_closes_with_its_lag_in_the_schedule() -> None:
    """The 10 pipeline wins land in March (two months in); fresh wins pick up once the plan's
    5 a month have used them up, so no SQLs are needed for January and February's SQL slot."""
    goals = parse(PIPELINE)
    result = schedule(goals, solve(goals), "month")
    won = {b.label: (b.volumes[1], b.pipeline[1]) for b in result.buckets}
    assert won["2027-01"] == (5, 0)
    assert won["2027-03"] == (10, 10)
    assert won["2027-04"] == (0, 0)
    assert won["2027-05"] == (5, 0)
    sql = {b.label: b.volumes[0] for b in result.buckets}
    assert [sql[m] for m in ("2026-11", "2027-01", "2027-02", "2027-03")] == [20, 0, 0, 20]
    assert sum(b.volumes[1] for b in result.buckets) == 60


def test_pipeline_arriving_after_the_end_does_not_count() -> None:
    """Open SQLs whose two-month lag ends after a one-month plan bring nothing to it."""
    plan = solve(parse(PIPELINE.replace("months: 12", "months: 1")))
    assert plan.stages[1].from_pipeline == 0


SOURCED = (
    "target: {clients: 12}\nperiod: {start: 2027-01-01, months: 12}\nstages:\n"
    "  - {name: visitors}\n  - {name: leads, rate: 10%}\n  - {name: won, rate: 10%}\n"
    "sources:\n  leads:\n    - {name: event, volume: 60, AT}\n    - {name: inbound, share: 100%}\n"
)


def test_a_fixed_source_spreads_with_its_stage_by_default() -> None:
    """60 of 120 leads from an event spread over the year: visitors are halved every month."""
    rows = _rows(SOURCED.replace(", AT", ""))
    assert all(visitors == 5 * leads for visitors, leads, _ in rows.values())
    assert sum(v for v, _, _ in rows.values()) == 600


def test_a_dated_fixed_source_arrives_on_its_date() -> None:
    """An event on 2027-07-01 brings 60 leads at once: inbound carries the first half of the
    year, then nothing is needed from it until the event's leads are used up."""
    rows = _rows(SOURCED.replace("AT", "at: 2027-07-01"))
    visitors = [rows[f"2027-{m:02d}"][0] for m in range(1, 13)]
    assert visitors[:6] == [100] * 6
    assert visitors[6:] == [0] * 6
    assert sum(visitors) == 600


def test_a_fixed_source_that_arrives_too_late_is_noted() -> None:
    """An event on the last day cannot cover the months before it: the schedule says so."""
    goals = parse(SOURCED.replace("AT", "at: 2027-12-31"))
    result = schedule(goals, solve(goals), "month")
    assert any("arrive after they are needed" in note for note in result.notes)
    assert sum(b.volumes[0] for b in result.buckets) == 600


def test_a_fixed_source_cost_is_in_the_budget() -> None:
    """An event's cost is spent on the stage it feeds and counted in the budget."""
    plan = solve(parse(SOURCED.replace("AT", "cost: 5000")))
    assert plan.stages[1].spend == Decimal(5000)
    assert plan.budget is not None
    assert plan.budget.total == Decimal(5000)


@pytest.mark.parametrize(
    ("start", "stop", "first", "label"),
    [
        (date(2027, 4, 1), date(2027, 7, 1), 4, "FY28 Q1"),
        (date(2028, 1, 1), date(2028, 4, 1), 4, "FY28 Q4"),
        (date(2027, 1, 1), date(2027, 4, 1), None, "2027-Q1"),
        (date(2027, 2, 1), date(2027, 5, 1), 2, "FY28 Q1"),
        (date(2027, 10, 1), date(2028, 1, 1), 10, "FY28 Q1"),
    ],
)
def test_fiscal_quarter_labels(start: date, stop: date, first: int | None, label: str) -> None:
    """A fiscal year is named by the calendar year it ends in."""
    assert period_label(start, stop, "quarter", first) == label


def test_quarters_align_to_the_fiscal_year() -> None:
    """A plan starting in May with an April fiscal year: the first row is May-June of FY28 Q1."""
    rows = _rows(
        "target: {clients: 40}\nperiod: {start: 2027-05-01, months: 8, fiscal_year_start: 4}\n"
        "stages:\n  - {name: leads}\n  - {name: won, rate: 20%}\n",
        "quarter",
    )
    assert list(rows) == ["2027-05-01…2027-06-30", "FY28 Q2", "FY28 Q3"]
    assert sum(r[1] for r in rows.values()) == 40


def test_a_weekly_plan_weighted_by_month() -> None:
    """52 weeks with one weight a month: a month weighted 2 closes twice as much as one of 1."""
    weights = [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    rows = _rows(
        "target: {clients: 1400}\n"
        f"period: {{start: 2027-01-04, weeks: 52, seasonality: {weights}}}\n"
        "stages:\n  - {name: leads}\n  - {name: won, rate: 20%}\n"
    )
    assert abs(rows["2027-03"][1] - 2 * rows["2027-04"][1]) <= 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  - {name: won, rate: 20%, lag: {60d: 30%, 30d: 100%}}\n", "from the shortest"),
        ("  - {name: won, rate: 20%, lag: {30d: 70%, 60d: 30%}}\n", "above the one before"),
        ("  - {name: won, rate: 20%, lag: {30d: 30%, 60d: 90%}}\n", "must reach 100%"),
        ("  - {name: won, rate: 20%, lag: {30x: 100%}}\n", "30x: a lag is a number"),
        ("  - {name: won, rate: 20%}\npipeline: {wun: 4}\n", "did you mean 'won'"),
        ("  - {name: won, rate: 20%}\npipeline: {won: 4}\n", "already won"),
        (
            "  - {name: won, rate: 20%}\nsources:\n  won:\n"
            "    - {name: a, share: 100%, at: 2027-02-01}\n",
            "only a fixed volume arrives on dates",
        ),
    ],
)
def test_bad_time_keys(extra: str, message: str) -> None:
    """New keys are checked and their errors say what to write."""
    text = "target: {clients: 4}\nstages:\n  - {name: leads}\n" + extra
    with pytest.raises(InputError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_pipeline_and_continuous_are_exclusive() -> None:
    """A continuous plan assumes its pipeline; an explicit one as well is refused."""
    with pytest.raises(InputError, match="give pipeline or continuous"):
        parse(PIPELINE.replace("months: 12", "months: 12, continuous: true"))


FISCAL = (
    "target: {clients: 4}\nperiod: {start: 2027-04-01, months: 3, fiscal_year_start: VALUE}\n"
    "stages:\n  - {name: a}\n  - {name: b, rate: 5%}\n"
)


def test_fiscal_year_start_reads_month_names() -> None:
    """fiscal_year_start takes 4, "4", apr or April; 13 is refused."""
    for value in ("4", "apr", "April"):
        goals = parse(FISCAL.replace("VALUE", value))
        assert goals.period is not None
        assert goals.period.fiscal_year_start == 4
    with pytest.raises(InputError, match="a month is 1 to 12"):
        parse(FISCAL.replace("VALUE", "13"))


def test_the_running_example_plans() -> None:
    """examples/running-plan.yaml: fiscal quarters, continuous, and a row past the end."""
    result = run_cli("plan", str(EXAMPLES / "running-plan.yaml"), "--by", "quarter", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "FY28 Q1" in result.stdout
