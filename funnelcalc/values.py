"""Parsers for the values a goals file holds: exact decimals, rates, money, counts, names,
lags and dates. Each raises a pydantic error whose message tells the user what to write."""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic_core import PydanticCustomError

from funnelcalc.exact import plain
from funnelcalc.safetext import excerpt, noncharacter

MAX_DIGITS = 30
MAX_STAGES = 50
MAX_NAME_LENGTH = 200
MAX_DEFINITION_LENGTH = 2000
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
"""Dates outside these are refused: every date sum a plan does stays within the calendar."""


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# What YAML 1.2 (and most people) read as a number but PyYAML's YAML 1.1 reads as text.
_YAML12_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
# 2,5 or 0,25: a decimal comma (a thousands separator is followed by groups of three digits).
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,(\d{1,2}|\d{4,})")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def _to_decimal(value: object, what: str) -> Decimal:
    """A finite Decimal of at most MAX_DIGITS digits from an int, Decimal, float or numeric text."""
    if isinstance(value, bool) or value is None:
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest repr is the decimal the caller wrote
    if isinstance(value, str):
        value = _from_text(value, what)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if not value.is_finite():
        raise _fail("number_finite", f"{what} must be a finite number")
    _check_size(value, what)
    return plain(value)


def _from_text(value: str, what: str) -> Decimal:
    text = value.strip().replace("_", "")
    if _YAML12_NUMBER.fullmatch(text):
        number = _decimal(text, value, what)
        _check_size(number, what)  # before formatting: 1e999999999 would be a gigabyte
        raise _fail(
            "number_yaml11",
            f"'{excerpt(value)}' is read as text: YAML 1.1 needs a dot before the exponent; "
            f"write {excerpt(format(plain(number), 'f'))}",
        )
    if _DECIMAL_COMMA.fullmatch(text):
        raise _fail(
            "number_separator",
            f"'{excerpt(value)}' is text: write a decimal point, not a comma: "
            f"{text.replace(',', '.')}",
        )
    if "," in text:
        hint = text.replace(",", "")
        if _THOUSANDS.fullmatch(text) and text.count(",") == 1:
            hint += f" (or {text.replace(',', '.')} if the comma is a decimal comma)"
        raise _fail(
            "number_separator",
            f"'{excerpt(value)}' is text: write numbers without thousands separators, "
            f"like {excerpt(hint)}",
        )
    if not text or not _PLAIN_NUMBER.fullmatch(text):
        raise _fail("number_type", f"{what} must be a number, not '{excerpt(value)}'")
    return _decimal(text, value, what)


def _decimal(text: str, value: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # not a number, or an exponent beyond what Decimal holds
        if _YAML12_NUMBER.fullmatch(text):
            raise _fail("number_size", f"{what} has more than {MAX_DIGITS} digits") from None
        raise _fail("number_type", f"{what} must be a number, not '{excerpt(value)}'") from None


def _check_size(value: Decimal, what: str) -> None:
    """Refuse a number of more than MAX_DIGITS digits by its exponent, before any formatting
    (formatting 1e999999999 would take gigabytes)."""
    if value.is_finite() and not value.is_zero():
        if abs(value.adjusted()) > MAX_DIGITS:
            raise _fail("number_size", f"{what} has more than {MAX_DIGITS} digits")
        digits = len(format(plain(value), "f").lstrip("-").replace(".", "").lstrip("0"))
        if digits > MAX_DIGITS:
            raise _fail("number_size", f"{what} has more than {MAX_DIGITS} digits")


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{excerpt(value)}'"


def parse_rate(value: object) -> Decimal:
    """A conversion rate in (0, 1] from 0.025, "2.5%" or a Decimal; exact."""
    if isinstance(value, str) and value.strip().endswith("%"):
        percent = _to_decimal(value.strip()[:-1], "a percentage")
        if not 0 < percent <= 100:
            raise _fail("rate_range", "a percentage rate must be above 0% and at most 100%")
        return plain(percent.scaleb(-2))
    if isinstance(value, str) and not _looks_numeric(value):
        raise _fail(
            "rate_type",
            'a rate is a number in (0, 1] like 0.025, or a percentage like "2.5%"; '
            f"not '{excerpt(value)}'",
        )
    rate = _to_decimal(value, "a rate")
    if rate > 1:
        raise _fail(
            "rate_range",
            f'a rate is at most 1 (100%); did you mean "{rate:f}%"?',
        )
    if rate <= 0:
        raise _fail("rate_range", "a rate must be above 0: nobody would reach this stage")
    return rate


def _looks_numeric(text: str) -> bool:
    text = text.strip().replace("_", "")
    return bool(
        _PLAIN_NUMBER.fullmatch(text)
        or _YAML12_NUMBER.fullmatch(text)
        or _DECIMAL_COMMA.fullmatch(text)
    )


def parse_money(value: object) -> Decimal:
    """A positive amount of money, exact to the cent or beyond."""
    amount = _to_decimal(value, "an amount")
    if amount <= 0:
        raise _fail("money_range", "an amount must be above 0")
    return amount


def parse_count(value: object, what: str = "a count") -> int:
    """A positive whole number: clients to win, or a limit on a stage's volume."""
    count = _to_decimal(value, what)
    if count != count.to_integral_value():
        raise _fail("count_whole", f"{what} must be a whole number, not {count:f}")
    if count <= 0:
        raise _fail("count_range", f"{what} must be at least 1")
    return int(count)


def parse_clients(value: object) -> int:
    """A positive whole number of clients."""
    return parse_count(value, "clients")


def parse_limit(value: object) -> Decimal | str:
    """A limit: the most of a stage (a whole number) or of the budget (an amount, or a share
    of the planned revenue written "10%"); whole-number rules are checked per stage."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = portion(value, "a budget share", most=Decimal(1))
        if share <= 0:
            raise _fail("limit_range", "a budget share must be above 0%")
        return f"{plain(share.scaleb(2)):f}%"
    limit = _to_decimal(value, "a limit")
    if limit <= 0:
        raise _fail("limit_range", "a limit must be above 0")
    return limit


def parse_cost(value: object) -> Decimal:
    """What one unit costs: an amount of at least 0."""
    cost = _to_decimal(value, "a cost")
    if cost < 0:
        raise _fail("cost_range", "a cost must not be negative")
    return cost


def portion(value: object, what: str, *, most: Decimal | None = None) -> Decimal:
    """A share of something, written 0.1 or "10%", from 0 up to `most` (None: no bound, but a
    bare number above 1 must be written as a percentage to be sure it is not a slip)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = plain(_to_decimal(value.strip()[:-1], "a percentage").scaleb(-2))
    elif isinstance(value, str) and not _looks_numeric(value):
        raise _fail(
            "portion_type",
            f"{what} is a number like 0.1 or a percentage like \"10%\"; not '{excerpt(value)}'",
        )
    else:
        share = _to_decimal(value, what)
        if share > 1:
            raise _fail(
                "portion_range", f'{what} of {share:f} is over 100%; did you mean "{share:f}%"?'
            )
    if share < 0:
        raise _fail("portion_range", f"{what} must not be negative")
    if most is not None and share > most:
        raise _fail("portion_range", f"{what} is at most {plain(most.scaleb(2)):f}%")
    return share


def parse_share(value: object) -> Decimal:
    """A source's share of a stage's volume: above 0, at most 100%."""
    share = portion(value, "a share", most=Decimal(1))
    if share <= 0:
        raise _fail("portion_range", "a share must be above 0%")
    return share


def parse_churn(value: object) -> Decimal:
    """The share of the baseline revenue lost over the period: 0% to 100%."""
    return portion(value, "churn", most=Decimal(1))


def parse_growth(value: object) -> Decimal:
    """Growth or expansion over the baseline: 0% or more."""
    return portion(value, "growth")


def _text(value: object, *, limit: int, multiline: bool = False) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise _fail("text_type", f"must be text, not {_describe(value)}")
    if isinstance(value, int | Decimal | float):
        value = str(value)
    if not isinstance(value, str):
        raise _fail("text_type", "must be text")
    text = value.strip()
    if not text:
        raise _fail("text_empty", "must not be empty")
    if len(text) > limit:
        raise _fail("text_long", f"is longer than {limit} characters")
    allowed = "\n\t" if multiline else ""
    visible = text.replace("\n", "").replace("\t", "") if multiline else text
    if not visible.isprintable() and any(  # isprintable() is the fast path for plain text
        unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in text
    ):
        raise _fail("text_control", "contains control characters")
    if not visible.isprintable() and noncharacter(text):
        raise _fail("text_control", "contains a Unicode noncharacter (such as U+FFFE)")
    return text


def parse_name(value: object) -> str:
    """A stage, owner or plan name: one line of text."""
    return _text(value, limit=MAX_NAME_LENGTH)


def parse_definition(value: object) -> str:
    """A stage definition: text that may run over several lines."""
    return _text(value, limit=MAX_DEFINITION_LENGTH, multiline=True)


def parse_currency(value: object) -> str:
    """An ISO 4217 currency code such as USD."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise _fail(
            "currency", "a currency is a three-letter ISO 4217 code such as USD, EUR or GBP"
        )
    return value.strip().upper()


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
        raise _fail(
            "lag",
            "a lag is a number of days, weeks or months such as 14d, 6w or 3m; "
            f"not {_describe(value)}",
        )
    amount, unit = int(match[1]), match[2][0].lower()
    days = amount * {"d": 1, "w": 7, "m": 31}[unit]
    if days > MAX_LAG_DAYS:
        raise _fail("lag", "a lag is at most three years")
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
        raise _fail("lag_curve", "a lag curve maps ages to shares, e.g. {30d: 30%, 60d: 100%}")
    if len(value) > MAX_LAG_POINTS:
        raise _fail("lag_curve", f"a lag curve has at most {MAX_LAG_POINTS} ages")
    curve: dict[str, Decimal] = {}
    for key, share in value.items():
        try:
            age = parse_lag(key)
            reached = portion(share, f"the share reached by {key}", most=Decimal(1))
        except PydanticCustomError as error:
            raise _fail("lag_curve", f"{key}: {error.message()}") from None
        if reached <= 0:
            raise _fail("lag_curve", f"{key}: the share reached must be above 0%")
        curve[age] = reached
    ages = list(curve)
    for before, after in itertools.pairwise(ages):
        if lag_days(after) <= lag_days(before):
            raise _fail("lag_curve", f"{after}: list the ages from the shortest, each longer")
        if curve[after] <= curve[before]:
            raise _fail("lag_curve", f"{after}: each share must be above the one before it")
    if curve[ages[-1]] != 1:
        raise _fail("lag_curve", f"{ages[-1]}: the last age must reach 100% of the conversions")
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
    raise _fail("month", f"a month is 1 to 12 or its name such as apr; not {_describe(value)}")


def parse_dates(value: object) -> list[date]:
    """One date or a list of dates, each YYYY-MM-DD."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _fail("date", "give at least one date")
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
                raise _fail(
                    "date", f"{text} is out of range: a date is from {FIRST_DAY} to {LAST_DAY}"
                )
            return day
    raise _fail("date", f"{_describe(value)} is not a date: write YYYY-MM-DD, e.g. 2027-01-01")


def parse_weekday(value: object) -> str:
    """mon … sun."""
    text = str(value).strip().lower()[:3] if isinstance(value, str) else ""
    if text not in WEEKDAYS:
        raise _fail(
            "weekday", f"a working day is one of {', '.join(WEEKDAYS)}; not {_describe(value)}"
        )
    return text


def parse_weight(value: object) -> Decimal:
    """A seasonality weight: a number of at least 0 (or a percentage)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        weight = plain(_to_decimal(value.strip()[:-1], "a weight").scaleb(-2))
    else:
        weight = _to_decimal(value, "a weight")
    if weight < 0:
        raise _fail("weight", "a weight must not be negative")
    return weight
