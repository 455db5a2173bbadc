"""Honest odds: chance (binomial, whole people) on top of the ranges, checked against closed
forms computed here, independently of funnelcalc."""

from __future__ import annotations

import json
from fractions import Fraction
from math import comb, sqrt

import pytest

from tests.conftest import EXAMPLES, WriteGoals, run_cli

RUNS = 200_000


def tail(trials: int, rate: Fraction, at_least: int) -> float:
    """P(X ≥ at_least) for X ~ Binomial(trials, rate), exactly."""
    total = sum(
        (
            comb(trials, k) * rate**k * (1 - rate) ** (trials - k)
            for k in range(at_least, trials + 1)
        ),
        Fraction(0),
    )
    return float(total)


def odds(path: str, *args: str) -> dict[str, object]:
    result = run_cli("simulate", path, "--runs", str(RUNS), "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def close(found: object, exact: float) -> bool:
    """Within five standard errors of the exact probability."""
    assert isinstance(found, float | int)
    return abs(found - exact) <= 5 * sqrt(exact * (1 - exact) / RUNS) + 1e-4


def test_forty_proposals_at_thirty_percent(write_goals: WriteGoals) -> None:
    """The issue's case: 40 proposals at 30% bring 12+ wins about 56% of the time, not 100%."""
    path = write_goals(
        "target: {clients: 12}\nstages:\n  - {name: proposals}\n  - {name: won, rate: 30%}\n"
    )
    document = odds(str(path), "--given", "proposals=40")
    assert document["probability"] == 1  # 40 ≥ ⌈12 ÷ 0.3⌉: enough if every rate holds exactly
    assert close(document["probability_with_chance"], tail(40, Fraction(3, 10), 12))


def test_a_chain_of_stages_thins_to_one_binomial(write_goals: WriteGoals) -> None:
    """Binomial(Binomial(n, p), q) is Binomial(n, p·q): 500 leads at 20% then 25% for 20 wins."""
    path = write_goals(
        "target: {clients: 20}\nstages:\n  - {name: leads}\n  - {name: SQL, rate: 20%}\n"
        "  - {name: won, rate: 25%}\n"
    )
    document = odds(str(path), "--given", "leads=500")
    assert close(document["probability_with_chance"], tail(500, Fraction(1, 20), 20))


def test_a_capacity_below_caps_the_flow(write_goals: WriteGoals) -> None:
    """SQL capped at 30 (say, what sales can work): wins ~ Binomial(min(SQL, 30), 25%)."""
    path = write_goals(
        "target: {clients: 8}\nstages:\n  - {name: leads}\n  - {name: SQL, rate: 20%}\n"
        "  - {name: won, rate: 25%}\n"
    )
    document = odds(str(path), "--given", "leads=1000", "--given", "SQL=30")
    # with 1,000 leads at 20% the SQL are ~200, so the cap of 30 almost always binds
    assert close(document["probability_with_chance"], tail(30, Fraction(1, 4), 8))


def test_a_file_without_ranges_is_flagged(write_goals: WriteGoals) -> None:
    """A simulation of certainties says so."""
    path = write_goals("target: {clients: 2}\nstages:\n  - {name: a}\n  - {name: b, rate: 50%}\n")
    text = run_cli("simulate", str(path), "--runs", "100").stdout
    assert "No value in the file is a range" in text


@pytest.mark.parametrize("seed", ["0", "7"])
def test_chance_draws_leave_the_range_figures_alone(seed: str) -> None:
    """The input-only percentiles of a seed do not change when chance is added."""

    path = str(EXAMPLES / "uncertain-waterfall.yaml")
    without = run_cli("simulate", path, "--runs", "5000", "--seed", seed, "-f", "json")
    capacity = run_cli(
        "simulate",
        path,
        "--runs",
        "5000",
        "--seed",
        seed,
        "-f",
        "json",
        "--given",
        "inquiries=9000",
    )
    plain, given = json.loads(without.stdout), json.loads(capacity.stdout)
    for a, b in zip(plain["stages"], given["stages"], strict=True):
        assert (a["p10"], a["p50"], a["p90"]) == (b["p10"], b["p50"], b["p90"])
    assert given["chance_successes"] is not None


def test_solve_meets_every_given_capacity() -> None:
    """Two --given: the answer is the larger of the two answers alone, and its plan fits both."""
    base = ["solve", str(EXAMPLES / "goals.yaml"), "--for", "stages.MQL.rate", "-f", "json"]

    def smallest(*givens: str) -> dict[str, object]:
        args = [arg for given in givens for arg in ("--given", given)]
        result = run_cli(*base, *args)
        assert result.exit_code == 0, result.stderr
        document: dict[str, object] = json.loads(result.stdout)
        return document

    alone = [smallest(g)["smallest"] for g in ("visitors=15000", "leads=400")]
    both = smallest("visitors=15000", "leads=400")
    assert alone == [0.533334, 0.5]
    assert both["smallest"] == max(alone)  # type: ignore[type-var]
    assert both["givens"] == [
        {"stage": "visitors", "volume": 15000},
        {"stage": "leads", "volume": 400},
    ]
    plan = both["plan"]
    assert isinstance(plan, dict)
    volumes = {stage["name"]: stage["volume"] for stage in plan["stages"]}
    assert volumes["visitors"] <= 15000
    assert volumes["leads"] <= 400


def test_a_capacity_beyond_any_plan_is_not_an_error(write_goals: WriteGoals) -> None:
    """10²² visitors (found by the fuzzer): more than int64 holds; chance says certain."""
    path = write_goals("target: {clients: 1}\nstages:\n  - {name: a}\n  - {name: b, rate: 2.5%}\n")
    document = odds(str(path), "--given", "a=10000000000000000000000")
    assert document["probability_with_chance"] == 1
