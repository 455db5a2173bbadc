"""Uncertainty without numpy: the result of a simulation, and the distributions it draws from
(see funnelcalc/simulate.py) with their quantiles."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

from funnelcalc.solver import Plan

Z95 = NormalDist().inv_cdf(0.95)


@dataclass(frozen=True)
class Spread:
    """P10, P50 and P90 of one figure over the runs."""

    p10: int | Decimal
    p50: int | Decimal
    p90: int | Decimal


@dataclass(frozen=True)
class Simulation:
    """What the runs say."""

    plan: Plan
    """The plan at the likely values, for reference."""
    runs: int
    seed: int
    stages: tuple[Spread, ...]
    budget: Spread | None
    capacity: dict[str, int | Decimal]
    successes: int | None
    """Runs in which the capacity sufficed; None without a capacity."""

    @property
    def probability(self) -> Fraction | None:
        """The share of runs in which the capacity reaches the target."""
        return None if self.successes is None else Fraction(self.successes, self.runs)


def lognormal_quantile(low: float, high: float, likely: float | None, p: float) -> float:
    """The p-quantile of the split log-normal drawn for an amount of money: its 5th and 95th
    percentiles are `low` and `high`, its median `likely` (else their geometric middle)."""
    lo, hi = math.log(low), math.log(high)
    centre = math.log(likely) if likely is not None else (lo + hi) / 2
    z = NormalDist().inv_cdf(p)
    spread = (centre - lo) / Z95 if z < 0 else (hi - centre) / Z95
    return math.exp(centre + z * spread)


@dataclass(frozen=True)
class Pert:
    """A PERT distribution: a beta on [lower, upper] shaped by its mode."""

    lower: float
    upper: float
    alpha: float
    beta: float

    def quantile(self, p: float) -> float:
        """The p-quantile."""
        return self.lower + (self.upper - self.lower) * beta_ppf(self.alpha, self.beta, p)


def pert_for(low: float, high: float, likely: float | None) -> Pert:
    """The PERT whose 5th and 95th percentiles are `low` and `high` and whose mode is `likely`
    (the middle without one), kept within (0, 1]: the range is a 90% interval, not the bounds.
    The mode's place r in the support fixes the shape (alpha = 1 + 4r, beta = 1 + 4(1 − r)), and
    then the quantiles fix the support; r is found by bisection."""
    mode = likely if likely is not None else (low + high) / 2

    def fitted(r: float) -> Pert:
        alpha, beta = 1 + 4 * r, 1 + 4 * (1 - r)
        q05, q95 = beta_ppf(alpha, beta, 0.05), beta_ppf(alpha, beta, 0.95)
        width = (high - low) / (q95 - q05)
        lower = low - width * q05
        return Pert(lower, lower + width, alpha, beta)

    lo, hi = 1e-6, 1 - 1e-6
    for _ in range(60):  # the fitted mode grows with r
        r = (lo + hi) / 2
        pert = fitted(r)
        if pert.lower + r * (pert.upper - pert.lower) < mode:
            lo = r
        else:
            hi = r
    pert = fitted((lo + hi) / 2)
    return Pert(max(pert.lower, 0.0), min(pert.upper, 1.0), pert.alpha, pert.beta)


def beta_ppf(alpha: float, beta: float, p: float) -> float:
    """The p-quantile of Beta(alpha, beta), by bisection on its distribution function."""
    lo, hi = 0.0, 1.0
    for _ in range(60):
        middle = (lo + hi) / 2
        if beta_cdf(alpha, beta, middle) < p:
            lo = middle
        else:
            hi = middle
    return (lo + hi) / 2


def beta_cdf(alpha: float, beta: float, x: float) -> float:
    """The regularised incomplete beta function I_x(alpha, beta), by its continued fraction
    (Lentz's method), on the side where it converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(alpha + beta)
        - math.lgamma(alpha)
        - math.lgamma(beta)
        + alpha * math.log(x)
        + beta * math.log(1 - x)
    )
    if x < (alpha + 1) / (alpha + beta + 2):
        return front * _fraction(alpha, beta, x) / alpha
    return 1 - front * _fraction(beta, alpha, 1 - x) / beta


def _fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return result


def quantile(low: float, high: float, likely: float | None, p: float, *, bounded: bool) -> float:
    """The p-quantile of what a range is drawn from: a PERT for rates (bounded), a split
    log-normal for money (the forms the tests check the simulation against)."""
    if bounded:
        return pert_for(low, high, likely).quantile(p)
    return lognormal_quantile(low, high, likely, p)
