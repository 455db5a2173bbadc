"""Limits: the most of a stage the plan may need (traffic the site gets, SQLs the SDR team can
work), checked for the base plan and, on request, for every scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.bounds import Figure, Gate
from funnelcalc.capacity import Capacity, capacity
from funnelcalc.keypath import BASE
from funnelcalc.loader import GoalsFile
from funnelcalc.scenarios import plan_for


@dataclass(frozen=True)
class LimitResult:
    """One bound under one plan."""

    scenario: str
    stage: str
    """The stage limited, `budget`, or a ratio (`ltv_cac`, `payback_months`…)."""
    limit: int | Decimal
    needed: Figure
    """A volume for a stage, an amount for the budget, a ratio (maybe unbounded) otherwise."""
    line: int | None
    """Where the limit is written in the goals file (None when set by --set)."""
    bound: str = "max"
    """max (the plan may need at most `limit`) or min (at least)."""
    unit: str = "count"
    """How the figures read: count, money, months or times."""

    @property
    def gate(self) -> Gate:
        """The bound as a gate."""
        return Gate(self.stage, self.bound, self.limit, self.needed, self.unit)

    @property
    def headroom(self) -> int | Decimal | Fraction | None:
        """How much the figure may still move before it breaks the bound (negative: broken;
        None: the figure is unbounded)."""
        return self.gate.headroom

    @property
    def holds(self) -> bool:
        """Whether the plan stays within the bound."""
        return self.gate.holds


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
    """Plan each scenario (None: the base) and compare every limited figure (stages, the
    budget, ratios) with each of its bounds."""

    def _line(key: str) -> int | None:
        loc = file.limit_loc(key)
        return file.line_of(loc) if loc is not None else None

    results: list[LimitResult] = []
    teams: list[Capacity] = []
    for scenario in scenarios:
        plan = plan_for(file, scenario, sets)
        results += [
            LimitResult(
                plan.scenario or BASE,
                gate.name,
                gate.limit,
                gate.value,
                _line(gate.name),
                gate.bound,
                gate.unit,
            )
            for gate in plan.gates
        ]
        goals = file.resolve(scenario, sets)[1]
        if goals.team:
            team = capacity(goals, plan)
            teams.append(team)
            results.extend(
                LimitResult(plan.scenario or BASE, key, most, team.used(key), _line(key))
                for key, most in team.limits.items()
            )
    return Check(file.source, tuple(results), file.base.currency, tuple(teams))
