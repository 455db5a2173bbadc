"""Limits: the most of a stage the plan may need (traffic the site gets, SQLs the SDR team can
work), checked for the base plan and, on request, for every scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from funnelcalc.capacity import Capacity, capacity
from funnelcalc.keypath import BASE, BUDGET
from funnelcalc.loader import GoalsFile
from funnelcalc.scenarios import plan_for


@dataclass(frozen=True)
class LimitResult:
    """One limit under one plan."""

    scenario: str
    stage: str
    """The stage limited, or `budget`."""
    limit: int | Decimal
    needed: int | Decimal
    """A volume for a stage, an amount for the budget."""
    line: int | None
    """Where the limit is written in the goals file (None when set by --set)."""

    @property
    def headroom(self) -> int | Decimal:
        """How much more the plan could need before breaking the limit (negative: over)."""
        return self.limit - self.needed

    @property
    def holds(self) -> bool:
        """Whether the plan stays within the limit."""
        return self.needed <= self.limit


@dataclass(frozen=True)
class Check:
    """Every limit of the checked plans."""

    source: str
    results: tuple[LimitResult, ...]
    currency: str = "USD"
    capacity: tuple[Capacity, ...] = ()
    """With a `team:`, the team against each checked plan."""

    @property
    def passed(self) -> bool:
        """True when every limit holds and the team covers every month (and vacuously when
        there is nothing to check)."""
        short = any(role.short_months for team in self.capacity for role in team.roles)
        return all(result.holds for result in self.results) and not short


def check(
    file: GoalsFile, *, scenarios: Sequence[str | None] = (None,), sets: Sequence[str] = ()
) -> Check:
    """Plan each scenario (None: the base) and compare every stage with its limit."""

    def _line(key: str) -> int | None:
        loc = file.limit_loc(key)
        return file.line_of(loc) if loc is not None else None

    results: list[LimitResult] = []
    teams: list[Capacity] = []
    for scenario in scenarios:
        plan = plan_for(file, scenario, sets)
        for stage in plan.stages:
            if stage.limit is None:
                continue
            results.append(
                LimitResult(
                    plan.scenario or BASE, stage.name, stage.limit, stage.volume, _line(stage.name)
                )
            )
        budget = plan.budget
        if budget is not None and budget.limit is not None:
            results.append(
                LimitResult(
                    plan.scenario or BASE, BUDGET, budget.limit, budget.total, _line(BUDGET)
                )
            )
        goals = file.resolve(scenario, sets)[1]
        if goals.team:
            team = capacity(goals, plan)
            teams.append(team)
            results.extend(
                LimitResult(plan.scenario or BASE, key, most, team.used(key), _line(key))
                for key, most in team.limits.items()
            )
    return Check(file.source, tuple(results), file.base.currency, tuple(teams))
