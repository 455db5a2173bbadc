"""Uncertainty without numpy: the result of a simulation, and the closed-form quantiles of the
distributions it draws from (see funnelcalc/simulate.py)."""

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


def logit(p: float) -> float:
    """log(p ÷ (1 − p))."""
    return math.log(p / (1 - p))


def quantile(low: float, high: float, likely: float | None, p: float, *, bounded: bool) -> float:
    """The p-quantile of the distribution drawn for a range (the closed form the tests use)."""
    forward, back = (logit, _expit) if bounded else (math.log, math.exp)
    lo, hi = forward(low), forward(min(high, 1 - 1e-12) if bounded else high)
    centre = forward(likely) if likely is not None else (lo + hi) / 2
    z = NormalDist().inv_cdf(p)
    spread = (centre - lo) / Z95 if z < 0 else (hi - centre) / Z95
    return back(centre + z * spread)


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))
