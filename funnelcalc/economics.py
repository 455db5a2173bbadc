"""Whether the plan pays, in the figures a CFO reads: pipeline coverage from the first
opportunity stage, blended ROAS, ROI on gross profit, and the unit economics (LTV, LTV:CAC,
CAC payback, GRR, NRR), each exact, and each limit of the file with the figure it bounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from funnelcalc.baseline import Derivation
from funnelcalc.bounds import (
    CAC,
    COVERAGE,
    LTV_CAC,
    PAYBACK,
    RATIO_LIMITS,
    ROAS,
    UNBOUNDED,
    Figure,
    Gate,
    Unbounded,
    bounds_of,
)
from funnelcalc.exact import EXACT, exact_sum
from funnelcalc.fields import point
from funnelcalc.keypath import BUDGET
from funnelcalc.model import Goals
from funnelcalc.money import Budget, budget_amount
from funnelcalc.values import PERIODS, Bounds

Ratio = Fraction | Unbounded | None
"""A ratio: exact, unbounded (LTV with no churn), or None where it means nothing."""


def pipeline_start(goals: Goals) -> int:
    """The first opportunity stage: `pipeline_from`, else the stage above the last (the one
    that closes into wins), never the top stage unless the funnel has only two."""
    if goals.pipeline_from is not None:
        index = goals.stage_index(goals.pipeline_from)
        assert index is not None  # the model checks the name
        return index
    return max(1, len(goals.stages) - 2)


@dataclass(frozen=True)
class Economics:
    """The plan's ratios and unit economics, exact; each None where it means nothing."""

    pipeline_from: str
    """The first stage counted as pipeline (the first opportunity stage)."""
    coverage: Fraction | None
    """Pipeline value at `pipeline_from` ÷ the revenue to win."""
    ad_spend: Decimal | None
    """What the stages above `pipeline_from` spend (clicks, leads, their sources), and what the
    sources of `pipeline_from` or a stage below cost themselves (a partner's fee for the SQLs
    it brings): the demand-generation spend ROAS divides by. Fixed costs and the cost of
    working opportunities (SDR time, commission) are not ad spend."""
    revenue: Decimal | None
    budget: Decimal | None
    clients: int
    margin: Decimal | None
    arpa: Decimal | None
    per: str | None
    logo_churn: Decimal | None
    grr: Fraction | None
    """Gross revenue retention over the plan: (baseline − revenue churned) ÷ baseline."""
    nrr: Fraction | None
    """Net revenue retention: (baseline − churned + expansion) ÷ baseline."""
    sourced_spend: Decimal | None = None
    """The part of `ad_spend` that sources of `pipeline_from` or below cost themselves."""

    @property
    def blended_roas(self) -> Ratio:
        """All new revenue ÷ all ad spend; None without ad spend or revenue."""
        if self.revenue is None or not self.ad_spend:
            return None
        return Fraction(self.revenue) / Fraction(self.ad_spend)

    @property
    def revenue_roi(self) -> Fraction | None:
        """(revenue − budget) ÷ budget: ROI on revenue, as if it cost nothing to serve."""
        if self.revenue is None or not self.budget:
            return None
        return (Fraction(self.revenue) - Fraction(self.budget)) / Fraction(self.budget)

    @property
    def gross_profit(self) -> Fraction | None:
        """Revenue × gross margin."""
        if self.revenue is None or self.margin is None:
            return None
        return Fraction(self.revenue) * Fraction(self.margin)

    @property
    def gross_roi(self) -> Fraction | None:
        """(gross profit − budget) ÷ budget: ROI as DOMAIN defines it, with a margin."""
        profit = self.gross_profit
        if profit is None or not self.budget:
            return None
        return (profit - Fraction(self.budget)) / Fraction(self.budget)

    @property
    def cac(self) -> Fraction | None:
        """Blended CAC: the whole budget (every stage, source and fixed cost) ÷ new customers."""
        if self.budget is None or not self.clients:
            return None
        return Fraction(self.budget) / self.clients

    @property
    def monthly_arpa(self) -> Fraction | None:
        """ARPA per month (a yearly ARPA ÷ 12)."""
        if self.arpa is None or self.per is None:
            return None
        return Fraction(self.arpa) / PERIODS[self.per]

    @property
    def ltv(self) -> Ratio:
        """ARPA × margin ÷ logo churn (both per `per`); unbounded with no churn."""
        if self.arpa is None or self.margin is None or self.logo_churn is None:
            return None
        if self.logo_churn == 0:
            return UNBOUNDED
        return Fraction(self.arpa) * Fraction(self.margin) / Fraction(self.logo_churn)

    @property
    def ltv_cac(self) -> Ratio:
        """LTV ÷ blended CAC; unbounded when LTV is or nothing costs."""
        ltv, cac = self.ltv, self.cac
        if ltv is None or cac is None:
            return None
        if isinstance(ltv, Unbounded) or cac == 0:
            return UNBOUNDED if ltv != 0 else None
        return ltv / cac

    @property
    def payback_months(self) -> Ratio:
        """Months of gross profit to earn back blended CAC: CAC ÷ (monthly ARPA × margin);
        unbounded with a margin of 0."""
        cac, arpa = self.cac, self.monthly_arpa
        if cac is None or arpa is None or self.margin is None:
            return None
        monthly = arpa * Fraction(self.margin)
        if monthly == 0:
            return UNBOUNDED if cac else Fraction(0)
        return cac / monthly


def economics_for(
    goals: Goals,
    *,
    deal_size: Decimal | None,
    volumes: Sequence[int],
    spends: Sequence[Decimal | None],
    budget: Budget | None,
    revenue_to_win: Decimal | None,
    derivation: Derivation | None,
    revenue: Decimal | None = None,
    pipeline_value: Decimal | None = None,
) -> Economics:
    """The ratios of a solved plan (volumes and spends top first); `revenue` is what its wins
    bring and `pipeline_value` what the first opportunity stage is worth, when not wins (or
    volume) × deal size (channels with their own deal sizes)."""
    start = pipeline_start(goals)
    if revenue is None and deal_size is not None:
        revenue = EXACT.multiply(Decimal(volumes[-1]), deal_size)
    coverage = None
    goal = revenue_to_win if revenue_to_win is not None else revenue
    if pipeline_value is None and deal_size is not None:
        pipeline_value = EXACT.multiply(Decimal(volumes[start]), deal_size)
    if pipeline_value is not None and goal:
        coverage = Fraction(pipeline_value) / Fraction(goal)
    above = [spend for spend in spends[:start] if spend is not None]
    sourced: list[Decimal] = []
    for stage in goals.stages[start:]:  # their revenue is in the ROAS, so is their cost
        for source in goals.source_list(stage.name):
            whole = point(source.cost if source.share is None else source.fixed_cost)
            sourced += [whole] if whole is not None else []
    unit = goals.unit_economics
    grr = nrr = None
    if derivation is not None and derivation.baseline:
        base = Fraction(derivation.baseline)
        grr = (base - Fraction(derivation.churned)) / base
        nrr = Fraction(derivation.existing) / base
    return Economics(
        pipeline_from=goals.stages[start].name,
        coverage=coverage,
        ad_spend=exact_sum([*above, *sourced]) if above or sourced else None,
        revenue=revenue,
        budget=budget.total if budget is not None else None,
        clients=volumes[-1],
        margin=unit.margin if unit else None,
        arpa=unit.arpa if unit else None,
        per=unit.per if unit else None,
        logo_churn=unit.logo_churn if unit else None,
        grr=grr,
        nrr=nrr,
        sourced_spend=exact_sum(sourced) if sourced else None,
    )


def gates_for(
    limits: Mapping[str, Decimal | str | Bounds],
    stages: Sequence[tuple[str, int]],
    budget: Budget | None,
    economics: Economics,
) -> tuple[Gate, ...]:
    """Every bound of `limits` with the figure it holds: the stages top first, the budget,
    then the ratios in the file's order."""
    written = {name.casefold(): (name, value) for name, value in limits.items()}
    gates: list[Gate] = []
    for stage, volume in stages:
        if stage.casefold() in written:
            bounds = bounds_of(stage, written[stage.casefold()][1])
            gates += _pair(stage, bounds, volume, "count", int)
    if BUDGET in written and budget is not None:
        bounds = bounds_of(BUDGET, written[BUDGET][1])
        revenue = economics.revenue
        low, high = (budget_amount(b, revenue)[0] for b in (bounds.min, bounds.max))
        gates += _pair(BUDGET, Bounds(low, high), budget.total, "money", Decimal)
    figures: dict[str, Ratio] = {
        CAC: economics.cac,
        PAYBACK: economics.payback_months,
        LTV_CAC: economics.ltv_cac,
        COVERAGE: economics.coverage,
        ROAS: economics.blended_roas,
    }
    for folded, (name, value) in written.items():
        if folded in RATIO_LIMITS:
            figure = figures[folded]
            unit = RATIO_LIMITS[folded][1]
            gates += _pair(folded, bounds_of(name, value), _finite_or_not(figure), unit, Decimal)
    return tuple(gates)


def _finite_or_not(figure: Ratio) -> Figure:
    """A ratio the plan cannot work out (ROAS without ad spend, coverage with nothing to win)
    is unbounded: it passes a minimum and breaks a maximum."""
    return UNBOUNDED if figure is None else figure


def _pair(name: str, bounds: Bounds, value: Figure, unit: str, kind: type) -> list[Gate]:
    """A gate per bound given, the maximum first."""
    return [
        Gate(name, side, kind(limit), value, unit)
        for side, limit in (("max", bounds.max), ("min", bounds.min))
        if limit is not None
    ]
