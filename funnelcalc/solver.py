"""The reverse funnel, exactly: whole people at every stage, never a float."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc import kernel
from funnelcalc.assumptions import Assumption, assumptions
from funnelcalc.attribution import (
    RateNote,
    attribute,
    channel_revenue_of,
    pipeline_values,
    rate_notes,
    share_decimal,
)
from funnelcalc.baseline import Derivation, derive
from funnelcalc.bounds import Gate, bounds_of
from funnelcalc.channels import ChannelPlan
from funnelcalc.cohorts import pipeline_totals
from funnelcalc.economics import Economics, economics_for, gates_for, pipeline_start
from funnelcalc.exact import EXACT, exact_sum, floor_mul
from funnelcalc.fields import point
from funnelcalc.model import Goals, Period
from funnelcalc.money import Budget, budget_for, max_unit_cost, stage_spends
from funnelcalc.sources import SourcePlan

ROUNDING_RULE = (
    "Every volume is the smallest whole number that still reaches the target: "
    "clients = ⌈revenue ÷ deal size⌉, and each stage = ⌈next stage ÷ its rate⌉."
)


@dataclass(frozen=True)
class StagePlan:
    """What one stage must reach, how it converts to the paying clients, and what it costs."""

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
    cost: Decimal | None = None
    """What one unit of this stage costs, as the file says."""
    spend: Decimal | None = None
    """What this stage costs in all; None when it has no cost."""
    sources: tuple[SourcePlan, ...] = ()
    """Where this stage's volume comes from, when the file says."""
    pipeline_value: Decimal | None = None
    """volume × deal size: the money this stage stands for."""
    max_cost: Decimal | None = None
    """With a budget limit: the most one unit may cost and the budget still hold."""
    open_pipeline: int = 0
    """What is already in flight at this stage at the start (`pipeline:`)."""
    from_pipeline: int = 0
    """Of `volume`, what the open pipeline above brings into this stage within the period."""
    per: Decimal | None = None
    """A multiplier (`per: 3` contacts per account) instead of a share: `rate` is then it."""
    effective_rate: Fraction | None = None
    """With sources: this stage's volume ÷ the stage above's (the mix's rate); None for the
    top stage or a plan without sources."""
    per_win: Fraction | None = None
    """With sources: this stage's volume ÷ the plan's wins (the mix's "1 in N"); None without
    sources or wins."""

    @property
    def over_limit(self) -> bool:
        """Whether the plan needs more of this stage than its limit allows."""
        return self.limit is not None and self.volume > self.limit

    @property
    def one_in(self) -> Fraction:
        """N in "1 in N of this stage becomes a client": with sources, the volume ÷ the wins
        (the mix's effective rates), else 1 ÷ the product of the rates below."""
        if self.per_win is not None:
            return self.per_win
        return 1 / Fraction(self.to_clients)


@dataclass(frozen=True)
class Plan:
    """A solved goals file: the volume every stage must reach, top first."""

    name: str | None
    currency: str
    target_revenue: Decimal | None
    """The new revenue the funnel must win (derived from the baseline when there is one)."""
    target_clients: int | None
    deal_size: Decimal | None
    stages: tuple[StagePlan, ...]
    scenario: str | None = None
    """The scenario planned, None for the base plan."""
    budget: Budget | None = None
    baseline: Derivation | None = None
    assumptions: tuple[Assumption, ...] = ()
    """The ranges in the file, and the points this plan uses for them."""
    period: Period | None = None
    """When the plan runs, if the file says."""
    economics: Economics | None = None
    """Coverage, ROAS, ROI and the unit economics."""
    gates: tuple[Gate, ...] = ()
    """Every bound of the file's limits, with the figure it holds."""
    channels: tuple[ChannelPlan, ...] = ()
    """Each source of each sourced stage, as a channel: its volume, wins, revenue and spend."""
    channel_revenue: Decimal | None = None
    """When channels win their own deal sizes: what the plan's wins bring in all."""
    wins_needed: int | None = None
    """When a stage's channels convert at their own rates: the wins the target needs
    (⌈revenue ÷ deal size⌉), which their whole wins may exceed; None with their own deal sizes
    (they must bring the revenue instead) or without such channels."""
    rate_notes: tuple[RateNote, ...] = ()
    """Which rate applies where sources give their own: the stage's own is then not used."""
    segments: tuple[SegmentPlan, ...] = ()
    """A company plan made of segments: each segment's own plan (this plan is their roll-up)."""
    segment: str | None = None
    """The segment this plan is of, when it is one."""

    @property
    def broken_limits(self) -> list[StagePlan]:
        """The stages whose limit the plan breaks."""
        return [stage for stage in self.stages if stage.over_limit]

    @property
    def limits_hold(self) -> bool:
        """Whether every stage limit and the budget limit hold."""
        broken = self.broken_limits or (self.budget and self.budget.over_limit)
        return not broken and all(gate.holds for gate in self.gates)

    @property
    def budget_total(self) -> Decimal | None:
        """The whole budget, None when the file names no cost."""
        return self.budget.total if self.budget is not None else None

    @property
    def clients(self) -> int:
        """Clients the plan wins: the volume of the last stage."""
        return self.stages[-1].volume

    @property
    def revenue(self) -> Decimal | None:
        """What the planned clients bring; None without a deal size. A roll-up brings what its
        segments bring (None unless every one has a deal size)."""
        if self.segments:
            brought = [part.plan.revenue for part in self.segments]
            return None if None in brought else exact_sum(b for b in brought if b is not None)
        if self.channel_revenue is not None:
            return self.channel_revenue
        if self.deal_size is None:
            return None
        return EXACT.multiply(Decimal(self.clients), self.deal_size)

    @property
    def surplus(self) -> Decimal | None:
        """Revenue beyond the target that whole clients bring."""
        if self.revenue is None or self.target_revenue is None:
            return None
        return EXACT.subtract(self.revenue, self.target_revenue)

    def coverage(self, stage: StagePlan) -> Fraction | None:
        """A stage's pipeline value over the revenue to win (the target, else the plan's); a
        roll-up's over the targets of the segments that have the stage."""
        if self.segments:
            from funnelcalc.rollup import coverage  # noqa: PLC0415 - segments only

            return coverage(stage, self)
        goal = self.target_revenue if self.target_revenue is not None else self.revenue
        if stage.pipeline_value is None or not goal:  # None above the first opportunity stage
            return None
        return Fraction(stage.pipeline_value) / Fraction(goal)


@dataclass(frozen=True)
class SegmentPlan:
    """One segment of a company plan: its name, its share of the company target (None when it
    gives its own target), and its plan."""

    name: str
    share: Decimal | None
    description: str | None
    plan: Plan


def clients_needed(goals: Goals, new_revenue: Decimal | None = None) -> int:
    """⌈revenue ÷ deal size⌉ (the revenue derived from a baseline, if given), or the clients
    the target names."""
    revenue = new_revenue if new_revenue is not None else goals.target.revenue
    return kernel.clients_for(revenue, point(goals.deal_size), goals.target.clients)


def project(volume: int, rates: list[Fraction]) -> list[int]:
    """Convert a volume forward through `rates`, rounding down to whole people at each step."""
    volumes = [volume]
    for rate in rates:
        volumes.append(floor_mul(volumes[-1], rate))
    return volumes


def needed_above(goals: Goals, index: int, volume: int) -> int:
    """What stage `index` − 1 must reach so that stage `index` reaches `volume`: what its
    sources draw when it has sources, else ⌈volume ÷ its rate⌉."""
    stage = goals.stages[index]
    return kernel.above(volume, point(stage.rate), goals.source_list(stage.name))


def back_calculate(goals: Goals, clients: int) -> tuple[list[int], list[tuple[SourcePlan, ...]]]:
    """Each stage's volume, top first, and each stage's sources (see kernel.back_calculate).
    Open pipeline brings some of every stage below it; the rest (fresh) is back-calculated
    from the clients it does not bring."""
    fresh, arrivals = solve_fresh(goals, clients)
    volumes = [new + more for new, more in zip(fresh.volumes, arrivals, strict=True)]
    return volumes, fresh.plans


def solve_fresh(
    goals: Goals, clients: int, new_revenue: Decimal | None = None
) -> tuple[kernel.Volumes, list[int]]:
    """What must be generated (the clients, or with channel deal sizes the revenue, that open
    pipeline does not bring), and what open pipeline brings to each stage."""
    arrivals = pipeline_totals(goals)
    rates = [point(stage.rate) for stage in goals.stages]
    entries = [goals.source_list(stage.name) for stage in goals.stages]
    deal_size = point(goals.deal_size)
    revenue = new_revenue if new_revenue is not None else goals.target.revenue
    fresh_revenue = None
    if revenue is not None and deal_size is not None and goals.target.clients is None:
        fresh_revenue = max(Fraction(0), Fraction(revenue) - arrivals[-1] * Fraction(deal_size))
    fresh = kernel.back_calculate(
        max(0, clients - arrivals[-1]),
        rates,
        entries,
        names=[stage.name for stage in goals.stages],
        revenue=fresh_revenue,
        deal_size=deal_size,
    )
    return fresh, arrivals


def solve(goals: Goals, *, scenario: str | None = None) -> Plan:
    """Plan a goals file backwards from its target (ranges at their likely values). A file with
    segments is planned segment by segment (see rollup.company_plan), never as one funnel."""
    if goals.segments:
        raise ValueError(
            "a file with segments is planned by funnelcalc.plan_file, not as one funnel"
        )
    ranges = assumptions(goals)
    goals = goals.at_points()
    derivation = derive(goals)
    new_revenue = derivation.new_revenue if derivation else goals.target.revenue
    needed = clients_needed(goals, new_revenue)
    fresh, arrivals = solve_fresh(goals, needed, new_revenue)
    volumes = [new + more for new, more in zip(fresh.volumes, arrivals, strict=True)]
    sources = fresh.plans
    mixed = any(sources) or fresh.flows is not None
    effective = [
        Fraction(volume, above) if above else Fraction(1)
        for above, volume in itertools.pairwise(volumes)
    ]
    # rates[i]: the rate into stage i + 1, the stage's own or, where sources give it, the mix's
    rates = [
        Fraction(own) if own is not None else mix
        for own, mix in zip((point(s.rate) for s in goals.stages[1:]), effective, strict=True)
    ]

    # shares[i]: the part of stage i that becomes a client, the product of the rates below it
    shares = [Fraction(1)]
    for rate in reversed(effective if mixed else rates):
        shares.append(shares[-1] * rate)
    shares.reverse()

    spends = stage_spends(goals, volumes, sources)
    deal_size = point(goals.deal_size)
    channels = attribute(goals, fresh, arrivals, deal_size)
    channel_revenue = channel_revenue_of(fresh, channels, arrivals[-1], deal_size)
    revenue = EXACT.multiply(Decimal(volumes[-1]), deal_size) if deal_size else None
    revenue = channel_revenue if channel_revenue is not None else revenue
    budget = budget_for(goals, spends, revenue)
    limits = {name.casefold(): limit for name, limit in goals.limits.items()}
    open_at = {name.casefold(): count for name, count in goals.pipeline.items()}
    opened = [open_at.get(stage.name.casefold(), 0) for stage in goals.stages]
    start = pipeline_start(goals)
    pipeline = pipeline_values(fresh, channels, volumes, deal_size, start=start, opened=opened)
    economics = economics_for(
        goals,
        deal_size=deal_size,
        volumes=volumes,
        spends=spends,
        budget=budget,
        revenue_to_win=new_revenue,
        derivation=derivation,
        revenue=revenue,
        pipeline_value=pipeline[start],
    )
    stages: list[StagePlan] = []
    owner: str | None = None
    for index, (stage, volume) in enumerate(zip(goals.stages, volumes, strict=True)):
        owner = stage.owner or owner  # a stage without an owner keeps the one above
        written = limits.get(stage.name.casefold())
        limit = bounds_of(stage.name, written).max if written is not None else None
        spend = spends[index]
        stages.append(
            StagePlan(
                name=stage.name,
                owner=owner,
                definition=stage.definition,
                rate=point(stage.rate),
                volume=volume,
                to_clients=share_decimal(shares[index]),
                lost=_lost(index, volumes, rates, sources, fresh.channel_stage),
                limit=int(limit) if isinstance(limit, Decimal) else None,
                cost=point(stage.cost),
                spend=spend,
                sources=sources[index],
                pipeline_value=pipeline[index] if deal_size else None,
                max_cost=(
                    max_unit_cost(budget, spend, volume)
                    if budget is not None and stage.cost is not None and spend is not None
                    else None
                ),
                open_pipeline=open_at.get(stage.name.casefold(), 0),
                from_pipeline=arrivals[index],
                per=stage.per,
                effective_rate=effective[index - 1] if mixed and index else None,
                per_win=Fraction(volume, volumes[-1]) if mixed and volumes[-1] else None,
            )
        )
    return Plan(
        name=goals.name,
        currency=goals.currency,
        target_revenue=new_revenue,
        target_clients=goals.target.clients,
        deal_size=deal_size,
        stages=tuple(stages),
        scenario=scenario,
        budget=budget,
        baseline=derivation,
        assumptions=ranges,
        period=goals.period,
        economics=economics,
        gates=gates_for(goals.limits, [(s.name, s.volume) for s in stages], budget, economics),
        channels=channels,
        channel_revenue=channel_revenue,
        wins_needed=needed if fresh.flows is not None and channel_revenue is None else None,
        rate_notes=rate_notes(goals),
    )


def _lost(
    index: int,
    volumes: list[int],
    rates: list[Fraction],
    sources: list[tuple[SourcePlan, ...]],
    channel_stage: int | None,
) -> int | None:
    """How many of stage `index` do not reach the next stage, converted forward."""
    if index == len(sources) - 1 or rates[index] > 1:
        return None  # the last stage, or one a multiplier below turns into more
    volume = volumes[index]
    if channel_stage is not None and index >= channel_stage:
        return volume - volumes[index + 1]
    drawing = [source for source in sources[index + 1] if source.upstream is not None]
    if drawing:
        return volume - sum(source.reaches for source in drawing)
    return volume - floor_mul(volume, rates[index])
