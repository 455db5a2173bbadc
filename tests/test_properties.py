"""Hypothesis properties: on random funnels every volume is sufficient and minimal."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from funnelcalc import parse, views
from funnelcalc.fields import point
from funnelcalc.render import json_format, table_format
from funnelcalc.solver import Plan, project, solve
from funnelcalc.views import cells

# A rate as a user writes it: a decimal in (0, 1] with up to 4 places, or the same as "N%".
rate_values = st.integers(min_value=1, max_value=10_000).map(lambda n: Decimal(n).scaleb(-4))
money = st.integers(min_value=1, max_value=10**11).map(lambda cents: Decimal(cents).scaleb(-2))


@st.composite
def written_rates(draw: st.DrawFn) -> tuple[Decimal, str]:
    rate = draw(rate_values)
    if draw(st.booleans()):
        return rate, f'"{rate.scaleb(2).normalize():f}%"'
    return rate, f"{rate.normalize():f}"


@st.composite
def funnels(draw: st.DrawFn) -> tuple[str, list[Fraction]]:
    """A goals file as YAML text, and the exact rates it should be read as."""
    rates = draw(st.lists(written_rates(), min_size=1, max_size=7))
    if draw(st.booleans()):
        head = f"target:\n  revenue: {draw(money):f}\ndeal_size: {draw(money):f}\n"
    else:
        head = f"target:\n  clients: {draw(st.integers(min_value=1, max_value=10**6))}\n"
    lines = [head, "stages:\n  - name: top\n"]
    for index, (_, written) in enumerate(rates):
        lines.append(f"  - name: stage{index}\n    rate: {written}\n")
    return "".join(lines), [Fraction(rate) for rate, _ in rates]


def volumes(plan: Plan) -> list[int]:
    return [stage.volume for stage in plan.stages]


@given(funnels())
def test_clients_are_the_fewest_that_reach_the_revenue(funnel: tuple[str, list[Fraction]]) -> None:
    """clients × deal size reaches the revenue target; one client fewer does not."""
    plan = solve(parse(funnel[0]))
    if plan.target_revenue is None or plan.deal_size is None:
        assert plan.clients == plan.target_clients
        return
    assert plan.clients * plan.deal_size >= plan.target_revenue
    assert (plan.clients - 1) * plan.deal_size < plan.target_revenue
    assert plan.clients == math.ceil(Fraction(plan.target_revenue) / Fraction(plan.deal_size))


@given(funnels())
def test_every_stage_is_sufficient(funnel: tuple[str, list[Fraction]]) -> None:
    """Converted forward, rounding down to whole people, the top volume reaches every stage."""
    text, rates = funnel
    planned = volumes(solve(parse(text)))
    reached = project(planned[0], rates)
    assert all(got >= need for got, need in zip(reached, planned, strict=True))
    assert reached[-1] >= planned[-1]


@given(funnels())
def test_one_less_at_any_stage_misses_the_target(funnel: tuple[str, list[Fraction]]) -> None:
    """Each volume is minimal: one fewer at any stage, converted forward, misses the clients."""
    text, rates = funnel
    planned = volumes(solve(parse(text)))
    for index, volume in enumerate(planned):
        short = project(volume - 1, rates[index:])
        assert short[-1] < planned[-1], f"stage {index} could do with {volume - 1}"


@given(funnels())
def test_rates_are_read_exactly(funnel: tuple[str, list[Fraction]]) -> None:
    """Numbers and percent strings both become the exact decimal the user wrote."""
    text, rates = funnel
    read = [Fraction(point(stage.rate) or 0) for stage in parse(text).stages[1:]]
    assert read == rates


@given(funnels())
def test_every_output_shows_the_same_volumes(funnel: tuple[str, list[Fraction]]) -> None:
    """JSON carries the volumes as integers; the table prints each one whole, with separators."""
    plan = solve(parse(funnel[0]))
    document = json.loads(json_format.render(views.document(plan)))
    assert [stage["volume"] for stage in document["stages"]] == volumes(plan)
    table = table_format.to_text(table_format.view(views.report(plan)), width=40)
    for volume in volumes(plan):
        assert cells.count(volume) in table
