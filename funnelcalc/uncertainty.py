"""Uncertainty without numpy: the result of a simulation, and the distributions it draws from
(see funnelcalc/simulate.py) with their quantiles."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
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
    """Runs in which the capacity sufficed for what the drawn values need (the ranges alone);
    None without a capacity."""
    chance_successes: int | None = None
    """Runs in which the capacity, converted as chance (whole people, one by one), reached the
    target; None without a stage capacity."""
    uncertain: bool = True
    """Whether the file has any range to draw."""

    @property
    def probability(self) -> Fraction | None:
        """The share of runs in which the capacity suffices, from the ranges alone."""
        return None if self.successes is None else Fraction(self.successes, self.runs)

    @property
    def chance_probability(self) -> Fraction | None:
        """The share of runs in which the capacity reaches the target, chance included."""
        count = self.chance_successes
        return None if count is None else Fraction(count, self.runs)


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


@functools.lru_cache(maxsize=256)
def pert_for(low: float, high: float, likely: float | None) -> Pert:
    """The PERT whose 5th and 95th percentiles are `low` and `high` and whose mode is `likely`
    (the middle without one), kept within (0, 1]: the range is a 90% interval, not the bounds.
    The mode's place r in the support fixes the shape (alpha = 1 + 4r, beta = 1 + 4(1 − r)), and
    then the quantiles fix the support; r is found by bisection."""
    mode = likely if likely is not None else (low + high) / 2

    def fitted(r: float, ppf: Callable[[float, float, float], float] = beta_ppf) -> Pert:
        alpha, beta = 1 + 4 * r, 1 + 4 * (1 - r)
        q05, q95 = ppf(alpha, beta, 0.05), ppf(alpha, beta, 0.95)
        width = (high - low) / (q95 - q05)
        lower = low - width * q05
        return Pert(lower, lower + width, alpha, beta)

    def below(r: float, ppf: Callable[[float, float, float], float] = beta_ppf) -> bool:
        pert = fitted(r, ppf)  # the fitted mode grows with r
        return pert.lower + r * (pert.upper - pert.lower) < mode

    # A quick fit with Newton's quantiles first, then the exact bisection guided by it
    rough = _bisect(1e-6, 1 - 1e-6, lambda r: below(r, _rough_ppf), None, steps=40)
    lo, hi = _bisect(1e-6, 1 - 1e-6, below, sum(rough) / 2, margin=1e-9)
    pert = fitted((lo + hi) / 2)
    return Pert(max(pert.lower, 0.0), min(pert.upper, 1.0), pert.alpha, pert.beta)


def beta_ppf(alpha: float, beta: float, p: float) -> float:
    """The p-quantile of Beta(alpha, beta), by bisection on its distribution function."""
    guess = _newton_ppf(alpha, beta, p)
    lo, hi = _bisect(0.0, 1.0, lambda x: beta_cdf(alpha, beta, x) < p, guess, margin=1e-10)
    return (lo + hi) / 2


def _bisect(
    lo: float,
    hi: float,
    below: Callable[[float], bool],
    guess: float | None,
    *,
    margin: float = 0.0,
    steps: int = 60,
) -> tuple[float, float]:
    """`steps` halvings of [lo, hi], keeping `below` true at lo and false at hi. With a guess
    of where it turns, a midpoint more than `margin` from it is placed without calling `below`
    (checked first at guess ± margin): the same halvings, far fewer calls. The margin is many
    orders of magnitude above the rounding noise of `below`, so the result is bit for bit what
    calling it every time gives."""
    if guess is not None:
        left, right = guess - margin, guess + margin
        if (lo < left < hi and not below(left)) or (lo < right < hi and below(right)):
            guess = None  # a poor guess: decide every step by `below`
    for _ in range(steps):
        middle = (lo + hi) / 2
        if guess is not None and middle < guess - margin:
            lo = middle
        elif guess is not None and middle > guess + margin:
            hi = middle
        elif below(middle):
            lo = middle
        else:
            hi = middle
    return lo, hi


def _newton_ppf(alpha: float, beta: float, p: float) -> float | None:
    """The p-quantile of Beta(alpha, beta) to about 1e-13, by safeguarded Newton steps; None
    if it does not settle."""
    scale = math.lgamma(alpha) + math.lgamma(beta) - math.lgamma(alpha + beta)
    lo, hi, x = 0.0, 1.0, alpha / (alpha + beta)
    for _ in range(60):
        error = beta_cdf(alpha, beta, x) - p
        if abs(error) < 1e-14:
            return x
        lo, hi = (x, hi) if error < 0 else (lo, x)
        density = math.exp((alpha - 1) * math.log(x) + (beta - 1) * math.log1p(-x) - scale)
        step = x - error / density if density > 0 else -1.0
        x = step if lo < step < hi else (lo + hi) / 2
    return None


def _rough_ppf(alpha: float, beta: float, p: float) -> float:
    guess = _newton_ppf(alpha, beta, p)
    return guess if guess is not None else beta_ppf(alpha, beta, p)


def beta_cdf(alpha: float, beta: float, x: float) -> float:
    """The regularised incomplete beta function I_x(alpha, beta), by its continued fraction
    (Lentz's method), on the side where it converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(_log_gammas(alpha, beta) + alpha * math.log(x) + beta * math.log(1 - x))
    if x < (alpha + 1) / (alpha + beta + 2):
        return front * _fraction(alpha, beta, x) / alpha
    return 1 - front * _fraction(beta, alpha, 1 - x) / beta


@functools.lru_cache(maxsize=1024)
def _log_gammas(alpha: float, beta: float) -> float:
    return math.lgamma(alpha + beta) - math.lgamma(alpha) - math.lgamma(beta)


def _fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        # the two steps of each term, written out (the same operations as a loop over both)
        numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 + numerator * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + numerator / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
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
