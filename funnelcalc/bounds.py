"""Limits with a direction: each name of `limits:` caps a figure from above (a stage's volume,
the budget, CAC, CAC payback) or holds it up from below (coverage, LTV:CAC, ROAS), and
`{min: X, max: Y}` gives either bound explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.keypath import BUDGET
from funnelcalc.values import Bounds

CAC, PAYBACK, LTV_CAC, COVERAGE, ROAS = "cac", "payback_months", "ltv_cac", "coverage", "roas"
RATIO_LIMITS: dict[str, tuple[str, str]] = {
    CAC: ("max", "money"),
    PAYBACK: ("max", "months"),
    LTV_CAC: ("min", "times"),
    COVERAGE: ("min", "times"),
    ROAS: ("min", "times"),
}
"""The figures a limit may name besides stages and the budget: their natural direction (a
plain number is a maximum or a minimum) and how their values read."""
RESERVED = (BUDGET, *RATIO_LIMITS)
"""Limit names that are not stages: no stage may be called one of them."""


class Unbounded:
    """A figure without a finite value: LTV with no churn, LTV:CAC with no cost."""

    def __repr__(self) -> str:
        return "unbounded"


UNBOUNDED = Unbounded()
Figure = int | Decimal | Fraction | Unbounded
"""A limited figure: a volume, an amount, or a ratio that may be unbounded."""


def natural(name: str) -> str:
    """The direction a plain number limits `name` in: max, or min for coverage-like ratios."""
    return RATIO_LIMITS.get(name.casefold(), ("max", ""))[0]


def bounds_of(name: str, value: Decimal | str | Bounds) -> Bounds:
    """A limit as its two bounds, a plain number placed in the name's natural direction."""
    if isinstance(value, Bounds):
        return value
    return Bounds(min=value) if natural(name) == "min" else Bounds(max=value)


@dataclass(frozen=True)
class Gate:
    """One bound on one figure of a plan, and the figure the plan reaches."""

    name: str
    """The stage limited, `budget`, or a ratio's name (`ltv_cac`)."""
    bound: str
    """max or min."""
    limit: int | Decimal
    value: Figure
    unit: str
    """How the figures read: count, money, months or times."""

    @property
    def holds(self) -> bool:
        """Whether the figure is within its bound (an unbounded figure passes any minimum)."""
        if isinstance(self.value, Unbounded):
            return self.bound == "min"
        value, limit = Fraction(self.value), Fraction(self.limit)
        return value <= limit if self.bound == "max" else value >= limit

    @property
    def headroom(self) -> int | Decimal | Fraction | None:
        """How far the figure may still move before it breaks the bound (negative: broken);
        None for an unbounded figure."""
        if isinstance(self.value, Unbounded):
            return None
        if isinstance(self.value, Fraction):  # Decimal and Fraction do not mix
            exact = Fraction(self.limit) - self.value
            return exact if self.bound == "max" else -exact
        room = self.limit - self.value
        return room if self.bound == "max" else -room
