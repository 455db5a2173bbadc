"""Forward projection: what a given volume at one stage turns into down the funnel, rounded
down to whole people at every stage, and the revenue it brings against the target."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.cohorts import pipeline_totals
from funnelcalc.exact import EXACT, exact_sum
from funnelcalc.fields import point
from funnelcalc.mixforward import forward
from funnelcalc.model import Goals
from funnelcalc.solver import Plan, project, solve


@dataclass(frozen=True)
class Projection:
    """Expected volumes from a stage down, beside what the plan needs."""

    plan: Plan
    start: int
    """The stage the volume was given for."""
    volumes: tuple[int | None, ...]
    """Per stage, top first; None above `start`."""
    channel_revenue: Decimal | None = None
    """When channels win their own deal sizes: what the projected wins bring."""

    @property
    def clients(self) -> int:
        """The clients the volume brings."""
        return self.volumes[-1] or 0

    @property
    def revenue(self) -> Decimal | None:
        """What those clients bring, with a deal size."""
        deal = self.plan.deal_size
        if self.channel_revenue is not None:
            return self.channel_revenue
        return None if deal is None else EXACT.multiply(Decimal(self.clients), deal)

    @property
    def gap(self) -> Decimal | None:
        """Revenue against the target: positive above it, negative short of it."""
        revenue, target = self.revenue, self.plan.target_revenue
        return None if revenue is None or target is None else EXACT.subtract(revenue, target)


def project_from(
    goals: Goals, stage: int, volume: int, *, scenario: str | None = None
) -> Projection:
    """Convert `volume` of stage `stage` forward with each stage's own rate, or, where sources
    feed a stage, through the plan's mix (see mixforward); what the open pipeline brings into
    each stage below is added, as the plan adds it."""
    points = goals.at_points()
    plan = solve(goals, scenario=scenario)
    channel_revenue = None
    if any(stage.sources for stage in plan.stages):
        flows, wins = forward(points, plan, stage, volume)
        given, *below = flows
        if plan.channel_revenue is not None and wins is not None:
            channel_revenue = exact_sum(
                EXACT.multiply(Decimal(won), channel.deal_size or Decimal(0))
                for won, channel in zip(wins, plan.channels, strict=True)
            )
    else:
        rates = [Fraction(point(s.rate) or 1) for s in points.stages[stage + 1 :]]
        given, *below = project(volume, rates)
    arrivals = pipeline_totals(points)[stage + 1 :]
    added = [fresh + more for fresh, more in zip(below, arrivals, strict=True)]
    volumes = (None,) * stage + (given, *added)
    if channel_revenue is not None and arrivals and plan.deal_size is not None:
        pipeline = EXACT.multiply(Decimal(arrivals[-1]), plan.deal_size)
        channel_revenue = EXACT.add(channel_revenue, pipeline)
    return Projection(plan, stage, volumes, channel_revenue)
