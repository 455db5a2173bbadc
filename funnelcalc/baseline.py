"""Existing customers: the new revenue the funnel must win, derived from the revenue already
recurring, its churn and its expansion, rather than guessed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.exact import EXACT
from funnelcalc.model import Goals


@dataclass(frozen=True)
class Derivation:
    """Each line of: target − (baseline − churned + expansion) = new revenue to win."""

    baseline: Decimal
    churn: Decimal
    churned: Decimal
    expansion: Decimal
    expanded: Decimal
    existing: Decimal
    """What the existing customers bring over the period: baseline − churned + expanded."""
    growth: Decimal | None
    total: Decimal
    """The revenue to reach: the target, or the baseline grown by `growth`."""
    new_revenue: Decimal
    """What the funnel must win: total − existing, and never below 0."""
    customers: int | None
    churned_customers: int | None
    """Customers lost to logo churn (rounded up): each must be replaced by a new one to stand
    still. None without `logo_churn`: revenue churn says nothing about how many leave."""
    logo_churn: Decimal | None = None


def derive(goals: Goals) -> Derivation | None:
    """The derivation for a file with a `baseline:`, None without one."""
    baseline = goals.baseline
    if baseline is None:
        return None
    churned = EXACT.multiply(baseline.revenue, baseline.churn)
    expanded = EXACT.multiply(baseline.revenue, baseline.expansion)
    existing = EXACT.add(EXACT.subtract(baseline.revenue, churned), expanded)
    growth = goals.target.growth
    if growth is not None:
        total = EXACT.multiply(baseline.revenue, EXACT.add(Decimal(1), growth))
    else:
        total = goals.target.revenue or Decimal(0)
    customers = baseline.customers
    return Derivation(
        baseline=baseline.revenue,
        churn=baseline.churn,
        churned=churned,
        expansion=baseline.expansion,
        expanded=expanded,
        existing=existing,
        growth=growth,
        total=total,
        new_revenue=max(Decimal(0), EXACT.subtract(total, existing)),
        customers=customers,
        churned_customers=(
            None
            if customers is None or baseline.logo_churn is None
            else math.ceil(customers * Fraction(baseline.logo_churn))
        ),
        logo_churn=baseline.logo_churn,
    )
