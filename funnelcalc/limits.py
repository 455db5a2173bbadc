"""Limits: the most of a stage the plan may need (traffic the site gets, SQLs the SDR team can
work), checked for the base plan and, on request, for every scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.bounds import Figure, Gate
from funnelcalc.capacity import capacity
from funnelcalc.keypath import BASE, BUDGET
from funnelcalc.loader import GoalsFile
from funnelcalc.scenarios import plan_for
from funnelcalc.solver import Plan
from funnelcalc.staffing import Capacity


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
    segment: str | None = None
    """The segment whose own limit this is; None for the company's (on the roll-up)."""

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
    file: GoalsFile,
    *,
    scenarios: Sequence[str | None] = (None,),
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Check:
    """Plan each scenario (None: the base) and compare every limited figure (stages, the
    budget, ratios, the team's heads and hires) with each of its bounds. In a file with
    segments, the company's limits are checked on the roll-up and each segment's own on its
    plan (or only one segment's, with `segment`), and each segment's team on its plan."""
    results: list[LimitResult] = []
    teams: list[Capacity] = []
    for scenario in scenarios:
        plan = plan_for(file, scenario, sets, segment)
        parts = [(plan.segment, plan)] if not plan.segments else []
        parts += [(part.name, part.plan) for part in plan.segments]
        if plan.segments:
            results += _limits_of(file, plan, None)
        for name, part in parts:
            results += _limits_of(file, part, name)
            if name is not None:
                goals = file.segment_goals(name, scenario=part.scenario, sets=sets)
            else:
                goals = file.resolve(part.scenario, sets)[1]
            if goals.team:
                team = capacity(goals, part)
                teams.append(team)
                results.extend(
                    LimitResult(
                        part.scenario or BASE,
                        key,
                        most,
                        team.used(key),
                        _line(file, key, name),
                        segment=name,
                    )
                    for key, most in team.limits.items()
                )
    return Check(file.source, tuple(results), file.base.currency, tuple(teams))


def _limits_of(file: GoalsFile, plan: Plan, segment: str | None) -> list[LimitResult]:
    """Every bound of one plan's limits: its stages', its budget's and its ratios' (a
    roll-up, which has no rates of its own, its stages' and budget's)."""
    gates = plan.gates or _rollup_gates(plan)
    return [
        LimitResult(
            plan.scenario or BASE,
            gate.name,
            gate.limit,
            gate.value,
            _line(file, gate.name, segment),
            gate.bound,
            gate.unit,
            segment,
        )
        for gate in gates
    ]


def _line(file: GoalsFile, key: str, segment: str | None) -> int | None:
    """Where the limit `key` is written (None when set by --set)."""
    loc = file.limit_loc(key, segment)
    return file.line_of(loc) if loc is not None else None


def _rollup_gates(plan: Plan) -> list[Gate]:
    gates = [
        Gate(stage.name, "max", stage.limit, stage.volume, "count")
        for stage in plan.stages
        if stage.limit is not None
    ]
    budget = plan.budget
    if budget is not None and budget.limit is not None:
        gates.append(Gate(BUDGET, "max", budget.limit, budget.total, "money"))
    return gates
