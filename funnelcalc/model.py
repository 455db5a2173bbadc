"""The goals file as pydantic models: exact Decimal rates and money, unknown keys refused."""

from __future__ import annotations

import functools
import re
import types
import typing
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from funnelcalc.errors import did_you_mean
from funnelcalc.exact import EXACT, plain

MAX_DIGITS = 30
MAX_STAGES = 50
MAX_NAME_LENGTH = 200
MAX_DEFINITION_LENGTH = 2000

Loc = tuple[str | int, ...]

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# What YAML 1.2 (and most people) read as a number but PyYAML's YAML 1.1 reads as text.
_YAML12_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def _fail(kind: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, context or None)


def _to_decimal(value: object, what: str) -> Decimal:
    """A finite Decimal of at most MAX_DIGITS digits from an int, Decimal, float or numeric text."""
    if isinstance(value, bool) or value is None:
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest repr is the decimal the caller wrote
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if _YAML12_NUMBER.fullmatch(text):
            raise _fail(
                "number_yaml11",
                f"'{value}' is read as text: YAML 1.1 needs a dot before the exponent; "
                f"write {plain(Decimal(text)):f}",
            )
        if "," in text:
            raise _fail(
                "number_separator",
                f"'{value}' is text: write numbers without thousands separators, "
                f"like {text.replace(',', '')}",
            )
        if not text or not _PLAIN_NUMBER.fullmatch(text):
            raise _fail("number_type", f"{what} must be a number, not '{value}'")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _fail("number_type", f"{what} must be a number, not '{value}'") from None
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise _fail("number_type", f"{what} must be a number, not {_describe(value)}")
    if not value.is_finite():
        raise _fail("number_finite", f"{what} must be a finite number")
    digits = len(format(plain(value), "f").lstrip("-").replace(".", "").lstrip("0"))
    if digits > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
        raise _fail("number_size", f"{what} has more than {MAX_DIGITS} digits")
    return plain(value)


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


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
            f"not '{value}'",
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
    return bool(_PLAIN_NUMBER.fullmatch(text) or _YAML12_NUMBER.fullmatch(text))


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
            f"{what} is a number like 0.1 or a percentage like \"10%\"; not '{value}'",
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


def parse_date(value: object) -> date:
    """A calendar date written YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
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


_NUMBER_TEXT = r"^\s*[0-9][0-9_]*(\.[0-9_]+)?\s*$"
_RATE_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*%\s*$"},
    ],
    "description": 'Share of the stage above: a number in (0, 1] such as 0.025, or "2.5%".',
}
_MONEY_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": _NUMBER_TEXT},
    ],
    "description": "An amount of money in the file's currency, above 0.",
}
_COUNT_SCHEMA = {"type": "integer", "minimum": 1}
_NAME_SCHEMA = {
    "anyOf": [{"type": "string", "minLength": 1, "maxLength": MAX_NAME_LENGTH}, {"type": "number"}]
}
_CURRENCY_SCHEMA = {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "ISO 4217 code"}

_PERCENT_TEXT = r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*%\s*$"
_PORTION_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": _PERCENT_TEXT},
    ],
    "description": 'A share: a number such as 0.1, or a percentage such as "10%".',
}
_COST_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _NUMBER_TEXT}],
    "description": "What one unit costs, in the file's currency.",
}
_LIMIT_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0},
        {"type": "string", "pattern": _PERCENT_TEXT},
    ],
    "description": "The most the plan may need: a whole number for a stage; for budget an "
    'amount or a share of the planned revenue such as "10%".',
}

Rate = Annotated[Decimal, BeforeValidator(parse_rate), WithJsonSchema(_RATE_SCHEMA)]
Lag = Annotated[
    str,
    BeforeValidator(parse_lag),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*\d+\s*([dD]|[dD]ays?|[wW]|[wW]eeks?|[mM]|[mM]onths?)\s*$",
            "description": "Time from the stage above to this one: 14d, 6w or 3m.",
        }
    ),
]
Day = Annotated[
    date, BeforeValidator(parse_date), WithJsonSchema({"type": "string", "format": "date"})
]
Weekday = Annotated[str, BeforeValidator(parse_weekday), WithJsonSchema({"enum": list(WEEKDAYS)})]
Weight = Annotated[
    Decimal,
    BeforeValidator(parse_weight),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _PERCENT_TEXT}]}
    ),
]
Cost = Annotated[Decimal, BeforeValidator(parse_cost), WithJsonSchema(_COST_SCHEMA)]
Share = Annotated[Decimal, BeforeValidator(parse_share), WithJsonSchema(_PORTION_SCHEMA)]
Churn = Annotated[Decimal, BeforeValidator(parse_churn), WithJsonSchema(_PORTION_SCHEMA)]
Growth = Annotated[Decimal, BeforeValidator(parse_growth), WithJsonSchema(_PORTION_SCHEMA)]
Volume = Annotated[int, BeforeValidator(parse_count), WithJsonSchema(_COUNT_SCHEMA)]
Money = Annotated[Decimal, BeforeValidator(parse_money), WithJsonSchema(_MONEY_SCHEMA)]
Clients = Annotated[int, BeforeValidator(parse_clients), WithJsonSchema(_COUNT_SCHEMA)]
Limit = Annotated[Decimal | str, BeforeValidator(parse_limit), WithJsonSchema(_LIMIT_SCHEMA)]
Name = Annotated[str, BeforeValidator(parse_name), WithJsonSchema(_NAME_SCHEMA)]
Definition = Annotated[str, BeforeValidator(parse_definition), WithJsonSchema({"type": "string"})]
Currency = Annotated[str, BeforeValidator(parse_currency), WithJsonSchema(_CURRENCY_SCHEMA)]


class _Range(BaseModel):
    """A value known within a 90% interval: low and high, and optionally the most likely."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: Decimal
    high: Decimal
    likely: Decimal | None = None

    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        if self.low >= self.high:
            raise PydanticCustomError(
                "range_order", "low must be below high (for a known value, write it plainly)"
            )
        if self.likely is not None and not self.low <= self.likely <= self.high:
            raise PydanticCustomError("range_likely", "likely must lie between low and high")
        return self

    @property
    def point(self) -> Decimal:
        """What a plan without uncertainty uses: likely, else the midpoint."""
        if self.likely is not None:
            return self.likely
        return EXACT.divide(EXACT.add(self.low, self.high), Decimal(2))


class RateRange(_Range):
    """A rate known within a 90% interval."""

    low: Rate
    high: Rate
    likely: Rate | None = None


class MoneyRange(_Range):
    """An amount known within a 90% interval."""

    low: Money
    high: Money
    likely: Money | None = None


class CostRange(_Range):
    """A cost known within a 90% interval."""

    low: Cost
    high: Cost
    likely: Cost | None = None


def _shape(value: Any) -> str:
    return "range" if isinstance(value, dict | _Range) else "point"


RateValue = Annotated[
    Annotated[Rate, Tag("point")] | Annotated[RateRange, Tag("range")], Discriminator(_shape)
]
MoneyValue = Annotated[
    Annotated[Money, Tag("point")] | Annotated[MoneyRange, Tag("range")], Discriminator(_shape)
]
CostValue = Annotated[
    Annotated[Cost, Tag("point")] | Annotated[CostRange, Tag("range")], Discriminator(_shape)
]
Uncertain = RateRange | MoneyRange | CostRange


def point(value: Decimal | _Range | None) -> Decimal | None:
    """A value as a plan uses it: a range's likely value or midpoint, else the value."""
    return value.point if isinstance(value, _Range) else value


class Stage(BaseModel):
    """One stage of the funnel, top first; `rate` is the share of the stage above."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    rate: RateValue | None = None
    owner: Name | None = None
    definition: Definition | None = None
    cost: CostValue | None = None
    """What one unit of this stage costs: a click, a lead, a meeting."""
    lag: Lag | None = None
    """Typical time from the stage above to this one: upstream work happens that much earlier."""
    daily: bool = False
    """Daily work (leads, calls, emails): schedules also say how many per working day."""


class Period(BaseModel):
    """When the plan runs: a start and a length, how closes spread, and the working days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Day
    months: Volume | None = None
    quarters: Volume | None = None
    weeks: Volume | None = None
    seasonality: list[Weight] | None = None
    """How the closes spread: one weight per month (or per quarter), or per week."""
    working_days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS[:5]), min_length=1)
    holidays: list[Day] = Field(default_factory=list)


class Target(BaseModel):
    """What the plan must win: new revenue, or a number of new clients."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money | None = None
    """New revenue to win; with a baseline, the total revenue to reach."""
    clients: Clients | None = None
    growth: Growth | None = None
    """With a baseline: the total to reach as growth over the baseline revenue."""


class Source(BaseModel):
    """Where part of a stage's volume comes from: a fixed volume expected anyway, or a share of
    the rest, with its own rate from the stage above and its own cost per unit of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    volume: Volume | None = None
    share: Share | None = None
    rate: Rate | None = None
    cost: Cost | None = None


class Baseline(BaseModel):
    """The revenue already recurring, and how it changes over the period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revenue: Money
    churn: Churn = Decimal(0)
    expansion: Growth = Decimal(0)
    customers: Volume | None = None


class Scenario(BaseModel):
    """A named what-if: key paths of the goals file and the values they take instead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Definition | None = None
    set: dict[str, Any] = Field(min_length=1)


class Goals(BaseModel):
    """A whole goals file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name | None = None
    currency: Currency = "USD"
    target: Target
    deal_size: MoneyValue | None = None
    stages: list[Stage]
    limits: dict[Name, Limit] = Field(default_factory=dict)
    """The most the plan may need of a stage (website traffic, SDR capacity), by stage name,
    or of its `budget`."""
    scenarios: dict[Name, Scenario] = Field(default_factory=dict)
    fixed_costs: dict[Name, Cost] = Field(default_factory=dict)
    """Costs that do not grow with volume (tools, events, salaries), by name."""
    sources: dict[Name, list[Source]] = Field(default_factory=dict)
    """For a stage, by name: where its volume comes from."""
    baseline: Baseline | None = None
    period: Period | None = None

    @property
    def uncertain(self) -> bool:
        """Whether any rate, cost or the deal size is a range."""
        values = [self.deal_size, *(s.rate for s in self.stages), *(s.cost for s in self.stages)]
        return any(isinstance(value, _Range) for value in values)

    def at_points(self) -> Goals:
        """The goals with every range replaced by its likely value (or midpoint)."""
        if not self.uncertain:
            return self
        stages = [
            stage.model_copy(update={"rate": point(stage.rate), "cost": point(stage.cost)})
            for stage in self.stages
        ]
        return self.model_copy(update={"stages": stages, "deal_size": point(self.deal_size)})

    def source_list(self, stage: str) -> list[Source]:
        """The sources that feed the stage called `stage` (ignoring case), if any."""
        for key, entries in self.sources.items():
            if key.casefold() == stage.casefold():
                return entries
        return []

    def stage_index(self, name: str) -> int | None:
        """Where the stage called `name` (ignoring case) stands, top first."""
        folded = name.strip().casefold()
        for index, stage in enumerate(self.stages):
            if stage.name.casefold() == folded:
                return index
        return None

    @model_validator(mode="after")
    def _check_structure(self) -> Goals:
        problems = structure_problems(self.model_dump())
        if problems:
            loc, message = problems[0]
            raise PydanticCustomError(
                STRUCTURE_ERROR, "{key}: {message}", {"key": format_key(loc), "message": message}
            )
        return self


STRUCTURE_ERROR = "funnel_structure"


def structure_problems(data: object) -> list[tuple[Loc, str]]:
    """Rules that tie keys together, checked on raw data so they show beside field errors."""
    if not isinstance(data, dict):
        return []
    problems = _target_problems(data) + _period_problems(data.get("period"))
    stages = data.get("stages")
    if isinstance(stages, list):
        names = [
            stage["name"].strip()
            for stage in stages
            if isinstance(stage, dict) and isinstance(stage.get("name"), str)
        ]
        problems.extend(_stage_problems(stages))
        problems.extend(_limit_problems(data, names))
        problems.extend(_source_problems(data.get("sources"), names))
    scenarios = data.get("scenarios")
    if isinstance(scenarios, dict):
        problems.extend(
            (("scenarios", name), f"'{name}' names the plan without a scenario: choose another")
            for name in scenarios
            if str(name).strip().casefold() == BASE.casefold()
        )
    return problems


BASE = "base"
"""What compare and check call the plan without any scenario."""
BUDGET = "budget"
"""The key of `limits` that caps the plan's total cost rather than a stage."""


def _try(parser: Any, value: object) -> Any:
    """The parsed value, or None where the field check will report the problem."""
    try:
        return parser(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


MAX_UNITS = {"months": 120, "quarters": 40, "weeks": 520}


def _period_problems(period: object) -> list[tuple[Loc, str]]:
    if not isinstance(period, dict):
        return []
    given = [unit for unit in MAX_UNITS if period.get(unit) is not None]
    if len(given) != 1:
        return [(("period",), "give its length as one of months, quarters or weeks")]
    unit = given[0]
    length = _try(parse_count, period[unit])
    if length is not None and length > MAX_UNITS[unit]:
        return [(("period", unit), f"a plan runs at most {MAX_UNITS[unit]} {unit}")]
    weights = period.get("seasonality")
    if length is None or not isinstance(weights, list):
        return []
    return _seasonality_problems(weights, unit, length)


def _seasonality_problems(weights: list[Any], unit: str, length: int) -> list[tuple[Loc, str]]:
    by_quarter = unit == "months" and length % 3 == 0
    if len(weights) != length and not (by_quarter and len(weights) == length // 3):
        per = f"one per {unit[:-1]}" + (" or one per quarter" if by_quarter else "")
        return [(("period", "seasonality"), f"has {len(weights)} weights; give {per}")]
    parsed = [_try(parse_weight, weight) for weight in weights]
    if None not in parsed and sum(parsed) == 0:
        return [(("period", "seasonality"), "the weights add up to 0: no closes would happen")]
    return []


def _target_problems(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    target = data.get("target")
    if not isinstance(target, dict):
        return []
    given = [key for key in ("revenue", "clients", "growth") if target.get(key) is not None]
    has_baseline = data.get("baseline") is not None
    problems: list[tuple[Loc, str]] = []
    if len(given) > 1:
        problems.append((("target",), f"give either {' or '.join(given)}, not both"))
    elif not given:
        wanted = "revenue or growth" if has_baseline else "revenue (with deal_size) or clients"
        problems.append((("target",), f"give {wanted}: what must the plan win?"))
    if "growth" in given and not has_baseline:
        problems.append(
            (("target", "growth"), "growth is over a baseline: add `baseline:` with its revenue")
        )
    if "clients" in given and has_baseline:
        problems.append(
            (
                ("target", "clients"),
                "with a baseline, the target is revenue: give target.revenue or target.growth",
            )
        )
    if given and given[0] in ("revenue", "growth") and data.get("deal_size") is None:
        problems.append(
            (
                ("target", given[0]),
                "needs deal_size at the top level: the average revenue per new client",
            )
        )
    return problems


def _limit_problems(data: dict[str, Any], names: list[str]) -> list[tuple[Loc, str]]:
    limits = data.get("limits")
    if not isinstance(limits, dict):
        return []
    known = {name.casefold() for name in names}
    problems: list[tuple[Loc, str]] = []
    for key, value in limits.items():
        folded = str(key).strip().casefold()
        limit = _try(parse_limit, value)
        if folded == BUDGET:
            if BUDGET in known:
                problems.append((("limits", key), "a stage is named budget too: rename the stage"))
            if isinstance(limit, str) and data.get("deal_size") is None:
                problems.append((("limits", key), "a budget as a share of revenue needs deal_size"))
        elif folded not in known:
            hint = did_you_mean(str(key), [*names, BUDGET])
            problems.append((("limits", key), f"no stage is named '{key}'{hint}"))
        elif isinstance(limit, str):
            problems.append(
                (
                    ("limits", key),
                    "a share of revenue limits the budget; a stage's limit is a volume",
                )
            )
        elif isinstance(limit, Decimal) and limit != limit.to_integral_value():
            problems.append((("limits", key), "a limit on a stage must be a whole number"))
    return problems


def _source_problems(sources: object, names: list[str]) -> list[tuple[Loc, str]]:
    if not isinstance(sources, dict):
        return []
    problems: list[tuple[Loc, str]] = []
    folded = [name.casefold() for name in names]
    for key, entries in sources.items():
        where: Loc = ("sources", key)
        if str(key).strip().casefold() not in folded:
            problems.append((where, f"no stage is named '{key}'{did_you_mean(str(key), names)}"))
            continue
        if isinstance(entries, list):
            is_top = folded.index(str(key).strip().casefold()) == 0
            problems.extend(_entry_problems(where, entries, is_top=is_top))
    return problems


def _entry_problems(where: Loc, entries: list[Any], *, is_top: bool) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    shares: list[Decimal | None] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        at: Loc = (*where, index)
        name = entry.get("name")
        if isinstance(name, str):
            if name.strip().casefold() in seen:
                problems.append(((*at, "name"), f"'{name.strip()}' is listed twice"))
            seen.add(name.strip().casefold())
        fixed, share = entry.get("volume") is not None, entry.get("share") is not None
        if fixed == share:
            problems.append((at, "give a source either a volume (expected anyway) or a share"))
        if fixed:
            problems.extend(
                ((*at, key), "a fixed volume comes anyway: it has no rate or cost")
                for key in ("rate", "cost")
                if entry.get(key) is not None
            )
        if is_top and entry.get("rate") is not None:
            problems.append(((*at, "rate"), "the top stage has no stage above: no rate"))
        if share:
            shares.append(_try(parse_share, entry["share"]))
    if not entries:
        problems.append((where, "list at least one source"))
    elif not shares:
        problems.append((where, "give at least one source a share of what the fixed ones leave"))
    elif None not in shares:
        total = sum((s for s in shares if s is not None), Decimal(0))
        if total != 1:
            problems.append((where, f"the shares add up to {plain(total.scaleb(2)):f}%, not 100%"))
    return problems


def _stage_problems(stages: list[Any]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if len(stages) < 2:
        problems.append(
            (("stages",), "a funnel needs at least two stages: the top and the paying clients")
        )
    if len(stages) > MAX_STAGES:
        problems.append((("stages",), f"a funnel has at most {MAX_STAGES} stages"))
        return problems
    seen: dict[str, int] = {}
    for index, stage in enumerate(stages):
        if not isinstance(stage, dict):
            continue
        rate = stage.get("rate")
        if index == 0 and rate is not None:
            problems.append(
                (
                    ("stages", 0, "rate"),
                    "the first stage is the top of the funnel: it has no stage above it, "
                    "so no rate; remove it",
                )
            )
        if index == 0 and stage.get("lag") is not None:
            problems.append(
                (("stages", 0, "lag"), "the top stage has no stage above it, so no lag; remove it")
            )
        if index > 0 and rate is None:
            above = stages[index - 1].get("name") if isinstance(stages[index - 1], dict) else None
            share = f"the share of {above} that" if isinstance(above, str) else "the share that"
            problems.append((("stages", index), f"needs a rate: {share} reaches this stage"))
        name = stage.get("name")
        if isinstance(name, str) and name.strip():
            folded = name.strip().casefold()
            if folded in seen:
                problems.append(
                    (
                        ("stages", index, "name"),
                        f"'{name.strip()}' is already the name of stage {seen[folded] + 1}; "
                        "stage names must be unique",
                    )
                )
            else:
                seen[folded] = index
    return problems


def format_key(loc: Loc, data: object = None) -> str:
    """A key path as users write it: `stages.leads.rate`, or `stages[2]` when names are unclear."""
    parts: list[str] = []
    stages = data.get("stages") if isinstance(data, dict) else None
    names = _unique_stage_names(stages)
    for index, part in enumerate(loc):
        if isinstance(part, int):
            under_stages = index == 1 and loc[0] == "stages"
            name = names.get(part) if under_stages else None
            if name is not None:
                parts.append(f".{name}")
            else:
                parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


def _unique_stage_names(stages: object) -> dict[int, str]:
    if not isinstance(stages, list):
        return {}
    names: dict[int, str] = {}
    for index, stage in enumerate(stages):
        name = stage.get("name") if isinstance(stage, dict) else None
        if isinstance(name, str) and re.fullmatch(r"[^\s.\[\]][^.\[\]]*", name.strip()):
            names[index] = name.strip()
    counts = Counter(name.casefold() for name in names.values())
    return {i: n for i, n in names.items() if counts[n.casefold()] == 1}


def keys_at(loc: Loc) -> list[str] | None:
    """The keys the goals model allows in the mapping at `loc`: a list for a model's fields,
    None where any key goes (limits, scenarios), [] where no mapping belongs."""
    annotation: Any = Goals
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return None if typing.get_origin(annotation) is dict else []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the type underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = arguments[0]
        else:
            return annotation


def misplaced_key_hint(key: str, loc: Loc) -> str:
    """Why `key` is unknown at `loc`: a close match here, or where it belongs instead."""
    allowed = keys_at(loc) or []
    if loc and loc[-1] in ("rate", "cost", "deal_size"):
        allowed = list(_Range.model_fields)  # a value given as a range
    hint = did_you_mean(key, allowed)
    if "did you mean" in hint:
        return hint
    home = _key_homes().get(key.casefold())
    if home is not None and home.rsplit(".", 1)[-1] not in allowed:
        return f"; it belongs at {home}"
    return hint


@functools.cache
def _key_homes(model: type[BaseModel] = Goals, prefix: str = "") -> dict[str, str]:
    """Every key the model knows, mapped to the path where it belongs."""
    found: dict[str, str] = {}
    for name, field in model.model_fields.items():
        found.setdefault(name, prefix + name)
        child = _unwrap(field.annotation)
        if typing.get_origin(child) is list:
            child, suffix = _unwrap(typing.get_args(child)[0]), "[…]"
        else:
            suffix = ""
        if isinstance(child, type) and issubclass(child, BaseModel):
            for key, path in _key_homes(child, f"{prefix}{name}{suffix}.").items():
                found.setdefault(key, path)
    return found
