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
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from funnelcalc.errors import InputError
from funnelcalc.fields import point
from funnelcalc.loader import GoalsFile
from funnelcalc.model import Goals
from funnelcalc.phasing import schedule
from funnelcalc.solver import Plan, solve
from funnelcalc.team import HEADS, HIRES, Role, role_stage
from funnelcalc.timeline import add_months, anchor, period_label, shift

GROWTH = "growth"
REPLACEMENT = "replacement"


@dataclass(frozen=True)
class Staffing:
    """A role's figures, exact."""

    name: str
    stage: str
    per_head: Fraction
    """What one ramped head produces of the stage a month, after attainment."""
    ramp: tuple[Fraction, ...] = ()
    attrition: Fraction = Fraction(0)
    """The share of ramped heads that leave in a year."""
    lead_time: str | None = None
    heads: int = 0
    quota: Fraction | None = None
    """A quota in revenue a month, when the role has one (per_head counts deals)."""
    attainment: Fraction = Fraction(1)

    def ramp_at(self, tenure: int) -> Fraction:
        """The share of full productivity in month `tenure` (0: the first); 0 before the start."""
        if tenure < 0:
            return Fraction(0)
        return self.ramp[tenure] if tenure < len(self.ramp) else Fraction(1)

    @property
    def ramp_months(self) -> int:
        """Months from the start until a head is at full productivity for good."""
        months = len(self.ramp)
        while months and self.ramp[months - 1] == 1:
            months -= 1
        return months


@dataclass(frozen=True)
class Hire:
    """Heads hired together: why, when the requisition opens, when they start."""

    count: int
    reason: str
    """growth (the plan needs more) or replacement (a leaver)."""
    opens: date
    """The date the requisition must open: the start less the lead time."""
    starts: date
    ramped: date
    """The first month at full productivity."""
    late: bool = False
    """The requisition would have to open before the plan starts: `starts` is the earliest a
    requisition opened on the plan's first day can fill."""
    needed: str | None = None
    """The month a growth hire is needed in, ramped."""


@dataclass(frozen=True)
class MonthCapacity:
    """One month of a role: the need, the heads and what they can produce."""

    label: str
    start: date
    before_start: bool
    need: int
    heads_needed: int
    """⌈need ÷ per ramped head⌉: ramped heads that would cover the month."""
    heads: int
    """On staff in the month, ramping or not (leavers work their last month)."""
    ramped: Fraction
    """Ramped-equivalent heads: Σ heads × ramp at their tenure."""
    capacity: Fraction
    starting: int
    opening: int
    leaving: int

    @property
    def short(self) -> Fraction:
        """How much of the need the capacity misses (0 when covered)."""
        return max(Fraction(0), self.need - self.capacity)


@dataclass(frozen=True)
class RoleCapacity:
    """A role's months and hires."""

    staffing: Staffing
    months: tuple[MonthCapacity, ...]
    hires: tuple[Hire, ...]

    @property
    def short_months(self) -> tuple[MonthCapacity, ...]:
        """The months whose capacity misses the need."""
        return tuple(month for month in self.months if month.short > 0)

    @property
    def hired(self) -> int:
        """Heads hired over the plan, growth and replacements."""
        return sum(hire.count for hire in self.hires)

    @property
    def late(self) -> int:
        """Heads whose requisition would have to open before the plan starts."""
        return sum(hire.count for hire in self.hires if hire.late)


@dataclass(frozen=True)
class Capacity:
    """The team against the plan, role by role, with the limits on heads and hires."""

    plan: Plan
    plan_start: date
    roles: tuple[RoleCapacity, ...]
    limits: dict[str, int] = field(default_factory=dict)
    """heads and hires, when the file limits them."""
    currency: str = "USD"
    cut: tuple[str, ...] = ()
    """Months the plan's start or end cuts (a weekly plan's), planned as whole months."""

    @property
    def most_heads(self) -> int:
        """The most heads on staff in any one month, every role together."""
        per_month = zip(*(tuple(m.heads for m in role.months) for role in self.roles), strict=True)
        return max((sum(heads) for heads in per_month), default=0)

    @property
    def hired(self) -> int:
        """Heads hired over the plan, every role together."""
        return sum(role.hired for role in self.roles)

    def used(self, key: str) -> int:
        """What the team needs of a limit: heads at most, or hires."""
        return self.most_heads if key == HEADS else self.hired

    @property
    def broken(self) -> tuple[str, ...]:
        """The limits the team breaks."""
        return tuple(key for key, most in self.limits.items() if self.used(key) > most)

    @property
    def covered(self) -> bool:
        """Whether every role covers every month and every limit holds."""
        return not self.broken and not any(role.short_months for role in self.roles)


class _Cohort:
    """Heads that started together (start None: on staff at the start, ramped)."""

    def __init__(self, start: int | None, count: int, planned: int | None = None) -> None:
        self.start, self.count = start, count
        self.planned = start if planned is None else planned
        """When the heads were planned to start: a late hire starts later than planned."""
        self.left: list[tuple[int, int]] = []

    def on_staff(self, month: int) -> int:
        if self.start is not None and month < self.start:
            return 0
        return self.count - sum(n for when, n in self.left if when < month)

    def tenure(self, month: int, *, planned: bool = False) -> int:
        start = self.planned if planned else self.start
        return month - start if start is not None else 1 << 30


class _Calendar:
    """Month starts by index: the schedule's months, and calendar months either side."""

    def __init__(self, bounds: Sequence[date]) -> None:
        self.bounds = list(bounds)

    def start(self, index: int) -> date:
        last = len(self.bounds) - 1
        if index < 0:
            return add_months(self.bounds[0], index)
        return self.bounds[index] if index <= last else add_months(self.bounds[last], index - last)

    def first_on_or_after(self, day: date) -> int:
        index = 0
        while self.start(index) < day:
            index += 1
        while self.start(index - 1) >= day:
            index -= 1
        return index

    def month_of(self, day: date) -> int:
        return self.first_on_or_after(day + (date.resolution)) - 1


def staff(
    staffing: Staffing,
    needs: Sequence[int],
    bounds: Sequence[date],
    plan_start: date,
    labels: Sequence[str] = (),
) -> RoleCapacity:
    """A role month by month: `needs[m]` of its stage in the month [bounds[m], bounds[m + 1])."""
    calendar = _Calendar(bounds)
    per_head, ramp_months = staffing.per_head, staffing.ramp_months
    labels = list(labels) or [calendar.start(m).isoformat()[:7] for m in range(len(needs))]
    cohorts = [_Cohort(None, staffing.heads)] if staffing.heads else []
    hires: list[tuple[int, Hire]] = []
    earliest = calendar.first_on_or_after(shift(plan_start, staffing.lead_time))
    expected, taken = Fraction(0), 0

    def planned_capacity(month: int) -> Fraction:
        """What the team was planned to produce: late hires count from their planned start, so
        a month short because of them does not hire twice."""
        return per_head * sum(
            (
                (c.count - sum(n for when, n in c.left if when < month))
                * staffing.ramp_at(c.tenure(month, planned=True))
                for c in cohorts
            ),
            Fraction(0),
        )

    for month, need in enumerate(needs):
        shortfall = need - planned_capacity(month)
        if shortfall > 0:
            count = math.ceil(shortfall / per_head)
            ideal = month - ramp_months
            opens = shift(calendar.start(ideal), staffing.lead_time, -1)
            late = opens < plan_start
            begin = max(ideal, earliest) if late else ideal
            cohorts.append(_Cohort(begin, count, ideal))
            hire = Hire(
                count,
                GROWTH,
                opens,
                calendar.start(begin),
                calendar.start(begin + ramp_months),
                late,
                labels[month],
            )
            hires.append((begin, hire))
        ramped = [c for c in cohorts if c.tenure(month) >= ramp_months and c.on_staff(month)]
        expected += sum(c.on_staff(month) for c in ramped) * staffing.attrition / 12
        leaving = min(math.floor(expected) - taken, sum(c.on_staff(month) for c in ramped))
        taken += leaving
        if leaving:
            _leave(ramped, month, leaving)
            opens = calendar.start(month + 1)
            begin = calendar.first_on_or_after(shift(opens, staffing.lead_time))
            # planned as if ramped the day the leaver goes: the gap until the replacement has
            # ramped is capacity attrition costs (shown short), not a reason to hire twice
            cohorts.append(_Cohort(begin, leaving, month + 1 - ramp_months))
            ramped_from = calendar.start(begin + ramp_months)
            if month + 1 < len(needs):  # a leaver in the last month is the next plan's to replace
                hire = Hire(leaving, REPLACEMENT, opens, calendar.start(begin), ramped_from)
                hires.append((begin, hire))
    first_month = calendar.month_of(plan_start)
    months = []
    for month, need in enumerate(needs):
        staffed = [(c.on_staff(month), c.tenure(month)) for c in cohorts]
        ramped_heads = sum((n * staffing.ramp_at(t) for n, t in staffed), Fraction(0))
        opening = sum(
            hire.count
            for _, hire in hires
            if (first_month if hire.late else calendar.month_of(hire.opens)) == month
        )
        months.append(
            MonthCapacity(
                labels[month],
                calendar.start(month),
                calendar.start(month + 1) <= plan_start,
                need,
                math.ceil(need / per_head),
                sum(n for n, t in staffed if t >= 0),
                ramped_heads,
                per_head * ramped_heads,
                sum(hire.count for begin, hire in hires if begin == month),
                opening,
                sum(n for c in cohorts for when, n in c.left if when == month),
            )
        )
    ordered = sorted((hire for _, hire in hires), key=lambda hire: (hire.opens, hire.starts))
    return RoleCapacity(staffing, tuple(months), tuple(ordered))


def _leave(ramped: list[_Cohort], month: int, leaving: int) -> None:
    """The longest-serving ramped heads leave at the end of `month`."""
    for cohort in sorted(ramped, key=lambda c: -1 if c.start is None else c.start):
        gone = min(leaving, cohort.on_staff(month))
        if gone:
            cohort.left.append((month, gone))
            leaving -= gone
        if not leaving:
            return


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


def capacity_for(file: GoalsFile, scenario: str | None, sets: Sequence[str] = ()) -> Capacity:
    """The capacity of a goals file's team, or a clear error when it has none."""
    name, goals = file.resolve(scenario, sets)
    if not goals.team:
        raise InputError.single(
            file.source, "has no team: capacity needs `team:` with its roles (SDR, AE …)"
        )
    return capacity(goals, solve(goals, scenario=name))
