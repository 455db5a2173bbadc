"""simulate's speed-ups change nothing: the guided PERT fit is bit for bit the plain bisection,
and chunked runs give what one pass over every run gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnelcalc import parse
from funnelcalc import simulate as simulate_module
from funnelcalc.simulate import parse_capacity, simulate
from funnelcalc.uncertainty import Pert, beta_cdf, beta_ppf, pert_for


def plain_ppf(alpha: float, beta: float, p: float) -> float:
    """The quantile by 60 halvings, each calling beta_cdf (the fit before it was guided)."""
    lo, hi = 0.0, 1.0
    for _ in range(60):
        middle = (lo + hi) / 2
        if beta_cdf(alpha, beta, middle) < p:
            lo = middle
        else:
            hi = middle
    return (lo + hi) / 2


def plain_pert(low: float, high: float, likely: float | None) -> Pert:
    """The PERT fit by plain bisections, as simulate fitted it before."""
    mode = likely if likely is not None else (low + high) / 2

    def fitted(r: float) -> Pert:
        alpha, beta = 1 + 4 * r, 1 + 4 * (1 - r)
        q05, q95 = plain_ppf(alpha, beta, 0.05), plain_ppf(alpha, beta, 0.95)
        width = (high - low) / (q95 - q05)
        lower = low - width * q05
        return Pert(lower, lower + width, alpha, beta)

    lo, hi = 1e-6, 1 - 1e-6
    for _ in range(60):
        r = (lo + hi) / 2
        pert = fitted(r)
        if pert.lower + r * (pert.upper - pert.lower) < mode:
            lo = r
        else:
            hi = r
    pert = fitted((lo + hi) / 2)
    return Pert(max(pert.lower, 0.0), min(pert.upper, 1.0), pert.alpha, pert.beta)


@st.composite
def ranges(draw: st.DrawFn) -> tuple[float, float, float | None]:
    """A rate range as simulate reads one: low < high within (0, 1], maybe a likely value."""
    low = draw(st.integers(1, 999_999)) / 1e6
    high = min(1.0, low + draw(st.integers(1, 1_000_000)) / 1e6)
    if high <= low:
        high = 1.0
    likely = draw(st.one_of(st.none(), st.floats(low, high)))
    return low, high, likely


@settings(max_examples=25)
@given(ranges())
def test_guided_pert_fit_is_the_plain_bisection_bit_for_bit(
    interval: tuple[float, float, float | None],
) -> None:
    """The PERT fitted with Newton's guidance is exactly (==, not approx) the plain fit."""
    pert_for.cache_clear()
    assert pert_for(*interval) == plain_pert(*interval)


@given(st.floats(1, 5), st.floats(1, 5), st.floats(0.0005, 0.9995))
def test_guided_quantile_is_the_plain_bisection_bit_for_bit(a: float, b: float, p: float) -> None:
    """beta_ppf guided by Newton's estimate returns exactly what 60 plain halvings return."""
    assert beta_ppf(a, b, p) == plain_ppf(a, b, p)


SOURCED = """
target: {revenue: 1000000}
deal_size: {low: 8000, high: 13000}
stages:
  - {name: top, cost: {low: 1, high: 3}}
  - {name: mid, rate: {low: 5%, high: 20%, likely: 9%}, cost: 12.5}
  - {name: low, rate: 40%}
  - {name: won, rate: {low: 20%, high: 40%}}
fixed_costs: {tools: 1000}
sources:
  low:
    - {name: partners, volume: 10}
    - {name: events, share: 30%, rate: 25%, cost: 40}
    - {name: rest, share: 70%}
limits: {top: 100000, budget: 20%}
"""


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_chunked_runs_give_the_same_result(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """However the runs are chunked, every percentile, the budget and the odds are the same."""
    goals = parse(SOURCED)
    capacity = parse_capacity([], goals)
    whole = simulate(goals, runs=5001, seed=4, capacity=capacity)
    monkeypatch.setattr(simulate_module, "CHUNK", chunk)
    assert simulate(goals, runs=5001, seed=4, capacity=capacity) == whole
