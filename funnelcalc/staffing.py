"""One role's staffing, month by month: its heads by tenure, what they produce at their ramp,
who leaves and who is hired (growth or replacement) and when each requisition opens. The
model is described in `capacity`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from funnelcalc.solver import Plan
from funnelcalc.team import HEADS
from funnelcalc.timeline import add_months, shift

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
            # a leaver before the plan starts is replaced like a late growth hire: the
            # requisition opens on the plan's first day, not on a date already past
            late = opens < plan_start
            begin = calendar.first_on_or_after(shift(max(opens, plan_start), staffing.lead_time))
            # planned as if ramped the day the leaver goes: the gap until the replacement has
            # ramped is capacity attrition costs (shown short), not a reason to hire twice
            cohorts.append(_Cohort(begin, leaving, month + 1 - ramp_months))
            ramped_from = calendar.start(begin + ramp_months)
            if month + 1 < len(needs):  # a leaver in the last month is the next plan's to replace
                hire = Hire(leaving, REPLACEMENT, opens, calendar.start(begin), ramped_from, late)
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
