"""Time: schedules by month, quarter and week, stage lags, and tracking actuals."""

from __future__ import annotations

import bisect
import json
import math
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc.axis import Axis, window
from funnelcalc.curves import plan_curves
from funnelcalc.exact import floor_mul
from funnelcalc.fields import point
from funnelcalc.phasing import add_months, earliest, schedule, shift
from funnelcalc.solver import solve
from tests.conftest import EXAMPLES, WriteGoals, run_cli

MONTHLY = EXAMPLES / "monthly-plan.yaml"
ACTUALS = EXAMPLES / "actuals" / "q1.csv"


@st.composite
def timed_funnels(draw: st.DrawFn) -> str:
    """A goals file with a period, random seasonality and random lags."""
    unit = draw(st.sampled_from(["months", "quarters", "weeks"]))
    length = draw(st.integers(1, {"months": 24, "quarters": 8, "weeks": 30}[unit]))
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    lines = [
        f"target: {{clients: {draw(st.integers(1, 5000))}}}",
        f"period:\n  start: {start.isoformat()}\n  {unit}: {length}",
    ]
    if draw(st.booleans()):
        weights = draw(st.lists(st.integers(0, 9), min_size=length, max_size=length))
        if sum(weights):
            lines.append(f"  seasonality: {weights}")
    lines.append("stages:\n  - name: top")
    for index in range(draw(st.integers(1, 5))):
        rate = Fraction(draw(st.integers(1, 1000)), 1000)
        lag = draw(st.none() | st.sampled_from(["3d", "14d", "2w", "1m", "3m", "31d"]))
        lines.append(f"  - name: s{index}\n    rate: {float(rate)!r}")
        if lag:
            lines.append(f"    lag: {lag}")
    return "\n".join(lines) + "\n"


@given(timed_funnels(), st.sampled_from(["month", "quarter", "week"]))
def test_schedules_add_up_to_the_plan(text: str, by: str) -> None:
    """Summed over its periods, every stage's schedule equals the plan; no period is negative."""
    goals = parse(text)
    plan = solve(goals)
    result = schedule(goals, plan, by)
    for index, stage in enumerate(plan.stages):
        volumes = [bucket.volumes[index] for bucket in result.buckets]
        assert sum(volumes) == stage.volume
        assert min(volumes) >= 0


@given(timed_funnels())
def test_lagged_upstream_covers_the_stage_below_to_within_one(text: str) -> None:
    """At every day, what the stage above has done, converted forward and rounded down, covers
    what the stage below needs a lag later on the plan's axis to within one whole unit (each
    curve is its own volume's cumulative ceiling); every curve ends at the plan's volume."""
    goals = parse(text)
    plan = solve(goals)
    assert goals.period is not None
    axis = Axis(goals.period)
    curves = plan_curves(goals, plan).stages
    days = window(curves[0].origin, curves[0].origin + timedelta(days=len(curves[0].values) - 1))
    positions = [axis.position(day) for day in days]
    for index in range(1, len(curves)):
        stage = goals.stages[index]
        rate = point(stage.rate)
        assert rate is not None
        lag = stage.lag
        assert lag is None or isinstance(lag, str)  # these funnels have single lags
        delta = axis.delta(lag)
        for day, where in zip(days, positions, strict=True):
            later = days[max(0, bisect.bisect_right(positions, where + delta) - 1)]
            upstream = curves[index - 1].before(day)
            assert floor_mul(upstream, Fraction(rate)) >= curves[index].before(later) - 1
        assert curves[index].values[-1] == plan.stages[index].volume


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.sampled_from(["5d", "2w", "1m", "3m"]))
def test_earliest_is_the_first_day_a_lag_reaches(day: date, lag: str) -> None:
    """earliest(d, lag) + lag ≥ d, and one day earlier it is not."""
    first = earliest(day, lag)
    assert shift(first, lag) >= day
    assert shift(first.fromordinal(first.toordinal() - 1), lag) < day


def test_add_months_clamps_to_the_month_end() -> None:
    """31 January + 1 month is 28 February (29 in a leap year)."""
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 3, 15), -3) == date(2026, 12, 15)


def test_seasonality_spreads_the_closes() -> None:
    """Per-quarter weights [0.8, 1, 0.7, 1.5] over 60 clients: cumulative shares rounded up."""
    document = json.loads(run_cli("plan", str(MONTHLY), "--by", "quarter", "-f", "json").stdout)
    closes = [row["stages"]["clients"] for row in document["schedule"]]
    rounded = [math.ceil(60 * Fraction(w) / 4) for w in ("0.8", "1.8", "2.5", "4")]
    expected = [b - a for a, b in zip([0, *rounded], rounded, strict=False)]
    assert closes[-4:] == expected
    assert sum(closes) == 60


def test_lags_push_work_before_the_start_and_flag_it() -> None:
    """With a two-month sales cycle, SQLs and leads are due in the months before January."""
    document = json.loads(run_cli("plan", str(MONTHLY), "--by", "month", "-f", "json").stdout)
    early = [row for row in document["schedule"] if row["before_start"]]
    assert [row["period"] for row in early] == ["2026-10", "2026-11", "2026-12"]
    assert all(row["stages"]["clients"] == 0 for row in early)
    assert early[1]["stages"]["SQL"] > 0  # SQLs two months before the first closes
    table = run_cli("plan", str(MONTHLY), "--by", "month").stdout
    assert "2026-11 ⚠" in table
    assert "must happen before the plan starts" in table


def test_per_working_day_for_daily_stages() -> None:
    """Leads are daily work: ⌈leads in the month ÷ its working days⌉, holidays excluded."""
    document = json.loads(run_cli("plan", str(MONTHLY), "--by", "month", "-f", "json").stdout)
    january = next(row for row in document["schedule"] if row["period"] == "2027-01")
    assert january["working_days"] == 20  # 21 weekdays less New Year's Day
    leads = january["stages"]["leads"]
    assert january["per_working_day"] == {"leads": -(-leads // 20)}


def test_weeks_and_csv_and_markdown() -> None:
    """--by week works; CSV has a row per period; Markdown a schedule table."""
    weeks = run_cli("plan", str(MONTHLY), "--by", "week", "-f", "csv").stdout.splitlines()
    assert weeks[0].startswith("period,visitors,")
    schedule = weeks[: weeks.index("")]
    assert len(schedule) > 52
    markdown = run_cli("plan", str(MONTHLY), "--by", "month", "-f", "markdown").stdout
    assert "### Schedule by month" in markdown
    assert "| Total | 66,667 | 2,000 | 800 | 240 | 60 |" in markdown


def test_by_needs_a_period() -> None:
    """--by on a file without a period names what is missing."""
    result = run_cli("plan", str(EXAMPLES / "goals.yaml"), "--by", "month")
    assert result.exit_code == 2
    assert result.stderr.startswith("--by: ")
    assert "has no period" in result.stderr


def test_track_reports_pace_and_exits_1_when_behind() -> None:
    """Leads at 85% of plan are behind (beyond 10%); everything else is on track."""
    result = run_cli(
        "track", str(MONTHLY), "--actuals", str(ACTUALS), "--as-of", "2027-03-31", "-f", "json"
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    status = {s["name"]: s["status"] for s in document["stages"]}
    assert status == {
        "visitors": "on track",
        "leads": "behind",
        "MQL": "on track",
        "SQL": "on track",
        "clients": "on track",
    }
    leads = document["stages"][1]
    assert (leads["actual"], leads["planned"]) == (640, 757)  # planned from 2026-11-01 on
    assert leads["pace"] == 0.8454
    assert document["behind"] is True


def test_tolerance_and_as_of() -> None:
    """A 20% tolerance lets leads pass; an earlier --as-of counts fewer records."""
    loose = run_cli(
        "track",
        str(MONTHLY),
        "--actuals",
        str(ACTUALS),
        "--as-of",
        "2027-03-31",
        "--tolerance",
        "20%",
    )
    assert loose.exit_code == 0
    early = run_cli(
        "track", str(MONTHLY), "--actuals", str(ACTUALS), "--as-of", "2026-11-30", "-f", "json"
    )
    visitors = json.loads(early.stdout)["stages"][0]
    assert visitors["actual"] == 4600


def test_observed_rates_allow_for_lags() -> None:
    """Clients ÷ the SQLs done two months earlier: 12 ÷ 48 = 25%, the planned rate."""
    document = json.loads(
        run_cli(
            "track", str(MONTHLY), "--actuals", str(ACTUALS), "--as-of", "2027-03-31", "-f", "json"
        ).stdout
    )
    assert document["stages"][4]["observed_rate"] == 0.25


def test_reforecast_with_planned_and_observed_rates() -> None:
    """Still to do = the need in all (with the chosen rates) less what is done; the remaining
    periods add up to it."""
    for rates in ("planned", "observed"):
        document = json.loads(
            run_cli(
                "track",
                str(MONTHLY),
                "--actuals",
                str(ACTUALS),
                "--as-of",
                "2027-03-31",
                "--rates",
                rates,
                "-f",
                "json",
            ).stdout
        )
        for index, stage in enumerate(document["stages"]):
            assert stage["remaining"] == max(0, stage["needed"] - stage["actual"])
            spread = sum(row["stages"][stage["name"]] for row in document["reforecast"])
            assert spread == stage["remaining"], (rates, index)
    planned = json.loads(
        run_cli(
            "track", str(MONTHLY), "--actuals", str(ACTUALS), "--as-of", "2027-03-31", "-f", "json"
        ).stdout
    )
    assert [s["needed"] for s in planned["stages"]] == [66667, 2000, 800, 240, 60]


def test_track_reads_yaml_actuals(tmp_path: Path) -> None:
    """YAML records work like CSV rows, with dates or periods."""
    path = tmp_path / "actuals.yaml"
    path.write_text(
        "- {date: 2027-01-15, stage: visitors, count: 1000, spend: 500}\n"
        "- {period: 2027-Q1, stage: clients, count: 3}\n",
        encoding="utf-8",
    )
    document = json.loads(
        run_cli(
            "track", str(MONTHLY), "--actuals", str(path), "--as-of", "2027-03-31", "-f", "json"
        ).stdout
    )
    assert document["stages"][0]["actual"] == 1000
    assert document["stages"][0]["spend"] == 500
    assert document["stages"][4]["actual"] == 3


def test_track_table_csv_markdown() -> None:
    """Every format carries the status and the re-forecast."""
    args = ["track", str(MONTHLY), "--actuals", str(ACTUALS), "--as-of", "2027-03-31"]
    assert "✗ behind" in run_cli(*args).stdout
    assert "leads,640,757,0.8454,0.03,0.0257,behind" in run_cli(*args, "-f", "csv").stdout
    assert "### Re-forecast" in run_cli(*args, "-f", "markdown").stdout


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("date,stage,count\n2027-13-01,leads,5\n", ".csv", ":2: date: '2027-13-01' is not a date"),
        (
            "date,stage,count\n2027-01-01,lead,5\n",
            ".csv",
            ":2: stage: no stage is named 'lead'; did you mean 'leads'?",
        ),
        ("date,stage,count\n2027-01-01,leads,-5\n", ".csv", ":2: count: is a whole number"),
        ("date,stage,cnt\n", ".csv", ":1: unknown column 'cnt'; did you mean 'count'?"),
        ("date,period,stage,count\n2027-01-01,2027-01,leads,5\n", ".csv", "give either a date"),
        ("period,stage,count\n2027-13,leads,5\n", ".csv", "'2027-13' is not a period"),
        ("date,stage,count\n2027-01-01,leads,5,9\n", ".csv", ":2: has more cells than the header"),
        (
            "date,stage,count,spend\n2027-01-01,leads,5,-1\n",
            ".csv",
            "spend: a cost must not be negative",
        ),
        ("", ".csv", "is empty: it needs a header row"),
        ("date,stage,count\n", ".csv", "has no records"),
        ("- {date: 2027-01-01, stage: leads, cnt: 5}\n", ".yaml", ":1: cnt: unknown field 'cnt'"),
        ("- {date: 2027-01-01, stage: leads}\n", ".yaml", ":1: count: is a whole number"),
        ("stage: leads\n", ".yaml", "must be a list of records"),
        ("- [1, 2]\n", ".yml", ":1: a record must be a mapping of fields"),
        ("x", ".txt", "name actuals .csv, .yaml or .yml"),
        ("\x00\x01", ".csv", "is a binary file"),
    ],
)
def test_bad_actuals(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    """Every bad actuals file is exit 2 with its file and line and a clear message."""
    path = tmp_path / f"actuals{suffix}"
    path.write_text(content, encoding="utf-8")
    result = run_cli("track", str(MONTHLY), "--actuals", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(str(path))
    assert message in result.stderr


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--as-of", "31/03/2027", "--as-of: '31/03/2027' is not a date"),
        ("--tolerance", "lots", "--tolerance: a tolerance is a number"),
        ("--tolerance", "150%", "--tolerance: a tolerance is at most 100%"),
        ("--rates", "guessed", "guessed"),
    ],
)
def test_bad_track_flags(flag: str, value: str, message: str) -> None:
    """Bad --as-of, --tolerance and --rates are usage errors naming the flag."""
    result = run_cli("track", str(MONTHLY), "--actuals", str(ACTUALS), flag, value)
    assert result.exit_code == 2
    assert message in result.stderr


def test_track_needs_a_period(write_goals: WriteGoals) -> None:
    """A goals file without a period cannot be tracked."""
    result = run_cli("track", str(EXAMPLES / "goals.yaml"), "--actuals", str(ACTUALS))
    assert result.exit_code == 2
    assert "has no period: track needs `period:`" in result.stderr
