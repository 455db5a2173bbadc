"""Money: what each stage costs, the budget, and whether it pays (CAC, ROI, ROAS)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.bounds import bounds_of
from funnelcalc.exact import EXACT, exact_sum
from funnelcalc.fields import point
from funnelcalc.keypath import BUDGET
from funnelcalc.model import Goals
from funnelcalc.sources import SourcePlan


@dataclass(frozen=True)
class Budget:
    """The plan's cost: what the stages spend plus the fixed costs, and what it buys."""

    spend: Decimal
    """What the costed stages spend: Σ volume × cost per unit."""
    fixed_costs: dict[str, Decimal]
    limit: Decimal | None
    """The most the plan may cost (`limits: {budget: …}`), resolved to an amount."""
    limit_share: Decimal | None
    """The limit as written, when it is a share of the planned revenue."""

    @property
    def fixed(self) -> Decimal:
        """Σ fixed costs."""
        return exact_sum(self.fixed_costs.values())

    @property
    def total(self) -> Decimal:
        """The whole budget: spend + fixed costs."""
        return EXACT.add(self.spend, self.fixed)

    @property
    def over_limit(self) -> bool:
        """Whether the budget is more than its limit."""
        return self.limit is not None and self.total > self.limit


def stage_spends(
    goals: Goals, volumes: Sequence[int], sources: Sequence[tuple[SourcePlan, ...]]
) -> list[Decimal | None]:
    """What each stage spends, top first; None for a stage with no cost at all."""
    return spends_for([point(stage.cost) for stage in goals.stages], volumes, sources)


def spends_for(
    units: Sequence[Decimal | None],
    volumes: Sequence[int],
    sources: Sequence[tuple[SourcePlan, ...]],
) -> list[Decimal | None]:
    """What each stage spends at unit costs `units`, top first; None for a stage with no cost
    at all. Where the next stage has sources, each source's draw on this stage is priced at its
    own cost if it has one, else at this stage's cost; a fixed source's cost (an event's
    budget) and a share source's fixed cost are spent on the stage they feed."""
    spends: list[Decimal | None] = []
    for index, unit in enumerate(units):
        spend = _unit_spend(unit, index, volumes, sources)
        fixed = [s.cost for s in sources[index] if s.share is None and s.cost is not None]
        fixed += [s.fixed_cost for s in sources[index] if s.fixed_cost is not None]
        for cost in fixed:
            spend = EXACT.add(spend or Decimal(0), cost)
        spends.append(spend)
    return spends


def _unit_spend(
    unit: Decimal | None,
    index: int,
    volumes: Sequence[int],
    sources: Sequence[tuple[SourcePlan, ...]],
) -> Decimal | None:
    """What a stage's units cost: its volume at its cost, or its draws at their sources' costs."""
    below = sources[index + 1] if index + 1 < len(sources) else ()
    drawing = [source for source in below if source.upstream is not None]
    if drawing and (unit is not None or any(s.cost is not None for s in drawing)):
        spend = Decimal(0)
        for source in drawing:
            cost = source.cost if source.cost is not None else unit or Decimal(0)
            spend = EXACT.add(spend, EXACT.multiply(Decimal(source.upstream or 0), cost))
        return spend
    if unit is not None:
        return EXACT.multiply(Decimal(volumes[index]), unit)
    return None


def budget_for(
    goals: Goals, spends: Sequence[Decimal | None], revenue: Decimal | None
) -> Budget | None:
    """The budget of a plan, or None when the file names no cost at all."""
    if all(spend is None for spend in spends) and not goals.fixed_costs:
        return None
    spend = exact_sum(s for s in spends if s is not None)
    limit, share = _limit(goals, revenue)
    return Budget(spend, dict(goals.fixed_costs), limit, share)


def _limit(goals: Goals, revenue: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    for key, value in goals.limits.items():
        if key.casefold() == BUDGET:
            return budget_amount(bounds_of(BUDGET, value).max, revenue)
    return None, None


def budget_amount(
    value: Decimal | str | None, revenue: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """A budget bound as an amount, and the share of revenue it was written as ("10%")."""
    if isinstance(value, str):
        share = Decimal(value.removesuffix("%")).scaleb(-2)
        return EXACT.multiply(revenue or Decimal(0), share), share
    return value, None


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Fraction | None:
    """An exact ratio, None where the denominator is 0."""
    return None if denominator == 0 else Fraction(numerator) / Fraction(denominator)


def max_unit_cost(budget: Budget, spend: Decimal, volume: int) -> Decimal | None:
    """The most one unit of a costed stage may cost with everything else unchanged and the
    budget still within its limit, rounded down to the cent (never up: that would break it)."""
    if budget.limit is None or volume == 0:
        return None
    room = EXACT.subtract(budget.limit, EXACT.subtract(budget.total, spend))
    cents = math.floor(Fraction(room) * 100 / volume)
    return Decimal(max(0, cents)).scaleb(-2)
