"""Forward projection: what a given volume at one stage turns into down the funnel, rounded
down to whole people at every stage, and the revenue it brings against the target."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.cohorts import pipeline_totals
from funnelcalc.exact import EXACT
from funnelcalc.fields import point
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

    @property
    def clients(self) -> int:
        """The clients the volume brings."""
        return self.volumes[-1] or 0

    @property
    def revenue(self) -> Decimal | None:
        """What those clients bring, with a deal size."""
        deal = self.plan.deal_size
        return None if deal is None else EXACT.multiply(Decimal(self.clients), deal)

    @property
    def gap(self) -> Decimal | None:
        """Revenue against the target: positive above it, negative short of it."""
        revenue, target = self.revenue, self.plan.target_revenue
        return None if revenue is None or target is None else EXACT.subtract(revenue, target)


def project_from(
    goals: Goals, stage: int, volume: int, *, scenario: str | None = None
) -> Projection:
    """Convert `volume` of stage `stage` forward with each stage's own rate (a stage fed by
    sources uses its rate too: what each source gets is not known forward); what the open
    pipeline brings into each stage below is added, as the plan adds it."""
    points = goals.at_points()
    rates = [Fraction(point(s.rate) or 1) for s in points.stages[stage + 1 :]]
    given, *below = project(volume, rates)
    arrivals = pipeline_totals(points)[stage + 1 :]
    forward = [fresh + more for fresh, more in zip(below, arrivals, strict=True)]
    volumes = (None,) * stage + (given, *forward)
    return Projection(solve(goals, scenario=scenario), stage, volumes)
