"""The plan's JSON document: schema_version 1, keys only ever added. Decimals stay exact;
ratios are rounded half up (two places for money, four for shares)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from funnelcalc.attribution import channel_spend
from funnelcalc.money import ratio
from funnelcalc.solver import Plan
from funnelcalc.views.cells import displayed
from funnelcalc.views.plan_channels import channels_document, rounding_rule
from funnelcalc.views.plan_economics import economics_document
from funnelcalc.views.plan_money import budget_per_unit

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
        "rounding": rounding_rule(plan),
        **_money(plan),
        **economics_document(plan),
        "baseline": _baseline(plan),
        **channels_document(plan),
        "assumptions": [
            {
                "key": item.key,
                "low": item.low,
                "high": item.high,
                "used": item.used,
                "basis": item.basis,
                "kind": item.kind,
            }
            for item in plan.assumptions
        ],
        "stages": [
            {
                "name": stage.name,
                "rate": stage.rate,
                "per": stage.per,
                "volume": stage.volume,
                "owner": stage.owner,
                "definition": stage.definition,
                "to_clients": stage.to_clients,
                "one_in": displayed(stage.one_in),
                "effective_rate": rounded(stage.effective_rate, 6),
                "lost": stage.lost,
                "limit": stage.limit,
                "within_limit": None if stage.limit is None else not stage.over_limit,
                "cost": stage.cost,
                "spend": stage.spend,
                "cost_per_unit": rounded(budget_per_unit(plan, stage)),
                "max_cost": stage.max_cost,
                "pipeline_value": stage.pipeline_value,
                "open_pipeline": stage.open_pipeline,
                "from_pipeline": stage.from_pipeline,
                "coverage": rounded(plan.coverage(stage)),
                "sources": [
                    {
                        "name": source.name,
                        "share": source.share,
                        "target": source.target,
                        "rate": source.rate,
                        "upstream": source.upstream,
                        "cost": source.cost,
                        "spend": channel_spend(source, above.cost if above else None),
                    }
                    for source in stage.sources
                ],
            }
            for stage, above in zip(plan.stages, (None, *plan.stages), strict=False)
        ],
    }


def rounded(value: Fraction | None, places: int = 2) -> Decimal | None:
    return None if value is None else displayed(value, places)


def _rounded(numerator: Decimal, denominator: Decimal | int, places: int = 2) -> Decimal | None:
    return rounded(ratio(numerator, denominator), places)


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
        "roas": _json_ratio(plan.economics.blended_roas if plan.economics else None),
        "budget_share": _rounded(budget.total, revenue, 4) if revenue is not None else None,
    }


def _json_ratio(value: object) -> Decimal | None:
    """A ratio to four places; None where it means nothing or is unbounded."""
    return rounded(value, 4) if isinstance(value, Fraction) else None


def _baseline(plan: Plan) -> dict[str, Any] | None:
    derivation = plan.baseline
    return None if derivation is None else dict(vars(derivation))
