"""The calendar of a plan: lags as date shifts, the period's units and working days, how the
closes spread over its days (seasonality), and how periods are labelled (fiscal quarters)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from funnelcalc.fields import point
from funnelcalc.model import Period
from funnelcalc.timevalues import WEEKDAYS

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), clamped to the month's end."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def shift(day: date, lag: str | None, sign: int = 1) -> date:
    """`day` moved by a lag such as 14d, 6w or 3m."""
    if not lag:
        return day
    amount, unit = int(lag[:-1]) * sign, lag[-1]
    if unit == "m":
        return add_months(day, amount)
    return day + timedelta(days=amount * (7 if unit == "w" else 1))


def earliest(day: date, lag: str | None) -> date:
    """The earliest date from which a lag later is on or after `day`."""
    candidate = shift(day, lag, -1)
    while shift(candidate, lag) < day:
        candidate += ONE_DAY
    while shift(candidate - ONE_DAY, lag) >= day:
        candidate -= ONE_DAY
    return candidate


def unit_bounds(period: Period) -> list[date]:
    """The boundaries of the plan's periods: start, …, end (one more than the periods)."""
    if period.months is not None:
        return [add_months(period.start, k) for k in range(period.months + 1)]
    if period.quarters is not None:
        return [add_months(period.start, 3 * k) for k in range(period.quarters + 1)]
    return [period.start + timedelta(weeks=k) for k in range(int(period.weeks or 0) + 1)]


def period_end(period: Period) -> date:
    """The day after the plan's last day."""
    return unit_bounds(period)[-1]


def unit_kind(period: Period) -> str:
    """month, quarter or week: the unit the period is counted in."""
    if period.months is not None:
        return "month"
    return "quarter" if period.quarters is not None else "week"


def is_working_day(day: date, period: Period) -> bool:
    """Whether `day` is one of the period's working weekdays and not a holiday."""
    return WEEKDAYS[day.weekday()] in period.working_days and day not in period.holidays


def closes_on(day: date, period: Period) -> bool:
    """Whether closes may land on `day`: any day, unless the file names its working days."""
    return "working_days" not in period.model_fields_set or is_working_day(day, period)


def working_days(start: date, end: date, period: Period) -> int:
    """Working days in [start, end): the period's weekdays, less its holidays."""
    days = {WEEKDAYS.index(day) for day in period.working_days}
    holidays = set(period.holidays)
    count = 0
    day = start
    while day < end:
        if day.weekday() in days and day not in holidays:
            count += 1
        day += ONE_DAY
    return count


def weights(period: Period, units: int) -> list[Fraction]:
    """The seasonality weight of each of the period's units (equal without one); per-quarter
    weights given for months are split evenly over their three months."""
    given = weights_of(period)
    if not given:
        return [Fraction(1)] * units
    if len(given) == units:
        return [Fraction(w) for w in given]
    return [Fraction(w) / 3 for w in given for _ in range(3)]


def weights_of(period: Period) -> list[Decimal]:
    """The seasonality weights as a schedule uses them (a range at its likely value)."""
    return [weight for weight in map(point, period.seasonality or []) if weight is not None]


def _grid(period: Period) -> list[tuple[date, date, Fraction, date, date]]:
    """The units the closes spread over: (start, end, weight, whole unit's start and end). A
    month or quarter plan spreads over its months (a quarter's weight split evenly over its
    three), a weekly plan over its weeks, or over calendar months when weighted per month."""
    bounds = unit_bounds(period)
    given = weights_of(period)
    if period.weeks is not None and given and len(given) != period.weeks:
        start, end = bounds[0], bounds[-1]
        first = date(start.year, start.month, 1)
        units = []
        for index in range((end.year - first.year) * 12 + end.month - first.month + 1):
            begin, stop = add_months(first, index), add_months(first, index + 1)
            if begin < end:
                weight = Fraction(given[index % len(given)])
                units.append((max(begin, start), min(stop, end), weight, begin, stop))
        return units
    if period.quarters is not None:
        spread = [w / 3 for w in weights(period, period.quarters) for _ in range(3)]
        bounds = [add_months(period.start, k) for k in range(3 * period.quarters + 1)]
    else:
        spread = weights(period, len(bounds) - 1)
    return [(a, b, w, a, b) for a, b, w in zip(bounds, bounds[1:], spread, strict=False)]


def day_weights(period: Period) -> list[Fraction]:
    """Each day's weight in the closes, from the start to the end: a unit's weight split evenly
    over its days (its working days when the file names them), so equal weights give equal
    months."""
    shares: list[Fraction] = []
    for begin, stop, weight, whole_start, whole_stop in _grid(period):
        days = [whole_start + timedelta(days=k) for k in range((whole_stop - whole_start).days)]
        open_days = {day for day in days if closes_on(day, period)} or set(days)
        each = weight / len(open_days)
        shares.extend(
            each if day in open_days else Fraction(0)
            for day in (begin + timedelta(days=k) for k in range((stop - begin).days))
        )
    return shares


def step(day: date, by: str, count: int) -> date:
    """`day` moved `count` weeks, months or quarters."""
    if by == "week":
        return day + timedelta(weeks=count)
    return add_months(day, count * (3 if by == "quarter" else 1))


def anchor(period: Period, by: str) -> date:
    """Where the schedule's buckets are counted from: the plan's start; for quarters of a plan
    starting on the 1st, the first day of its (fiscal or calendar) quarter; for months of a
    weekly plan, the first of its month."""
    start = period.start
    if by == "month" and period.weeks is not None:
        return start.replace(day=1)
    if by != "quarter" or start.day != 1:
        return start
    first = (period.fiscal_year_start or 1) - 1
    return add_months(start, -((start.month - 1 - first) % 3))


def display_bounds(period: Period, first: date, last: date, by: str) -> list[date]:
    """Bucket boundaries in steps of `by` from the anchor, back to cover `first` and on to
    `last`, cut at the plan's start and end; a continuous plan shows nothing before its start,
    a plan that is not shows nothing after its end."""
    base = anchor(period, by)
    back = 0
    while step(base, by, -back) > first:
        back += 1
    bounds = [step(base, by, k) for k in range(-back, 1)]
    while bounds[-1] < last:
        bounds.append(step(base, by, len(bounds) - back))
    end = period_end(period)
    marks = [mark for mark in (period.start, end) if bounds[0] < mark < bounds[-1]]
    bounds = sorted({*bounds, *marks})
    if period.continuous:
        return [bound for bound in bounds if bound >= period.start]
    lead = max(bound for bound in bounds if bound <= first)
    return [bound for bound in bounds if lead <= bound <= end]


def period_label(start: date, stop: date, by: str, fiscal_year_start: int | None = None) -> str:
    """How a period reads: 2027-03, 2027-Q1 or FY28 Q1, 2027-W05, or its dates when not
    calendar-aligned."""
    whole = stop == step(start, by, 1)
    if by == "month" and start.day == 1 and whole:
        return f"{start:%Y-%m}"
    if by == "quarter" and start.day == 1 and whole:
        first = fiscal_year_start or 1
        offset = (start.month - first) % 12
        if offset % 3 == 0:
            if fiscal_year_start is None:
                return f"{start.year}-Q{offset // 3 + 1}"
            year = add_months(start, 11 - offset).year  # a fiscal year is named by its end
            return f"FY{year % 100:02d} Q{offset // 3 + 1}"
    if by == "week" and start.weekday() == 0 and whole:
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if by in ("month", "week") and whole:
        return start.isoformat()
    return f"{start.isoformat()}…{(stop - ONE_DAY).isoformat()}"
