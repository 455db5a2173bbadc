"""The field types of the goals models: each a parser from `values`, the JSON Schema editors
see, and ranges for values known only within an interval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from funnelcalc.exact import EXACT
from funnelcalc.timevalues import (
    WEEKDAYS,
    lag_days,
    parse_date,
    parse_dates,
    parse_lag,
    parse_lag_curve,
    parse_month,
    parse_weekday,
    parse_weight,
)
from funnelcalc.values import (
    MAX_NAME_LENGTH,
    Bounds,
    parse_churn,
    parse_clients,
    parse_cost,
    parse_count,
    parse_currency,
    parse_definition,
    parse_growth,
    parse_limit,
    parse_margin,
    parse_money,
    parse_name,
    parse_per,
    parse_per_count,
    parse_rate,
    parse_share,
)

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
_ONE_LIMIT = [
    {"type": "number", "exclusiveMinimum": 0},
    {"type": "string", "pattern": _PERCENT_TEXT},
]
_LIMIT_SCHEMA = {
    "anyOf": [
        *_ONE_LIMIT,
        {
            "type": "object",
            "properties": {"min": {"anyOf": _ONE_LIMIT}, "max": {"anyOf": _ONE_LIMIT}},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
    "description": "The most the plan may need: a whole number for a stage; for budget an "
    'amount or a share of the planned revenue such as "10%"; for cac an amount, for '
    "payback_months a number of months; the least for coverage, ltv_cac and roas; or "
    "{min: X, max: Y} for either bound of any of them.",
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
_LAG_PATTERN = r"^\s*\d+\s*([dD]|[dD]ays?|[wW]|[wW]eeks?|[mM]|[mM]onths?)\s*$"
_LAG_CURVE_SCHEMA = {
    "type": "object",
    "patternProperties": {_LAG_PATTERN: _PORTION_SCHEMA},
    "additionalProperties": False,
    "minProperties": 1,
    "description": "A cohort curve: the share of the eventual conversions reached by each age, "
    "e.g. {30d: 30%, 60d: 70%, 120d: 100%}.",
}


def _lag_value(value: Any) -> str | dict[str, Decimal]:
    return parse_lag_curve(value) if isinstance(value, dict) else parse_lag(value)


LagTime = Annotated[
    str | dict[str, Decimal],
    BeforeValidator(_lag_value),
    WithJsonSchema({"anyOf": [Lag.__metadata__[1].json_schema, _LAG_CURVE_SCHEMA]}),
]
Month = Annotated[
    int,
    BeforeValidator(parse_month),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 12},
                {"type": "string", "pattern": "^[A-Za-z]{3,9}$"},
            ],
            "description": "A month of the year: 1 to 12 or its name (apr).",
        }
    ),
]
Dates = Annotated[
    list[date],
    BeforeValidator(parse_dates),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "array", "items": {"type": "string", "format": "date"}, "minItems": 1},
            ]
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
Limit = Annotated[
    Decimal | str | Bounds, BeforeValidator(parse_limit), WithJsonSchema(_LIMIT_SCHEMA)
]
Margin = Annotated[Decimal, BeforeValidator(parse_margin), WithJsonSchema(_PORTION_SCHEMA)]
Per = Annotated[
    str,
    BeforeValidator(parse_per),
    WithJsonSchema({"enum": ["month", "year"], "description": "The time unit of arpa and churn."}),
]
PerCount = Annotated[
    Decimal,
    BeforeValidator(parse_per_count),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string"}],
            "description": "How many of this stage each unit of the stage above brings "
            "(3 contacts per account): a multiplier, instead of a rate.",
        }
    ),
]
Name = Annotated[str, BeforeValidator(parse_name), WithJsonSchema(_NAME_SCHEMA)]
Definition = Annotated[str, BeforeValidator(parse_definition), WithJsonSchema({"type": "string"})]
Currency = Annotated[str, BeforeValidator(parse_currency), WithJsonSchema(_CURRENCY_SCHEMA)]


class Range(BaseModel):
    """A value known within a 90% interval: low and high, and optionally the most likely."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: Decimal
    high: Decimal
    likely: Decimal | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
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


class RateRange(Range):
    """A rate known within a 90% interval."""

    low: Rate
    high: Rate
    likely: Rate | None = None


class MoneyRange(Range):
    """An amount known within a 90% interval."""

    low: Money
    high: Money
    likely: Money | None = None


class CostRange(Range):
    """A cost known within a 90% interval."""

    low: Cost
    high: Cost
    likely: Cost | None = None


class WeightRange(Range):
    """A seasonality weight known within a 90% interval."""

    low: Weight
    high: Weight
    likely: Weight | None = None


class LagRange(BaseModel):
    """A lag known within a 90% interval, e.g. {low: 7d, high: 28d, likely: 14d}."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: Lag
    high: Lag
    likely: Lag | None = None

    @model_validator(mode="after")
    def _ordered(self) -> LagRange:
        if lag_days(self.low) >= lag_days(self.high):
            raise PydanticCustomError("range_order", "low must be shorter than high")
        if self.likely is not None and not (
            lag_days(self.low) <= lag_days(self.likely) <= lag_days(self.high)
        ):
            raise PydanticCustomError("range_likely", "likely must lie between low and high")
        return self

    @property
    def point(self) -> str:
        """What a schedule uses: likely, else the midpoint in whole days (rounded up)."""
        if self.likely is not None:
            return self.likely
        return f"{-(-(lag_days(self.low) + lag_days(self.high)) // 2)}d"


def _shape(value: Any) -> str:
    return "range" if isinstance(value, dict | Range) else "point"


def _lag_shape(value: Any) -> str:
    is_range = isinstance(value, LagRange) or (isinstance(value, dict) and "low" in value)
    return "range" if is_range else "lag"


RateValue = Annotated[
    Annotated[Rate, Tag("point")] | Annotated[RateRange, Tag("range")], Discriminator(_shape)
]
MoneyValue = Annotated[
    Annotated[Money, Tag("point")] | Annotated[MoneyRange, Tag("range")], Discriminator(_shape)
]
CostValue = Annotated[
    Annotated[Cost, Tag("point")] | Annotated[CostRange, Tag("range")], Discriminator(_shape)
]
WeightValue = Annotated[
    Annotated[Weight, Tag("point")] | Annotated[WeightRange, Tag("range")], Discriminator(_shape)
]
LagValue = Annotated[
    Annotated[LagTime, Tag("lag")] | Annotated[LagRange, Tag("range")], Discriminator(_lag_shape)
]
Uncertain = RateRange | MoneyRange | CostRange | WeightRange


def point(value: Decimal | Range | None) -> Decimal | None:
    """A value as a plan uses it: a range's likely value or midpoint, else the value."""
    return value.point if isinstance(value, Range) else value


def lag_point(lag: str | dict[str, Decimal] | LagRange | None) -> str | dict[str, Decimal] | None:
    """A lag as a schedule uses it: a range's likely lag or midpoint, else the lag."""
    return lag.point if isinstance(lag, LagRange) else lag
