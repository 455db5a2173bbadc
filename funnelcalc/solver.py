"""The reverse funnel, exactly: whole people at every stage, never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc import kernel
from funnelcalc.baseline import Derivation, derive
from funnelcalc.cohorts import pipeline_totals
from funnelcalc.exact import EXACT, exact_sum, floor_mul, to_decimal
from funnelcalc.fields import LagRange, Range, point
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

    @property
    def over_limit(self) -> bool:
        """Whether the plan needs more of this stage than its limit allows."""
        return self.limit is not None and self.volume > self.limit

    @property
    def one_in(self) -> Fraction:
        """N in "1 in N of this stage becomes a client"."""
        return 1 / Fraction(self.to_clients)


@dataclass(frozen=True)
class Assumption:
    """A value given as a range, and the point the plan uses for it."""

    key: str
    low: Decimal | str
    high: Decimal | str
    used: Decimal | str
    basis: str
    """likely (as given) or midpoint."""
    kind: str
    """rate, money, weight or lag: how the values read."""

    @property
    def is_rate(self) -> bool:
        """Whether the values are rates."""
        return self.kind == "rate"


def assumptions(goals: Goals) -> tuple[Assumption, ...]:
    """Every range in the goals, with the point a plan uses: the deal size, each stage's rate,
    cost and lag, each source's rate and cost, and each seasonality weight."""
    values: list[tuple[str, object, str]] = [("deal_size", goals.deal_size, "money")]
    for stage in goals.stages:
        values.append((f"stages.{stage.name}.rate", stage.rate, "rate"))
        values.append((f"stages.{stage.name}.cost", stage.cost, "money"))
        values.append((f"stages.{stage.name}.lag", stage.lag, "lag"))
    for stage_name, entries in goals.sources.items():
        for source in entries:
            values.append((f"sources.{stage_name}.{source.name}.rate", source.rate, "rate"))
            values.append((f"sources.{stage_name}.{source.name}.cost", source.cost, "money"))
    weights = (goals.period.seasonality or []) if goals.period else []
    values += [(f"period.seasonality[{i}]", w, "weight") for i, w in enumerate(weights)]
    found: list[Assumption] = []
    for key, value, kind in values:
        if isinstance(value, Range | LagRange):
            basis = "likely" if value.likely is not None else "midpoint"
            found.append(Assumption(key, value.low, value.high, value.point, basis, kind))
    return tuple(found)


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
        return not self.broken_limits and not (self.budget and self.budget.over_limit)

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
        """A stage's pipeline value over the revenue to win (the target, else the plan's)."""
        goal = self.target_revenue if self.target_revenue is not None else self.revenue
        if stage.pipeline_value is None or not goal:
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
    arrivals = pipeline_totals(goals)
    rates = [point(stage.rate) for stage in goals.stages]
    entries = [goals.source_list(stage.name) for stage in goals.stages]
    fresh, sources = kernel.back_calculate(max(0, clients - arrivals[-1]), rates, entries)
    return [new + more for new, more in zip(fresh, arrivals, strict=True)], sources


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
    volumes, sources = back_calculate(goals, clients_needed(goals, new_revenue))
    rates = [Fraction(rate) for rate in map(point, (s.rate for s in goals.stages[1:])) if rate]

    # shares[i]: the part of stage i that becomes a client, the product of the rates below it
    shares = [Fraction(1)]
    for rate in reversed(rates):
        shares.append(shares[-1] * rate)
    shares.reverse()

    spends = stage_spends(goals, volumes, sources)
    deal_size = point(goals.deal_size)
    revenue = EXACT.multiply(Decimal(volumes[-1]), deal_size) if deal_size else None
    budget = budget_for(goals, spends, revenue)
    limits = {name.casefold(): limit for name, limit in goals.limits.items()}
    arrivals = pipeline_totals(goals)
    open_at = {name.casefold(): count for name, count in goals.pipeline.items()}
    stages: list[StagePlan] = []
    owner: str | None = None
    for index, (stage, volume) in enumerate(zip(goals.stages, volumes, strict=True)):
        owner = stage.owner or owner  # a stage without an owner keeps the one above
        limit = limits.get(stage.name.casefold())
        spend = spends[index]
        stages.append(
            StagePlan(
                name=stage.name,
                owner=owner,
                definition=stage.definition,
                rate=point(stage.rate),
                volume=volume,
                to_clients=to_decimal(shares[index]),
                lost=_lost(index, volume, rates, sources),
                limit=int(limit) if isinstance(limit, Decimal) else None,
                cost=point(stage.cost),
                spend=spend,
                sources=sources[index],
                pipeline_value=(EXACT.multiply(Decimal(volume), deal_size) if deal_size else None),
                max_cost=(
                    max_unit_cost(budget, spend, volume)
                    if budget is not None and stage.cost is not None and spend is not None
                    else None
                ),
                open_pipeline=open_at.get(stage.name.casefold(), 0),
                from_pipeline=arrivals[index],
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
    )


def _lost(
    index: int, volume: int, rates: list[Fraction], sources: list[tuple[SourcePlan, ...]]
) -> int | None:
    """How many of stage `index` do not reach the next stage, converted forward."""
    if index == len(sources) - 1:
        return None
    drawing = [source for source in sources[index + 1] if source.upstream is not None]
    if drawing:
        return volume - sum(source.reaches for source in drawing)
    return volume - floor_mul(volume, rates[index])
