"""Parsers for the time values of a goals file: lags (one time, or a cohort curve), months,
dates, weekdays and seasonality weights."""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import Decimal

from pydantic_core import PydanticCustomError

from funnelcalc.exact import plain
from funnelcalc.values import FIRST_DAY, LAST_DAY, decimal_of, describe, fail, portion

_LAG = re.compile(r"(\d+)\s*(d|days?|w|weeks?|m|months?)", re.IGNORECASE)
MAX_LAG_DAYS = 3 * 366
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_lag(value: object) -> str:
    """A lag such as 14d, 6w or 3m (days, weeks, calendar months), normalised to that form."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    match = _LAG.fullmatch(text)
    if match is None:
        raise fail(
            "lag",
            "a lag is a number of days, weeks or months such as 14d, 6w or 3m; "
            f"not {describe(value)}",
        )
    amount, unit = int(match[1]), match[2][0].lower()
    days = amount * {"d": 1, "w": 7, "m": 31}[unit]
    if days > MAX_LAG_DAYS:
        raise fail("lag", "a lag is at most three years")
    return f"{amount}{unit}"


MAX_LAG_POINTS = 12
_REFERENCE_DAY = date(2001, 1, 1)


def lag_days(lag: str) -> int:
    """A normalised lag's length in days from a fixed reference day (a month is a calendar
    month), for ordering the ages of a cohort curve."""
    amount, unit = int(lag[:-1]), lag[-1]
    if unit != "m":
        return amount * (7 if unit == "w" else 1)
    month = _REFERENCE_DAY.month - 1 + amount
    return (date(_REFERENCE_DAY.year + month // 12, month % 12 + 1, 1) - _REFERENCE_DAY).days


def parse_lag_curve(value: object) -> dict[str, Decimal]:
    """A cohort lag curve: the share of the eventual conversions reached by each age, such as
    {30d: 30%, 60d: 70%, 120d: 100%}; ages and shares rising, the last share 100%."""
    if not isinstance(value, dict) or not value:
        raise fail("lag_curve", "a lag curve maps ages to shares, e.g. {30d: 30%, 60d: 100%}")
    if len(value) > MAX_LAG_POINTS:
        raise fail("lag_curve", f"a lag curve has at most {MAX_LAG_POINTS} ages")
    curve: dict[str, Decimal] = {}
    for key, share in value.items():
        try:
            age = parse_lag(key)
            reached = portion(share, f"the share reached by {key}", most=Decimal(1))
        except PydanticCustomError as error:
            raise fail("lag_curve", f"{key}: {error.message()}") from None
        if reached <= 0:
            raise fail("lag_curve", f"{key}: the share reached must be above 0%")
        curve[age] = reached
    ages = list(curve)
    for before, after in itertools.pairwise(ages):
        if lag_days(after) <= lag_days(before):
            raise fail("lag_curve", f"{after}: list the ages from the shortest, each longer")
        if curve[after] <= curve[before]:
            raise fail("lag_curve", f"{after}: each share must be above the one before it")
    if curve[ages[-1]] != 1:
        raise fail("lag_curve", f"{ages[-1]}: the last age must reach 100% of the conversions")
    return curve


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def parse_month(value: object) -> int:
    """A month of the year: 1 to 12, or its name (apr, April)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    if len(text) >= 3 and text[:3] in MONTHS:
        return MONTHS.index(text[:3]) + 1
    raise fail("month", f"a month is 1 to 12 or its name such as apr; not {describe(value)}")


def parse_dates(value: object) -> list[date]:
    """One date or a list of dates, each YYYY-MM-DD."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise fail("date", "give at least one date")
    return [parse_date(item) for item in items]


def parse_date(value: object) -> date:
    """A calendar date written YYYY-MM-DD."""
    if isinstance(value, date):
        value = value.isoformat()
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if not FIRST_DAY <= day <= LAST_DAY:
                raise fail(
                    "date", f"{text} is out of range: a date is from {FIRST_DAY} to {LAST_DAY}"
                )
            return day
    raise fail("date", f"{describe(value)} is not a date: write YYYY-MM-DD, e.g. 2027-01-01")


def parse_weekday(value: object) -> str:
    """mon … sun."""
    text = str(value).strip().lower()[:3] if isinstance(value, str) else ""
    if text not in WEEKDAYS:
        raise fail(
            "weekday", f"a working day is one of {', '.join(WEEKDAYS)}; not {describe(value)}"
        )
    return text


def parse_weight(value: object) -> Decimal:
    """A seasonality weight: a number of at least 0 (or a percentage)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        weight = plain(decimal_of(value.strip()[:-1], "a weight").scaleb(-2))
    else:
        weight = decimal_of(value, "a weight")
    if weight < 0:
        raise fail("weight", "a weight must not be negative")
    return weight
