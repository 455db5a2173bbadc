"""The exact integer kernel of a plan, on plain numbers rather than a validated model: clients
from the target and the deal size, then each stage = ⌈next stage × den ÷ num⌉ up the funnel
(a stage with sources draws what they need), and the budget. `solver` plans through it, and
`sweep` runs it once per cell without re-validating the model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.channels import channel_volume, goal_of, terms_of
from funnelcalc.fields import point
from funnelcalc.model import Goals, Source
from funnelcalc.money import budget_for, spends_for
from funnelcalc.sources import SourcePlan, allocate, upstream_needed


def clients_for(revenue: Decimal | None, deal_size: Decimal | None, clients: int | None) -> int:
    """⌈revenue ÷ deal size⌉, in integers; the clients the target names without either."""
    if revenue is None or deal_size is None:
        assert clients is not None  # the model ensures one kind of target
        return clients
    money, deal = Fraction(revenue), Fraction(deal_size or 1)
    return -(-money.numerator * deal.denominator // (money.denominator * deal.numerator))


@dataclass(frozen=True)
class Volumes:
    """What a plan needs: each stage's volume and sources, top first, and, when a stage's
    channels convert at their own rates, each channel's flow from that stage down."""

    volumes: list[int]
    plans: list[tuple[SourcePlan, ...]]
    flows: list[list[int]] | None = None
    channel_stage: int | None = None


def back_calculate(
    clients: int,
    rates: Sequence[Decimal | None],
    sources: Sequence[Sequence[Source]],
    *,
    names: Sequence[str] = (),
    revenue: Fraction | None = None,
    deal_size: Decimal | None = None,
) -> Volumes:
    """Each stage's volume, top first, and each stage's sources: a stage with sources needs
    from the stage above what its share sources draw, else ⌈volume ÷ rate⌉. When a stage's
    channels convert below it at their own rates (`names` lets them name stages), it is the
    smallest volume whose channels reach `clients` (or `revenue`, with their own deal sizes),
    and each stage below holds what the channels bring it."""
    count = len(rates)
    volumes = [0] * count
    plans: list[tuple[SourcePlan, ...]] = [()] * count
    volumes[-1] = clients
    terms = terms_of(names, rates, sources) if names else None
    flows = None
    start = count - 1
    if terms is not None:
        reached = goal_of(terms, clients, revenue, deal_size)
        entries = sources[terms.stage]
        volume, split, flows = channel_volume(terms, entries, rates[terms.stage], reached)
        volumes[terms.stage] = volume  # its channels may bring a unit or two more (see allocate)
        for index in range(terms.stage + 1, count):
            volumes[index] = sum(flow[index - terms.stage] for flow in flows)
        plans[terms.stage] = split
        start = terms.stage
    for index in range(start, -1, -1):
        entries = list(sources[index])
        if entries and not (terms is not None and index == terms.stage):
            plans[index] = allocate(volumes[index], entries, stage_rate=rates[index])
        if index == 0:
            break
        volumes[index - 1] = above(volumes[index], rates[index], entries)
    return Volumes(volumes, plans, flows, terms.stage if terms else None)


def above(volume: int, rate: Decimal | None, sources: Sequence[Source]) -> int:
    """What the stage above must reach for a stage to reach `volume`."""
    if sources:
        return upstream_needed(volume, list(sources), stage_rate=rate)
    assert rate is not None  # every stage below the top has one
    exact = Fraction(rate)
    return -(-volume * exact.denominator // exact.numerator)


@dataclass
class Funnel:
    """The numbers a plan of fixed goals depends on, as plain values a cell may change: the
    revenue to win (after any baseline), the deal size and client target, each stage's rate
    and unit cost (ranges at their points), and its sources."""

    goals: Goals
    """For what no cell changes: fixed costs and the budget limit."""
    revenue: Decimal | None
    deal_size: Decimal | None
    clients: int | None
    rates: list[Decimal | None]
    costs: list[Decimal | None]
    sources: list[list[Source]]
    ratios: list[tuple[int, int]]
    """Each rate as (numerator, denominator), (1, 1) for the top stage."""
    names: list[str]
    """The stages' names when a stage's channels convert at their own rates, else empty (the
    plain chain of ceilings is faster)."""

    def volume(self, stage: int) -> int:
        """The volume stage `stage` must reach."""
        volume = clients_for(self.revenue, self.deal_size, self.clients)
        sources, rates = self.sources, self.rates
        if self.names:
            return self.solved(volume).volumes[stage]
        for index in range(len(rates) - 1, stage, -1):
            volume = above(volume, rates[index], sources[index])
        return volume

    def budget(self) -> Decimal | None:
        """The whole budget (spend + fixed costs); None when nothing has a cost."""
        solved = self.solved(clients_for(self.revenue, self.deal_size, self.clients))
        spends = spends_for(self.costs, solved.volumes, solved.plans)
        budget = budget_for(self.goals, spends, None)
        return None if budget is None else budget.total

    def solved(self, clients: int) -> Volumes:
        """The whole back-calculation for `clients` wins."""
        revenue = Fraction(self.revenue) if self.revenue is not None else None
        return back_calculate(
            clients,
            self.rates,
            self.sources,
            names=self.names,
            revenue=revenue,
            deal_size=self.deal_size,
        )


def ratio(rate: Decimal | None) -> tuple[int, int]:
    """A rate as (numerator, denominator); (1, 1) for none."""
    return Fraction(rate or 1).as_integer_ratio()


def funnel_of(goals: Goals, revenue: Decimal | None) -> Funnel:
    """The plain numbers of `goals`, with `revenue` the new revenue to win."""
    rates = [point(stage.rate) for stage in goals.stages]
    return Funnel(
        goals=goals,
        revenue=revenue,
        deal_size=point(goals.deal_size),
        clients=goals.target.clients,
        rates=rates,
        costs=[point(stage.cost) for stage in goals.stages],
        sources=[goals.source_list(stage.name) for stage in goals.stages],
        ratios=[ratio(rate) for rate in rates],
        names=[stage.name for stage in goals.stages] if _has_channels(goals) else [],
    )


def _has_channels(goals: Goals) -> bool:
    """Whether a stage's sources convert below it at their own rates or deal sizes."""
    return any(source.own_terms for entries in goals.sources.values() for source in entries)
