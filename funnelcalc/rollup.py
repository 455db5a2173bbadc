"""The company plan of a segmented file: each segment planned on its own target, then rolled up.
Stages with the same name are summed (a stage only some segments have is still listed), and so
are spend, revenue and the segments' fixed costs; the company's fixed costs are added once and
its limits apply to the roll-up. Nothing is rounded again: each segment already applied the
rounding rule to its own target."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from funnelcalc.economics import Economics, pipeline_start
from funnelcalc.exact import exact_sum
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.money import Budget, budget_for
from funnelcalc.overrides import Override
from funnelcalc.solver import Plan, SegmentPlan, StagePlan, solve


def segment_plan(
    file: GoalsFile,
    segment: str,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    extra: Sequence[Override] = (),
) -> Plan:
    """One segment's plan (`--segment NAME`), titled with the company's name and the segment's."""
    name = file.scenario_name(scenario) if scenario is not None else None
    segment = file.segment_name(segment)
    goals = file.segment_goals(segment, scenario=name, sets=sets, extra=extra, inside=True)
    planned = solve(goals, scenario=name)
    title = f"{file.base.name}: {segment}" if file.base.name else segment
    return dataclasses.replace(planned, name=title, segment=segment)


def company_plan(
    file: GoalsFile,
    scenario: str | None = None,
    sets: Sequence[str] = (),
    extra: Sequence[Override] = (),
) -> Plan:
    """The roll-up of every segment's plan, each segment planned with the scenario, --set and
    `extra` applied to the whole file."""
    name = file.scenario_name(scenario) if scenario is not None else None
    company, segments = file.company_goals(scenario=name, sets=sets, extra=extra)
    parts = []
    for segment, entry in company.segments.items():
        planned = solve(segments[segment], scenario=name)
        title = f"{company.name}: {segment}" if company.name else segment
        parts.append(
            SegmentPlan(
                segment,
                entry.share,
                entry.description,
                dataclasses.replace(planned, name=title, segment=segment),
            )
        )
    return roll_up(company, parts, scenario=name)


def stage_order(plans: Sequence[Plan]) -> list[str]:
    """Every stage name of the segments, once (ignoring case), in funnel order: stages only some
    segments have go right above the next stage they share with the others (or last)."""
    order: list[str] = []
    for plan in plans:
        pending: list[str] = []
        for stage in plan.stages:
            folded = [name.casefold() for name in order]
            if stage.name.casefold() in folded:
                at = folded.index(stage.name.casefold())
                order[at:at] = pending
                pending = []
            else:
                pending.append(stage.name)
        order += pending
    return order


def roll_up(company: Goals, parts: Sequence[SegmentPlan], *, scenario: str | None = None) -> Plan:
    """The company plan: the segments' stages summed by name, money combined, company limits."""
    plans = [part.plan for part in parts]
    limits = {name.casefold(): limit for name, limit in company.limits.items()}
    stages: list[StagePlan] = []
    order = stage_order(plans)
    for name in order:
        found = [s for plan in plans for s in plan.stages if s.name.casefold() == name.casefold()]
        limit = limits.get(name.casefold())
        stages.append(
            StagePlan(
                name=name,
                owner=found[0].owner,  # as the first segment with the stage has it
                definition=next((s.definition for s in found if s.definition), None),
                rate=None,  # each segment converts at its own rates
                volume=sum(s.volume for s in found),
                to_clients=Decimal(0),  # replaced below, once the clients are known
                lost=_total([s.lost for s in found]),
                limit=int(limit) if isinstance(limit, Decimal) else None,
                spend=_money([s.spend for s in found]),
                pipeline_value=_money([s.pipeline_value for s in found]),
                open_pipeline=sum(s.open_pipeline for s in found),
                from_pipeline=sum(s.from_pipeline for s in found),
            )
        )
    stages = [
        dataclasses.replace(s, to_clients=blended(reached(plans, s.name), s.volume)) for s in stages
    ]
    rolled = Plan(
        name=company.name,
        currency=company.currency,
        target_revenue=company.target.revenue,
        target_clients=company.target.clients,
        deal_size=None,  # each segment has its own
        stages=tuple(stages),
        scenario=scenario,
        assumptions=tuple(
            dataclasses.replace(item, key=f"segments.{part.name}.{item.key}")
            for part in parts
            for item in part.plan.assumptions
        ),
        period=company.period,
        segments=tuple(parts),
    )
    rolled = dataclasses.replace(rolled, budget=_budget(company, plans, rolled.revenue))
    return dataclasses.replace(rolled, economics=_economics(company, plans, rolled))


def _economics(company: Goals, plans: Sequence[Plan], rolled: Plan) -> Economics:
    """The company's ratios on the sums: CAC, ROI and ROAS on every segment's spend and
    revenue; coverage from the shared funnel's opportunity stage."""
    start = company.stages[pipeline_start(company)].name
    found = [s for s in rolled.stages if s.name.casefold() == start.casefold()]
    value = found[0].pipeline_value if found else None
    goal = revenue_to_win(plans, start) if company.target.revenue is not None else None
    coverage = Fraction(value) / Fraction(goal) if value is not None and goal else None
    ads = [p.economics.ad_spend for p in plans if p.economics and p.economics.ad_spend]
    unit = company.unit_economics
    return Economics(
        pipeline_from=start,
        coverage=coverage,
        ad_spend=exact_sum(a for a in ads if a is not None) if ads else None,
        revenue=rolled.revenue,
        budget=rolled.budget.total if rolled.budget is not None else None,
        clients=rolled.stages[-1].volume,
        margin=unit.margin if unit else None,
        arpa=unit.arpa if unit else None,
        per=unit.per if unit else None,
        logo_churn=unit.logo_churn if unit else None,
        grr=None,  # a baseline is given per segment
        nrr=None,
    )


def blended(clients: int, volume: int) -> Decimal:
    """The share of a rolled-up stage that becomes a client, to 28 digits: a blend of the
    segments' rates is rarely a finite decimal (shown rounded, and only as "1 in N")."""
    if volume == 0:
        return Decimal(0)
    with localcontext() as context:
        context.prec = 28
        return Decimal(clients) / Decimal(volume)


def reached(plans: Sequence[Plan], name: str) -> int:
    """The clients a rolled-up stage leads to: those of the segments that have the stage (a
    stage only outbound has reaches outbound's clients, not the company's)."""
    folded = name.casefold()
    return sum(
        plan.stages[-1].volume
        for plan in plans
        if any(stage.name.casefold() == folded for stage in plan.stages)
    )


def revenue_to_win(plans: Sequence[Plan], name: str) -> Decimal:
    """The revenue a rolled-up stage's pipeline covers: the targets of the segments that have
    the stage (their sum is the company target when every segment has it)."""
    folded = name.casefold()
    having = [p for p in plans if any(s.name.casefold() == folded for s in p.stages)]
    goals = [p.target_revenue if p.target_revenue is not None else p.revenue for p in having]
    return exact_sum(goal for goal in goals if goal is not None)


def coverage(stage: StagePlan, plan: Plan) -> Fraction | None:
    """A rolled-up stage's pipeline value over the revenue to win of the segments that have
    it; None above the first opportunity stage or without a revenue target."""
    goal = revenue_to_win([part.plan for part in plan.segments], stage.name)
    if stage.pipeline_value is None or plan.target_revenue is None or not goal:
        return None
    return Fraction(stage.pipeline_value) / Fraction(goal)


def one_in(stage: StagePlan, plan: Plan) -> Fraction | None:
    """N in "1 in N of a rolled-up stage becomes a client", exactly: its volume ÷ the clients
    of the segments that have it."""
    clients = reached([part.plan for part in plan.segments], stage.name)
    return Fraction(stage.volume, clients) if clients else None


def _total(values: list[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _money(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return exact_sum(known) if known else None


def _budget(company: Goals, plans: Sequence[Plan], revenue: Decimal | None) -> Budget | None:
    """The segments' spend and fixed costs (named "SEGMENT: cost"), the company's fixed costs
    once, and the company's budget limit; None when nothing is costed."""
    budgets = [(plan.segment or "", plan.budget) for plan in plans if plan.budget is not None]
    if not budgets and not company.fixed_costs:
        return None
    spend = exact_sum(budget.spend for _, budget in budgets)
    made = budget_for(company, [spend], revenue)
    if made is None:
        return None
    fixed = dict(company.fixed_costs)
    for segment, budget in budgets:
        fixed.update({f"{segment}: {name}": cost for name, cost in budget.fixed_costs.items()})
    return dataclasses.replace(made, fixed_costs=fixed)
