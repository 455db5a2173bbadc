"""Ranges wherever a number is an estimate: a source's rate and cost, a lag, a seasonality
weight. Plans and schedules use the likely value (or midpoint) and say so; simulate draws the
source ranges, which change the totals (lags and weights only move work in time)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import WriteGoals, run_cli

CHANNELS = """\
target: {revenue: 300000}
deal_size: 10000
period:
  start: 2027-01-01
  quarters: 4
  seasonality: [1, WEIGHT, 1, 1.2]
stages:
  - {name: visitors}
  - {name: leads, rate: 3%}
  - {name: won, rate: 10%, lag: LAG}
sources:
  leads:
    - {name: events, volume: 100, cost: 5000}
    - {name: paid, share: 60%, rate: PAID_RATE, cost: PAID_COST}
    - {name: organic, share: 40%, rate: 2.5%}
"""
POINTS = {"WEIGHT": "1", "LAG": "30d", "PAID_RATE": "3%", "PAID_COST": "1.2"}
RANGES = {
    "WEIGHT": "{low: 0.8, high: 1.2, likely: 1}",
    "LAG": "{low: 14d, high: 60d, likely: 30d}",
    "PAID_RATE": "{low: 2%, high: 4%, likely: 3%}",
    "PAID_COST": "{low: 0.8, high: 1.6, likely: 1.2}",
}


def goals(values: dict[str, str]) -> str:
    text = CHANNELS
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def json_of(*args: str, stdin: str) -> Any:
    """The JSON document a command prints."""
    result = run_cli(*args, "-f", "json", stdin=stdin)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_plans_and_schedules_use_the_likely_values() -> None:
    """The plan and its schedule with ranges equal those with the likely values written."""
    for args in (["plan", "-"], ["plan", "-", "--by", "quarter"]):
        estimated = json_of(*args, stdin=goals(RANGES))
        known = json_of(*args, stdin=goals(POINTS))
        assert estimated["stages"] == known["stages"]
        assert estimated.get("schedule") == known.get("schedule")
    # by hand: 300,000 ÷ 10,000 = 30 won ÷ 10% = 300 leads; the event brings 100, so paid
    # brings ⌈200 × 60%⌉ = 120 at 3% (4,000 visitors) and organic 80 at 2.5% (3,200)
    stages = json_of("plan", "-", stdin=goals(RANGES))["stages"]
    assert [s["volume"] for s in stages] == [7200, 300, 30]


def test_every_range_is_listed_as_an_assumption() -> None:
    """Each range is named with its kind, and the table says how it is used."""
    document = json_of("plan", "-", stdin=goals(RANGES))
    listed = {a["key"]: a["kind"] for a in document["assumptions"]}
    assert listed == {
        "stages.won.lag": "lag",
        "sources.leads.paid.rate": "rate",
        "sources.leads.paid.cost": "money",
        "period.seasonality[1]": "weight",
    }
    text = " ".join(run_cli("plan", "-", stdin=goals(RANGES)).stdout.split())
    assert "stages.won.lag is planned at 30d, the likely value of 14d to 60d" in text
    assert "the totals do not depend on it" in text


def test_simulate_draws_source_rates_and_costs() -> None:
    """With a paid rate and cost as ranges, visitors and the budget spread; P50 sits near the
    plan; without them every run is the plan."""
    spread = json_of("simulate", "-", "--runs", "20000", stdin=goals(RANGES))
    visitors = spread["stages"][0]
    assert visitors["p10"] < visitors["volume"] < visitors["p90"]
    budget = spread["budget_percentiles"]
    assert budget["p10"] < spread["budget"] < budget["p90"]
    fixed = json_of("simulate", "-", "--runs", "200", stdin=goals(POINTS))
    assert fixed["stages"][0]["p10"] == fixed["stages"][0]["p90"] == 7200
    # the event's own cost is in the simulated budget as in the plan's
    assert fixed["budget_percentiles"]["p50"] == fixed["budget"]


@pytest.mark.parametrize(
    ("value", "key", "message"),
    [
        ("LAG", "stages.won.lag", "low must be shorter than high"),
        ("WEIGHT", "period.seasonality[1]", "low must be below high"),
        ("PAID_RATE", "sources.leads[1].rate", "low must be below high"),
    ],
)
def test_a_backwards_range_is_located(
    write_goals: WriteGoals, value: str, key: str, message: str
) -> None:
    """A range whose low is not below its high is named at its key, exit 2."""
    backwards = {
        "LAG": "{low: 60d, high: 14d}",
        "WEIGHT": "{low: 1.2, high: 0.8}",
        "PAID_RATE": "{low: 4%, high: 2%}",
    }
    path = write_goals(goals({**POINTS, value: backwards[value]}))
    result = run_cli("plan", str(path))
    assert result.exit_code == 2
    assert f": {key}: " in result.stderr
    assert message in result.stderr
