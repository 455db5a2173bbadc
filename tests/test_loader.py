"""The loader as a library: exact values, YAML quirks handled, positions right."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnelcalc import parse
from funnelcalc.errors import InputError
from funnelcalc.model import Goals, Stage
from tests.conftest import GOALS_TEXT


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text, source="g.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_rates_and_money_are_the_decimals_written() -> None:
    """0.007, "0.7%" and 50000.50 are read exactly, never through a binary float."""
    goals = parse(
        GOALS_TEXT.replace("rate: 2.5%", "rate: 0.007")
        .replace("rate: 40%", 'rate: "0.7%"')
        .replace("deal_size: 50000", "deal_size: 50000.50")
    )
    assert goals.stages[1].rate == Decimal("0.007")
    assert goals.stages[2].rate == Decimal("0.007")
    assert str(goals.deal_size) == "50000.5"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1", "1"),
        ("100%", "1"),
        ('"12.5 %"', "0.125"),
        ("0.33333333333333333333", "0.33333333333333333333"),
        ('"0.0001%"', "0.000001"),
        ("1.0e-2", "0.01"),
        ('"0.5"', "0.5"),
    ],
)
def test_rate_forms(written: str, expected: str) -> None:
    """Every accepted way of writing a rate gives the exact decimal."""
    goals = parse(GOALS_TEXT.replace("rate: 2.5%", f"rate: {written}"))
    assert goals.stages[1].rate == Decimal(expected)


def test_underscores_group_digits() -> None:
    """1_000_000 is one million, as YAML allows."""
    goals = parse(GOALS_TEXT.replace("500000", "1_000_000"))
    assert goals.target.revenue == 1_000_000


def test_numbers_become_text_where_text_is_expected() -> None:
    """A plan named 2027 or a stage named 404 is text, as written."""
    goals = parse("name: 2027\n" + GOALS_TEXT.replace("name: leads", "name: 404"))
    assert goals.name == "2027"
    assert goals.stages[1].name == "404"


def test_currency_code_is_upper_cased() -> None:
    """currency: eur is EUR."""
    assert parse("currency: eur\n" + GOALS_TEXT).currency == "EUR"


def test_positions_point_at_the_value() -> None:
    """FILE:LINE:COL is the value's own line and column, 1-based."""
    (message,) = problems(GOALS_TEXT.replace("rate: 40%", "rate: 40"))
    assert message.startswith("g.yaml:9:11: stages.MQL.rate: ")


def test_unknown_key_points_at_the_key_and_lists_the_choices() -> None:
    """A key with no near match lists what is allowed there."""
    (message,) = problems(GOALS_TEXT + "colour: blue\n")
    assert message == (
        "g.yaml:14:1: colour: unknown key 'colour'; "
        "expected one of: name, currency, target, deal_size, stages, limits, scenarios, "
        "fixed_costs, sources, baseline, period, pipeline, pipeline_from, unit_economics, team, "
        "segments"
    )


def test_capitalised_key_suggests_the_right_one() -> None:
    """Rate: is not rate:, and the message says so."""
    missing, unknown = problems(GOALS_TEXT.replace("rate: 40%", "Rate: 40%"))
    assert unknown.endswith("stages.MQL.Rate: unknown key 'Rate'; did you mean 'rate'?")
    assert missing.endswith("stages.MQL: needs a rate: the share of leads that reaches this stage")


def test_model_refuses_structure_errors_for_library_users() -> None:
    """Goals built in code obey the same cross-key rules as a file."""
    with pytest.raises(ValueError, match="at least two stages"):
        Goals(target={"clients": 1}, stages=[Stage(name="only")])  # type: ignore[arg-type]


def test_floats_from_python_keep_their_written_value() -> None:
    """A caller passing 0.07 gets 0.07, not 0.07000000000000000666…"""
    stage = Stage.model_validate({"name": "x", "rate": 0.07})
    assert stage.rate == Decimal("0.07")


def test_problems_are_sorted_by_line() -> None:
    """Messages come in file order, whichever check found them."""
    text = "deal_size: -1\ntarget:\n  revenue: 5\nstages:\n  - name: a\n  - name: b\n"
    lines = [int(m.split(":")[1]) for m in problems(text)]
    assert lines == sorted(lines)
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("40", 'a rate is at most 1 (100%); did you mean "40%"?'),
        ("250", "a rate is at most 1 (100%)"),
    ],
)
def test_a_rate_above_one_suggests_a_percentage_only_when_it_is_one(
    rate: str, message: str
) -> None:
    """40 was meant as 40%; 250 cannot be a percentage either, so no hint is given."""
    goals = f"target: {{clients: 5}}\nstages:\n  - {{name: a}}\n  - {{name: b, rate: {rate}}}\n"
    with pytest.raises(InputError) as caught:
        parse(goals)
    text = str(caught.value)
    assert text.endswith(message)
