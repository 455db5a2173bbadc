"""Limits: the most of a stage the plan may need (traffic the site gets, SQLs the SDR team can
work), checked for the base plan and, on request, for every scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from funnelcalc.keypath import BASE, BUDGET
from funnelcalc.loader import GoalsFile
from funnelcalc.scenarios import plan_for
from funnelcalc.solver import Plan


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
    segment: str | None = None
    """The segment whose own limit this is; None for the company's (on the roll-up)."""

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

    @property
    def passed(self) -> bool:
        """True when every limit holds (and vacuously when there are none)."""
        return all(result.holds for result in self.results)


def check(
    file: GoalsFile,
    *,
    scenarios: Sequence[str | None] = (None,),
    sets: Sequence[str] = (),
    segment: str | None = None,
) -> Check:
    """Plan each scenario (None: the base) and compare every stage with its limit. In a file
    with segments, the company's limits are checked on the roll-up and each segment's own on its
    plan (or only one segment's, with `segment`)."""
    results: list[LimitResult] = []
    for scenario in scenarios:
        plan = plan_for(file, scenario, sets, segment)
        results += _limits_of(file, plan, plan.segment)
        for part in plan.segments:
            results += _limits_of(file, part.plan, part.name)
    return Check(file.source, tuple(results), file.base.currency)


def _limits_of(file: GoalsFile, plan: Plan, segment: str | None) -> list[LimitResult]:
    """Every limit of one plan: its stages' and its budget's."""

    def _line(key: str) -> int | None:
        loc = file.limit_loc(key, segment)
        return file.line_of(loc) if loc is not None else None

    results: list[LimitResult] = []
    for stage in plan.stages:
        if stage.limit is None:
            continue
        results.append(
            LimitResult(
                plan.scenario or BASE,
                stage.name,
                stage.limit,
                stage.volume,
                _line(stage.name),
                segment,
            )
        )
    budget = plan.budget
    if budget is not None and budget.limit is not None:
        results.append(
            LimitResult(
                plan.scenario or BASE, BUDGET, budget.limit, budget.total, _line(BUDGET), segment
            )
        )
    return results
