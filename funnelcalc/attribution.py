"""Which channel wins what: each source of a sourced stage credited with wins, revenue and its
own spend, so that the channels' wins and revenue add up exactly to the plan's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.channels import ChannelPlan, largest_remainder
from funnelcalc.exact import EXACT, to_decimal
from funnelcalc.fields import point
from funnelcalc.kernel import Volumes
from funnelcalc.model import Goals
from funnelcalc.sources import SourcePlan


def attribute(
    goals: Goals, fresh: Volumes, arrivals: list[int], deal_size: Decimal | None
) -> tuple[ChannelPlan, ...]:
    """Every channel's volume, wins, revenue and spend. A stage whose channels convert at their
    own rates credits each with what it wins followed down the funnel as whole people; any other
    sourced stage splits the plan's wins (less what open pipeline brings) in proportion to each
    source's volume at the stage, in whole wins by largest remainder (all its sources convert at
    the same rates below it, so their expected wins are in that proportion)."""
    found: list[ChannelPlan] = []
    generated = fresh.volumes[-1]
    for index, plans in enumerate(fresh.plans):
        if not plans or (fresh.channel_stage is not None and index != fresh.channel_stage):
            continue
        stage = goals.stages[index]
        entries = goals.source_list(stage.name)
        above_cost = point(goals.stages[index - 1].cost) if index else None
        followed = index == fresh.channel_stage and fresh.flows is not None
        flows: list[tuple[int, ...]] = [()] * len(plans)
        if followed and fresh.flows is not None:
            wins = [flow[-1] for flow in fresh.flows]
            flows = [tuple(flow) for flow in fresh.flows]
        else:
            wins = largest_remainder(generated, [plan.target for plan in plans])
        for plan, source, won, flow in zip(plans, entries, wins, flows, strict=True):
            deal = point(source.deal_size) if source.deal_size is not None else deal_size
            revenue = EXACT.multiply(Decimal(won), deal) if deal is not None else None
            found.append(
                ChannelPlan(
                    stage=stage.name,
                    name=plan.name,
                    fixed=plan.share is None,
                    volume=plan.target,
                    wins=won,
                    revenue=revenue,
                    deal_size=deal,
                    spend=channel_spend(plan, above_cost),
                    followed=followed,
                    flow=flow,
                )
            )
    return tuple(found)


def channel_spend(plan: SourcePlan, above_cost: Decimal | None) -> Decimal | None:
    """What a channel costs itself: a share source's draws on the stage above at its own unit
    cost (else that stage's), plus its fixed cost; a fixed source's whole cost. None when
    nothing about it has a price."""
    if plan.share is None:
        return plan.cost
    unit = plan.cost if plan.cost is not None else above_cost
    spend = None
    if unit is not None and plan.upstream is not None:
        spend = EXACT.multiply(Decimal(plan.upstream), unit)
    if plan.fixed_cost is not None:
        spend = EXACT.add(spend or Decimal(0), plan.fixed_cost)
    return spend


@dataclass(frozen=True)
class RateNote:
    """A stage rate the file gives that sources make unused."""

    stage: str
    rate: Decimal
    sources_of: str
    """The stage whose sources give their own rates instead."""


def rate_notes(goals: Goals) -> tuple[RateNote, ...]:
    """The stages whose own `rate` is given but not used: every share source of the stage gives
    its own rate from the stage above, or every channel of a stage above gives its own rate to
    it."""
    found: list[RateNote] = []
    for index, stage in enumerate(goals.stages):
        rate = point(stage.rate)
        if index == 0 or rate is None:
            continue
        entries = goals.source_list(stage.name)
        shares = [source for source in entries if source.share is not None]
        if shares and all(source.rate is not None for source in shares):
            found.append(RateNote(stage.name, rate, stage.name))
            continue
        for above in goals.stages[:index]:
            channels = goals.source_list(above.name)
            if not any(source.own_terms for source in channels):
                continue
            if all(source.rate_to(stage.name) is not None for source in channels):
                found.append(RateNote(stage.name, rate, above.name))
    return tuple(found)


@dataclass(frozen=True)
class AppliedRate:
    """A rate the plan uses: a stage's own, a source's from the stage above, or a source's to
    a stage below; with the key that sets it and where the file writes it."""

    key: str
    label: str
    rate: Decimal
    loc: tuple[str | int, ...]


def applied_rates(goals: Goals) -> list[AppliedRate]:
    """Every rate the plan uses, top first: each stage's own rate unless sources make it
    unused, then each source's own rates (what levers pull, at their points)."""
    unused = {note.stage.casefold() for note in rate_notes(goals)}
    found: list[AppliedRate] = []
    for index, stage in enumerate(goals.stages):
        rate = point(stage.rate)
        if index and rate is not None and stage.name.casefold() not in unused:
            found.append(
                AppliedRate(
                    f"stages[{index}].rate", f"{stage.name} rate", rate, ("stages", index, "rate")
                )
            )
    for key, entries in goals.sources.items():
        for number, source in enumerate(entries):
            at = ("sources", key, number)
            rate = point(source.rate)
            if rate is not None:
                path = f"sources.{key}.{source.name}.rate"
                found.append(AppliedRate(path, f"{source.name} {key} rate", rate, (*at, "rate")))
            for target, value in (source.rates or {}).items():
                rate = point(value)
                if rate is None:
                    continue
                path = f"sources.{key}.{source.name}.rates.{target}"
                label = f"{source.name} {target} rate"
                found.append(AppliedRate(path, label, rate, (*at, "rates", target)))
    return found


def channel_revenue_of(
    fresh: Volumes,
    channels: tuple[ChannelPlan, ...],
    from_pipeline: int,
    deal_size: Decimal | None,
) -> Decimal | None:
    """When channels win their own deal sizes: what their wins bring, plus what open
    pipeline's wins bring at the plan's deal size."""
    followed = [c for c in channels if c.followed]
    if fresh.flows is None or all(c.deal_size == deal_size for c in followed):
        return None
    if any(c.revenue is None for c in followed) or (from_pipeline and deal_size is None):
        return None
    total = EXACT.multiply(Decimal(from_pipeline), deal_size or Decimal(0))
    for channel in followed:
        total = EXACT.add(total, channel.revenue or Decimal(0))
    return total


def pipeline_values(
    fresh: Volumes,
    channels: tuple[ChannelPlan, ...],
    volumes: Sequence[int],
    deal_size: Decimal | None,
    *,
    start: int,
    opened: Sequence[int],
) -> list[Decimal | None]:
    """Each stage's pipeline value from `start` down (None above it or without a deal size):
    (volume + what is already open at it) × deal size, where channels win their own deal
    sizes each channel's volume at its own (open pipeline and the rest at the plan's)."""
    followed = [c for c in channels if c.followed and c.flow]
    stage = fresh.channel_stage
    values: list[Decimal | None] = []
    for index, (volume, open_now) in enumerate(zip(volumes, opened, strict=True)):
        if deal_size is None or index < start:
            values.append(None)
            continue
        value = EXACT.multiply(Decimal(volume + open_now), deal_size)
        if stage is not None and index >= stage:
            for channel in followed:
                own = channel.deal_size if channel.deal_size is not None else deal_size
                more = EXACT.multiply(
                    Decimal(channel.flow[index - stage]), EXACT.subtract(own, deal_size)
                )
                value = EXACT.add(value, more)
        values.append(value)
    return values


def share_decimal(share: Fraction) -> Decimal:
    """A share as an exact Decimal where it ends, else to ten places (the mix's rates)."""
    denominator = share.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        return to_decimal(share)
    return Decimal(round(share * 10**10)).scaleb(-10)
