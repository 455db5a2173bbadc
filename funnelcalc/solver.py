"""The reverse funnel, exactly: whole people at every stage, never a float."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.exact import EXACT, ceil_div, floor_mul, to_decimal
from funnelcalc.model import Goals

ROUNDING_RULE = (
    "Every volume is the smallest whole number that still reaches the target: "
    "clients = ⌈revenue ÷ deal size⌉, and each stage = ⌈next stage ÷ its rate⌉."
)


@dataclass(frozen=True)
class StagePlan:
    """What one stage must reach, and how it converts to the paying clients."""

    name: str
    owner: str | None
    definition: str | None
    rate: Decimal | None
    """Share of the stage above that reaches this one; None for the top stage."""
    volume: int
    to_clients: Decimal
    """Share of this stage's volume that becomes a client (the product of the rates below)."""
    lost: int | None
    """How many of this stage do not reach the next one; None for the last stage."""
    limit: int | None = None
    """The most of this stage the plan may need (`limits:` in the file)."""

    @property
    def over_limit(self) -> bool:
        """Whether the plan needs more of this stage than its limit allows."""
        return self.limit is not None and self.volume > self.limit

    @property
    def one_in(self) -> Fraction:
        """N in "1 in N of this stage becomes a client"."""
        return 1 / Fraction(self.to_clients)


@dataclass(frozen=True)
class Plan:
    """A solved goals file: the volume every stage must reach, top first."""

    name: str | None
    currency: str
    target_revenue: Decimal | None
    target_clients: int | None
    deal_size: Decimal | None
    stages: tuple[StagePlan, ...]
    scenario: str | None = None
    """The scenario planned, None for the base plan."""

    @property
    def broken_limits(self) -> list[StagePlan]:
        """The stages whose limit the plan breaks."""
        return [stage for stage in self.stages if stage.over_limit]

    @property
    def clients(self) -> int:
        """Clients the plan wins: the volume of the last stage."""
        return self.stages[-1].volume

    @property
    def revenue(self) -> Decimal | None:
        """What the planned clients bring; None without a deal size."""
        if self.deal_size is None:
            return None
        return EXACT.multiply(Decimal(self.clients), self.deal_size)

    @property
    def surplus(self) -> Decimal | None:
        """Revenue beyond the target that whole clients bring."""
        if self.revenue is None or self.target_revenue is None:
            return None
        return EXACT.subtract(self.revenue, self.target_revenue)


def clients_needed(goals: Goals) -> int:
    """⌈revenue ÷ deal size⌉, or the clients the target names."""
    target = goals.target
    if target.clients is not None:
        return target.clients
    assert target.revenue is not None
    assert goals.deal_size is not None
    return math.ceil(Fraction(target.revenue) / Fraction(goals.deal_size))


def volumes_needed(clients: int, rates: list[Fraction]) -> list[int]:
    """Back-calculate each stage's volume, top first; `rates[i]` leads into stage i + 1."""
    volumes = [clients]
    for rate in reversed(rates):
        volumes.append(ceil_div(volumes[-1], rate))
    volumes.reverse()
    return volumes


def project(volume: int, rates: list[Fraction]) -> list[int]:
    """Convert a volume forward through `rates`, rounding down to whole people at each step."""
    volumes = [volume]
    for rate in rates:
        volumes.append(floor_mul(volumes[-1], rate))
    return volumes


def solve(goals: Goals, *, scenario: str | None = None) -> Plan:
    """Plan a goals file backwards from its target."""
    rates = [Fraction(stage.rate) for stage in goals.stages[1:] if stage.rate is not None]
    volumes = volumes_needed(clients_needed(goals), rates)

    # shares[i]: the part of stage i that becomes a client, the product of the rates below it
    shares = [Fraction(1)]
    for rate in reversed(rates):
        shares.append(shares[-1] * rate)
    shares.reverse()

    limits = {name.casefold(): limit for name, limit in goals.limits.items()}
    stages: list[StagePlan] = []
    owner: str | None = None

    for index, (stage, volume) in enumerate(zip(goals.stages, volumes, strict=True)):
        owner = stage.owner or owner  # a stage without an owner keeps the one above
        is_last = index == len(volumes) - 1
        stages.append(
            StagePlan(
                name=stage.name,
                owner=owner,
                definition=stage.definition,
                rate=stage.rate,
                volume=volume,
                to_clients=to_decimal(shares[index]),
                lost=None if is_last else volume - floor_mul(volume, rates[index]),
                limit=limits.get(stage.name.casefold()),
            )
        )
    return Plan(
        name=goals.name,
        currency=goals.currency,
        target_revenue=goals.target.revenue,
        target_clients=goals.target.clients,
        deal_size=goals.deal_size,
        stages=tuple(stages),
        scenario=scenario,
    )
