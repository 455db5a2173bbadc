"""Channels as funnels of their own: the sources of a stage that convert below it at their own
rates (or win their own deal size) are followed down the funnel as whole people, and the
stage's volume is the smallest whose channels, together, reach the target."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.exact import floor_mul
from funnelcalc.fields import point
from funnelcalc.model import Source
from funnelcalc.sources import SourcePlan, allocate


@dataclass(frozen=True)
class Terms:
    """How the channels of one stage convert below it."""

    stage: int
    """The stage the channels feed."""
    rates: tuple[tuple[Fraction, ...], ...]
    """Per channel, in file order: its rate into each stage below `stage`, top first."""
    deal_sizes: tuple[Decimal | None, ...]
    """Per channel: its own deal size, None for the plan's."""


def terms_of(
    names: Sequence[str], rates: Sequence[Decimal | None], sources: Sequence[Sequence[Source]]
) -> Terms | None:
    """The terms of the stage whose sources carry their own rates or deal sizes, if any (the
    file's rules allow one such stage, with no sources below it)."""
    for index, entries in enumerate(sources):
        if not any(source.own_terms for source in entries):
            continue
        per_channel = []
        for source in entries:
            row = []
            for below in range(index + 1, len(names)):
                rate = source.rate_to(names[below])
                rate = rate if rate is not None else rates[below]
                assert rate is not None  # the file's rules: a stage without a rate is given one
                row.append(Fraction(rate))
            per_channel.append(tuple(row))
        deals = tuple(point(source.deal_size) for source in entries)
        return Terms(index, tuple(per_channel), deals)
    return None


def follow(terms: Terms, plans: Sequence[SourcePlan]) -> list[list[int]]:
    """Each channel's volume at its stage and every stage below, converted forward at its own
    rates and rounded down to whole people at every step."""
    flows = []
    for plan, rates in zip(plans, terms.rates, strict=True):
        flow = [plan.target]
        for rate in rates:
            flow.append(floor_mul(flow[-1], rate))
        flows.append(flow)
    return flows


def goal_of(
    terms: Terms, clients: int, revenue: Fraction | None, deal_size: Decimal | None
) -> Callable[[list[list[int]]], bool]:
    """Whether channel flows reach the target: their wins bring `revenue` when channels win
    their own deal sizes (and the target is revenue), else they make `clients` wins."""
    if revenue is not None and any(deal is not None for deal in terms.deal_sizes):
        deals = [
            Fraction(deal if deal is not None else deal_size or 0) for deal in terms.deal_sizes
        ]

        def brings(flows: list[list[int]]) -> bool:
            return sum(flow[-1] * deal for flow, deal in zip(flows, deals, strict=True)) >= revenue

        return brings

    def wins(flows: list[list[int]]) -> bool:
        return sum(flow[-1] for flow in flows) >= clients

    return wins


def channel_volume(
    terms: Terms,
    entries: Sequence[Source],
    stage_rate: Decimal | None,
    reached: Callable[[list[list[int]]], bool],
) -> tuple[int, tuple[SourcePlan, ...], list[list[int]]]:
    """The smallest volume of the channels' stage whose channels reach the target (never below
    what the fixed ones bring anyway), with its split and the channels' flows. What the
    channels reach never falls as the volume grows, so the smallest is found by doubling and
    bisecting."""

    def at(volume: int) -> tuple[tuple[SourcePlan, ...], list[list[int]]]:
        plans = allocate(volume, list(entries), stage_rate=stage_rate)
        return plans, follow(terms, plans)

    low = sum(source.volume or 0 for source in entries if source.share is None)
    plans, flows = at(low)
    if reached(flows):
        return low, plans, flows
    high = max(1, 2 * low)
    while not reached(at(high)[1]):
        low, high = high, 2 * high
    while high - low > 1:  # reached at high, not at low
        middle = (low + high) // 2
        if reached(at(middle)[1]):
            high = middle
        else:
            low = middle
    plans, flows = at(high)
    return high, plans, flows


@dataclass(frozen=True)
class ChannelPlan:
    """What one channel brings, wins, earns and costs."""

    stage: str
    """The stage it feeds."""
    name: str
    fixed: bool
    """A fixed volume expected anyway, not a share."""
    volume: int
    """What it brings to its stage."""
    wins: int
    """The wins credited to it."""
    revenue: Decimal | None
    deal_size: Decimal | None
    """What one of its wins brings (its own, else the plan's)."""
    spend: Decimal | None
    """What it costs itself: its draws on the stage above at its unit cost, its fixed cost (or a
    fixed volume's whole cost); None when nothing about it has a price."""
    followed: bool
    """True: followed down the funnel at its own rates; False: credited a part of the plan's
    wins in proportion to its volume (largest remainder)."""
    flow: tuple[int, ...] = ()
    """Followed: its volume at its stage and at every stage below; else empty."""

    @property
    def cac(self) -> Fraction | None:
        """Its own spend ÷ its wins."""
        if self.spend is None or not self.wins:
            return None
        return Fraction(self.spend) / self.wins

    @property
    def roas(self) -> Fraction | None:
        """Its revenue ÷ its own spend."""
        if self.revenue is None or not self.spend:
            return None
        return Fraction(self.revenue) / Fraction(self.spend)


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """`total` split in proportion to `weights` in whole parts that add up to it exactly: each
    gets the floor of its exact part, and the units left go to the largest remainders (the
    first listed on a tie)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    parts = [total * weight // whole for weight in weights]
    remainders = [total * weight % whole for weight in weights]
    left = total - sum(parts)
    for index in sorted(range(len(weights)), key=lambda i: -remainders[i])[:left]:
        parts[index] += 1
    return parts
