"""Unit tests of the exact back-calculation."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from funnelcalc import load, parse
from funnelcalc.ownership import handoffs, owner_spans
from funnelcalc.solver import clients_needed, project, solve
from tests.conftest import GOALS, GOALS_TEXT


def volumes_needed(clients: int, *rates: str) -> list[int]:
    """The plan of `clients` clients through stages at `rates`, top first."""
    stages = "".join(f"  - {{name: s{i}, rate: {rate}}}\n" for i, rate in enumerate(rates))
    text = f"target: {{clients: {clients}}}\nstages:\n  - {{name: top}}\n{stages}"
    return [stage.volume for stage in solve(parse(text)).stages]


def rates(*texts: str) -> list[Fraction]:
    return [Fraction(Decimal(t)) for t in texts]


def test_classic_example_plans_to_published_volumes() -> None:
    """examples/goals.yaml needs 20,000 / 500 / 200 / 50 / 10."""
    plan = solve(load(GOALS))
    assert [s.volume for s in plan.stages] == [20000, 500, 200, 50, 10]
    assert plan.revenue == Decimal(500000)
    assert plan.surplus == 0


def test_deals_are_rounded_up_not_to_nearest() -> None:
    """$7.5M at $85k a deal needs 89 deals, not the 88 often published."""
    goals = parse(
        GOALS_TEXT.replace("500000", "7500000").replace("deal_size: 50000", "deal_size: 85000")
    )
    assert clients_needed(goals) == 89
    assert 88 * 85000 < 7_500_000 <= 89 * 85000


def test_opportunities_need_135_sqls_at_20_percent() -> None:
    """27 opportunities at 20% need 135 SQLs, not 133."""
    assert volumes_needed(27, "0.2") == [135, 27]


def test_no_float_error_where_floats_round_up_too_far() -> None:
    """⌈21 ÷ 0.7⌉ is 30, where math.ceil on floats says 31."""
    assert math.ceil(21 / 0.7) == 31  # the float trap this guards against
    assert volumes_needed(21, "0.7") == [30, 21]
    assert volumes_needed(7, "0.007") == [1000, 7]


def test_percent_and_decimal_rates_plan_the_same() -> None:
    """ "0.7%" and 0.007 are the same rate."""
    percent = parse(GOALS_TEXT.replace("rate: 2.5%", 'rate: "0.7%"'))
    decimal = parse(GOALS_TEXT.replace("rate: 2.5%", "rate: 0.007"))
    assert solve(percent).stages == solve(decimal).stages


def test_revenue_with_cents_rounds_clients_up() -> None:
    """$100,000.01 at $50,000 a deal is three clients, with a surplus shown."""
    plan = solve(parse(GOALS_TEXT.replace("500000", "100000.01")))
    assert plan.clients == 3
    assert plan.revenue == Decimal(150000)
    assert plan.surplus == Decimal("49999.99")


def test_clients_target_has_no_revenue_without_deal_size() -> None:
    """target.clients plans without a deal size; revenue is unknown, not zero."""
    text = GOALS_TEXT.replace("  revenue: 500000\ndeal_size: 50000\n", "  clients: 12\n")
    plan = solve(parse(text))
    assert plan.clients == 12
    assert plan.revenue is None
    assert plan.surplus is None


def test_lost_counts_those_who_do_not_convert() -> None:
    """Lost = volume − ⌊volume × next rate⌋, and the last stage loses nobody."""
    plan = solve(parse(GOALS_TEXT))
    assert [s.lost for s in plan.stages] == [19500, 300, 150, 40, None]


def test_to_clients_is_the_product_of_the_rates_below() -> None:
    """1 in 2,000 visitors becomes a client."""
    plan = solve(parse(GOALS_TEXT))
    assert plan.stages[0].to_clients == Decimal("0.0005")
    assert plan.stages[0].one_in == 2000
    assert plan.stages[-1].to_clients == 1


def test_project_rounds_down_at_every_stage() -> None:
    """Forward projection floors: 1,000 → 100 → 85 → 51 → 15."""
    assert project(1000, rates("0.10", "0.85", "0.60", "0.30")) == [1000, 100, 85, 51, 15]


def test_owner_is_inherited_down_until_another_is_named() -> None:
    """A stage without an owner keeps the owner of the stage above."""
    text = GOALS_TEXT.replace("rate: 2.5%", "rate: 2.5%\n    owner: marketing").replace(
        "rate: 25%", "rate: 25%\n    owner: sales"
    )
    plan = solve(parse(text))
    assert [s.owner for s in plan.stages] == [None, "marketing", "marketing", "sales", "sales"]
    spans = owner_spans(plan)
    assert [(s.owner, len(s.stages)) for s in spans] == [(None, 1), ("marketing", 2), ("sales", 2)]
    (handoff,) = handoffs(plan)
    assert handoff.giver.delivers.name == "MQL"
    assert handoff.taker.stages[0].name == "SQL"


@pytest.mark.parametrize(
    ("clients", "rate", "expected"),
    [(1, "1", 1), (1, "0.5", 2), (3, "0.3", 10), (10, "0.33", 31), (5, "0.0001", 50000)],
)
def test_single_step_is_the_ceiling(clients: int, rate: str, expected: int) -> None:
    """One stage up is ⌈clients ÷ rate⌉."""
    assert volumes_needed(clients, rate)[0] == expected
