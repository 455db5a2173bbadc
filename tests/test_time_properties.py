"""Time v2 properties: one daily curve per stage, every view an aggregation of it, flat plans
flat at every stage, continuous plans that never stop."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc.curves import plan_curves
from funnelcalc.phasing import Schedule, schedule
from funnelcalc.solver import solve
from funnelcalc.timeline import period_end

LAGS = [
    "3d",
    "14d",
    "2w",
    "1m",
    "3m",
    "31d",
    "{30d: 30%, 60d: 70%, 120d: 100%}",
    "{1m: 50%, 2m: 100%}",
]


@st.composite
def funnels(
    draw: st.DrawFn,
    *,
    units: tuple[str, ...] = ("months", "quarters", "weeks"),
    flat: bool = False,
    continuous: bool | None = None,
    lags: bool = True,
    least: int = 1,
    first_of_month: bool = False,
) -> str:
    """A goals file with a period, seasonality, lags (single or cohort curves)."""
    unit = draw(st.sampled_from(units))
    length = draw(st.integers(1, {"months": 18, "quarters": 6, "weeks": 40}[unit]))
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    if first_of_month:
        start = start.replace(day=1)
    going = draw(st.booleans()) if continuous is None else continuous
    lines = [
        f"target: {{clients: {draw(st.integers(least, 5000))}}}",
        f"period:\n  start: {start.isoformat()}\n  {unit}: {length}",
        f"  continuous: {str(going).lower()}",
    ]
    if not flat and draw(st.booleans()):
        weights = draw(st.lists(st.integers(1, 9), min_size=length, max_size=length))
        lines.append(f"  seasonality: {weights}")
    lines.append("stages:\n  - name: top")
    for index in range(draw(st.integers(1, 4))):
        rate = draw(st.integers(1, 1000))
        lines.append(f"  - name: s{index}\n    rate: {rate / 10}%")
        lag = draw(st.none() | st.sampled_from(LAGS)) if lags else None
        if lag:
            lines.append(f"    lag: {lag}")
    return "\n".join(lines) + "\n"


def _in_period(result: Schedule, index: int) -> list[int]:
    return [bucket.volumes[index] for bucket in result.in_period]


def _planned(result: Schedule, index: int) -> list[int]:
    """The rows the plan's totals cover: pre-start ones too, none past the end."""
    return [bucket.volumes[index] for bucket in result.buckets if not bucket.after_end]


@given(funnels())
def test_the_daily_curve_sums_exactly_to_the_plan(text: str) -> None:
    """Each stage's curve rises by exactly its volume over the plan (from its first work, or
    over the period when continuous) and never falls."""
    goals = parse(text)
    plan = solve(goals)
    assert goals.period is not None
    end = period_end(goals.period)
    curves = plan_curves(goals, plan).stages
    for curve, stage in zip(curves, plan.stages, strict=True):
        begin = goals.period.start if goals.period.continuous else curve.origin
        assert curve.between(begin, end) == stage.volume
        assert all(a <= b for a, b in zip(curve.values, curve.values[1:], strict=False))


@given(funnels(first_of_month=True))
def test_month_quarter_and_week_views_agree(text: str) -> None:
    """Months add up to their quarters; every view's in-period rows add up to the plan."""
    goals = parse(text)
    plan = solve(goals)
    views = {by: schedule(goals, plan, by) for by in ("month", "quarter", "week")}
    for result in views.values():
        for index, stage in enumerate(plan.stages):
            assert sum(_planned(result, index)) == stage.volume
            assert min(b.volumes[index] for b in result.buckets) >= 0
    months = views["month"].buckets
    for quarter in views["quarter"].buckets:
        inside = [m for m in months if quarter.start <= m.start and m.end <= quarter.end]
        if inside and inside[0].start == quarter.start and inside[-1].end == quarter.end:
            summed = [sum(m.volumes[i] for m in inside) for i in range(len(plan.stages))]
            assert tuple(summed) == quarter.volumes


@given(
    st.lists(st.integers(0, 9), min_size=4, max_size=4).filter(sum),
    st.dates(date(2020, 1, 1), date(2035, 12, 1)).map(lambda d: d.replace(day=1)),
    st.integers(1, 3000),
    st.sampled_from(["", "    lag: 14d\n", "    lag: {30d: 40%, 90d: 100%}\n"]),
)
def test_months_and_quarters_with_the_same_seasonality_agree(
    weights: list[int], start: date, clients: int, lag: str
) -> None:
    """`months: 12` and `quarters: 4` with the same weights per quarter (or per month) give
    the same quarterly totals at every stage."""
    stages = f"stages:\n  - name: leads\n  - name: won\n    rate: 3%\n{lag}"
    monthly = [w for w in weights for _ in range(3)]
    texts = [
        f"target: {{clients: {clients}}}\n"
        f"period: {{start: {start}, {length}, seasonality: {spread}}}\n{stages}"
        for length, spread in (
            ("months: 12", weights),
            ("quarters: 4", weights),
            ("months: 12", monthly),
        )
    ]
    results = []
    for text in texts:
        goals = parse(text)
        results.append([b.volumes for b in schedule(goals, solve(goals), "quarter").buckets])
    assert results[0] == results[1] == results[2]


@given(funnels(units=("months", "quarters"), flat=True, continuous=True, first_of_month=True))
def test_a_flat_continuous_plan_has_flat_months_at_every_stage(text: str) -> None:
    """Without seasonality a going concern's months differ by at most 2 at every stage."""
    goals = parse(text)
    plan = solve(goals)
    result = schedule(goals, plan, "month")
    for index in range(len(plan.stages)):
        months = _in_period(result, index)
        assert max(months) - min(months) <= 2, (index, months)


@given(funnels(units=("months", "quarters"), flat=True, continuous=False, lags=False))
def test_a_flat_plan_without_lags_has_flat_months(text: str) -> None:
    """Without seasonality or lags the months differ by at most 2 at every stage."""
    goals = parse(text)
    plan = solve(goals)
    result = schedule(goals, plan, "month")
    assert not any(b.before_start for b in result.buckets)
    for index in range(len(plan.stages)):
        months = [b.volumes[index] for b in result.buckets if b.end - b.start >= _MONTH]
        assert max(months) - min(months) <= 2, (index, months)


_MONTH = date(2000, 1, 29) - date(2000, 1, 1)


@given(funnels(units=("months", "quarters"), continuous=True, least=1000))
def test_a_continuous_plan_never_stops_at_the_top(text: str) -> None:
    """With `continuous: true` no month of the top stage is 0, to the last."""
    goals = parse(text)
    plan = solve(goals)
    result = schedule(goals, plan, "month")
    assert not any(b.before_start for b in result.buckets)
    assert all(volume > 0 for volume in _in_period(result, 0))
    assert result.in_period[0].start == goals.period.start if goals.period else False


@given(funnels(continuous=True))
def test_continuous_rows_past_the_end_are_flagged_and_not_in_the_totals(text: str) -> None:
    """Rows past the end are marked after_end; the rows within the period add up to the plan."""
    goals = parse(text)
    plan = solve(goals)
    assert goals.period is not None
    result = schedule(goals, plan, "month")
    end = period_end(goals.period)
    assert all(b.after_end == (b.start >= end) for b in result.buckets)
    for index, stage in enumerate(plan.stages):
        assert sum(_in_period(result, index)) == stage.volume == sum(_planned(result, index))
