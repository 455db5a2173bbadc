"""Parsers for the values a goals file holds: exact decimals, rates, money, counts, names,
lags and dates. Each raises a pydantic error whose message tells the user what to write."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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


def fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """The error a parser raises: pydantic reports it at the key, with `message`."""
    return PydanticCustomError(kind, message, context or None)


def decimal_of(value: object, what: str) -> Decimal:
    """A finite Decimal of at most MAX_DIGITS digits from an int, Decimal, float or numeric text."""
    if isinstance(value, bool) or value is None:
        raise fail("number_type", f"{what} must be a number, not {describe(value)}")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest repr is the decimal the caller wrote
    if isinstance(value, str):
        value = _from_text(value, what)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise fail("number_type", f"{what} must be a number, not {describe(value)}")
    if not value.is_finite():
        raise fail("number_finite", f"{what} must be a finite number")
    _check_size(value, what)
    return plain(value)


def _from_text(value: str, what: str) -> Decimal:
    text = value.strip().replace("_", "")
    if _YAML12_NUMBER.fullmatch(text):
        number = _decimal(text, value, what)
        _check_size(number, what)  # before formatting: 1e999999999 would be a gigabyte
        raise fail(
            "number_yaml11",
            f"'{excerpt(value)}' is read as text: YAML 1.1 needs a dot before the exponent; "
            f"write {excerpt(format(plain(number), 'f'))}",
        )
    if _DECIMAL_COMMA.fullmatch(text):
        raise fail(
            "number_separator",
            f"'{excerpt(value)}' is text: write a decimal point, not a comma: "
            f"{text.replace(',', '.')}",
        )
    if "," in text:
        hint = text.replace(",", "")
        if _THOUSANDS.fullmatch(text) and text.count(",") == 1:
            hint += f" (or {text.replace(',', '.')} if the comma is a decimal comma)"
        raise fail(
            "number_separator",
            f"'{excerpt(value)}' is text: write numbers without thousands separators, "
            f"like {excerpt(hint)}",
        )
    if not text or not _PLAIN_NUMBER.fullmatch(text):
        raise fail("number_type", f"{what} must be a number, not '{excerpt(value)}'{_range(text)}")
    return _decimal(text, value, what)


def _range(text: str) -> str:
    """A hint for a range written as text ('2%..3%'): how the file writes one."""
    low, dots, high = text.partition("..")
    if not dots or not low.strip() or not high.strip():
        return ""
    return f": a range is written {{low: {excerpt(low.strip())}, high: {excerpt(high.strip())}}}"


def _decimal(text: str, value: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # not a number, or an exponent beyond what Decimal holds
        if _YAML12_NUMBER.fullmatch(text):
            raise fail("number_size", f"{what} has more than {MAX_DIGITS} digits") from None
        raise fail("number_type", f"{what} must be a number, not '{excerpt(value)}'") from None


def _check_size(value: Decimal, what: str) -> None:
    """Refuse a number of more than MAX_DIGITS digits by its exponent, before any formatting
    (formatting 1e999999999 would take gigabytes)."""
    if value.is_finite() and not value.is_zero():
        if abs(value.adjusted()) > MAX_DIGITS:
            raise fail("number_size", f"{what} has more than {MAX_DIGITS} digits")
        digits = len(format(plain(value), "f").lstrip("-").replace(".", "").lstrip("0"))
        if digits > MAX_DIGITS:
            raise fail("number_size", f"{what} has more than {MAX_DIGITS} digits")


def describe(value: object) -> str:
    """What a wrong value is, in a few words: "empty", "text", "a list"…"""
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
    if isinstance(value, str) and _range(value):
        raise fail("number_type", f"a rate must be a number, not '{excerpt(value)}'{_range(value)}")
    if isinstance(value, str) and value.strip().endswith("%"):
        percent = decimal_of(value.strip()[:-1], "a percentage")
        if not 0 < percent <= 100:
            hint = (
                f"; for a multiplier ({plain(percent.scaleb(-2)):f} of this stage for each one "
                f"above, like contacts per account) write per: {plain(percent.scaleb(-2)):f}"
                if percent >= 200 and percent % 100 == 0  # a whole multiple reads as one
                else ""
            )
            raise fail("rate_range", f"a percentage rate must be above 0% and at most 100%{hint}")
        return plain(percent.scaleb(-2))
    if isinstance(value, str) and not _looks_numeric(value):
        raise fail(
            "rate_type",
            'a rate is a number in (0, 1] like 0.025, or a percentage like "2.5%"; '
            f"not '{excerpt(value)}'",
        )
    rate = decimal_of(value, "a rate")
    if rate > 1:
        # a percentage written without its sign reads as a rate: suggest it only where valid
        hint = f'; did you mean "{rate:f}%"?' if rate <= 100 else ""
        raise fail("rate_range", f"a rate is at most 1 (100%){hint}")
    if rate <= 0:
        raise fail("rate_range", "a rate must be above 0: nobody would reach this stage")
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
    amount = decimal_of(value, "an amount")
    if amount <= 0:
        raise fail("money_range", "an amount must be above 0")
    return amount


def parse_count(value: object, what: str = "a count") -> int:
    """A positive whole number: clients to win, or a limit on a stage's volume."""
    count = decimal_of(value, what)
    if count != count.to_integral_value():
        raise fail("count_whole", f"{what} must be a whole number, not {count:f}")
    if count <= 0:
        raise fail("count_range", f"{what} must be at least 1")
    return int(count)


def parse_clients(value: object) -> int:
    """A positive whole number of clients."""
    return parse_count(value, "clients")


@dataclass(frozen=True)
class Bounds:
    """A limit written with its direction: `{min: 3}`, `{max: 18}` or both."""

    min: Decimal | str | None = None
    max: Decimal | str | None = None


BOUND_KEYS = ("min", "max")


def parse_limit(value: object) -> Decimal | str | Bounds:
    """A limit: the most of a stage (a whole number) or of the budget (an amount, or a share
    of the planned revenue written "10%"), or a ratio's bar (`ltv_cac: 3`); or `{min: X,
    max: Y}` for either bound. Whole-number and name rules are checked per name."""
    if isinstance(value, Bounds):
        return value
    if isinstance(value, dict):
        return _bounds(value)
    return _one_limit(value)


def _bounds(value: dict[Any, Any]) -> Bounds:
    unknown = [str(key) for key in value if key not in BOUND_KEYS]
    if unknown:
        raise fail(
            "limit_bounds",
            f"a limit's bounds are min and max; not '{excerpt(unknown[0])}'",
        )
    given = {key: _one_limit(value[key]) for key in BOUND_KEYS if value.get(key) is not None}
    if not given:
        raise fail("limit_bounds", "give a limit's min, its max, or both")
    low, high = given.get("min"), given.get("max")
    if isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
        raise fail("limit_bounds", f"min {low:f} is above max {high:f}: nothing could hold")
    return Bounds(low, high)


def _one_limit(value: object) -> Decimal | str:
    if isinstance(value, str) and value.strip().endswith("%"):
        share = portion(value, "a budget share", most=Decimal(1))
        if share <= 0:
            raise fail("limit_range", "a budget share must be above 0%")
        return f"{plain(share.scaleb(2)):f}%"
    limit = decimal_of(value, "a limit")
    if limit <= 0:
        raise fail("limit_range", "a limit must be above 0")
    return limit


def parse_cost(value: object) -> Decimal:
    """What one unit costs: an amount of at least 0."""
    cost = decimal_of(value, "a cost")
    if cost < 0:
        raise fail("cost_range", "a cost must not be negative")
    return cost


def portion(value: object, what: str, *, most: Decimal | None = None) -> Decimal:
    """A share of something, written 0.1 or "10%", from 0 up to `most` (None: no bound, but a
    bare number above 1 must be written as a percentage to be sure it is not a slip)."""
    if isinstance(value, str) and value.strip().endswith("%"):
        share = plain(decimal_of(value.strip()[:-1], "a percentage").scaleb(-2))
    elif isinstance(value, str) and not _looks_numeric(value):
        raise fail(
            "portion_type",
            f"{what} is a number like 0.1 or a percentage like \"10%\"; not '{excerpt(value)}'",
        )
    else:
        share = decimal_of(value, what)
        if share > 1:
            raise fail(
                "portion_range", f'{what} of {share:f} is over 100%; did you mean "{share:f}%"?'
            )
    if share < 0:
        raise fail("portion_range", f"{what} must not be negative")
    if most is not None and share > most:
        raise fail("portion_range", f"{what} is at most {plain(most.scaleb(2)):f}%")
    return share


def parse_share(value: object) -> Decimal:
    """A source's share of a stage's volume: above 0, at most 100%."""
    share = portion(value, "a share", most=Decimal(1))
    if share <= 0:
        raise fail("portion_range", "a share must be above 0%")
    return share


def parse_churn(value: object) -> Decimal:
    """The share of the baseline revenue lost over the period: 0% to 100%."""
    return portion(value, "churn", most=Decimal(1))


def parse_margin(value: object) -> Decimal:
    """A gross margin: the share of revenue left after the cost of serving it, 0% to 100%."""
    return portion(value, "a gross margin", most=Decimal(1))


PERIODS = {"month": 1, "year": 12}
"""The time units ARPA and churn may be given in, as months."""


def parse_per(value: object) -> str:
    """The time unit of ARPA and churn: month or year (monthly, yearly, annual read the same)."""
    text = value.strip().casefold() if isinstance(value, str) else ""
    text = {"monthly": "month", "yearly": "year", "annual": "year", "annually": "year"}.get(
        text, text
    )
    if text not in PERIODS:
        raise fail("per_unit", f"give month or year, not {describe(value)}")
    return text


def parse_per_count(value: object) -> Decimal:
    """How many of a stage each unit of the stage above brings (3 contacts per account):
    above 0; above 1 is what it is for."""
    if isinstance(value, str) and value.strip().endswith("%"):
        raise fail("per_type", "per is how many each unit above brings, like 3; not a percentage")
    count = decimal_of(value, "per")
    if count <= 0:
        raise fail("per_range", "per must be above 0: each unit above brings how many?")
    return count


def parse_growth(value: object) -> Decimal:
    """Growth or expansion over the baseline: 0% or more."""
    return portion(value, "growth")


def _text(value: object, *, limit: int, multiline: bool = False) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise fail("text_type", f"must be text, not {describe(value)}")
    if isinstance(value, int | Decimal | float):
        value = str(value)
    if not isinstance(value, str):
        raise fail("text_type", "must be text")
    text = value.strip()
    if not text:
        raise fail("text_empty", "must not be empty")
    if len(text) > limit:
        raise fail("text_long", f"is longer than {limit} characters")
    allowed = "\n\t" if multiline else ""
    visible = text.replace("\n", "").replace("\t", "") if multiline else text
    if not visible.isprintable() and any(  # isprintable() is the fast path for plain text
        unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in text
    ):
        raise fail("text_control", "contains control characters")
    if not visible.isprintable() and noncharacter(text):
        raise fail("text_control", "contains a Unicode noncharacter (such as U+FFFE)")
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
        raise fail("currency", "a currency is a three-letter ISO 4217 code such as USD, EUR or GBP")
    return value.strip().upper()
