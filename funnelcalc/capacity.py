"""Sales capacity: month by month, what each role of the team (`team:`) can produce of the stage
it works, against what the plan's schedule needs of that stage; the hires that keep it covered,
the date each requisition must open, and the months where capacity falls short.

The model, exactly (README "Sales capacity"):
- a ramped head produces `per_head` a month: productivity (or quota ÷ deal size) × attainment;
  in its k-th month of tenure (k = 0 first) it produces per_head × ramp[k], 100% after the ramp;
- heads start on the first day of a month; today's heads are ramped;
- attrition is a year's share of the *ramped* heads: each month adds ramped heads × attrition
  ÷ 12 to the expected leavers, and whole heads leave when that running total passes a whole
  number (⌊expected⌋ so far, never more than expected). Leavers are the longest-serving heads,
  work their last month, and are replaced: the requisition opens the day they leave, the
  replacement starts the first month after the hiring lead time, then ramps;
- where a month's capacity, as planned, is below its need, ⌈shortfall ÷ per_head⌉ heads are
  hired to be ramped by that month: they start `ramp` months earlier, their requisition opens a
  lead time before the start. One that would have to open before the plan starts is late:
  opened on the first day, the hire starts the first month after the lead time from then, and
  the months it was needed for may fall short;
- as planned, a replacement takes over its leaver's capacity at once, so attrition is never
  hired for twice: the months until it has ramped show what attrition costs, and may be short.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from funnelcalc.errors import InputError
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.phasing import schedule
from funnelcalc.solver import Plan, solve
from funnelcalc.staffing import Capacity, Staffing, staff
from funnelcalc.team import HEADS, HIRES, Role, role_stage
from funnelcalc.timeline import add_months, anchor, period_label


def staffing_of(goals: Goals, name: str, role: Role) -> Staffing:
    """A role's exact figures, with the stage it works (checked by the model)."""
    stages = [(stage.name, stage.owner) for stage in goals.stages]
    index = role_stage(stages, role, name)
    assert index is not None  # the model refuses a role without a stage
    attainment = Fraction(role.attainment)
    quota = Fraction(role.quota) if role.quota is not None else None
    if quota is not None:
        deal_size = point(goals.deal_size)
        assert deal_size is not None  # the model refuses a quota without a deal size
        per_head = quota / Fraction(deal_size) * attainment
    else:
        per_head = Fraction(role.productivity or 0) * attainment
    return Staffing(
        name,
        goals.stages[index].name,
        per_head,
        tuple(Fraction(step) for step in role.ramp),
        Fraction(role.attrition),
        role.lead_time,
        role.heads,
        quota,
        attainment,
    )


def capacity(goals: Goals, plan: Plan) -> Capacity:
    """Every role of the goals' team against the plan's schedule by month."""
    period = goals.period
    assert period is not None  # the model refuses a team without a period
    bounds, volumes, cut = _whole_months(goals, plan)
    labels = [
        period_label(start, stop, "month", period.fiscal_year_start)
        for start, stop in itertools.pairwise(bounds)
    ]
    roles = []
    for name, role in goals.team.items():
        staffing = staffing_of(goals, name, role)
        index = [stage.name for stage in plan.stages].index(staffing.stage)
        needs = [month[index] for month in volumes]
        roles.append(staff(staffing, needs, bounds, period.start, labels))
    limits = {
        key.casefold(): int(value)
        for key, value in goals.limits.items()
        if key.casefold() in (HEADS, HIRES)
        and goals.stage_index(key) is None
        and isinstance(value, Decimal)  # the file's rules make a team limit a whole number
    }
    cut_labels = tuple(labels[index] for index in cut)
    return Capacity(plan, period.start, tuple(roles), limits, goals.currency, cut_labels)


def _whole_months(goals: Goals, plan: Plan) -> tuple[list[date], list[list[int]], list[int]]:
    """The schedule by month, a month cut by the plan's start or end (a weekly plan's) made
    whole again: its bounds, each month's volumes by stage, and which months were cut."""
    period = goals.period
    assert period is not None
    base = anchor(period, "month")
    found: dict[int, list[int]] = {}
    covered: dict[int, int] = {}
    for bucket in schedule(goals, plan, "month").buckets:
        if bucket.after_end:
            continue
        month = (bucket.start.year - base.year) * 12 + bucket.start.month - base.month
        while add_months(base, month) > bucket.start:
            month -= 1
        while add_months(base, month + 1) <= bucket.start:
            month += 1
        totals = found.setdefault(month, [0] * len(bucket.volumes))
        found[month] = [a + b for a, b in zip(totals, bucket.volumes, strict=True)]
        covered[month] = covered.get(month, 0) + (bucket.end - bucket.start).days
    first, last = min(found), max(found)
    bounds = [add_months(base, month) for month in range(first, last + 2)]
    volumes = [found.get(month, [0] * len(plan.stages)) for month in range(first, last + 1)]
    cut = [
        index
        for index, (start, stop) in enumerate(itertools.pairwise(bounds))
        if covered.get(first + index, 0) < (stop - start).days
    ]
    return bounds, volumes, cut


def capacity_for(
    file: GoalsFile, scenario: str | None, sets: Sequence[str] = (), segment: str | None = None
) -> Capacity:
    """The capacity of a goals file's team (in a file with segments, one segment's), or a
    clear error when it has none."""
    name, goals = file.resolve(scenario, sets, segment)
    if not goals.team and segment is not None:
        # a segmented file refuses a top-level team: say where this segment's goes
        raise InputError.single(
            file.source,
            f"segment {file.segment_name(segment)} has no team: give it one "
            f"(segments.{file.segment_name(segment)}.team) with its roles (SDR, AE …)",
        )
    if not goals.team:
        raise InputError.single(
            file.source, "has no team: capacity needs `team:` with its roles (SDR, AE …)"
        )
    return capacity(goals, solve(goals, scenario=name))
