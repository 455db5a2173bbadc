"""JSON documents for scripts (schema_version 1: extend, never break)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from funnelcalc.exact import plain
from funnelcalc.keypath import BASE
from funnelcalc.money import ratio
from funnelcalc.render.figures import displayed
from funnelcalc.solver import ROUNDING_RULE, Plan

if TYPE_CHECKING:
    from funnelcalc.goalseek import Seek
    from funnelcalc.levers import Effect, Levers
    from funnelcalc.limits import Check
    from funnelcalc.phasing import Schedule
    from funnelcalc.projection import Projection
    from funnelcalc.render import Result
    from funnelcalc.scenarios import Comparison
    from funnelcalc.sweep import Sweep
    from funnelcalc.tracking import Track
    from funnelcalc.uncertainty import Simulation

SCHEMA_VERSION = 1


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain data; Decimals stay exact and are written as JSON numbers."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": plan.name,
        "scenario": plan.scenario,
        "currency": plan.currency,
        "target": {"revenue": plan.target_revenue, "clients": plan.target_clients},
        "deal_size": plan.deal_size,
        "clients": plan.clients,
        "revenue": plan.revenue,
        "surplus": plan.surplus,
        "limits_hold": plan.limits_hold,
        "rounding": ROUNDING_RULE,
        **_money(plan),
        "baseline": _baseline(plan),
        "assumptions": [
            {
                "key": item.key,
                "low": item.low,
                "high": item.high,
                "used": item.used,
                "basis": item.basis,
            }
            for item in plan.assumptions
        ],
        "stages": [
            {
                "name": stage.name,
                "rate": stage.rate,
                "volume": stage.volume,
                "owner": stage.owner,
                "definition": stage.definition,
                "to_clients": stage.to_clients,
                "one_in": displayed(stage.one_in),
                "lost": stage.lost,
                "limit": stage.limit,
                "within_limit": None if stage.limit is None else not stage.over_limit,
                "cost": stage.cost,
                "spend": stage.spend,
                "cost_per_unit": (
                    _rounded(plan.budget.total, stage.volume) if plan.budget else None
                ),
                "max_cost": stage.max_cost,
                "pipeline_value": stage.pipeline_value,
                "coverage": _round(plan.coverage(stage)),
                "sources": [
                    {
                        "name": source.name,
                        "share": source.share,
                        "target": source.target,
                        "rate": source.rate,
                        "upstream": source.upstream,
                        "cost": source.cost,
                    }
                    for source in stage.sources
                ],
            }
            for stage in plan.stages
        ],
    }


def _round(value: Fraction | None, places: int = 2) -> Decimal | None:
    return None if value is None else displayed(value, places)


def _rounded(numerator: Decimal, denominator: Decimal | int, places: int = 2) -> Decimal | None:
    return _round(ratio(numerator, denominator), places)


def _money(plan: Plan) -> dict[str, Any]:
    """budget, cac, roi, roas and their parts; exact sums, ratios rounded half up."""
    budget = plan.budget
    if budget is None:
        keys = ("spend", "fixed_costs", "budget", "budget_limit", "cac", "roi", "roas")
        return dict.fromkeys((*keys, "budget_share"))
    revenue = plan.revenue
    return {
        "spend": budget.spend,
        "fixed_costs": budget.fixed_costs,
        "budget": budget.total,
        "budget_limit": budget.limit,
        "cac": _rounded(budget.total, plan.clients),
        "roi": _rounded(revenue - budget.total, budget.total, 4) if revenue is not None else None,
        "roas": _rounded(revenue, budget.spend, 4) if revenue is not None else None,
        "budget_share": _rounded(budget.total, revenue, 4) if revenue is not None else None,
    }


def _baseline(plan: Plan) -> dict[str, Any] | None:
    derivation = plan.baseline
    return None if derivation is None else dict(vars(derivation))


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """Each plan shaped like `plan`'s JSON, named by its scenario (the base is "base")."""
    entries = []
    for plan in comparison.plans:
        entry = plan_document(plan)
        del entry["schema_version"]
        name = plan.scenario or BASE
        entry = {
            "name": name,
            "title": plan.name,
            "description": comparison.descriptions.get(name),
            **{k: v for k, v in entry.items() if k != "name"},
        }
        entries.append(entry)
    return {"schema_version": SCHEMA_VERSION, "scenarios": entries}


def sweep_document(result: Sweep) -> dict[str, Any]:
    """The swept keys and values, and the volumes: a list (one key) or rows of lists (two)."""
    volumes: list[Any] = [list(row) for row in result.volumes]
    return {
        "schema_version": SCHEMA_VERSION,
        "show": result.show,
        "vary": [{"key": axis.key, "values": list(axis.values)} for axis in result.axes],
        "volumes": [row[0] for row in volumes] if len(result.axes) == 1 else volumes,
    }


def check_document(result: Check) -> dict[str, Any]:
    """Whether every limit holds, and each limit's figures."""
    return {
        "schema_version": SCHEMA_VERSION,
        "passed": result.passed,
        "limits": [
            {
                "scenario": item.scenario,
                "stage": item.stage,
                "limit": item.limit,
                "needed": item.needed,
                "headroom": item.headroom,
                "holds": item.holds,
            }
            for item in result.results
        ],
    }


def dumps(value: Any, indent: str = "") -> str:
    """JSON text, writing each Decimal as the exact number it is (json.dumps cannot)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{inner}{json.dumps(str(k))}: {dumps(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in value) + f"\n{indent}]"
    if isinstance(value, Decimal):
        return format(plain(value), "f")
    return json.dumps(value, ensure_ascii=False)


def schedule_document(result: Schedule) -> dict[str, Any]:
    """The plan's JSON with a `schedule`: a period a row, each stage's volume in it."""
    names = [stage.name for stage in result.plan.stages]
    daily = [name for name, is_daily in zip(names, result.daily, strict=True) if is_daily]
    return {
        **plan_document(result.plan),
        "by": result.by,
        "schedule": [
            {
                "period": bucket.label,
                "start": bucket.start.isoformat(),
                "end": (bucket.end - timedelta(days=1)).isoformat(),
                "before_start": bucket.before_start,
                "working_days": bucket.working_days,
                "stages": dict(zip(names, bucket.volumes, strict=True)),
                "per_working_day": {name: bucket.per_day(names.index(name)) for name in daily},
            }
            for bucket in result.buckets
        ],
    }


def track_document(result: Track) -> dict[str, Any]:
    """Pace, observed rates and status per stage, and the re-forecast."""
    names = [stage.name for stage in result.stages]
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": result.as_of.isoformat(),
        "tolerance": result.tolerance,
        "rates": result.rates,
        "behind": result.behind,
        "working_days_left": result.working_days_left,
        "stages": [
            {
                "name": stage.name,
                "actual": stage.actual,
                "planned": stage.planned,
                "pace": _round(stage.pace, 4),
                "rate": stage.rate,
                "observed_rate": _round(stage.observed_rate, 4),
                "status": stage.status,
                "spend": stage.spend,
                "needed": stage.needed,
                "remaining": stage.remaining,
                "per_working_day": stage.per_working_day,
            }
            for stage in result.stages
        ],
        "reforecast": [
            {"period": label, "stages": dict(zip(names, volumes, strict=True))}
            for label, volumes in result.reforecast
        ],
    }


def simulation_document(result: Simulation) -> dict[str, Any]:
    """The plan's JSON at likely values; each stage gains p10, p50, p90 (and its capacity);
    the document gains runs, seed, the budget's spread, and the probability with a capacity."""
    document = plan_document(result.plan)
    for stage, spread in zip(document["stages"], result.stages, strict=True):
        stage.update(p10=spread.p10, p50=spread.p50, p90=spread.p90)
        stage["capacity"] = result.capacity.get(stage["name"])
    budget = result.budget
    document.update(
        runs=result.runs,
        seed=result.seed,
        budget_percentiles=(
            {"p10": budget.p10, "p50": budget.p50, "p90": budget.p90} if budget else None
        ),
        capacity=result.capacity or None,
        successes=result.successes,
        probability=_round(result.probability, 4),
    )
    return document


def levers_document(result: Levers) -> dict[str, Any]:
    """The levers, the one that cuts the top of the funnel most first."""

    def effect(item: Effect | None) -> dict[str, Any] | None:
        if item is None:
            return None
        return {
            "value": item.value,
            "top": item.top,
            "clients": item.clients,
            "budget": item.budget,
        }

    plan = result.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "top_stage": plan.stages[0].name,
        "base": {
            "top": plan.stages[0].volume,
            "clients": plan.clients,
            "budget": plan.budget_total,
        },
        "levers": [
            {
                "key": lever.key,
                "name": lever.label,
                "value": lever.value,
                "plus_one_point": effect(lever.plus_one_point),
                "plus_ten_percent": effect(lever.plus_ten_percent),
            }
            for lever in result.levers
        ],
    }


def seek_document(result: Seek) -> dict[str, Any]:
    """The smallest value that works, exactly (as a fraction) and as the value to use."""
    exact = result.exact
    return {
        "schema_version": SCHEMA_VERSION,
        "key": result.key,
        "given": {"stage": result.stage, "volume": result.volume},
        "now": result.current,
        "possible": result.possible,
        "smallest": result.usable,
        "exact": None
        if exact is None
        else {"numerator": exact.numerator, "denominator": exact.denominator},
        "plan": plan_document(result.plan) if result.plan is not None else None,
    }


def projection_document(result: Projection) -> dict[str, Any]:
    """Expected volumes from the given stage down, and the revenue they bring."""
    plan = result.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "from": {"stage": plan.stages[result.start].name, "volume": result.volumes[result.start]},
        "stages": [
            {"name": stage.name, "rate": stage.rate, "volume": volume, "plan_needs": stage.volume}
            for stage, volume in zip(plan.stages, result.volumes, strict=True)
            if volume is not None
        ],
        "clients": result.clients,
        "revenue": result.revenue,
        "target_revenue": plan.target_revenue,
        "gap": result.gap,
    }


_BY_RESULT: dict[str, Callable[[Any], dict[str, Any]]] = {
    "Levers": levers_document,
    "Seek": seek_document,
    "Projection": projection_document,
    "Plan": plan_document,
    "Schedule": schedule_document,
    "Comparison": comparison_document,
    "Sweep": sweep_document,
    "Check": check_document,
    "Track": track_document,
    "Simulation": simulation_document,
}


def render(result: Result) -> str:
    """`--format json` for any result."""
    return dumps(_BY_RESULT[type(result).__name__](result)) + "\n"
