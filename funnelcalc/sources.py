"""Lead sources: a stage's volume split between contributions expected anyway and shares of
the rest, each share drawing on the stage above at its own rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.exact import ceil_div, floor_mul
from funnelcalc.fields import point
from funnelcalc.model import Source


@dataclass(frozen=True)
class SourcePlan:
    """What one source must bring to the stage it feeds."""

    name: str
    target: int
    """Its part of the stage's volume."""
    share: Decimal | None
    """None for a fixed contribution (expected anyway, netted out first)."""
    rate: Decimal | None
    """Its rate from the stage above (the stage's own rate unless it has one); None if fixed."""
    upstream: int | None
    """How much of the stage above it needs: ⌈target ÷ rate⌉; None if fixed or on the top."""
    cost: Decimal | None
    """What one unit of the stage above costs for this source, if it has its own cost; for a
    fixed source, what its whole contribution costs."""
    fixed_cost: Decimal | None = None
    """A share source: what it costs on top of its draws (`fixed_cost:`)."""

    @property
    def reaches(self) -> int:
        """What its upstream volume converts to, rounded down: at least its target."""
        if self.upstream is None or self.rate is None:
            return self.target
        return floor_mul(self.upstream, Fraction(self.rate))


def allocate(
    volume: int, sources: list[Source], *, stage_rate: Decimal | None
) -> tuple[SourcePlan, ...]:
    """Split `volume` between sources: fixed ones first, then each share source must bring
    ⌈its share of the rest⌉: the fewest whole units that never leave the stage short. (Rounding
    each share up keeps every source's target growing with the volume, so a schedule built
    from cumulative volumes adds up to the same targets.)"""
    fixed = sum(source.volume or 0 for source in sources if source.share is None)
    rest = max(0, volume - fixed)
    plans: list[SourcePlan] = []
    for source in sources:
        if source.share is None:
            cost = point(source.cost)
            plans.append(SourcePlan(source.name, source.volume or 0, None, None, None, cost))
            continue
        target = math.ceil(rest * Fraction(source.share))
        rate = point(source.rate) if source.rate is not None else stage_rate
        upstream = ceil_div(target, Fraction(rate)) if rate is not None else None
        cost, fixed_cost = point(source.cost), point(source.fixed_cost)
        plans.append(
            SourcePlan(source.name, target, source.share, rate, upstream, cost, fixed_cost)
        )
    return tuple(plans)


def fixed_volume(sources: list[Source]) -> int:
    """What the fixed sources bring in all."""
    return sum(source.volume or 0 for source in sources if source.share is None)


def upstream_needed(volume: int, sources: list[Source], *, stage_rate: Decimal | None) -> int:
    """What a sourced stage's volume needs of the stage above: Σ of its sources' draws."""
    return sum(p.upstream or 0 for p in allocate(volume, sources, stage_rate=stage_rate))
