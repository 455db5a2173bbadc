"""Uncertainty and levers: ranges, simulate, levers, solve and project."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest

from funnelcalc import parse
from funnelcalc.simulate import simulate
from funnelcalc.uncertainty import beta_cdf, pert_for, quantile
from tests.conftest import EXAMPLES, GOALS, run_cli

WATERFALL = EXAMPLES / "uncertain-waterfall.yaml"


def test_plan_uses_likely_values_and_midpoints_and_says_so() -> None:
    """A range plans at its likely value, else its midpoint, and the plan says so."""
    text = (
        "target: {clients: 10}\nstages:\n  - {name: a}\n  - {name: b, rate: {low: 2%, high: 3%}}\n"
    )
    result = run_cli("plan", "-", "-f", "json", stdin=text)
    document = json.loads(result.stdout)
    assert document["stages"][1]["rate"] == 0.025
    assert document["stages"][0]["volume"] == 400  # ⌈10 ÷ 2.5%⌉
    assert document["assumptions"] == [
        {
            "key": "stages.b.rate",
            "low": 0.02,
            "high": 0.03,
            "used": 0.025,
            "basis": "midpoint",
            "kind": "rate",
        }
    ]
    table = run_cli("plan", str(WATERFALL)).stdout
    assert "deal_size is planned at $10,000, the likely value of $8,000 to $13,000" in table


def test_simulation_without_ranges_is_the_plan_exactly() -> None:
    """With nothing uncertain every run is the plan: P10 = P50 = P90 = the plan's volume."""
    goals = parse(GOALS.read_bytes())
    result = simulate(goals, runs=1000, seed=1, capacity={})
    for stage, spread in zip(result.plan.stages, result.stages, strict=True):
        assert spread.p10 == spread.p50 == spread.p90 == stage.volume
    assert result.probability is None


def test_simulate_is_reproducible() -> None:
    """The same seed gives the same output; another seed another."""
    first = run_cli("simulate", str(WATERFALL), "--runs", "2000", "--seed", "7", "-f", "json")
    again = run_cli("simulate", str(WATERFALL), "--runs", "2000", "--seed", "7", "-f", "json")
    other = run_cli("simulate", str(WATERFALL), "--runs", "2000", "--seed", "8", "-f", "json")
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout


def test_simulate_json_keys_and_probability() -> None:
    """Each stage gains p10/p50/p90; with a capacity the document gains probability."""
    document = json.loads(
        run_cli("simulate", str(WATERFALL), "--runs", "5000", "-f", "json").stdout
    )
    for stage in document["stages"]:
        assert stage["p10"] <= stage["p50"] <= stage["p90"]
        assert isinstance(stage["p50"], int)
    assert document["capacity"] == {"inquiries": 12000}
    assert 0 < document["probability"] <= 1
    assert document["successes"] == round(document["probability"] * 5000)
    plain = json.loads(run_cli("simulate", str(GOALS), "--runs", "100", "-f", "json").stdout)
    assert plain["probability"] is None


def test_given_capacity_overrides_limits() -> None:
    """--given tests that capacity: enough for all runs, or for none."""
    huge = run_cli(
        "simulate", str(WATERFALL), "--runs", "2000", "--given", "inquiries=1000000", "-f", "json"
    )
    assert json.loads(huge.stdout)["probability"] == 1
    tiny = run_cli(
        "simulate", str(WATERFALL), "--runs", "2000", "--given", "inquiries=10", "-f", "json"
    )
    assert json.loads(tiny.stdout)["probability"] == 0


def test_deal_size_percentiles_match_the_closed_form() -> None:
    """One uncertain deal size, certain rates: clients = ⌈revenue ÷ deal⌉, so the P90 of the
    clients is ⌈revenue ÷ the deal's P10⌉, which the log-normal gives in closed form."""
    text = (
        "target: {revenue: 10000000}\ndeal_size: {low: 20000, high: 50000, likely: 30000}\n"
        "stages:\n  - {name: leads}\n  - {name: won, rate: 25%}\n"
    )
    result = simulate(parse(text), runs=200_000, seed=3, capacity={})
    for spread_value, p in (
        (result.stages[1].p90, 0.1),
        (result.stages[1].p50, 0.5),
        (result.stages[1].p10, 0.9),
    ):
        deal = quantile(20000, 50000, 30000, p, bounded=False)
        expected = math.ceil(10_000_000 / deal)
        assert abs(int(spread_value) - expected) <= max(1, expected // 100), (
            p,
            spread_value,
            expected,
        )


def test_rate_percentiles_match_the_closed_form() -> None:
    """One uncertain rate: the top's P90 is ⌈clients ÷ the rate's P10⌉ (a fitted PERT)."""
    text = (
        "target: {clients: 1000}\nstages:\n  - {name: leads}\n"
        "  - {name: won, rate: {low: 5%, high: 15%}}\n"
    )
    result = simulate(parse(text), runs=200_000, seed=5, capacity={})
    for spread_value, p in ((result.stages[0].p90, 0.1), (result.stages[0].p10, 0.9)):
        rate = quantile(0.05, 0.15, None, p, bounded=True)
        expected = math.ceil(1000 / rate)
        assert abs(int(spread_value) - expected) <= expected // 100, (p, spread_value, expected)
    assert quantile(0.05, 0.15, None, 0.05, bounded=True) == pytest.approx(0.05)
    assert quantile(0.05, 0.15, None, 0.95, bounded=True) == pytest.approx(0.15)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "--runs: give from 1 to 1,000,000 runs"),
        (["--given", "inquiry=5"], "did you mean 'inquiries'?"),
        (["--given", "inquiries"], "expected STAGE=VOLUME"),
        (["--given", "inquiries=-5"], "a whole number above 0"),
    ],
)
def test_bad_simulate_flags(args: list[str], message: str) -> None:
    """Bad runs and capacities are usage errors."""
    result = run_cli("simulate", str(WATERFALL), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_levers_are_ranked() -> None:
    """+10% on the leads rate cuts the visitors most; each lever is re-planned exactly."""
    document = json.loads(run_cli("levers", str(GOALS), "-f", "json").stdout)
    assert document["base"] == {"top": 20000, "clients": 10, "budget": None}
    first = document["levers"][0]
    assert first["key"] == "stages[1].rate"
    assert first["plus_one_point"] == {"value": 0.035, "top": 14286, "clients": 10, "budget": None}
    assert first["plus_ten_percent"]["top"] == 18182  # ⌈500 ÷ 2.75%⌉
    cuts = [20000 - lever["plus_ten_percent"]["top"] for lever in document["levers"]]
    assert cuts == sorted(cuts, reverse=True)
    deal = next(lever for lever in document["levers"] if lever["key"] == "deal_size")
    assert deal["plus_one_point"] is None
    assert deal["plus_ten_percent"]["clients"] == 10  # $55,000 a deal still needs 10 clients


def test_levers_with_costs_show_the_budget() -> None:
    """With costs, each lever says what it does to the budget."""
    document = json.loads(
        run_cli("levers", str(EXAMPLES / "saas-growth.yaml"), "-f", "json").stdout
    )
    assert all(lever["plus_ten_percent"]["budget"] is not None for lever in document["levers"])
    assert "Budget" in run_cli("levers", str(EXAMPLES / "saas-growth.yaml")).stdout


def test_solve_for_a_rate_exactly() -> None:
    """With 15,000 visitors, leads must convert at ≥ 500 ÷ 15,000 = 1/30: 3.3334% to use."""
    result = run_cli(
        "solve", str(GOALS), "--for", "stages.leads.rate", "--given", "visitors=15000", "-f", "json"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["exact"] == {"numerator": 1, "denominator": 30}
    assert document["smallest"] == 0.033334
    assert document["plan"]["stages"][0]["volume"] <= 15000
    # one millionth less would not do
    below = run_cli("plan", str(GOALS), "--set", "stages.leads.rate=0.033333", "-f", "json")
    assert json.loads(below.stdout)["stages"][0]["volume"] > 15000


def test_solve_for_the_deal_size() -> None:
    """With 15,000 visitors the plan affords 7 clients: deals of ⌈$500,000 ÷ 7⌉ to the cent."""
    document = json.loads(
        run_cli(
            "solve", str(GOALS), "--for", "deal_size", "--given", "visitors=15000", "-f", "json"
        ).stdout
    )
    assert document["smallest"] == 71428.58
    assert document["exact"] == {"numerator": 500000, "denominator": 7}


def test_solve_says_when_it_is_impossible() -> None:
    """100 visitors cannot bring 500 leads at any rate: exit 1 and a clear message."""
    result = run_cli("solve", str(GOALS), "--for", "stages.leads.rate", "--given", "visitors=100")
    assert result.exit_code == 1
    assert "it would need more than 100%" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--for", "stages.visitors.rate", "--given", "visitors=1"], "no stage below the top"),
        (["--for", "stages.leads.rate", "--given", "SQL=10"], "is not above the rate solved for"),
        (["--for", "target.revenue", "--given", "visitors=10"], "solve for a stage's rate"),
        (["--for", "stages.leads.rate", "--given", "visitor=10"], "did you mean 'visitors'?"),
    ],
)
def test_bad_solve(args: list[str], message: str) -> None:
    """Unsolvable questions are usage errors naming the flag."""
    result = run_cli("solve", str(GOALS), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_project_forward() -> None:
    """1,000 inquiries at 10%, 85%, 60%, 30% and $10,000 a customer: 100 / 85 / 51 / 15 and
    $150,000."""
    document = json.loads(
        run_cli("project", str(WATERFALL), "--from", "inquiries=1000", "-f", "json").stdout
    )
    assert [s["volume"] for s in document["stages"]] == [1000, 100, 85, 51, 15]
    assert document["revenue"] == 150000
    assert document["gap"] == -850000
    table = run_cli("project", str(WATERFALL), "--from", "inquiries=1000").stdout
    assert "$850,000 short of the $1,000,000 target" in table


def test_project_from_a_middle_stage() -> None:
    """From SQLs down, stages above are left out."""
    document = json.loads(run_cli("project", str(GOALS), "--from", "SQL=60", "-f", "json").stdout)
    assert [s["name"] for s in document["stages"]] == ["SQL", "clients"]
    assert document["clients"] == 12
    assert document["gap"] == 100000


def test_every_new_command_in_every_format() -> None:
    """simulate, levers, solve and project render in table, json, csv and markdown."""
    commands = [
        ["simulate", str(WATERFALL), "--runs", "500"],
        ["levers", str(GOALS)],
        ["solve", str(GOALS), "--for", "stages.leads.rate", "--given", "visitors=15000"],
        ["project", str(WATERFALL), "--from", "inquiries=1000"],
    ]
    for command in commands:
        for output_format in ("table", "json", "csv", "markdown"):
            result = run_cli(*command, "-f", output_format)
            assert result.exit_code == 0, (command, output_format, result.stderr)
            assert result.stdout.strip()


@pytest.mark.parametrize(
    ("low", "high", "likely"),
    [(0.08, 0.13, 0.10), (0.02, 0.035, None), (0.5, 0.68, 0.6), (0.001, 0.004, 0.0015)],
)
def test_pert_is_fitted_to_the_90_percent_interval(
    low: float, high: float, likely: float | None
) -> None:
    """The fitted PERT's 5th and 95th percentiles are the range, its mode the likely value."""
    pert = pert_for(low, high, likely)
    assert pert.quantile(0.05) == pytest.approx(low, rel=1e-6)
    assert pert.quantile(0.95) == pytest.approx(high, rel=1e-6)
    mode = pert.lower + (pert.upper - pert.lower) * (pert.alpha - 1) / (pert.alpha + pert.beta - 2)
    assert mode == pytest.approx(likely if likely is not None else (low + high) / 2, rel=1e-6)
    assert 0 <= pert.lower < low < high < pert.upper <= 1


def test_beta_distribution_function() -> None:
    """I_x(a, b) agrees with closed forms: Beta(2, 3) at ½ is 11/16; Beta(1, 1) is uniform;
    Beta(5, 2) is x⁵(6 − 5x)."""
    assert beta_cdf(2, 3, 0.5) == pytest.approx(11 / 16, abs=1e-12)
    assert beta_cdf(1, 1, 0.3) == pytest.approx(0.3, abs=1e-12)
    assert beta_cdf(5, 2, 0.9) == pytest.approx(0.9**5 * (6 - 5 * 0.9), abs=1e-12)


@pytest.mark.parametrize(
    ("text", "exit_code"),
    [
        (  # a 26-digit revenue: too big for 64-bit integers, and too many clients
            "target: {revenue: 10000000000000000000000000}\ndeal_size: {low: 1, high: 2}\n"
            "stages:\n  - {name: a}\n  - {name: b, rate: 50%}\n",
            2,
        ),
        (  # a 27-digit rate and cost: exact in Python integers, never wrapped round
            "target: {clients: 7}\nstages:\n  - {name: a, cost: 0.000000000000000000000000001}\n"
            "  - {name: b, rate: 0.123456789012345678901234567}\n"
            "  - {name: c, rate: {low: 10%, high: 20%}}\n",
            0,
        ),
    ],
)
def test_simulate_never_overflows(text: str, exit_code: int) -> None:
    """Numbers too big for int64 are computed exactly or refused, never wrapped round."""
    result = run_cli("simulate", "-", "--runs", "500", "-f", "json", stdin=text)
    assert result.exit_code == exit_code, result.stderr
    assert "internal error" not in result.stderr
    if exit_code == 0:
        stages = json.loads(result.stdout)["stages"]
        rate = Fraction("0.123456789012345678901234567")
        # a = ⌈b ÷ rate⌉ in every run, so their medians keep the same exact relation
        assert stages[0]["p50"] == math.ceil(Fraction(stages[1]["p50"]) / rate)
